"""stats_rollup: cases per received day and group, kept in the write path (issue 15)

`GET /v1/stats` counted every case of the period. Its counters now sum `stats_rollup`, one
row per Shanghai day of `received_at` and (institution, district, category, channel,
status, outcome, accepted) with the number of cases `n`. The write path keeps it in the
unit of work of each change (hub.store.stats_rollup): no triggers (migration 0140's cost
PostgreSQL 5-6x the CPU per application). Filled here from the cases already stored; the
statement is frozen here (not imported from live code, hub.store.stats_rollup.fill_sql) so
that a later change of the live one does not change what this revision did.

Revision ID: 0155
Revises: 0125
Create Date: 2026-12-02 13:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0155"
down_revision = "0125"
branch_labels = None
depends_on = None

#: The Shanghai day of `received_at`: SQLite stores it as UTC text, and Shanghai has no DST.
_DAY = {
    "postgresql": "(received_at AT TIME ZONE 'Asia/Shanghai')::date",
    "sqlite": "date(received_at, '+8 hours')",
}
#: Each stored case once under its key; a case with no institution under '(none)'.
_FILL = (
    "INSERT INTO stats_rollup (day, institution_id, district, category, channel, status, "
    "outcome, accepted, n) "
    "SELECT {day}, coalesce(institution_id, '(none)'), district, category, channel, status, "
    "coalesce(outcome, ''), CASE WHEN accepted_at IS NULL THEN 0 ELSE 1 END, count(*) "
    "FROM application GROUP BY 1, 2, 3, 4, 5, 6, 7, 8"
)


def upgrade() -> None:
    op.create_table(
        "stats_rollup",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("institution_id", sa.String(length=64), nullable=False),
        sa.Column("district", sa.String(length=6), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("accepted", sa.Integer(), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "day",
            "institution_id",
            "district",
            "category",
            "channel",
            "status",
            "outcome",
            "accepted",
        ),
    )
    op.execute(_FILL.format(day=_DAY[op.get_bind().dialect.name]))


def downgrade() -> None:
    op.drop_table("stats_rollup")
