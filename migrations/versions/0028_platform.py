"""Teams beside Slack (issue 21): an item and each outgoing message name the platform they live on,
and the columns holding a platform's addresses are wide enough for Teams' (a channel is
`19:…@thread.tacv2`, a personal chat `a:1…`, ~100 characters; Slack's ids are 11).

Revision ID: 0028_platform
Revises: 0024_health
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0028_platform"
down_revision = "0027_field_visits"
branch_labels = None
depends_on = None

ADDRESS = 200
# table → the columns that hold a platform's address (a conversation, a message in it, a person)
ADDRESSES = {
    "outbound_messages": ("channel", "user", "ts", "result_ts"),
    "feedback_items": ("source_channel", "source_message_ts", "channel_id", "thread_ts"),
    "channel_pace": ("channel",),
}
WITH_PLATFORM = ("outbound_messages", "feedback_items")


def upgrade() -> None:
    for table, columns in ADDRESSES.items():
        with op.batch_alter_table(table) as batch:  # SQLite: the table is copied; PostgreSQL: ALTER COLUMN … TYPE
            for column in columns:
                batch.alter_column(column, type_=sa.String(ADDRESS), existing_type=sa.String(32))
            if table in WITH_PLATFORM:
                batch.add_column(sa.Column("platform", sa.String(8), nullable=False, server_default="slack"))


def downgrade() -> None:
    for table, columns in ADDRESSES.items():
        with op.batch_alter_table(table) as batch:
            if table in WITH_PLATFORM:
                batch.drop_column("platform")
            for column in columns:
                batch.alter_column(column, type_=sa.String(32), existing_type=sa.String(ADDRESS))
