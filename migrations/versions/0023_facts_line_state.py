"""The facts of the record (issue 18):

- `feedback_items.line_state`: stopped | about_to_stop | running (NULL: not said). A threatened stop
  is not a stop; `line_stopped` stays, true only when the line is stopped. Items recorded as
  stopped before this revision keep "stopped".
- `feedback_items.checked_quantity`: of how many checked ("3 of 500": quantity 3, checked 500).
- `feedback_items.quantity_text`: the words a worked-out count came from ("大概两箱，每箱200条").

Revision ID: 0023_facts_line_state
Revises: 0020_satisfaction_procedure
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023_facts_line_state"
down_revision = "0021_bigint_counts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("feedback_items") as batch:
        batch.add_column(sa.Column("line_state", sa.String(16), nullable=True))
        batch.add_column(sa.Column("checked_quantity", sa.Integer, nullable=True))
        batch.add_column(sa.Column("quantity_text", sa.String(200), nullable=True))
    op.execute(sa.text("UPDATE feedback_items SET line_state = 'stopped' WHERE line_stopped"))


def downgrade() -> None:
    with op.batch_alter_table("feedback_items") as batch:
        batch.drop_column("quantity_text")
        batch.drop_column("checked_quantity")
        batch.drop_column("line_state")
