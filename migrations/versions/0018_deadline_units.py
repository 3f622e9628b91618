"""A deadline remembers the unit its milestone was stated in (issue 16, "working time, precisely"):
a milestone of 3 days on a working clock counts 3 working days, not 72 working hours, so the row
keeps `days` (or `months`) beside `hours`. Clocks an older release left running on a closed or
withdrawn item are stopped: no clock runs on an item that has ended.

Revision ID: 0018_deadline_units
Revises: 0017_procedure_facts
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018_deadline_units"
down_revision = "0017_procedure_facts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("deadlines") as batch:
        batch.add_column(sa.Column("days", sa.Integer, nullable=True))
        batch.add_column(sa.Column("months", sa.Integer, nullable=True))
    op.execute("UPDATE deadlines SET state = 'cancelled', next_action_at = NULL WHERE state IN ('open', 'paused') "
               "AND item_id IN (SELECT id FROM feedback_items WHERE status IN ('closed', 'withdrawn'))")


def downgrade() -> None:
    with op.batch_alter_table("deadlines") as batch:
        batch.drop_column("months")
        batch.drop_column("days")
