"""throttle_event: guesses and sign-ins counted per client, across every process

Public look-ups and sign-ins were not throttled at all. Each counted event is a row: the
client (a keyed digest of its address), the kind, the number guessed at, the time;
`hub.services.throttle` reads a client's recent rows to decide, and the retention purge
deletes rows older than a day.

Revision ID: 0087
Revises: 0086
Create Date: 2026-12-02 11:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import hub.store.types

revision = "0087"
down_revision = "0086"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "throttle_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("at", hub.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_throttle_event_client", "throttle_event", ["client", "kind", "at"])
    op.create_index("ix_throttle_event_subject", "throttle_event", ["client", "subject", "at"])
    op.create_index("ix_throttle_event_at", "throttle_event", ["at"])


def downgrade() -> None:
    op.drop_index("ix_throttle_event_at", table_name="throttle_event")
    op.drop_index("ix_throttle_event_subject", table_name="throttle_event")
    op.drop_index("ix_throttle_event_client", table_name="throttle_event")
    op.drop_table("throttle_event")
