"""Returned goods and claims of a complaint (issue 19): `returns` and `claims`.

Revision ID: 0026_returns_claims
Revises: 0024_health
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0026_returns_claims"
down_revision = "0025_customer_records"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "returns",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("item_id", sa.Integer, sa.ForeignKey("feedback_items.id"), nullable=True),
        sa.Column("customer_id", sa.Integer, sa.ForeignKey("customers.id"), nullable=True),
        sa.Column("quantity", sa.BigInteger, nullable=False),
        sa.Column("received_on", sa.Date, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("inspection", sa.String(16), nullable=True),
        sa.Column("disposition", sa.String(20), nullable=True),
        sa.Column("shipped", sa.String(12), nullable=True),
        sa.Column("shipped_on", sa.Date, nullable=True),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("by", sa.String(32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_returns_item_id", "returns", ["item_id"])
    op.create_index("ix_returns_customer_id", "returns", ["customer_id"])
    op.create_index("ix_returns_received_on", "returns", ["received_on"])
    op.create_table(
        "claims",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("item_id", sa.Integer, sa.ForeignKey("feedback_items.id"), nullable=False),
        sa.Column("customer_id", sa.Integer, sa.ForeignKey("customers.id"), nullable=True),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("amount", sa.Numeric(14, 2), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("accepted_amount", sa.Numeric(14, 2), nullable=True),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("received_on", sa.Date, nullable=False),
        sa.Column("paid_on", sa.Date, nullable=True),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("by", sa.String(32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_claims_item_id", "claims", ["item_id"])
    op.create_index("ix_claims_customer_id", "claims", ["customer_id"])
    op.create_index("ix_claims_received_on", "claims", ["received_on"])


def downgrade() -> None:
    op.drop_table("claims")
    op.drop_table("returns")
