"""privacy: consent grants for the data bureau's unmasked reads

Revision ID: 0020
Revises: 0010
Create Date: 2026-11-24 04:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import hub.store.types

revision = "0020"
down_revision = "0010"
branch_labels = None
depends_on = None

_S = sqlmodel.sql.sqltypes.AutoString
_TS = hub.store.types.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "consent_grant",
        sa.Column("id", _S(length=36), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("scope", sa.JSON(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("expiry", _TS(timezone=True), nullable=False),
        sa.Column("approver", _S(length=200), nullable=False),
        sa.Column("grantee", _S(length=64), nullable=True),
        sa.Column("consent_reference", _S(length=500), nullable=True),
        sa.Column("status", _S(length=10), nullable=False),
        sa.Column("requested_by_role", _S(length=20), nullable=False),
        sa.Column("requested_by_party", _S(length=64), nullable=True),
        sa.Column("requested_by_token", _S(length=36), nullable=False),
        sa.Column("approved_by_party", _S(length=64), nullable=True),
        sa.Column("approved_by_token", _S(length=36), nullable=True),
        sa.Column("created_at", _TS(timezone=True), nullable=False),
        sa.Column("approved_at", _TS(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_consent_grant_status", "consent_grant", ["status"])


def downgrade() -> None:
    op.drop_index("ix_consent_grant_status", table_name="consent_grant")
    op.drop_table("consent_grant")
