"""Customer records (issue 19): the account's backup (its successor), restricted yes/no, and the rest of
the record — report language, account team, contacts, the customer's own requirements — as the
policy's customer entry holds it. The policy seeds it; after that the database is the truth.

Revision ID: 0025_customer_records
Revises: 0024_health
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0025_customer_records"
down_revision = "0024_health"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("customers") as batch:  # batch: SQLite rebuilds the table
        batch.add_column(sa.Column("account_backup", sa.String(32), nullable=True))
        batch.add_column(sa.Column("restricted", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("profile", sa.JSON, nullable=False, server_default="{}"))


def downgrade() -> None:
    with op.batch_alter_table("customers") as batch:
        batch.drop_column("profile")
        batch.drop_column("restricted")
        batch.drop_column("account_backup")
