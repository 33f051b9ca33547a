"""outbox: index the dead letters, not every row by sent_at

`ix_outbox_unsent (sent_at, id)` held every row of the outbox, so every application's three
outbox rows and every relay mark updated it, yet no query needs it any more: the relay's
claim and its lag read the pending rows through `ix_outbox_pending` (0030). What did lean on
`sent_at` was looking for dead letters (the operators' list and replay, the dead-letter
gauge), which scanned the whole table; they get a partial index of the dead rows alone.

Revision ID: 0040
Revises: 0030
Create Date: 2026-11-23 10:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0040"
down_revision = "0030"
branch_labels = None
depends_on = None

_DEAD = sa.text("dead_at IS NOT NULL")


def upgrade() -> None:
    op.create_index(
        "ix_outbox_dead",
        "outbox",
        ["id"],
        unique=False,
        postgresql_where=_DEAD,
        sqlite_where=_DEAD,
    )
    op.drop_index("ix_outbox_unsent", table_name="outbox")


def downgrade() -> None:
    op.create_index("ix_outbox_unsent", "outbox", ["sent_at", "id"], unique=False)
    op.drop_index("ix_outbox_dead", table_name="outbox")
