"""Customer satisfaction (docs/satisfaction.md): the yearly survey's answers and the events a person
records for the performance score (a proactive visit, a customer award)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Optional

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class SatisfactionSurvey(SQLModel, table=True):
    """One customer's survey for one year: per item, how many gave each answer. Recording the same
    customer and year again replaces the answers (a corrected count, not a second survey)."""

    __tablename__ = "satisfaction_surveys"
    __table_args__ = (UniqueConstraint("customer_id", "year", name="uq_satisfaction_surveys_customer_year"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customers.id")
    year: int = Field(description="calendar year, company time")
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False),
                                    description="{item: {very_satisfied: n, satisfied: n, neutral: n, dissatisfied: n, "
                                                "very_dissatisfied: n}}")
    recorded_by: str = Field(max_length=32)
    recorded_at: datetime
    updated_at: datetime


class SatisfactionEntry(SQLModel, table=True):
    """An event only a person knows of, under one of the policy's manual rules (proactive_visit,
    customer_award); `source_key` is the request's, so a retry records nothing more."""

    __tablename__ = "satisfaction_entries"
    id: Optional[int] = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customers.id", index=True)
    rule: str = Field(max_length=40, description="a satisfaction rule id with source manual")
    on: date = Field(description="the day it happened, company time")
    note: str = Field(default="", sa_column=Column(Text, nullable=False))
    recorded_by: str = Field(max_length=32)
    recorded_at: datetime
    source_key: str = Field(max_length=200, unique=True)
