"""Approvals (seed 000 ULMT §5.2.5, ZYQP017 d, §6.3.2–3): the 8D approved by the quality manager
before it is sent; an AA complaint's corrective actions reviewed and approved along the policy's
chain. One row per request, approval or rejection, so the trail shows every round."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel


class Approval(SQLModel, table=True):
    __tablename__ = "approvals"
    id: Optional[int] = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="feedback_items.id", index=True)
    subject: str = Field(max_length=40, description="'8d', or 'action:<item_actions.id>'")
    stage: str = Field(max_length=20, description="a stage of the policy's approval chain: review | approve")
    decision: str = Field(max_length=12, description="requested | approved | rejected | outdated (the 8D changed after it was submitted)")
    revision: int = Field(default=1, description="the 8D revision (or the action's round) it concerns")
    reason: Optional[str] = Field(default=None, sa_column=Column(Text, nullable=True))
    by: str = Field(max_length=32)
    at: datetime
