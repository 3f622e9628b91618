"""Quantities and containment counts as BIGINT (issue 17): "3,000,000,000 pcs" was acknowledged, then
refused by an INTEGER column three times. The allowed range is domain/counts.py's; these columns hold it.

Revision ID: 0021_bigint_counts
Revises: 0020_satisfaction_procedure
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021_bigint_counts"
down_revision = "0020_satisfaction_procedure"
branch_labels = None
depends_on = None

COUNTS = {
    "feedback_items": ("quantity",),
    "containments": tuple(f"{place}_{what}" for place in ("stock", "wip", "transit", "customer") for what in ("checked", "bad")),
}


def upgrade() -> None:
    for table, columns in COUNTS.items():
        with op.batch_alter_table(table) as batch:  # SQLite: the table is copied; PostgreSQL: ALTER COLUMN … TYPE
            for column in columns:
                batch.alter_column(column, type_=sa.BigInteger(), existing_type=sa.Integer(), existing_nullable=True)


def downgrade() -> None:
    for table, columns in COUNTS.items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.alter_column(column, type_=sa.Integer(), existing_type=sa.BigInteger(), existing_nullable=True)
