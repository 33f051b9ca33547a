"""The early warnings' queries (`GET /v1/alerts`, hub.ops.alerts), aggregated in the
database: a read costs the same memory whatever the number of cases.

- `weekly_counts`: per (category, district), the cases received in each of the last
  `weeks` + 1 seven-day windows, one aggregate pass (a CASE per window);
- `respondent_groups`: per respondent blind index, the distinct cases received in the
  window, their first and last `received_at`, and how many the caller's scope holds, for
  the groups of at least `min_count`;
- `group_cases` and `applicants_of`: the details of the few groups a page shows.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, case, func, select
from sqlmodel import Session

from hub.store.models import Application, PartyIndex
from hub.store.types import UTCDateTime

_A = Application.__table__  # type: ignore[attr-defined]
_P = PartyIndex.__table__  # type: ignore[attr-defined]


def _at(name: str, value: datetime) -> Any:
    return bindparam(name, value, type_=UTCDateTime())


def weekly_counts(session: Session, now: datetime, weeks: int) -> list[Any]:
    """(category, district, c0, c1, ... c_weeks): c_w counts received_at in
    (now - 7(w+1) d, now - 7w d]."""
    columns = []
    for w in range(weeks + 1):
        low, high = (
            _at(f"lo{w}", now - timedelta(days=7 * (w + 1))),
            _at(f"hi{w}", now - timedelta(days=7 * w)),
        )
        inside = and_(_A.c.received_at > low, _A.c.received_at <= high)
        columns.append(func.coalesce(func.sum(case((inside, 1), else_=0)), 0).label(f"w{w}"))
    stmt = (
        select(_A.c.category, _A.c.district, *columns)
        .where(
            _A.c.received_at > _at("since", now - timedelta(days=7 * (weeks + 1))),
            _A.c.received_at <= _at("now", now),
        )
        .group_by(_A.c.category, _A.c.district)
        .order_by(_A.c.category, _A.c.district)
    )
    return list(session.connection().execute(stmt).all())


def _window_cases(since: datetime, now: datetime) -> Any:
    """Distinct (respondent index, case) pairs of the window."""
    return (
        select(_P.c.value, _A.c.no, _A.c.institution_id, _A.c.received_at)
        .distinct()
        .select_from(_P.join(_A, _A.c.no == _P.c.application_no))
        .where(
            _P.c.role == "respondent",
            _A.c.received_at > _at("since", since),
            _A.c.received_at <= _at("now", now),
        )
        .subquery()
    )


def respondent_groups(
    session: Session,
    since: datetime,
    now: datetime,
    min_count: int,
    scope: Collection[str] | None,
) -> list[Any]:
    """(value, count, first, last, visible) for groups of at least `min_count` cases that
    the scope sees at least one of."""
    pairs = _window_cases(since, now)
    count = func.count().label("count")
    if scope is None:
        visible: Any = func.count()
    else:
        inside = pairs.c.institution_id.in_(sorted(scope) or [""])
        visible = func.coalesce(func.sum(case((inside, 1), else_=0)), 0)
    stmt = (
        select(
            pairs.c.value,
            count,
            func.min(pairs.c.received_at).label("first"),
            func.max(pairs.c.received_at).label("last"),
            visible.label("visible"),
        )
        .group_by(pairs.c.value)
        .having(func.count() >= min_count)
    )
    if scope is not None:
        stmt = stmt.having(visible > 0)
    return list(session.connection().execute(stmt).all())


def group_cases(
    session: Session, values: Collection[str], since: datetime, now: datetime
) -> list[Any]:
    """(value, no, category, district, institution_id) of the groups `values`."""
    stmt = (
        select(_P.c.value, _A.c.no, _A.c.category, _A.c.district, _A.c.institution_id)
        .distinct()
        .select_from(_P.join(_A, _A.c.no == _P.c.application_no))
        .where(
            _P.c.role == "respondent",
            _P.c.value.in_(sorted(values)),
            _A.c.received_at > _at("since", since),
            _A.c.received_at <= _at("now", now),
        )
    )
    return list(session.connection().execute(stmt).all())


def applicants_of(session: Session, nos: Collection[str]) -> list[Any]:
    """(application_no, applicant index) of the cases `nos` (by the index on the case
    number, a thousand at a time)."""
    wanted = sorted(nos)
    out: list[Any] = []
    for start in range(0, len(wanted), 1000):
        stmt = select(_P.c.application_no, _P.c.value).where(
            _P.c.application_no.in_(wanted[start : start + 1000]), _P.c.role == "applicant"
        )
        out.extend(session.connection().execute(stmt).all())
    return out
