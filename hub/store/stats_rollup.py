"""The statistics' rollup (`stats_rollup`), kept in the write path (issue 15).

A case counts once under its key: the Shanghai day of `received_at` and its institution,
district, category, channel, status, outcome and whether it was accepted. Every change is
added in the unit of work that makes it, as deltas per key, then one upsert per touched key
(`n = n + excluded.n`, on SQLite and PostgreSQL alike):

- rows the write buffer inserts (intake's group-commit batches, the import): `add_rows`,
  from `WriteBuffer.flush`;
- a case step's change (`hub.store.cases.save`, the one way a stored case changes): old
  key -1 and new key +1 when they differ.

Cases are never changed as ORM objects (`hub.domain.case.Case` is their one shape), so no
ORM hook keeps it; a raw UPDATE or DELETE of key columns would leave it behind.

The same upsert keeps `stats_daily` (migration 0160): the deltas summed per day and one
grouping (institution, district, category, category:district), the counters as columns,
which is what a long period's statistics and the alerts' weekly counts read.

Triggers did this before (migration 0140, reverted): they cost PostgreSQL 5-6x the CPU per
application. Here a batch of 64 applications costs one executemany of a few keys.
benchmarks/seed_sql.py (reads_volume.py --seed-sql) fills it with `fill_sql`; migration
0155 holds its own frozen copy of that statement.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from hub.domain.calendar import SHANGHAI
from hub.domain.status import OPEN_STATUSES
from hub.store.models_ops import StatsDaily, StatsRollup
from hub.store.types import as_utc

NONE_KEY = "(none)"
#: The application columns a key is made of.
COLUMNS = (
    "received_at",
    "institution_id",
    "district",
    "category",
    "channel",
    "status",
    "outcome",
    "accepted_at",
)
KEY_NAMES = (
    "day",
    "institution_id",
    "district",
    "category",
    "channel",
    "status",
    "outcome",
    "accepted",
)
Key = tuple[date, str, str, str, str, str, str, int]

_T = StatsRollup.__table__  # type: ignore[attr-defined]
_DAILY = StatsDaily.__table__  # type: ignore[attr-defined]
#: stats_daily's groupings (`grp`) and the counters it keeps per day and value.
GROUPS = ("institution", "district", "category", "cat_district")
COUNTERS = ("received", "online", "accepted", "rejected", "success", "failure", "withdrawn", "open")
#: stats_daily's count of cases with a `late_since` (migration 0170, hub.store.stats_late):
#: not a function of stats_rollup's key, so kept beside COUNTERS, from its own deltas.
LATE = "late"
#: (Shanghai day received, institution, district, category): what a late count is kept by.
LateKey = tuple[date, str, str, str]
_OPEN = frozenset(str(s) for s in OPEN_STATUSES)


def key_of(values: Mapping[str, Any]) -> Key:
    received = as_utc(values["received_at"])
    assert received is not None
    return (
        received.astimezone(SHANGHAI).date(),
        values.get("institution_id") or NONE_KEY,
        values["district"],
        values["category"],
        values["channel"],
        values["status"],
        values.get("outcome") or "",
        0 if values.get("accepted_at") is None else 1,
    )


def add_rows(deltas: dict[Key, int], rows: Iterable[Mapping[str, Any]]) -> None:
    for row in rows:
        deltas[key_of(row)] += 1


def write(
    conn: Connection, deltas: Mapping[Key, int], late: Mapping[LateKey, int] | None = None
) -> None:
    """One upsert per touched key, in key order (concurrent batches lock alike); `late`:
    cases that got (+1) or lost (-1) a `late_since` (hub.store.stats_late). On PostgreSQL
    each table's upsert is one statement over arrays (`unnest`), not one execution per
    key: an import batch touches about five keys a case."""
    touched = sorted((k, n) for k, n in deltas.items() if n)
    daily = daily_deltas(deltas, late)
    if not touched and not daily:
        return
    if conn.dialect.name == "postgresql":
        if touched:
            keys = [list(column) for column in zip(*(k for k, _ in touched), strict=True)]
            conn.exec_driver_sql(_ROLLUP_PG, (*keys, [n for _, n in touched]))
        if daily:
            columns = ("day", "grp", "value", *COUNTERS, LATE)
            conn.exec_driver_sql(_DAILY_PG, tuple([r[c] for r in daily] for c in columns))
        return
    rollup, per_day = _upserts(conn.dialect.name)
    if touched:
        conn.execute(rollup, [dict(zip(KEY_NAMES, k, strict=True), n=n) for k, n in touched])
    if daily:
        conn.execute(per_day, daily)


_ROLLUP_PG = (
    f"INSERT INTO stats_rollup ({', '.join(KEY_NAMES)}, n) SELECT * FROM unnest("
    "%s::date[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[], "
    f"%s::int[], %s::bigint[]) ON CONFLICT ({', '.join(KEY_NAMES)}) "
    "DO UPDATE SET n = stats_rollup.n + excluded.n"
)
_DAILY_PG = (
    f"INSERT INTO stats_daily (day, grp, value, {', '.join((*COUNTERS, LATE))}) "
    "SELECT * FROM unnest(%s::date[], %s::text[], %s::text[], "
    + ", ".join("%s::bigint[]" for _ in (*COUNTERS, LATE))
    + ") ON CONFLICT (day, grp, value) DO UPDATE SET "
    + ", ".join(f"{c} = stats_daily.{c} + excluded.{c}" for c in (*COUNTERS, LATE))
)


@functools.cache
def _upserts(dialect: str) -> tuple[Any, Any]:
    """The two upserts of `write` for a database, built once: building them (their
    `excluded` columns) cost more than running them, once per intake transaction."""
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    rollup = insert(_T)
    rollup = rollup.on_conflict_do_update(
        index_elements=list(KEY_NAMES), set_={"n": _T.c.n + rollup.excluded.n}
    )
    per_day = insert(_DAILY)
    per_day = per_day.on_conflict_do_update(
        index_elements=["day", "grp", "value"],
        set_={c: _DAILY.c[c] + per_day.excluded[c] for c in (*COUNTERS, LATE)},
    )
    return rollup, per_day


def _counters(key: Key, n: int) -> tuple[int, ...]:
    """What `n` cases of `key` add to each of stats_daily's counters, in COUNTERS' order."""
    _day, _inst, _district, _category, channel, status, outcome, accepted = key
    return (
        n,
        n if channel == "online" else 0,
        n if accepted else 0,
        n if status == "rejected" else 0,
        n if outcome == "success" else 0,
        n if outcome == "failure" else 0,
        n if status == "withdrawn" else 0,
        n if status in _OPEN else 0,
    )


def daily_deltas(
    deltas: Mapping[Key, int], late: Mapping[LateKey, int] | None = None
) -> list[dict[str, Any]]:
    """The deltas projected on stats_daily's rows (day, grp, value), in row order, the
    late deltas as the last counter (LATE); rows whose counters all cancel out (a case
    moved within one group) are left out. (Runs for every intake batch: plain lists, no
    dict per counter.)"""
    rows: dict[tuple[date, str, str], list[int]] = {}
    no_late = (0,)
    items: list[tuple[LateKey, tuple[int, ...]]] = [
        (key[:4], _counters(key, n) + no_late) for key, n in deltas.items() if n
    ]
    if late:
        items += [(key, (0,) * len(COUNTERS) + (n,)) for key, n in late.items() if n]
    for (day, inst, district, category), add in items:
        for row_key in (
            (day, "institution", inst),
            (day, "district", district),
            (day, "category", category),
            (day, "cat_district", f"{category}:{district}"),
        ):
            row = rows.get(row_key)
            if row is None:
                rows[row_key] = list(add)
            else:
                for i, v in enumerate(add):
                    row[i] += v
    names = (*COUNTERS, LATE)
    return [
        {"day": day, "grp": grp, "value": value, **dict(zip(names, counters, strict=True))}
        for (day, grp, value), counters in sorted(rows.items())
        if any(counters)
    ]


def daily_fill_sql() -> str:
    """Rebuilds stats_daily from stats_rollup (benchmarks/seed_sql.py; migration 0160 holds
    its own copy of this statement)."""
    sums = ", ".join(
        f"sum(CASE WHEN {cond} THEN n ELSE 0 END)"
        for cond in (
            "channel = 'online'",
            "accepted = 1",
            "status = 'rejected'",
            "outcome = 'success'",
            "outcome = 'failure'",
            "status = 'withdrawn'",
            "status IN (" + ", ".join(f"'{s}'" for s in sorted(_OPEN)) + ")",
        )
    )
    selects = [
        f"SELECT day, '{grp}', {value}, sum(n), {sums} FROM stats_rollup GROUP BY day, {value}"
        for grp, value in zip(
            GROUPS,
            ("institution_id", "district", "category", "category || ':' || district"),
            strict=True,
        )
    ]
    return (
        f"INSERT INTO stats_daily (day, grp, value, {', '.join(COUNTERS)}) "
        + " UNION ALL ".join(selects)
    )


def fill_sql(dialect: str) -> str:
    """Rebuilds the rollup from the application table (benchmarks/seed_sql.py; migration
    0155 holds its own copy of this statement)."""
    day = (
        "(received_at AT TIME ZONE 'Asia/Shanghai')::date"
        if dialect == "postgresql"
        else "date(received_at, '+8 hours')"  # stored as UTC text; Shanghai has no DST
    )
    return (
        f"INSERT INTO stats_rollup ({', '.join(KEY_NAMES)}, n) "
        f"SELECT {day}, coalesce(institution_id, '{NONE_KEY}'), district, category, channel, "
        "status, coalesce(outcome, ''), CASE WHEN accepted_at IS NULL THEN 0 ELSE 1 END, "
        f"count(*) FROM application GROUP BY 1, 2, 3, 4, 5, 6, 7, 8"
    )


__all__ = [
    "COLUMNS",
    "COUNTERS",
    "GROUPS",
    "KEY_NAMES",
    "LATE",
    "NONE_KEY",
    "LateKey",
    "add_rows",
    "daily_deltas",
    "daily_fill_sql",
    "fill_sql",
    "key_of",
    "write",
]
