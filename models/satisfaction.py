"""Customer satisfaction (docs/satisfaction.md): the survey's answers at each of the policy's moments,
the events a person records for the performance score (a proactive visit, a customer award) and
the improvement actions opened when a customer falls below the threshold, with each department's
answer."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Optional

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class SatisfactionSurvey(SQLModel, table=True):
    """One customer's survey for one year and moment: per item, how many gave each answer. Recording
    the same customer, year and moment again replaces the answers (a corrected count, not a second survey)."""

    __tablename__ = "satisfaction_surveys"
    __table_args__ = (UniqueConstraint("customer_id", "year", "moment", name="uq_satisfaction_surveys_customer_year_moment"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customers.id")
    year: int = Field(description="calendar year, company time")
    moment: str = Field(default="year_end", max_length=12, description="mid_year | year_end (policy satisfaction.survey_moments)")
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False),
                                    description="{item: {very_satisfied: n, satisfied: n, neutral: n, dissatisfied: n, "
                                                "very_dissatisfied: n}}")
    recorded_by: str = Field(max_length=32)
    recorded_at: datetime
    updated_at: datetime


class SatisfactionEntry(SQLModel, table=True):
    """An event only a person knows of, under one of the policy's manual rules (proactive_visit,
    customer_award); `source_key` is the request's, so a retry records nothing more. It counts once
    the quality manager confirmed it (`state`), and once per customer, rule and day."""

    __tablename__ = "satisfaction_entries"
    id: Optional[int] = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customers.id", index=True)
    rule: str = Field(max_length=40, description="a satisfaction rule id with source manual")
    on: date = Field(description="the day it happened, company time")
    note: str = Field(default="", sa_column=Column(Text, nullable=False))
    recorded_by: str = Field(max_length=32)
    recorded_at: datetime
    source_key: str = Field(max_length=200, unique=True)
    state: str = Field(default="pending", max_length=12, description="pending | confirmed | declined")
    decided_by: Optional[str] = Field(default=None, max_length=32)
    decided_at: Optional[datetime] = None


class SatisfactionImprovement(SQLModel, table=True):
    """An improvement action (seed 000: an item or the composite below the threshold): sales owns it
    (the customer's account owner, else the sales manager), each department answers with its
    countermeasure, it is due `due_on` and open until its owner closes it."""

    __tablename__ = "satisfaction_improvements"
    id: Optional[int] = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customers.id", index=True)
    year: int
    moment: str = Field(max_length=12, description="the survey moment whose score opened it")
    state: str = Field(default="open", max_length=8, description="open | closed")
    owner: Optional[str] = Field(default=None, max_length=32, description="Slack id; None when the policy names nobody")
    departments: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False),
                                   description="the departments that must answer")
    below: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    figures: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False),
                                    description="a, b, composite and item rates when it was opened")
    opened_at: datetime
    due_on: date = Field(description="company time")
    closed_at: Optional[datetime] = None
    closed_by: Optional[str] = Field(default=None, max_length=32)


class SatisfactionAnswer(SQLModel, table=True):
    """One department's answer (改进对策) to an improvement action; a later answer replaces it in
    the view, every one stays here."""

    __tablename__ = "satisfaction_answers"
    id: Optional[int] = Field(default=None, primary_key=True)
    improvement_id: int = Field(foreign_key="satisfaction_improvements.id", index=True)
    department: str = Field(max_length=40)
    answer: str = Field(sa_column=Column(Text, nullable=False))
    by: str = Field(max_length=32)
    at: datetime
    source_key: str = Field(max_length=200, unique=True)
