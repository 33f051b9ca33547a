"""Overdue as a counter (issue 15): each case's `late_since`, kept by every deadline write.

A case of the statistics is overdue at `now` when one of its institution deadlines (every
kind but the referral's) was met late, or is still open and past due at `now`
(hub.store.stats_queries, the property test's brute force). Time moves the second without
a write, so the count cannot be a plain rollup; it is one plus a small remainder:

- `application.late_since` (migration 0170): the instant after which the case counts, the
  earliest `due_at` of its open deadlines, or `EPOCH` (any instant) once one was met late;
  null when it never will (no deadline open, none met late). Overdue at `now` is exactly
  `late_since < now`.
- stats_daily's `late` (hub.store.stats_rollup.LATE): per received day and grouping, the
  cases with a `late_since`; a read sums it and takes away the period's cases whose
  `late_since` is not yet past (`late_since >= now`: the open clocks still running, the
  live workload whatever the history's size; an index on `late_since` reads them).

Kept in the unit of work that writes the deadline:

- deadlines the write buffer inserts with their new case (intake, the import): the case's
  `late_since` computed from them before its row goes in (`of_rows`), counted with it;
- any other deadline write (an ORM object added or changed: met, counted again; the
  buffer's rows for a stored case): `refresh` reads the cases' deadlines again, writes the
  `late_since` that changed and moves the count;
- a case step that moves the case to another day or group (`hub.store.cases.save`): the
  count moves with it.

A raw UPDATE of `deadline.due_at` or `met_at` must call `refresh` for its cases. The
scheduler's marks (reminded, overdue, escalated) change neither.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, select, update

from hub.domain.calendar import REFERRAL_DEADLINE, SHANGHAI
from hub.store import stats_rollup
from hub.store.models import Application, Deadline
from hub.store.stats_rollup import LateKey
from hub.store.types import as_utc

#: `late_since` of a case with a deadline met late: overdue at any instant.
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

_A = Application.__table__  # type: ignore[attr-defined]
_D = Deadline.__table__  # type: ignore[attr-defined]
_CHUNK = 500


def of_deadlines(deadlines: Iterable[Mapping[str, Any]]) -> datetime | None:
    """A case's `late_since` from its deadlines (rows with kind, due_at, met_at)."""
    since: datetime | None = None
    for d in deadlines:
        if d["kind"] == REFERRAL_DEADLINE:
            continue
        due = as_utc(d["due_at"])
        met = as_utc(d.get("met_at"))
        assert due is not None
        if met is not None:
            if met > due:
                return EPOCH
        elif since is None or due < since:
            since = due
    return since


def late_key(values: Mapping[str, Any]) -> LateKey:
    """What a case's late count is kept by (hub.store.stats_rollup.key_of's first four)."""
    received = as_utc(values["received_at"])
    assert received is not None
    return (
        received.astimezone(SHANGHAI).date(),
        values.get("institution_id") or stats_rollup.NONE_KEY,
        values["district"],
        values["category"],
    )


def of_rows(
    applications: list[dict[str, Any]], deadlines: list[dict[str, Any]]
) -> tuple[dict[LateKey, int], set[str]]:
    """New cases and deadlines a write buffer is about to insert: sets each new case's
    `late_since` (every row gets the key, so that one executemany takes them all) and
    answers the late counts they add, and the stored cases whose deadlines the buffer
    also writes (for `refresh`, once the rows are in)."""
    by_case: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for d in deadlines:
        by_case[d["application_no"]].append(d)
    late: dict[LateKey, int] = defaultdict(int)
    for row in applications:
        own = by_case.pop(row["no"], None)
        row["late_since"] = since = of_deadlines(own) if own else None
        if since is not None:
            late[late_key(row)] += 1
    return late, set(by_case)


