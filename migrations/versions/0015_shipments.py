"""Shipped quantities per month (and customer), for the return rate in ppm.

Revision ID: 0015_shipments
Revises: 0014_report_indexes
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_shipments"
down_revision = "0014_report_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "shipments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("customer_id", sa.Integer, sa.ForeignKey("customers.id"), nullable=True),
        sa.Column("customer_key", sa.String(200), nullable=False, server_default=""),
        sa.Column("quantity", sa.BigInteger, nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("month", "customer_key", name="uq_shipments_month_customer"),
    )


def downgrade() -> None:
    op.drop_table("shipments")
