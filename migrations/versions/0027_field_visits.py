"""Field service visits (issue 19): `field_visits`, one row per visit to a customer's site for a
complaint. Their deadlines (arrival, signed report) are rows of `deadlines` like every milestone.

Revision ID: 0027_field_visits
Revises: 0024_health
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0027_field_visits"
down_revision = "0026_returns_claims"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "field_visits",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("item_id", sa.Integer, sa.ForeignKey("feedback_items.id"), nullable=False),
        sa.Column("state", sa.String(16), nullable=False, server_default="requested"),
        sa.Column("engineers", sa.JSON, nullable=False),
        sa.Column("site", sa.Text, nullable=False),
        sa.Column("province", sa.String(60), nullable=True),
        sa.Column("in_home_province", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("requested_by", sa.String(32), nullable=False),
        sa.Column("arrived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("returned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("findings", sa.Text, nullable=True),
        sa.Column("signed_by", sa.String(200), nullable=True),
        sa.Column("signed_on", sa.Date, nullable=True),
        sa.Column("report_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_by", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_field_visits_item_id", "field_visits", ["item_id"])


def downgrade() -> None:
    op.drop_index("ix_field_visits_item_id", "field_visits")
    op.drop_table("field_visits")
