"""What a draft's proposal offers: known customers the typed name may mean, or the item it may
duplicate.

Revision ID: 0012_item_offers
Revises: 0011_classifier
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_item_offers"
down_revision = "0011_classifier"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("feedback_items", sa.Column("offers", sa.JSON, nullable=False, server_default="{}"))


def downgrade() -> None:
    op.drop_column("feedback_items", "offers")
