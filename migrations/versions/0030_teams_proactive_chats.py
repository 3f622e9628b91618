"""Teams proactive messages and files (issue 21): `teams_chats`, each Teams person's personal chat with
the bot, remembered once Teams made it; `shared_files`, the files a Teams message links to, served by
`voc web` at an unguessable address until they expire (docs/teams.md, Proactive messages and files).

Revision ID: 0030_teams_proactive_chats
Revises: 0029_teams_dm_conversation
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0030_teams_proactive_chats"
down_revision = "0029_teams_dm_conversation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "teams_chats",
        sa.Column("person", sa.String(32), primary_key=True),
        sa.Column("conversation", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "shared_files",
        sa.Column("token", sa.String(64), primary_key=True),
        sa.Column("key", sa.String(300), nullable=False, unique=True),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("shared_files")
    op.drop_table("teams_chats")
