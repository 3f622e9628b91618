"""Returned goods (RMA) and claims of a complaint (seed 004 §5.2.3, seed 001 出差.退換品信息表, seed 000
超额运费). Each row holds where its record stands now; every change is an audit event of the
complaint it belongs to (domain/lifecycle/records.py writes both in the step's transaction)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Optional

from sqlalchemy import BigInteger, Column, Numeric, Text
from sqlmodel import Field, SQLModel

# 12 digits before the point, 2 after: any claim a supplier sees, and never a float.
MONEY = Numeric(14, 2)


class ReturnedGoods(SQLModel, table=True):
    __tablename__ = "returns"
    id: Optional[int] = Field(default=None, primary_key=True)
    item_id: Optional[int] = Field(default=None, foreign_key="feedback_items.id", index=True,
                                   description="the complaint it belongs to; none when it stands alone")
    customer_id: Optional[int] = Field(default=None, foreign_key="customers.id", index=True)
    quantity: int = Field(sa_column=Column(BigInteger, nullable=False), description="pieces returned (domain/counts.py)")
    received_on: date = Field(index=True, description="the day the goods arrived (company time)")
    state: str = Field(max_length=16, description="received | inspected | dispositioned | closed")
    inspection: Optional[str] = Field(default=None, max_length=16, description="confirmed | not_confirmed | no_fault_found")
    disposition: Optional[str] = Field(default=None, max_length=20, description="scrap | rework | return_to_customer | replace")
    shipped: Optional[str] = Field(default=None, max_length=12, description="credit | replacement | none")
    shipped_on: Optional[date] = None
    note: Optional[str] = Field(default=None, sa_column=Column(Text, nullable=True))
    by: str = Field(max_length=32)
    at: datetime
    updated_at: datetime


class Claim(SQLModel, table=True):
    __tablename__ = "claims"
    id: Optional[int] = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="feedback_items.id", index=True)
    customer_id: Optional[int] = Field(default=None, foreign_key="customers.id", index=True)
    type: str = Field(max_length=20, description="chargeback | sorting | premium_freight | line_stop | warranty")
    amount: Decimal = Field(sa_column=Column(MONEY, nullable=False), description="what the customer claims")
    currency: str = Field(max_length=3, description="ISO 4217, upper case")
    accepted_amount: Optional[Decimal] = Field(default=None, sa_column=Column(MONEY, nullable=True),
                                               description="what the company accepted (all of it, part, or 0 when rejected)")
    state: str = Field(max_length=20, description="received | under_review | accepted | rejected | partially_accepted | paid")
    received_on: date = Field(index=True, description="the day the claim came in (company time)")
    paid_on: Optional[date] = None
    note: Optional[str] = Field(default=None, sa_column=Column(Text, nullable=True))
    by: str = Field(max_length=32)
    at: datetime
    updated_at: datetime
