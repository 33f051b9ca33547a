"""The respondents' tally (`respondent_tally`, migration 0180), kept in the write path.

Every flush of party_index rows (hub.store.writes: intake, import, any use case) adds, per
respondent blind index, the number of distinct cases of those rows and raises the latest
`received_at`: one upsert per index, in index order (concurrent batches lock alike). The
count can only be too high (a case written in two flushes counts twice), never too low, so
"named by at least n cases, the latest received after t" holds for every group of n cases
received after t: the mass-dispute alert reads only those respondents' cases
(hub.store.alerts_queries). Party rows are never changed or deleted.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from hub.store.models_ops import RespondentTally

_T = RespondentTally.__table__  # type: ignore[attr-defined]

#: The part of the tally its partial index holds (ix_respondent_tally_repeated): a query
#: must name it as written for either database to use the index.
REPEATED = "respondent_tally.cases >= 2"


def deltas(rows: Iterable[Mapping[str, Any]]) -> dict[str, tuple[int, datetime]]:
    """Per respondent index of party_index `rows`: (distinct cases, latest received_at)."""
    cases: dict[str, set[str]] = {}
    latest: dict[str, datetime] = {}
    for row in rows:
        if row["role"] != "respondent":
            continue
        value = row["value"]
        cases.setdefault(value, set()).add(row["application_no"])
        at = row["received_at"]
        if value not in latest or at > latest[value]:
            latest[value] = at
    return {v: (len(nos), latest[v]) for v, nos in cases.items()}


def write(conn: Connection, rows: Iterable[Mapping[str, Any]]) -> None:
    """Add the respondents of party_index `rows` to the tally."""
    params = [
        {"value": v, "cases": n, "last_received_at": at}
        for v, (n, at) in sorted(deltas(rows).items())
    ]
    if params:
        conn.execute(_upsert(conn.dialect.name), params)


@functools.cache
def _upsert(dialect: str) -> Any:
    """Built once (as stats_rollup's: building the `excluded` columns costs)."""
    insert = pg_insert(_T) if dialect == "postgresql" else sqlite_insert(_T)
    latest = func.greatest if dialect == "postgresql" else func.max
    return insert.on_conflict_do_update(
        index_elements=["value"],
        set_={
            "cases": _T.c.cases + insert.excluded.cases,
            "last_received_at": latest(_T.c.last_received_at, insert.excluded.last_received_at),
        },
    )


def fill_sql() -> str:
    """Rebuilds the tally from party_index (benchmarks/seed_sql.py; migration 0180 holds
    its own copy of this statement)."""
    return (
        "INSERT INTO respondent_tally (value, cases, last_received_at) "
        "SELECT value, count(DISTINCT application_no), max(received_at) FROM party_index "
        "WHERE role = 'respondent' GROUP BY value"
    )


__all__ = ["REPEATED", "deltas", "fill_sql", "write"]
