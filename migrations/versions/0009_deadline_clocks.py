"""Deadlines get a clock's state: open / met / paused / cancelled, the next moment the tick looks at
them (reminder, escalation), their escalation level, paused time, snooze and the policy version they
were computed with; a partial index serves the tick. Outbound messages get a priority (AA first);
channels a token bucket (pacing, domain/pacing.py).

Revision ID: 0009_deadline_clocks
Revises: 0008_customer_names
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_deadline_clocks"
down_revision = "0008_customer_names"
branch_labels = None
depends_on = None

OPEN = sa.text("state = 'open'")


def upgrade() -> None:
    with op.batch_alter_table("deadlines") as batch:
        batch.add_column(sa.Column("state", sa.String(12), nullable=False, server_default="open"))
        batch.add_column(sa.Column("clock", sa.String(10), nullable=False, server_default="calendar"))
        batch.add_column(sa.Column("hours", sa.Float, nullable=False, server_default="0"))
        batch.add_column(sa.Column("remind_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("next_action_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("level", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("paused_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("paused_seconds", sa.Float, nullable=False, server_default="0"))
        batch.add_column(sa.Column("snoozed_until", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("policy_version", sa.String(16), nullable=True))
        batch.drop_index("ix_deadlines_due_open")
    # Deadlines recorded before: met ones are met; open ones are looked at when they fall due (the
    # tick then escalates; their reminder moment was never recorded).
    op.execute("UPDATE deadlines SET state = 'met' WHERE met_at IS NOT NULL")
    op.execute("UPDATE deadlines SET next_action_at = due_at, remind_at = due_at WHERE met_at IS NULL")
    op.create_index("ix_deadlines_next_action", "deadlines", ["next_action_at"], postgresql_where=OPEN, sqlite_where=OPEN)
    op.create_index("ix_deadlines_item_id", "deadlines", ["item_id"])
    with op.batch_alter_table("outbound_messages") as batch:
        batch.add_column(sa.Column("priority", sa.Integer, nullable=False, server_default="1"))
    op.create_table("channel_pace",
                    sa.Column("channel", sa.String(32), primary_key=True),
                    sa.Column("tokens", sa.Float, nullable=False),
                    sa.Column("updated", sa.Float, nullable=False))


def downgrade() -> None:
    op.drop_table("channel_pace")
    with op.batch_alter_table("outbound_messages") as batch:
        batch.drop_column("priority")
    op.drop_index("ix_deadlines_item_id", "deadlines")
    op.drop_index("ix_deadlines_next_action", "deadlines")
    with op.batch_alter_table("deadlines") as batch:
        for column in ("policy_version", "snoozed_until", "paused_seconds", "paused_at", "level", "next_action_at",
                       "remind_at", "hours", "clock", "state"):
            batch.drop_column(column)
        batch.create_index("ix_deadlines_due_open", ["due_at", "met_at"])
