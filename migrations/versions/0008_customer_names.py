"""A customer's name in each language people read it in ({"en": "Geely Auto", "zh": "吉利汽车"}).

Revision ID: 0008_customer_names
Revises: 0007_item_files
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_customer_names"
down_revision = "0007_item_files"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("customers") as batch:
        batch.add_column(sa.Column("names", sa.JSON, nullable=False, server_default="{}"))


def downgrade() -> None:
    with op.batch_alter_table("customers") as batch:
        batch.drop_column("names")
