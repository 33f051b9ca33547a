"""stats_rollup: the statistics' counters per received day, kept by triggers (issue 15)

`GET /v1/stats` counted every case of the period (10-17 µs a case on PostgreSQL). The
counters now live in `stats_rollup`, one row per Shanghai day of `received_at` and group,
changed by database triggers in the same transaction as the change they count, so every
write path (the unit of work, the import's COPY, a test's INSERT) keeps them. Rows per day:

- `institution`: key and institution_id = the case's institution (`(none)` if none); the
  unit grouping joins the registry to it;
- `district`, `category`: key = the case's district / category, per institution (a unit's
  scope filters on institution_id);
- `district_all`, `category_all`: the same over all institutions (institution_id `*`), so
  that an unscoped read sums 16 rows a day, not one per institution.

Overdue changes with time. `application.late_from` is the moment from which the case counts
as overdue: the earliest `due_at` of its unmet institution deadlines, or the epoch if one was
met late (a deadline trigger keeps it); `overdue_ever` counts cases that have one, and the
read subtracts those whose `late_from` is still ahead (an indexed range: only cases with a
clock still running). PostgreSQL: statement-level triggers over transition tables (a batch
costs one grouped upsert); SQLite: row triggers.

Revision ID: 0140
Revises: 0125
Create Date: 2026-12-02 05:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0140"
down_revision = "0125"
branch_labels = None
depends_on = None

OPEN = ("submitted", "dispatched", "received", "accepted", "undeliverable")
COUNTERS = (
    "received",
    "online",
    "accepted",
    "rejected",
    "success",
    "failure",
    "withdrawn",
    "open",
    "overdue_ever",
)
_OPEN_SQL = ", ".join(f"'{s}'" for s in OPEN)


def _flags(r: str) -> list[str]:
    """Each counter's value (0/1) for the case row `r`."""

    def flag(cond: str) -> str:
        return f"CASE WHEN {cond} THEN 1 ELSE 0 END"

    return [
        "1",
        flag(f"{r}.channel = 'online'"),
        flag(f"{r}.accepted_at IS NOT NULL"),
        flag(f"{r}.status = 'rejected'"),
        flag(f"{r}.outcome = 'success'"),
        flag(f"{r}.outcome = 'failure'"),
        flag(f"{r}.status = 'withdrawn'"),
        flag(f"{r}.status IN ({_OPEN_SQL})"),
        flag(f"{r}.late_from IS NOT NULL"),
    ]


# The columns whose change moves a case between rows or counters.
_WATCHED = (
    "received_at",
    "institution_id",
    "district",
    "category",
    "channel",
    "accepted_at",
    "status",
    "outcome",
    "late_from",
)


def _day(dialect: str, r: str) -> str:
    if dialect == "postgresql":
        return f"({r}.received_at AT TIME ZONE 'Asia/Shanghai')::date"
    return f"date({r}.received_at, '+8 hours')"


def _facts(dialect: str, r: str, sign: str) -> str:
    """One case row as (day, inst, district, category, counters * sign)."""
    values = ", ".join(f"{sign} * {v} AS {c}" for v, c in zip(_flags(r), COUNTERS, strict=True))
    return (
        f"SELECT {_day(dialect, r)} AS day, COALESCE({r}.institution_id, '(none)') AS inst,"
        f" {r}.district AS district, {r}.category AS category, {values}"
    )


def _upsert(facts: str) -> str:
    """Grouped into the five kinds of row and added to stats_rollup."""
    sums = ", ".join(f"SUM({c})" for c in COUNTERS)
    parts = [
        ("'institution'", "inst", "inst"),
        ("'district'", "district", "inst"),
        ("'category'", "category", "inst"),
        ("'district_all'", "district", "'*'"),
        ("'category_all'", "category", "'*'"),
    ]
    selects = " UNION ALL ".join(
        f"SELECT {dim} AS dim, day, {key} AS key, {inst} AS institution_id, {sums}"
        f" FROM ({facts}) f GROUP BY day, {key}" + (", inst" if inst == "inst" and key != "inst" else "")
        for dim, key, inst in parts
    )
    cols = ", ".join(COUNTERS)
    updates = ", ".join(f"{c} = stats_rollup.{c} + excluded.{c}" for c in COUNTERS)
    return (
        f"INSERT INTO stats_rollup (dim, day, key, institution_id, {cols})"
        f" SELECT * FROM ({selects}) g WHERE true ORDER BY dim, day, key, institution_id"
        f" ON CONFLICT (dim, day, key, institution_id) DO UPDATE SET {updates}"
    )


