"""Files a person shared with their feedback (a photo in a DM), referenced by Slack id and permalink.

Revision ID: 0007_item_files
Revises: 0006_reference_numbers
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_item_files"
down_revision = "0006_reference_numbers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("feedback_items") as batch:
        batch.add_column(sa.Column("files", sa.JSON, nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("feedback_items") as batch:
        batch.drop_column("files")
