"""stats_daily: the statistics' rollup per day and one grouping, counters as columns (issue 15)

stats_rollup has a row per received day and combination of (institution, district,
category, channel, status, outcome, accepted): where those are independent it holds nearly
a row per case (843,165 rows for 1,000,000 cases seeded by SQL), and a year's statistics
summed it in 0.9 s. stats_daily sums it per day and one grouping (`grp`: institution,
district, category, or category:district for the alerts' weekly counts), the counters as
columns: at most a row per day and value. Kept in the same upsert as stats_rollup
(hub.store.stats_rollup.write). Filled here from stats_rollup; the statement is frozen
here (not imported from live code) so that a later change of the live one does not change
what this revision did.

Revision ID: 0160
Revises: 0165
Create Date: 2026-12-02 15:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0160"
down_revision = "0165"
branch_labels = None
depends_on = None

_COUNTERS = (
    "received",
    "online",
    "accepted",
    "rejected",
    "success",
    "failure",
    "withdrawn",
    "open",
)
_SUMS = (
    "sum(n), "
    "sum(CASE WHEN channel = 'online' THEN n ELSE 0 END), "
    "sum(CASE WHEN accepted = 1 THEN n ELSE 0 END), "
    "sum(CASE WHEN status = 'rejected' THEN n ELSE 0 END), "
    "sum(CASE WHEN outcome = 'success' THEN n ELSE 0 END), "
    "sum(CASE WHEN outcome = 'failure' THEN n ELSE 0 END), "
    "sum(CASE WHEN status = 'withdrawn' THEN n ELSE 0 END), "
    "sum(CASE WHEN status IN ('accepted', 'dispatched', 'received', 'submitted', "
    "'undeliverable') THEN n ELSE 0 END)"
)
_FILL = (
    "INSERT INTO stats_daily (day, grp, value, received, online, accepted, rejected, "
    "success, failure, withdrawn, open) "
    f"SELECT day, 'institution', institution_id, {_SUMS} FROM stats_rollup "
    "GROUP BY day, institution_id "
    f"UNION ALL SELECT day, 'district', district, {_SUMS} FROM stats_rollup "
    "GROUP BY day, district "
    f"UNION ALL SELECT day, 'category', category, {_SUMS} FROM stats_rollup "
    "GROUP BY day, category "
    f"UNION ALL SELECT day, 'cat_district', category || ':' || district, {_SUMS} "
    "FROM stats_rollup GROUP BY day, category || ':' || district"
)


def upgrade() -> None:
    op.create_table(
        "stats_daily",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("grp", sa.String(length=12), nullable=False),
        sa.Column("value", sa.String(length=64), nullable=False),
        *(sa.Column(c, sa.BigInteger(), nullable=False) for c in _COUNTERS),
        sa.PrimaryKeyConstraint("day", "grp", "value"),
    )
    op.execute(_FILL)


def downgrade() -> None:
    op.drop_table("stats_daily")
