"""calendar: years loaded from schedule files; what each deadline counts

`calendar_year` holds the holidays and adjusted workdays of years the installed
`chinese-calendar` does not know (`hub calendar load`). Each deadline now keeps what it
counts (`counted_from`, `working_days`), so that a provisional one can be counted again
when its year becomes known. Open deadlines written before this revision get
`counted_from` from their case's dispatch (or their referral's request); their
`working_days` is worked out from the calendar they were counted on when first needed.

Revision ID: 0060
Revises: 0050
Create Date: 2026-12-01 21:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import hub.store.types

revision = "0060"
down_revision = "0050"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_year",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("holidays", sa.JSON(), nullable=False),
        sa.Column("workdays", sa.JSON(), nullable=False),
        sa.Column("loaded_at", hub.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("loaded_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint("year"),
    )
    with op.batch_alter_table("deadline") as batch:
        batch.add_column(
            sa.Column("counted_from", hub.store.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch.add_column(sa.Column("working_days", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE deadline SET counted_from = (SELECT a.dispatched_at FROM application a "
        "WHERE a.no = deadline.application_no) "
        "WHERE met_at IS NULL AND kind <> 'referral_answer_by'"
    )
    op.execute(
        "UPDATE deadline SET counted_from = (SELECT MAX(r.created_at) FROM referral r "
        "WHERE r.application_no = deadline.application_no "
        "AND r.target_id = deadline.institution_id) "
        "WHERE met_at IS NULL AND kind = 'referral_answer_by'"
    )


def downgrade() -> None:
    with op.batch_alter_table("deadline") as batch:
        batch.drop_column("working_days")
        batch.drop_column("counted_from")
    op.drop_table("calendar_year")
