"""The first contact with the customer and the replies to the customer, each a step (issue 16).

Revision ID: 0019_customer_contacts
Revises: 0018_deadline_units
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019_customer_contacts"
down_revision = "0018_deadline_units"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "first_contacts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("item_id", sa.Integer, sa.ForeignKey("feedback_items.id"), nullable=False),
        sa.Column("contacted_by", sa.String(32), nullable=False),
        sa.Column("contacted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("how", sa.String(10), nullable=False),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("by", sa.String(32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_first_contacts_item_id", "first_contacts", ["item_id"])
    op.create_table(
        "customer_replies",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("item_id", sa.Integer, sa.ForeignKey("feedback_items.id"), nullable=False),
        sa.Column("reply", sa.Text, nullable=False),
        sa.Column("how", sa.String(10), nullable=False),
        sa.Column("replied_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_customer_replies_item_id", "customer_replies", ["item_id"])


def downgrade() -> None:
    op.drop_index("ix_customer_replies_item_id", "customer_replies")
    op.drop_table("customer_replies")
    op.drop_index("ix_first_contacts_item_id", "first_contacts")
    op.drop_table("first_contacts")
