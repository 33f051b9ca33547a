"""The statistics' queries (`GET /v1/stats`, hub.ops.stats): aggregates computed in the
database, so that a read costs the same memory whatever the number of cases.

Population: cases received (`received_at`) in [start, end), of the institutions in `scope`
when a scope is given. Each query answers a few rows per group:

- `counts`: the counters of every group summed from `stats_daily` (a row per day and value
  of one grouping), or from `stats_rollup` for a unit's cases by district or category (both
  kept in the write path, hub.store.stats_rollup); overdue (an institution deadline met
  late, or open and past due at `now`: time moves it without a write) as stats_daily's
  count of cases with a `late_since` less the period's cases whose `late_since` is not yet
  past (hub.store.stats_late), or, beside stats_rollup, an EXISTS probe of each case's
  deadlines;
- `hour_ranks`: the ranks the exact median and p90 of `accept_hours` need, in two passes:
  the values counted per group and whole hour, then ranked inside the few wanted hours;
- `referrals`: kind x outcome counts;
- `complaints`: complaints made in the period, and how many were repeats (an earlier
  complaint by the same contact about the same institution, at any time).

Every statement is plain SQLAlchemy Core and runs on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    and_,
    bindparam,
    case,
    exists,
    func,
    select,
)
from sqlalchemy import cast as sa_cast
from sqlmodel import Session

from hub.domain.calendar import REFERRAL_DEADLINE, SHANGHAI
from hub.domain.status import OPEN_STATUSES
from hub.store.models import Application, Deadline, Institution, Referral
from hub.store.models_ops import Complaint, StatsDaily, StatsRollup
from hub.store.stats_rollup import COUNTERS, LATE
from hub.store.types import UTCDateTime

NONE_KEY = "(none)"

_A = Application.__table__  # type: ignore[attr-defined]
_I = Institution.__table__  # type: ignore[attr-defined]
_D = Deadline.__table__  # type: ignore[attr-defined]
_R = Referral.__table__  # type: ignore[attr-defined]
_C = Complaint.__table__  # type: ignore[attr-defined]
_ROLLUP = StatsRollup.__table__  # type: ignore[attr-defined]
_DAILY = StatsDaily.__table__  # type: ignore[attr-defined]


class Population:
    """The cases a statistics request counts, and its grouping key as SQL."""

    def __init__(
        self, by: str, start: datetime, end: datetime, scope: Collection[str] | None
    ) -> None:
        self.by = by
        self.start, self.end, self.scope = start, end, scope
        if by == "institution":
            self.key: ColumnElement[Any] = func.coalesce(_A.c.institution_id, NONE_KEY)
        elif by == "unit":
            self.key = func.coalesce(_I.c.unit_id, NONE_KEY)
        else:
            self.key = _A.c[by]

    def where(self) -> ColumnElement[bool]:
        conditions = [
            _A.c.received_at >= bindparam("p_start", self.start, type_=UTCDateTime()),
            _A.c.received_at < bindparam("p_end", self.end, type_=UTCDateTime()),
        ]
        if self.scope is not None:
            conditions.append(_A.c.institution_id.in_(sorted(self.scope) or [""]))
        return and_(*conditions)

    def source(self) -> Any:
        """The application table, joined to institutions when grouped by unit."""
        if self.by == "unit":
            return _A.outerjoin(_I, _I.c.id == _A.c.institution_id)
        return _A


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[Any]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def counts(
    session: Session, pop: Population, now: datetime, open_statuses: Collection[str]
) -> list[Any]:
    """The counters of every group: sums of stats_daily (a row per received day and value of
    one grouping) where it answers, else of stats_rollup (a row per day and combination of
    every key: a unit's cases by district or category). Both are kept in the write path
    (hub.store.stats_rollup). Overdue: with stats_daily, its count of cases with a
    `late_since` less the period's cases not yet late at `now` (hub.store.stats_late);
    else counted over the cases."""
    conn = session.connection()
    daily = _daily_counts(pop, open_statuses)
    if daily is not None:
        pending = {str(k): int(v) for k, v in conn.execute(not_yet_late(pop, now)).all()}
        return [
            {c: int(row._mapping[c]) for c in COUNTERS}
            | {"key": row.key, "overdue": int(row.late) - pending.get(str(row.key), 0)}
            for row in conn.execute(daily).all()
        ]
    late = {str(k): int(v) for k, v in conn.execute(overdue(pop, now)).all()}
    return [
        {c: int(row._mapping[c]) for c in COUNTERS}
        | {"key": row.key, "overdue": late.get(str(row.key), 0)}
        for row in conn.execute(_rollup_counts(pop, open_statuses)).all()
    ]


def _day_range(pop: Population, day: Any) -> list[ColumnElement[bool]]:
    return [
        day >= bindparam("r_from", pop.start.astimezone(SHANGHAI).date(), type_=Date()),
        day < bindparam("r_to", pop.end.astimezone(SHANGHAI).date(), type_=Date()),
    ]


def _daily_counts(pop: Population, open_statuses: Collection[str]) -> Any:
    """The counters from stats_daily, or None when it cannot answer: a scope with a
    grouping other than the institution's (stats_daily does not cross the two), or open
    statuses other than those it was kept with."""
    if {str(s) for s in open_statuses} != _DAILY_OPEN:
        return None
    if pop.scope is not None and pop.by not in ("institution", "unit"):
        return None
    d = _DAILY.c
    grp = "institution" if pop.by == "unit" else pop.by
    source: Any = _DAILY
    key: ColumnElement[Any] = d.value
    if pop.by == "unit":
        source = _DAILY.outerjoin(_I, _I.c.id == d.value)
        key = func.coalesce(_I.c.unit_id, NONE_KEY)
    conditions = [d.grp == grp, *_day_range(pop, d.day)]
    if pop.scope is not None:
        conditions.append(d.value.in_(sorted(pop.scope) or [""]))
    return (
        select(
            key.label("key"),
            *(func.sum(d[c]).label(c) for c in COUNTERS),
            func.sum(d[LATE]).label("late"),
        )
        .select_from(source)
        .where(*conditions)
        .group_by(key)
        .having(func.sum(d.received) > 0)
    )


def _rollup_counts(pop: Population, open_statuses: Collection[str]) -> Any:
    r = _ROLLUP.c
    n = r.n

    def sum_if(condition: ColumnElement[bool]) -> ColumnElement[Any]:
        return func.coalesce(func.sum(case((condition, n), else_=0)), 0)

    source: Any = _ROLLUP
    key: ColumnElement[Any]
    if pop.by == "unit":
        source = _ROLLUP.outerjoin(_I, _I.c.id == r.institution_id)
        key = func.coalesce(_I.c.unit_id, NONE_KEY)
    else:
        key = r[pop.by if pop.by != "institution" else "institution_id"]
    conditions = _day_range(pop, r.day)
    if pop.scope is not None:
        conditions.append(r.institution_id.in_(sorted(pop.scope) or [""]))
    return (
        select(
            key.label("key"),
            func.sum(n).label("received"),
            sum_if(r.channel == "online").label("online"),
            sum_if(r.accepted == 1).label("accepted"),
            sum_if(r.status == "rejected").label("rejected"),
            sum_if(r.outcome == "success").label("success"),
            sum_if(r.outcome == "failure").label("failure"),
            sum_if(r.status == "withdrawn").label("withdrawn"),
            sum_if(r.status.in_(sorted(open_statuses))).label("open"),
        )
        .select_from(source)
        .where(*conditions)
        .group_by(key)
        .having(func.sum(n) > 0)
    )


_DAILY_OPEN = frozenset(str(s) for s in OPEN_STATUSES)


def not_yet_late(pop: Population, now: datetime) -> Any:
    """The period's cases with a `late_since` not yet past at `now` (their clocks still run:
    counted in stats_daily's `late`, not overdue yet), read through its index."""
    return (
        select(pop.key.label("key"), func.count())
        .select_from(pop.source())
        .where(pop.where(), _A.c.late_since >= bindparam("p_now", now, type_=UTCDateTime()))
        .group_by(pop.key)
    )


def overdue(pop: Population, now: datetime) -> Any:
    """Cases with an institution deadline met late, or open and past due at `now`, counted
    over the period's cases (where stats_daily cannot answer: `counts`)."""
    late = exists().where(
        _D.c.application_no == _A.c.no,
        _D.c.kind != REFERRAL_DEADLINE,
        func.coalesce(_D.c.met_at, bindparam("p_now", now, type_=UTCDateTime())) > _D.c.due_at,
    )
    return (
        select(pop.key.label("key"), func.count())
        .select_from(pop.source())
        .where(pop.where(), late)
        .group_by(pop.key)
    )


def _hours_where(pop: Population) -> ColumnElement[bool]:
    return and_(
        pop.where(),
        _A.c.accepted_at.is_not(None),
        _A.c.dispatched_at.is_not(None),
        _A.c.accept_hours.is_not(None),
    )


def hour_ranks(session: Session, pop: Population) -> list[Any]:
    """(key, n, rank, hours) for the ranks a median and a nearest-rank p90 need, exact,
    without sorting the period's values: a first pass counts them per group and whole
    hour (a hash aggregate), which tells in which hour each wanted rank falls and its rank
    inside that hour; a second pass ranks the values of those few hours only."""
    bucket = sa_cast(_A.c.accept_hours, Integer)  # monotone on both databases
    conn = session.connection()
    counts = conn.execute(
        select(pop.key.label("key"), bucket.label("b"), func.count())
        .select_from(pop.source())
        .where(_hours_where(pop))
        .group_by(pop.key, bucket)
    ).all()
    per_key: dict[Any, list[tuple[int, int]]] = defaultdict(list)
    for key, b, count in counts:
        per_key[key].append((int(b), int(count)))
    wanted: dict[tuple[Any, int], dict[int, int]] = defaultdict(dict)  # -> {inner: rank}
    sizes: dict[Any, int] = {}
    for key, hours in per_key.items():
        hours.sort()
        n = sum(c for _, c in hours)
        sizes[key] = n
        ranks = {(n + 1) // 2, n // 2 + 1, max(1, math.ceil(0.9 * n))}
        before = 0
        for b, count in hours:
            for r in ranks:
                if before < r <= before + count:
                    wanted[(key, b)][r - before] = r
            before += count
    if not wanted:
        return []
    inner = (
        func.row_number()
        .over(partition_by=(pop.key, bucket), order_by=_A.c.accept_hours)
        .label("inner")
    )
    picked = (
        select(pop.key.label("key"), bucket.label("b"), _A.c.accept_hours.label("hours"), inner)
        .select_from(pop.source())
        .where(
            _hours_where(pop),
            bucket.in_(sorted({b for _, b in wanted})),
        )
        .subquery()
    )
    # The (group, hour, rank inside the hour) wanted come back, and a few more of other
    # groups whose hour is wanted by another group: filtered here.
    inners = sorted({i for w in wanted.values() for i in w})
    out = []
    rows = conn.execute(select(picked).where(picked.c.inner.in_(inners))).all()
    for key, b, hours, position in rows:
        rank = wanted.get((key, int(b)), {}).get(int(position))
        if rank is not None:
            out.append((key, sizes[key], rank, hours))
    return out


def referrals(session: Session, pop: Population) -> list[Any]:
    outcome = func.coalesce(_R.c.outcome, _R.c.status)
    stmt = (
        select(pop.key.label("key"), _R.c.kind, outcome.label("outcome"), func.count())
        .select_from(pop.source().join(_R, _R.c.application_no == _A.c.no))
        .where(pop.where())
        .group_by(pop.key, _R.c.kind, outcome)
    )
    return list(session.connection().execute(stmt).all())


def complaints(session: Session, pop: Population) -> list[Any]:
    """(key, complaints, repeats) for complaints made in the period."""
    ordered = select(
        _C.c.no,
        _C.c.institution_id,
        _C.c.unit_id,
        _C.c.application_no,
        _C.c.created_at,
        func.row_number()
        .over(
            partition_by=(_C.c.institution_id, _C.c.contact_index),
            order_by=(_C.c.created_at, _C.c.no),
        )
        .label("nth"),
    ).subquery()
    in_period = and_(
        ordered.c.created_at >= bindparam("c_start", pop.start, type_=UTCDateTime()),
        ordered.c.created_at < bindparam("c_end", pop.end, type_=UTCDateTime()),
        *(
            [ordered.c.institution_id.in_(sorted(pop.scope) or [""])]
            if pop.scope is not None
            else []
        ),
    )
    repeat = func.coalesce(func.sum(case((ordered.c.nth > 1, 1), else_=0)), 0)
    source: Any
    if pop.by == "institution":
        key: ColumnElement[Any] = ordered.c.institution_id
        source = ordered
        where: ColumnElement[bool] = in_period
    elif pop.by == "unit":
        key = func.coalesce(_I.c.unit_id, ordered.c.unit_id)
        source = ordered.outerjoin(_I, _I.c.id == ordered.c.institution_id)
        where = in_period
    else:  # about one of the group's cases (received in the period, in scope)
        key = _A.c[pop.by]
        source = ordered.join(_A, _A.c.no == ordered.c.application_no)
        where = and_(in_period, pop.where())
    stmt = (
        select(key.label("key"), func.count(), repeat).select_from(source).where(where)
    ).group_by(key)
    return list(session.connection().execute(stmt).all())
