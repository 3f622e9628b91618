"""Field service (seed 000 §8.5 现场服务报告, seed 003 《售后服务记录》, seed 004 §5.2): an engineer's visit to
the customer's site for a complaint — who went, where, when it was asked for, when they arrived and
came back, what they found, and the customer's signature on the report. Each moment is stated by the
person (checked against the complaint's receipt and now); `*_by` is who recorded it."""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field, SQLModel


class FieldVisit(SQLModel, table=True):
    __tablename__ = "field_visits"
    id: Optional[int] = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="feedback_items.id", index=True)
    state: str = Field(default="requested", max_length=16, description="requested | on_site | returned | report_signed")
    engineers: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False),
                                 description="who goes (Slack user ids)")
    site: str = Field(sa_column=Column(Text, nullable=False), description="where: the customer's plant, line, address")
    province: Optional[str] = Field(default=None, max_length=60, description="the site's province or region")
    in_home_province: bool = Field(default=False, description="the site is in the company's home province (1 working day)")
    requested_at: datetime
    requested_by: str = Field(max_length=32)
    arrived_at: Optional[datetime] = None
    returned_at: Optional[datetime] = None
    findings: Optional[str] = Field(default=None, sa_column=Column(Text, nullable=True))
    signed_by: Optional[str] = Field(default=None, max_length=200, description="the customer's person who signed the report")
    signed_on: Optional[date] = None
    report_at: Optional[datetime] = Field(default=None, description="when the signed report was handed in (recorded)")
    updated_by: str = Field(max_length=32)
    updated_at: datetime