def _changed(a: str, b: str) -> str:
    return " OR ".join(f"{a}.{c} IS DISTINCT FROM {b}.{c}" for c in _WATCHED)


_LATE_PG = (
    "(SELECT MIN(CASE WHEN d.met_at IS NULL THEN d.due_at"
    " WHEN d.met_at > d.due_at THEN TIMESTAMPTZ '1970-01-01 00:00:00+00' END)"
    " FROM deadline d WHERE d.application_no = {no} AND d.kind <> 'referral_answer_by')"
)
_LATE_SQLITE = (
    "(SELECT MIN(CASE WHEN d.met_at IS NULL THEN d.due_at"
    " WHEN d.met_at > d.due_at THEN '1970-01-01 00:00:00.000000' END)"
    " FROM deadline d WHERE d.application_no = {no} AND d.kind <> 'referral_answer_by')"
)


def _postgresql() -> list[str]:
    new, old = _facts("postgresql", "n", "1"), _facts("postgresql", "o", "-1")
    # A case may be written after its deadlines (a bulk insert's table order): count them.
    on_insert = (
        f"{_upsert(f'{new} FROM new_rows n')};"
        f" UPDATE application a SET late_from = x.late FROM (SELECT n.no,"
        f" {_LATE_PG.format(no='n.no')} AS late FROM new_rows n) x"
        f" WHERE a.no = x.no AND a.late_from IS DISTINCT FROM x.late"
    )
    on_delete = _upsert(f"{old} FROM old_rows o")
    on_update = _upsert(
        f"{new} FROM new_rows n JOIN old_rows o ON o.no = n.no WHERE {_changed('n', 'o')}"
        f" UNION ALL {old} FROM new_rows n JOIN old_rows o ON o.no = n.no"
        f" WHERE {_changed('n', 'o')}"
    )
    sql = []
    for op_name, body in (("insert", on_insert), ("update", on_update), ("delete", on_delete)):
        sql.append(
            f"CREATE FUNCTION stats_rollup_{op_name}() RETURNS trigger LANGUAGE plpgsql AS $$"
            f" BEGIN {body}; RETURN NULL; END $$"
        )
    sql += [
        "CREATE TRIGGER stats_rollup_insert AFTER INSERT ON application"
        " REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT"
        " EXECUTE FUNCTION stats_rollup_insert()",
        "CREATE TRIGGER stats_rollup_update AFTER UPDATE ON application"
        " REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT"
        " EXECUTE FUNCTION stats_rollup_update()",
        "CREATE TRIGGER stats_rollup_delete AFTER DELETE ON application"
        " REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT"
        " EXECUTE FUNCTION stats_rollup_delete()",
        "CREATE FUNCTION stats_rollup_truncate() RETURNS trigger LANGUAGE plpgsql AS $$"
        " BEGIN TRUNCATE stats_rollup; RETURN NULL; END $$",
        "CREATE TRIGGER stats_rollup_truncate AFTER TRUNCATE ON application"
        " FOR EACH STATEMENT EXECUTE FUNCTION stats_rollup_truncate()",
    ]
    late = _LATE_PG.format(no="t.no")
    for op_name, rows in (
        ("insert", "SELECT application_no FROM new_rows"),
        ("update", "SELECT application_no FROM new_rows UNION SELECT application_no FROM old_rows"),
        ("delete", "SELECT application_no FROM old_rows"),
    ):
        sql.append(
            f"CREATE FUNCTION late_from_{op_name}() RETURNS trigger LANGUAGE plpgsql AS $$"
            f" BEGIN UPDATE application a SET late_from = x.late"
            f" FROM (SELECT t.no, {late} AS late FROM (SELECT DISTINCT application_no AS no"
            f" FROM ({rows}) s) t) x WHERE a.no = x.no AND a.late_from IS DISTINCT FROM x.late;"
            f" RETURN NULL; END $$"
        )
    sql += [
        "CREATE TRIGGER late_from_insert AFTER INSERT ON deadline"
        " REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION late_from_insert()",
        "CREATE TRIGGER late_from_update AFTER UPDATE ON deadline"
        " REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT"
        " EXECUTE FUNCTION late_from_update()",
        "CREATE TRIGGER late_from_delete AFTER DELETE ON deadline"
        " REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION late_from_delete()",
    ]
    return sql


