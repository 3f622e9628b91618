"""What the customer was told, and when (seed 000 §6.2–6.3, seed 001 §4.2): the first contact and
each reply. Each is a step of its own that meets the milestone it names; the time is when it
happened (stated by the person, checked against receipt and now), `at` when it was recorded."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel


class FirstContact(SQLModel, table=True):
    __tablename__ = "first_contacts"
    id: Optional[int] = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="feedback_items.id", index=True)
    contacted_by: str = Field(max_length=32, description="the person who contacted the customer (Slack user id)")
    contacted_at: datetime
    how: str = Field(max_length=10, description="call | mail | visit | portal | meeting")
    note: Optional[str] = Field(default=None, sa_column=Column(Text, nullable=True))
    by: str = Field(max_length=32)
    at: datetime


class CustomerReply(SQLModel, table=True):
    __tablename__ = "customer_replies"
    id: Optional[int] = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="feedback_items.id", index=True)
    reply: str = Field(sa_column=Column(Text, nullable=False))
    how: str = Field(max_length=10, description="call | mail | visit | portal | meeting")
    replied_at: datetime
    by: str = Field(max_length=32)
    at: datetime
