"""Links between items: a repeat occurrence points at the earlier items it repeats.

Revision ID: 0010_item_links
Revises: 0009_deadline_clocks
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_item_links"
down_revision = "0009_deadline_clocks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "item_links",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("item_id", sa.Integer, sa.ForeignKey("feedback_items.id"), nullable=False),
        sa.Column("other_id", sa.Integer, sa.ForeignKey("feedback_items.id"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("item_id", "other_id", "kind"),
    )
    op.create_index("ix_item_links_item_id", "item_links", ["item_id"])
    op.create_index("ix_item_links_other_id", "item_links", ["other_id"])


def downgrade() -> None:
    op.drop_table("item_links")