def _sqlite() -> list[str]:
    new, old = _facts("sqlite", "NEW", "1"), _facts("sqlite", "OLD", "-1")
    changed = _changed("NEW", "OLD").replace("IS DISTINCT FROM", "IS NOT")

    def recount(ref: str, no: str = "application_no") -> str:
        late = _LATE_SQLITE.format(no=f"{ref}.{no}")
        return (
            f"UPDATE application SET late_from = {late}"
            f" WHERE no = {ref}.{no} AND late_from IS NOT {late};"
        )

    sql = [
        f"CREATE TRIGGER stats_rollup_insert AFTER INSERT ON application BEGIN"
        f" {_upsert(new)}; {recount('NEW', 'no')} END",
        f"CREATE TRIGGER stats_rollup_update AFTER UPDATE ON application WHEN {changed} BEGIN"
        f" {_upsert(f'{new} UNION ALL {old}')}; END",
        f"CREATE TRIGGER stats_rollup_delete AFTER DELETE ON application BEGIN"
        f" {_upsert(old)}; END",
    ]
    sql += [
        f"CREATE TRIGGER late_from_insert AFTER INSERT ON deadline BEGIN {recount('NEW')} END",
        f"CREATE TRIGGER late_from_update AFTER UPDATE OF application_no, kind, due_at, met_at"
        f" ON deadline BEGIN {recount('NEW')} {recount('OLD')} END",
        f"CREATE TRIGGER late_from_delete AFTER DELETE ON deadline BEGIN {recount('OLD')} END",
    ]
    return sql


def upgrade() -> None:
    conn = op.get_bind()
    dialect = conn.dialect.name
    with op.batch_alter_table("application") as batch:
        batch.add_column(sa.Column("late_from", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_application_late_from", "application", ["late_from"])
    op.create_table(
        "stats_rollup",
        sa.Column("dim", sa.String(16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("institution_id", sa.String(64), nullable=False),
        *(sa.Column(c, sa.BigInteger(), nullable=False, server_default="0") for c in COUNTERS),
        sa.PrimaryKeyConstraint("dim", "day", "key", "institution_id"),
    )
    late = (_LATE_PG if dialect == "postgresql" else _LATE_SQLITE).format(no="application.no")
    conn.execute(sa.text(f"UPDATE application SET late_from = {late}"))
    conn.execute(sa.text(_upsert(f"{_facts(dialect, 'a', '1')} FROM application a")))
    for statement in _postgresql() if dialect == "postgresql" else _sqlite():
        conn.execute(sa.text(statement))


def downgrade() -> None:
    conn = op.get_bind()
    pg = conn.dialect.name == "postgresql"
    for table, name, events in (
        ("application", "stats_rollup", ("insert", "update", "delete", "truncate")),
        ("deadline", "late_from", ("insert", "update", "delete")),
    ):
        for event in events:
            on = f" ON {table}" if pg else ""
            conn.execute(sa.text(f"DROP TRIGGER IF EXISTS {name}_{event}{on}"))
            if pg:
                conn.execute(sa.text(f"DROP FUNCTION IF EXISTS {name}_{event}()"))
    op.drop_table("stats_rollup")
    op.drop_index("ix_application_late_from", table_name="application")
    with op.batch_alter_table("application") as batch:
        batch.drop_column("late_from")
