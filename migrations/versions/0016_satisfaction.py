"""Customer satisfaction: the yearly survey per customer and the manually recorded events.

Revision ID: 0016_satisfaction
Revises: 0015_shipments
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_satisfaction"
down_revision = "0015_shipments"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "satisfaction_surveys",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("customer_id", sa.Integer, sa.ForeignKey("customers.id"), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("answers", sa.JSON, nullable=False),
        sa.Column("recorded_by", sa.String(32), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("customer_id", "year", name="uq_satisfaction_surveys_customer_year"),
    )
    op.create_table(
        "satisfaction_entries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("customer_id", sa.Integer, sa.ForeignKey("customers.id"), nullable=False),
        sa.Column("rule", sa.String(40), nullable=False),
        sa.Column("on", sa.Date, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("recorded_by", sa.String(32), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source_key", sa.String(200), nullable=False, unique=True),
    )
    op.create_index("ix_satisfaction_entries_customer_id", "satisfaction_entries", ["customer_id"])


def downgrade() -> None:
    op.drop_table("satisfaction_entries")
    op.drop_table("satisfaction_surveys")
