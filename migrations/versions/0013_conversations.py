"""DM conversations: the bot asks one question at a time for what a message left out.

Revision ID: 0013_conversations
Revises: 0012_item_offers
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_conversations"
down_revision = "0012_item_offers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conversations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("item_id", sa.Integer, sa.ForeignKey("feedback_items.id"), nullable=False, unique=True),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("channel_id", sa.String(32), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("asking", sa.String(20), nullable=True),
        sa.Column("asked", sa.Integer, nullable=False, server_default="0"),
        sa.Column("answered", sa.JSON, nullable=False, server_default="[]"),
        sa.Column("choices", sa.JSON, nullable=False, server_default="[]"),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_conversations_open", "conversations", ["user_id", "channel_id", "state"])


def downgrade() -> None:
    op.drop_table("conversations")
