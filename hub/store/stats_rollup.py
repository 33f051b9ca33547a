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

Triggers did this before (migration 0140, reverted): they cost PostgreSQL 5-6x the CPU per
application. Here a batch of 64 applications costs one executemany of a few keys.
The migration 0155 and benchmarks/reads_volume.py --seed-sql fill it with `FILL_SQL`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from hub.domain.calendar import SHANGHAI
from hub.store.models_ops import StatsRollup
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


def write(conn: Connection, deltas: Mapping[Key, int]) -> None:
    """One upsert per touched key, in key order (concurrent batches lock alike)."""
    params = [dict(zip(KEY_NAMES, k, strict=True), n=n) for k, n in sorted(deltas.items()) if n]
    if not params:
        return
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    stmt = insert(_T)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(KEY_NAMES), set_={"n": _T.c.n + stmt.excluded.n}
    )
    conn.execute(stmt, params)


def fill_sql(dialect: str) -> str:
    """Rebuilds the rollup from the application table (migration 0155, --seed-sql)."""
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


__all__ = ["COLUMNS", "KEY_NAMES", "NONE_KEY", "add_rows", "fill_sql", "key_of", "write"]
