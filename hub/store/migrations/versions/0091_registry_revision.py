"""registry_revision: one counter that every change of the registry moves

Every process caches the registry (routing's coverage, the delivery directory of who is
pushed how). The counter moves in the transaction of each change (registry load, approved
change), so each process notices within a second, by reading one row, and reloads; before,
another process saw a change after its cache's lifetime (30 s for delivery), and a
connector only at its next start.

Revision ID: 0091
Revises: 0111
Create Date: 2026-12-02 10:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import hub.store.types

revision = "0091"
down_revision = "0111"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "registry_revision",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("revision", sa.BigInteger(), nullable=False),
        sa.Column("changed_at", hub.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(table, [{"id": 1, "revision": 0, "changed_at": None}])


def downgrade() -> None:
    op.drop_table("registry_revision")
