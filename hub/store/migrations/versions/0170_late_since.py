"""applications: `late_since`, and stats_daily's `late` count (issue 15)

The statistics' overdue count scanned every late deadline of the history (an EXISTS over
about 1,000,000 late deadlines at 5,000,000 cases) and then the period's cases. A case is
overdue at `now` exactly when `late_since < now`: the earliest due instant of its open
institution deadlines, or the epoch once one was met late (hub.store.stats_late, which
keeps both in every deadline write). stats_daily counts, per day and grouping, the cases
with a `late_since` (`late`); a read takes away the period's cases whose `late_since` is not
yet past, read through the new index. Filled here from the deadlines; the statements are
frozen here (not imported from live code).

Revision ID: 0170
Revises: 0180
Create Date: 2026-12-03 12:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0170"
down_revision = "0180"
branch_labels = None
depends_on = None

_EPOCH = {
    "postgresql": "timestamptz '1970-01-01 00:00:00+00'",
    "sqlite": "'1970-01-01 00:00:00.000000'",
}
_SINCE = (
    "UPDATE application SET late_since = s.since FROM ("
    "SELECT application_no, CASE WHEN max(CASE WHEN met_at > due_at THEN 1 ELSE 0 END) = 1 "
    "THEN {epoch} ELSE min(CASE WHEN met_at IS NULL THEN due_at END) END AS since "
    "FROM deadline WHERE kind <> 'referral_answer_by' GROUP BY application_no"
    ") AS s WHERE application.no = s.application_no AND s.since IS NOT NULL"
)
_DAY = {
    "postgresql": "(received_at AT TIME ZONE 'Asia/Shanghai')::date",
    "sqlite": "date(received_at, '+8 hours')",
}
_COUNTED = " UNION ALL ".join(
    "SELECT {day} AS day, '" + grp + "' AS grp, " + value + " AS value, count(*) AS n "
    "FROM application WHERE late_since IS NOT NULL GROUP BY 1, 3"
    for grp, value in (
        ("institution", "coalesce(institution_id, '(none)')"),
        ("district", "district"),
        ("category", "category"),
        ("cat_district", "category || ':' || district"),
    )
)
_LATE = (
    "UPDATE stats_daily SET late = c.n FROM (" + _COUNTED + ") AS c "
    "WHERE stats_daily.day = c.day AND stats_daily.grp = c.grp AND stats_daily.value = c.value"
)


def upgrade() -> None:
    with op.batch_alter_table("application") as batch:
        batch.add_column(sa.Column("late_since", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("stats_daily") as batch:
        batch.add_column(
            sa.Column("late", sa.BigInteger(), nullable=False, server_default=sa.text("0"))
        )
    op.create_index(
        "ix_application_late_since",
        "application",
        ["late_since", "received_at", "institution_id", "district", "category"],
    )
    dialect = op.get_bind().dialect.name
    op.execute(_SINCE.format(epoch=_EPOCH[dialect]))
    op.execute(_LATE.format(day=_DAY[dialect]))


def downgrade() -> None:
    op.drop_index("ix_application_late_since", table_name="application")
    with op.batch_alter_table("stats_daily") as batch:
        batch.drop_column("late")
    with op.batch_alter_table("application") as batch:
        batch.drop_column("late_since")
