"""Health you can see (issue 20): `heartbeats`, one row per part that runs on its own — the worker's
last heartbeat and the scheduler's last finished sweep — read by `GET /healthz` and `voc status`.

Revision ID: 0024_health
Revises: 0023_facts_line_state
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024_health"
down_revision = "0023_facts_line_state"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "heartbeats",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("detail", sa.String(200), nullable=False, server_default=""),
    )


def downgrade() -> None:
    op.drop_table("heartbeats")
