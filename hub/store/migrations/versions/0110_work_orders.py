"""work orders (工单, INTERFACE 14)

Revision ID: 0110
Revises: 0085
Create Date: 2026-12-01 22:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import hub.store.types

revision = "0110"
down_revision = "0085"
branch_labels = None
depends_on = None

_S = sqlmodel.sql.sqltypes.AutoString
_T = hub.store.types.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "work_order",
        sa.Column("no", _S(length=24), nullable=False),
        sa.Column("type", _S(length=20), nullable=False),
        sa.Column("status", _S(length=20), nullable=False),
        sa.Column("application_no", _S(length=24), nullable=True),
        sa.Column("institution_id", _S(length=64), nullable=True),
        sa.Column("unit_id", _S(length=64), nullable=True),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.Column("contact_index", _S(length=64), nullable=False),
        sa.Column("reply_by", _S(length=10), nullable=False),
        sa.Column("query_code_hash", _S(length=64), nullable=False),
        sa.Column("submitted_by_role", _S(length=20), nullable=False),
        sa.Column("submitted_by_party", _S(length=64), nullable=True),
        sa.Column("created_at", _T(timezone=True), nullable=False),
        sa.Column("dispatch_by", _T(timezone=True), nullable=False),
        sa.Column("dispatched_at", _T(timezone=True), nullable=True),
        sa.Column("dispatched_by", _S(length=64), nullable=True),
        sa.Column("answer_by", _T(timezone=True), nullable=False),
        sa.Column("answered_at", _T(timezone=True), nullable=True),
        sa.Column("answered_by", _S(length=64), nullable=True),
        sa.Column("answer_sealed", sa.Text(), nullable=True),
        sa.Column("reminded_at", _T(timezone=True), nullable=True),
        sa.Column("dispatch_overdue_at", _T(timezone=True), nullable=True),
        sa.Column("overdue_at", _T(timezone=True), nullable=True),
        sa.Column("dunned_at", _T(timezone=True), nullable=True),
        sa.Column("callback_at", _T(timezone=True), nullable=True),
        sa.Column("satisfied", sa.Boolean(), nullable=True),
        sa.Column("callback_note_sealed", sa.Text(), nullable=True),
        sa.Column("help_article_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("no"),
    )
    for column in ("type", "application_no", "institution_id", "unit_id", "contact_index",
                   "created_at"):
        op.create_index(f"ix_work_order_{column}", "work_order", [column], unique=False)
    op.create_index("ix_work_order_open", "work_order", ["status", "answer_by"], unique=False)


def downgrade() -> None:
    op.drop_table("work_order")
