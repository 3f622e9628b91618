"""Satisfaction as the procedure counts it (issue 16, seed 000):

- `satisfaction_surveys.moment`: a survey per customer, year and moment (mid_year | year_end);
- `satisfaction_entries.state`, `decided_by`, `decided_at`: a manual entry counts once the quality
  manager confirmed it. Entries recorded before this revision were counted already: they stay
  confirmed (decided_by empty says nobody confirmed them in the product);
- `satisfaction_improvements` and `satisfaction_answers`: the improvement action as a tracked task.

Revision ID: 0020_satisfaction_procedure
Revises: 0019_customer_contacts
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020_satisfaction_procedure"
down_revision = "0019_customer_contacts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("satisfaction_surveys") as batch:
        batch.add_column(sa.Column("moment", sa.String(12), nullable=False, server_default="year_end"))
        batch.drop_constraint("uq_satisfaction_surveys_customer_year", type_="unique")
        batch.create_unique_constraint("uq_satisfaction_surveys_customer_year_moment", ["customer_id", "year", "moment"])
    with op.batch_alter_table("satisfaction_surveys") as batch:
        batch.alter_column("moment", server_default=None)
    with op.batch_alter_table("satisfaction_entries") as batch:
        batch.add_column(sa.Column("state", sa.String(12), nullable=False, server_default="confirmed"))
        batch.add_column(sa.Column("decided_by", sa.String(32), nullable=True))
        batch.add_column(sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("satisfaction_entries") as batch:
        batch.alter_column("state", server_default=None)
    op.create_table(
        "satisfaction_improvements",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("customer_id", sa.Integer, sa.ForeignKey("customers.id"), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("moment", sa.String(12), nullable=False),
        sa.Column("state", sa.String(8), nullable=False),
        sa.Column("owner", sa.String(32), nullable=True),
        sa.Column("departments", sa.JSON, nullable=False),
        sa.Column("below", sa.JSON, nullable=False),
        sa.Column("figures", sa.JSON, nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_on", sa.Date, nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(32), nullable=True),
    )
    op.create_index("ix_satisfaction_improvements_customer_id", "satisfaction_improvements", ["customer_id"])
    op.create_table(
        "satisfaction_answers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("improvement_id", sa.Integer, sa.ForeignKey("satisfaction_improvements.id"), nullable=False),
        sa.Column("department", sa.String(40), nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("by", sa.String(32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source_key", sa.String(200), nullable=False, unique=True),
    )
    op.create_index("ix_satisfaction_answers_improvement_id", "satisfaction_answers", ["improvement_id"])


def downgrade() -> None:
    op.drop_table("satisfaction_answers")
    op.drop_table("satisfaction_improvements")
    with op.batch_alter_table("satisfaction_entries") as batch:
        for column in ("decided_at", "decided_by", "state"):
            batch.drop_column(column)
    op.execute("DELETE FROM satisfaction_surveys WHERE moment <> 'year_end'")
    with op.batch_alter_table("satisfaction_surveys") as batch:
        batch.drop_constraint("uq_satisfaction_surveys_customer_year_moment", type_="unique")
        batch.create_unique_constraint("uq_satisfaction_surveys_customer_year", ["customer_id", "year"])
        batch.drop_column("moment")
