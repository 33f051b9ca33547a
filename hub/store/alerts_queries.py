"""The early warnings' queries (`GET /v1/alerts`, hub.ops.alerts), aggregated in the
database: a read costs the same memory whatever the number of cases.

- `weekly_counts`: per (category, district), the cases received in each of the last
  `weeks` + 1 seven-day windows: whole days from stats_daily, the days a window boundary
  falls in counted over their cases (a CASE per window);
- `respondent_groups`: per respondent blind index, the distinct cases received in the
  window and their first and last `received_at`, for the groups of at least `min_count`
  the caller's scope sees one case of: from party_index (its rows carry their case's
  `received_at`, migration 0180), of only the respondents respondent_tally says may make
  one;
- `group_cases` and `applicants_of`: the details of the few groups a page shows.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Date, and_, bindparam, case, func, or_, select, text
from sqlmodel import Session

from hub.domain.calendar import SHANGHAI
from hub.store import respondent_tally
from hub.store.models import Application, PartyIndex
from hub.store.models_ops import RespondentTally, StatsDaily
from hub.store.types import UTCDateTime

_A = Application.__table__  # type: ignore[attr-defined]
_P = PartyIndex.__table__  # type: ignore[attr-defined]
_DAILY = StatsDaily.__table__  # type: ignore[attr-defined]
_TALLY = RespondentTally.__table__  # type: ignore[attr-defined]


def _at(name: str, value: datetime) -> Any:
    return bindparam(name, value, type_=UTCDateTime())


def weekly_counts(session: Session, now: datetime, weeks: int) -> list[Any]:
    """(category, district, c0, c1, ... c_weeks): c_w counts received_at in
    (now - 7(w+1) d, now - 7w d], ordered by category and district.

    The Shanghai days wholly inside a window are summed from stats_daily (`cat_district`:
    a row per day and pair, kept in the write path); only the cases of the days a window
    boundary falls in (one per boundary, `weeks` + 2 of them) are counted one by one."""
    bounds = [now - timedelta(days=7 * w) for w in range(weeks + 2)]  # bounds[w] = hi of w
    edge_days = [b.astimezone(SHANGHAI).date() for b in bounds]
    totals: dict[tuple[str, str], list[int]] = {}

    def add(category: str, district: str, counts: Sequence[Any]) -> None:
        row = totals.setdefault((category, district), [0] * (weeks + 1))
        for w, c in enumerate(counts):
            row[w] += int(c or 0)

    d = _DAILY.c
    whole = [
        func.sum(
            case(
                (
                    and_(
                        d.day > bindparam(f"dlo{w}", edge_days[w + 1], type_=Date()),
                        d.day < bindparam(f"dhi{w}", edge_days[w], type_=Date()),
                    ),
                    d.received,
                ),
                else_=0,
            )
        )
        for w in range(weeks + 1)
    ]
    conn = session.connection()
    for value, *counts in conn.execute(
        select(d.value, *whole)
        .where(
            d.grp == "cat_district",
            d.day > bindparam("dsince", edge_days[-1], type_=Date()),
            d.day < bindparam("dnow", edge_days[0], type_=Date()),
        )
        .group_by(d.value)
    ).all():
        category, district = str(value).rsplit(":", 1)
        add(category, district, counts)

    columns = []
    for w in range(weeks + 1):
        inside = and_(
            _A.c.received_at > _at(f"lo{w}", bounds[w + 1]),
            _A.c.received_at <= _at(f"hi{w}", bounds[w]),
        )
        columns.append(func.coalesce(func.sum(case((inside, 1), else_=0)), 0).label(f"w{w}"))
    # each edge day [start, end) clipped to (since, now]: one index range each (a bitmap OR)
    edges = []
    for i, day in enumerate(edge_days):
        start, end = _day_start(day), _day_start(day + timedelta(days=1))
        low = (
            _A.c.received_at >= _at(f"es{i}", start)
            if start > bounds[-1]
            else _A.c.received_at > _at(f"es{i}", bounds[-1])
        )
        high = (
            _A.c.received_at < _at(f"ee{i}", end)
            if end <= now
            else _A.c.received_at <= _at(f"ee{i}", now)
        )
        edges.append(and_(low, high))
    on_edges = or_(*edges)
    stmt = (
        select(_A.c.category, _A.c.district, *columns)
        .where(on_edges)
        .group_by(_A.c.category, _A.c.district)
    )
    for category, district, *counts in conn.execute(stmt).all():
        add(category, district, counts)
    return [
        (category, district, *counts)
        for (category, district), counts in sorted(totals.items())
        if any(counts)
    ]


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=SHANGHAI)


def _in_window(p: Any, since: datetime, now: datetime) -> Any:
    return and_(
        p.c.role == "respondent",
        p.c.received_at > _at("since", since),
        p.c.received_at <= _at("now", now),
    )


def respondent_groups(
    session: Session,
    since: datetime,
    now: datetime,
    min_count: int,
    scope: Collection[str] | None,
) -> list[Any]:
    """(value, count, first, last) for groups of at least `min_count` cases of which the
    scope sees at least one: from party_index alone (its rows carry their case's
    received_at), and the cases' institutions for a unit.

    With `min_count` >= 2, only the respondents the tally says were named by that many
    cases, the latest received in the window (ix_respondent_tally_repeated), are counted,
    each over its own range of ix_party_index_role_value_received (count, first, last: no
    sort of the window's rows); a unit's is kept if one of its cases is the scope's.
    Else every respondent of the window is grouped (one range of
    ix_party_index_role_received)."""
    conn = session.connection()
    inside = _A.c.institution_id.in_(sorted(scope or ()) or [""])
    if min_count < 2:
        p = _P.alias("p")
        count = func.count(func.distinct(p.c.application_no))
        stmt = (
            select(
                p.c.value,
                count.label("count"),
                func.min(p.c.received_at),
                func.max(p.c.received_at),
            )
            .where(_in_window(p, since, now))
            .group_by(p.c.value)
            .having(count >= min_count)
        )
        rows = list(conn.execute(stmt).all())
        if scope is None:
            return rows
        shown = {
            value
            for (value,) in conn.execute(
                select(p.c.value)
                .distinct()
                .select_from(p.join(_A, _A.c.no == p.c.application_no))
                .where(_in_window(p, since, now), inside)
            )
        }
        return [r for r in rows if r[0] in shown]
    t = _TALLY

    def of_respondent(p: Any) -> Any:
        return and_(_in_window(p, since, now), p.c.value == t.c.value)

    p = _P.alias("p")
    cases = select(func.count(func.distinct(p.c.application_no))).where(of_respondent(p))
    first = select(func.min(p.c.received_at)).where(of_respondent(p))
    last = select(func.max(p.c.received_at)).where(of_respondent(p))
    stmt = select(
        t.c.value,
        cases.scalar_subquery().label("count"),
        first.scalar_subquery().label("first"),
        last.scalar_subquery().label("last"),
    ).where(
        text(respondent_tally.REPEATED),
        t.c.cases >= min_count,
        t.c.last_received_at > _at("since", since),
    )
    if scope is not None:
        q = _P.alias("q")
        stmt = stmt.where(
            select(q.c.id)
            .select_from(q.join(_A, _A.c.no == q.c.application_no))
            .where(of_respondent(q), inside)
            .exists()
        )
    return [r for r in conn.execute(stmt).all() if r[1] >= min_count]


def group_cases(
    session: Session, values: Collection[str], since: datetime, now: datetime
) -> list[Any]:
    """(value, no, category, district, institution_id) of the groups `values`: their
    window's range of ix_party_index_role_value_received each, then the cases by number."""
    stmt = (
        select(_P.c.value, _A.c.no, _A.c.category, _A.c.district, _A.c.institution_id)
        .distinct()
        .select_from(_P.join(_A, _A.c.no == _P.c.application_no))
        .where(
            _P.c.role == "respondent",
            _P.c.value.in_(sorted(values)),
            _P.c.received_at > _at("since", since),
            _P.c.received_at <= _at("now", now),
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
