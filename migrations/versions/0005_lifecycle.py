"""The complaint lifecycle: assignments, status changes and one table per recorded step.

Revision ID: 0005_lifecycle
Revises: 0001
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

revision = "0005_lifecycle"
down_revision = "0001"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def _item():
    return [sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("item_id", sa.Integer, sa.ForeignKey("feedback_items.id"), nullable=False, index=True)]


def _recorded():
    return [sa.Column("by", sa.String(32), nullable=False), sa.Column("at", TZ, nullable=False)]


def upgrade() -> None:
    op.create_table(
        "item_assignments", *_item(),
        sa.Column("department", sa.String(40), nullable=False),
        sa.Column("role", sa.String(12), nullable=False),
        sa.Column("user_id", sa.String(32)),
        sa.Column("by", sa.String(32), nullable=False),
        sa.Column("since", TZ, nullable=False),
        sa.Column("until", TZ),
    )
    op.create_table(
        "status_changes", *_item(),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("from_status", sa.String(20), nullable=False),
        sa.Column("to_status", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text),
        *_recorded(),
    )
    op.create_table(
        "containments", *_item(),
        *[sa.Column(f"{where}_{what}", sa.Integer) for where in ("stock", "wip", "transit", "customer")
          for what in ("checked", "bad")],
        sa.Column("sorting_method", sa.Text, nullable=False),
        sa.Column("sorting_result", sa.Text),
        sa.Column("countermeasure", sa.Text, nullable=False),
        sa.Column("customer_informed", sa.Boolean, nullable=False),
        *_recorded(),
    )
    op.create_table(
        "root_causes", *_item(),
        sa.Column("category", sa.String(20), nullable=False),
        sa.Column("occurrence", sa.Text, nullable=False),
        sa.Column("escape", sa.Text, nullable=False),
        sa.Column("evidence", sa.Text),
        *_recorded(),
    )
    op.create_table(
        "item_actions", *_item(),
        sa.Column("type", sa.String(12), nullable=False),
        sa.Column("what", sa.Text, nullable=False),
        sa.Column("owner", sa.String(32), nullable=False),
        sa.Column("due", TZ, nullable=False),
        sa.Column("documents", sa.JSON, nullable=False),
        sa.Column("done_at", TZ),
        sa.Column("done_by", sa.String(32)),
        sa.Column("verified_at", TZ),
        sa.Column("verified_by", sa.String(32)),
        *_recorded(),
    )
    op.create_table(
        "verifications", *_item(),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("clean_lots", sa.JSON, nullable=False),
        *_recorded(),
    )
    op.create_table(
        "customer_acceptances", *_item(),
        sa.Column("accepted_by", sa.String(200), nullable=False),
        sa.Column("accepted_on", TZ, nullable=False),
        sa.Column("how", sa.String(10), nullable=False),
        *_recorded(),
    )
    op.create_table(
        "discussion_messages", *_item(),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("ts", sa.String(32), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("file_permalinks", sa.JSON, nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.UniqueConstraint("item_id", "ts"),
    )


def downgrade() -> None:
    for table in ("discussion_messages", "customer_acceptances", "verifications", "item_actions", "root_causes",
                  "containments", "status_changes", "item_assignments"):
        op.drop_table(table)
