"""Tables the reports read besides the items: shipped quantities (for the return rate in ppm)."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import BigInteger, Column, UniqueConstraint
from sqlmodel import Field, SQLModel


class Shipment(SQLModel, table=True):
    """Quantity shipped in a month, to one customer or (customer_key "") to all of them; imported
    from the ERP's CSV by `voc import shipments`. Importing a month again replaces its figure."""

    __tablename__ = "shipments"
    __table_args__ = (UniqueConstraint("month", "customer_key", name="uq_shipments_month_customer"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    month: str = Field(max_length=7, description="YYYY-MM, company time")
    customer_id: Optional[int] = Field(default=None, foreign_key="customers.id")
    customer_key: str = Field(default="", max_length=200, description="the customer's normalized name; '' for all")
    quantity: int = Field(sa_column=Column(BigInteger, nullable=False))
    imported_at: datetime
