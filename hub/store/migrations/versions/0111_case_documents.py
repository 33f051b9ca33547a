"""case documents served on the parties (电子送达, INTERFACE 15)

Revision ID: 0111
Revises: 0090
Create Date: 2026-12-01 23:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import hub.store.types

revision = "0111"
down_revision = "0090"
branch_labels = None
depends_on = None

_S = sqlmodel.sql.sqltypes.AutoString
_T = hub.store.types.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "case_document",
        sa.Column("id", _S(length=36), nullable=False),
        sa.Column("application_no", _S(length=24), nullable=False),
        sa.Column("institution_id", _S(length=64), nullable=False),
        sa.Column("kind", _S(length=30), nullable=False),
        sa.Column("name", _S(length=255), nullable=False),
        sa.Column("media_type", _S(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", _S(length=64), nullable=False),
        sa.Column("content_sealed", sa.Text(), nullable=False),
        sa.Column("serve_to", _S(length=12), nullable=False),
        sa.Column("served_at", _T(timezone=True), nullable=False),
        sa.Column("received_at", _T(timezone=True), nullable=True),
        sa.Column("received_by", _S(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_case_document_application_no", "case_document", ["application_no"], unique=False
    )


def downgrade() -> None:
    op.drop_table("case_document")
