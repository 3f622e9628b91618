"""The learning classifier: the company's labelled examples and the models trained on them.

Revision ID: 0011_classifier
Revises: 0010_item_links
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_classifier"
down_revision = "0010_item_links"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "classifier_examples",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("item_id", sa.Integer, sa.ForeignKey("feedback_items.id"), nullable=True, unique=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("category", sa.String(20), nullable=False),
        sa.Column("severity", sa.String(2), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("actor", sa.String(32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "classifier_models",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("examples", sa.Integer, nullable=False),
        sa.Column("company_examples", sa.Integer, nullable=False, server_default="0"),
        sa.Column("scores", sa.JSON, nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("blob", sa.LargeBinary, nullable=False),
    )
    op.create_index("ix_classifier_models_active", "classifier_models", ["active"])


def downgrade() -> None:
    op.drop_table("classifier_models")
    op.drop_table("classifier_examples")
