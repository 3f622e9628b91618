"""Reference numbers given at filing, without gaps; unconfirmed filings; draft reminders.

Revision ID: 0006_reference_numbers
Revises: 0005_lifecycle
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_reference_numbers"
down_revision = "0005_lifecycle"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reference_counters",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("value", sa.Integer, nullable=False),
    )
    with op.batch_alter_table("feedback_items") as batch:
        batch.add_column(sa.Column("number", sa.Integer, nullable=True))
        batch.add_column(sa.Column("unconfirmed", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_unique_constraint("uq_feedback_items_number", ["number"])
    # Items filed before this revision keep their ids as numbers; the counter continues after them.
    op.execute("UPDATE feedback_items SET number = id WHERE filed_at IS NOT NULL")
    op.execute("INSERT INTO reference_counters (name, value) "
               "SELECT 'VOC', COALESCE(MAX(number), 0) FROM feedback_items")


def downgrade() -> None:
    with op.batch_alter_table("feedback_items") as batch:
        batch.drop_constraint("uq_feedback_items_number", type_="unique")
        batch.drop_column("reminded_at")
        batch.drop_column("unconfirmed")
        batch.drop_column("number")
    op.drop_table("reference_counters")
