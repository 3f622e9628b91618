"""Indexes the period reports read by: receipt, due and met moments, closings by moment.

Revision ID: 0014_report_indexes
Revises: 0013_conversations
"""
from __future__ import annotations

from alembic import op

revision = "0014_report_indexes"
down_revision = "0013_conversations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_feedback_items_received_at", "feedback_items", ["received_at"])
    op.create_index("ix_deadlines_due_at", "deadlines", ["due_at"])
    op.create_index("ix_deadlines_met_at", "deadlines", ["met_at"])
    op.create_index("ix_status_changes_to_status_at", "status_changes", ["to_status", "at"])


def downgrade() -> None:
    op.drop_index("ix_status_changes_to_status_at", "status_changes")
    op.drop_index("ix_deadlines_met_at", "deadlines")
    op.drop_index("ix_deadlines_due_at", "deadlines")
    op.drop_index("ix_feedback_items_received_at", "feedback_items")