def refresh(conn: Connection, nos: Collection[str]) -> None:
    """Read the deadlines of cases `nos` again (stored, their writes flushed), write the
    `late_since` that changed and move the late counts."""
    updates: list[dict[str, Any]] = []
    late: dict[LateKey, int] = defaultdict(int)
    ordered = sorted(nos)
    for i in range(0, len(ordered), _CHUNK):
        chunk = ordered[i : i + _CHUNK]
        by_case: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
        for d in conn.execute(
            select(_D.c.application_no, _D.c.kind, _D.c.due_at, _D.c.met_at).where(
                _D.c.application_no.in_(chunk), _D.c.kind != REFERRAL_DEADLINE
            )
        ):
            by_case[d.application_no].append(dict(d._mapping))
        for row in conn.execute(
            select(
                _A.c.no,
                _A.c.late_since,
                *(_A.c[c] for c in ("received_at", "institution_id", "district", "category")),
            ).where(_A.c.no.in_(chunk))
        ):
            before = as_utc(row.late_since)
            after = of_deadlines(by_case.get(row.no, ()))
            if before == after:
                continue
            updates.append({"b_no": row.no, "b_late": after})
            if (before is None) != (after is None):
                late[late_key(dict(row._mapping))] += 1 if after is not None else -1
    if updates:
        conn.execute(
            update(_A)
            .where(_A.c.no == bindparam("b_no"))
            .values(late_since=bindparam("b_late", type_=_A.c.late_since.type)),
            updates,
        )
    if late:
        stats_rollup.write(conn, {}, late)


def moved(conn: Connection, no: str, before: LateKey, after: LateKey) -> None:
    """Case `no` moves from one day or group to another (`cases.save`): its late count
    moves with it, if it has one."""
    since = conn.execute(select(_A.c.late_since).where(_A.c.no == no)).scalar()
    if since is not None:
        stats_rollup.write(conn, {}, {before: -1, after: 1})


def fill_sql(dialect: str) -> str:
    """Every case's `late_since` from its deadlines (benchmarks/seed_sql.py; migration 0170
    holds its own copy of this statement)."""
    epoch = (
        "timestamptz '1970-01-01 00:00:00+00'"
        if dialect == "postgresql"
        else "'1970-01-01 00:00:00.000000'"
    )
    return (
        "UPDATE application SET late_since = s.since FROM ("
        "SELECT application_no, CASE WHEN max(CASE WHEN met_at > due_at THEN 1 ELSE 0 END) = 1 "
        f"THEN {epoch} ELSE min(CASE WHEN met_at IS NULL THEN due_at END) END AS since "
        f"FROM deadline WHERE kind <> '{REFERRAL_DEADLINE}' GROUP BY application_no"
        ") AS s WHERE application.no = s.application_no AND s.since IS NOT NULL"
    )


def daily_fill_sql(dialect: str) -> str:
    """stats_daily's `late` from the cases' `late_since` (after `fill_sql`; the rows exist,
    stats_rollup's fill made them)."""
    day = (
        "(received_at AT TIME ZONE 'Asia/Shanghai')::date"
        if dialect == "postgresql"
        else "date(received_at, '+8 hours')"
    )
    none = stats_rollup.NONE_KEY
    values = (
        ("institution", f"coalesce(institution_id, '{none}')"),
        ("district", "district"),
        ("category", "category"),
        ("cat_district", "category || ':' || district"),
    )
    counted = " UNION ALL ".join(
        f"SELECT {day} AS day, '{grp}' AS grp, {value} AS value, count(*) AS n "
        f"FROM application WHERE late_since IS NOT NULL GROUP BY 1, 3"
        for grp, value in values
    )
    return (
        f"UPDATE stats_daily SET late = c.n FROM ({counted}) AS c "
        "WHERE stats_daily.day = c.day AND stats_daily.grp = c.grp "
        "AND stats_daily.value = c.value"
    )


__all__ = [
    "EPOCH",
    "daily_fill_sql",
    "fill_sql",
    "late_key",
    "moved",
    "of_deadlines",
    "of_rows",
    "refresh",
]
