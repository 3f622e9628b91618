"""The procedure's facts of a complaint and its approvals (issue 16).

- `problem_severity`: how serious the problem is (the classifier's or a person's grade, LABELING.md);
  `severity` stays the level that drives deadlines and escalation, derived from the problem's
  severity and the customer's `urgency` (seed 001 §4.2b).
- `urgency`: what the customer demands (normal | urgent | very_urgent), and where it came from.
- `wants_8d`: whether the customer asks for an 8D report (None: not known yet), and where from.
- `approvals`: each request, approval and rejection of an 8D or a corrective action, by stage.

Revision ID: 0017_procedure_facts
Revises: 0016_satisfaction
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_procedure_facts"
down_revision = "0016_satisfaction"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("feedback_items") as batch:
        batch.add_column(sa.Column("problem_severity", sa.String(2), nullable=True))
        batch.add_column(sa.Column("urgency", sa.String(12), nullable=False, server_default="normal"))
        batch.add_column(sa.Column("urgency_source", sa.String(12), nullable=True))
        batch.add_column(sa.Column("wants_8d", sa.Boolean, nullable=True))
        batch.add_column(sa.Column("wants_8d_source", sa.String(12), nullable=True))
    op.execute("UPDATE feedback_items SET problem_severity = severity")
    op.create_table(
        "approvals",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("item_id", sa.Integer, sa.ForeignKey("feedback_items.id"), nullable=False),
        sa.Column("subject", sa.String(40), nullable=False),
        sa.Column("stage", sa.String(20), nullable=False),
        sa.Column("decision", sa.String(12), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False, server_default="1"),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("by", sa.String(32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_approvals_item_id", "approvals", ["item_id"])


def downgrade() -> None:
    op.drop_index("ix_approvals_item_id", "approvals")
    op.drop_table("approvals")
    with op.batch_alter_table("feedback_items") as batch:
        for column in ("wants_8d_source", "wants_8d", "urgency_source", "urgency", "problem_severity"):
            batch.drop_column(column)
