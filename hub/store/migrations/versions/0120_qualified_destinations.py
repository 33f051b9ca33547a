"""outbox destinations qualified by the kind of party (issue 12, item 3)

A destination was a bare id, and routing looked it up in the registry first: an institution
registered as `notify` received every applicant notice, one registered as `portal-b` that
portal's messages, and its token read them in its feed. Destinations now name the kind of
party (`institution:<id>`, `unit:<id>`, `portal:<id>`, `hub:notify`, `hub:admin`;
hub.domain.destinations). The columns widen to hold the kind, and stored destinations are
rewritten: the hub's own names first (so a registry entry that took one of them gets
nothing of the hub's), then institutions, then units, and whatever else a portal, as the
older build routed it. Feed numbers (`party_seq`) are kept: each destination maps to one.

Revision ID: 0120
Revises: 0151
Create Date: 2026-12-02 01:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0120"
down_revision = "0151"
branch_labels = None
depends_on = None

_COLUMNS = (("outbox", "destination"), ("outbox_pending", "destination"), ("party_sequence", "party"))
_DEAD = sa.text("dead_at IS NOT NULL")


def _qualified(table: str, column: str) -> str:
    return (
        f"UPDATE {table} SET {column} = CASE"
        f" WHEN {column} = 'notify' THEN 'hub:notify'"
        f" WHEN {column} = 'admin' THEN 'hub:admin'"
        f" WHEN {column} = 'databureau' THEN 'hub:databureau'"
        f" WHEN {column} IN (SELECT id FROM institution) THEN 'institution:' || {column}"
        f" WHEN {column} IN (SELECT id FROM unit) THEN 'unit:' || {column}"
        f" ELSE 'portal:' || {column} END"
        f" WHERE {column} NOT LIKE 'institution:%' AND {column} NOT LIKE 'unit:%'"
        f" AND {column} NOT LIKE 'portal:%' AND {column} NOT LIKE 'hub:%'"
    )


def _widen(length: int, before: int) -> None:
    # the partial index does not survive SQLite's table copy: made again after it
    op.drop_index("ix_outbox_dead", table_name="outbox")
    for table, column in _COLUMNS:
        with op.batch_alter_table(table) as batch:
            batch.alter_column(
                column,
                type_=sa.String(length),
                existing_type=sa.String(before),
                existing_nullable=False,
            )
    op.create_index(
        "ix_outbox_dead", "outbox", ["id"], postgresql_where=_DEAD, sqlite_where=_DEAD
    )


def upgrade() -> None:
    _widen(100, 64)
    conn = op.get_bind()
    for table, column in _COLUMNS:
        conn.execute(sa.text(_qualified(table, column)))


def downgrade() -> None:
    conn = op.get_bind()
    for table, column in _COLUMNS:
        for prefix in ("institution:", "unit:", "portal:", "hub:"):
            conn.execute(
                sa.text(
                    f"UPDATE {table} SET {column} = substr({column}, {len(prefix) + 1})"
                    f" WHERE {column} LIKE '{prefix}%'"
                )
            )
    _widen(64, 100)
