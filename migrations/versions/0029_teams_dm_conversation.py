"""The DM conversation on Teams: a conversation's chat is Teams' personal chat (`a:1…`, ~100
characters), so `conversations.channel_id` is as wide as the other platform addresses (0028).

Revision ID: 0029_teams_dm_conversation
Revises: 0028_platform
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0029_teams_dm_conversation"
down_revision = "0028_platform"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.alter_column("channel_id", type_=sa.String(200), existing_type=sa.String(32), existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.alter_column("channel_id", type_=sa.String(32), existing_type=sa.String(200), existing_nullable=False)
