"""outbox: a partial index of the rows still to send

The relay's claim reads unsent rows in id order. With only (sent_at, id) to go by,
PostgreSQL walks the primary key from the first row ever written and filters out every row
already sent: a claim that took 11 ms on a fresh outbox took 29 ms once 19,000 rows were
sent, and it keeps growing with the table. This index holds the pending rows alone.

Revision ID: 0030
Revises: 0020
Create Date: 2026-11-23 07:45:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0030"
down_revision = "0020"
branch_labels = None
depends_on = None

_PENDING = sa.text("sent_at IS NULL AND dead_at IS NULL")


def upgrade() -> None:
    op.create_index(
        "ix_outbox_pending",
        "outbox",
        ["id"],
        unique=False,
        postgresql_where=_PENDING,
        sqlite_where=_PENDING,
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_pending", table_name="outbox")
