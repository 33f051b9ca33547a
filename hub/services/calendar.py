"""The working-day calendar's years: loading a schedule, and every process kept in step.

`hub calendar load FILE` (INTERFACE 16) stores a year the installed `chinese-calendar` does
not know in `calendar_year`; every process reads those rows into its calendar (`sync`):
at start, then at most every `SYNC_SECONDS`, and at once when it is about to give a case a
provisional deadline. When a year becomes known, every open deadline that counted days of
it is counted again (`recount`): stored without the provisional flag, and the institution
told by a `deadline.moved` message when its date moved. Recounting is idempotent, so a
load that was cut short is finished by loading the file again, and the scheduler recounts
the provisional deadlines that processes not yet in step wrote meanwhile.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from prometheus_client import Gauge
from sqlalchemy import bindparam, or_
from sqlalchemy import select as sa_select
from sqlalchemy import update as sa_update
from sqlmodel import Session, col, select

from hub import jsonutil
from hub.domain import calendar, destinations
from hub.domain.calendar import DEADLINE_ACTIONS, SHANGHAI, WorkingCalendar
from hub.domain.calendar_schedule import (
    YearSchedule,
    installed_schedule,
    parse_schedule,
    spans,
)
from hub.domain.case import Case
from hub.logsafety import get_logger
from hub.services import records
from hub.services.context import HubContext
from hub.services.errors import Invalid, Violation
from hub.store import audit, cases
from hub.store.models import Application, CalendarYear, Deadline, Institution
from hub.store.outbox import enqueue
from hub.store.unit_of_work import UnitOfWork

log = get_logger("hub.services.calendar")


def known_until(this_year: int | None = None) -> int:
    """The last year of the unbroken run of known years from `this_year` (default: today's
    in Shanghai); 0 if not even that one is known.

    From the year after it, deadlines are provisional; operators alert on the gauge
    `hub_calendar_known_until_year` when it has not passed this year by December.
    """
    first = this_year or datetime.now(SHANGHAI).year
    cal, year = calendar.current(), first
    while cal.schedule(year) is not None:
        year += 1
    return year - 1 if year > first else 0


Gauge(
    "hub_calendar_known_until_year",
    "Last year, from this one on without a gap, whose holidays the hub knows",
).set_function(lambda: known_until())

#: How stale a process's calendar may be before it reads `calendar_year` again.
SYNC_SECONDS = 30.0
#: About to write a provisional deadline: read again if older than this.
PROVISIONAL_SYNC_SECONDS = 5.0
#: After a year became known, the scheduler recounts provisional deadlines for this long
#: (processes not yet in step may still write some).
RECOUNT_GRACE_SECONDS = 4 * SYNC_SECONDS


@dataclass(frozen=True)
class LoadReport:
    year: int
    #: loaded | replaced | unchanged | installed (the package knows the year and agrees)
    outcome: str
    working_days: int
    recounted: int
    moved: int


def _schedule_of(row: CalendarYear) -> YearSchedule:
    holidays = frozenset(date.fromisoformat(d) for d in row.holidays)
    workdays = frozenset(date.fromisoformat(d) for d in row.workdays)
    return YearSchedule(row.year, holidays, workdays, "file")


def _stored_calendar(session: Session) -> WorkingCalendar:
    loaded = {}
    for row in session.exec(select(CalendarYear)).all():
        schedule = _schedule_of(row)
        installed = installed_schedule(row.year)
        if installed is not None and not installed.same_days(schedule):
            log.warning("calendar: file for %s disagrees with chinese-calendar", row.year)
        loaded[row.year] = schedule
    return WorkingCalendar(loaded)


class _Sync:
    """When this process last read `calendar_year`, and when its calendar last changed."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.read_at = float("-inf")
        self.changed_at = float("-inf")


_SYNC = _Sync()


def sync(session: Session, max_age: float = SYNC_SECONDS) -> bool:
    """Read the loaded years if the last read is older than `max_age` seconds; answers
    whether the process's calendar changed."""
    now = time.monotonic()
    if now - _SYNC.read_at < max_age:
        return False
    with _SYNC.lock:
        if now - _SYNC.read_at < max_age:
            return False
        stored = _stored_calendar(session)
        _SYNC.read_at = now
        before = calendar.current().loaded
        if stored.loaded.keys() == before.keys() and all(
            before[y].same_days(s) for y, s in stored.loaded.items()
        ):
            return False
        calendar.install(stored)
        _SYNC.changed_at = now
        log.info("calendar: loaded years %s", sorted(stored.loaded))
        return True


def forget_loaded() -> None:
    """The process forgets the loaded years until it reads them again (a process that
    switched databases, such as a test)."""
    with _SYNC.lock:
        calendar.install(WorkingCalendar())
        _SYNC.read_at = _SYNC.changed_at = float("-inf")


def recently_changed() -> bool:
    return time.monotonic() - _SYNC.changed_at < RECOUNT_GRACE_SECONDS


def year_view(year: int) -> dict[str, Any]:
    """`GET /v1/calendar/{year}`: where the year's days come from, and which they are."""
    cal = calendar.current()
    known = cal.schedule(year)
    first, end = date(year, 1, 1), date(year + 1, 1, 1)
    return {
        "year": year,
        "source": cal.source(year),
        "holidays": [d.isoformat() for d in sorted(known.holidays)] if known else [],
        "workdays": [d.isoformat() for d in sorted(known.workdays)] if known else [],
        "working_days": cal.count(first, end)[0],
    }


def parse(doc: Any) -> YearSchedule:
    """A schedule document, checked; a bad one is `Invalid` with every pointer."""
    from hub.domain.calendar_schedule import ScheduleError

    try:
        return parse_schedule(doc)
    except ScheduleError as exc:
        raise Invalid([Violation(p, m) for p, m in exc.errors]) from None


def check_installed(schedule: YearSchedule) -> LoadReport | None:
    """The report of a year the installed `chinese-calendar` already knows and agrees on
    (nothing to store), None for a year to store; Invalid when the package disagrees."""
    year = schedule.year
    installed = installed_schedule(year)
    if installed is None:
        return None
    wrong = installed.differences(schedule)
    if wrong:
        days = ", ".join(d.isoformat() for d in wrong[:10])
        raise Invalid.at(
            "/year",
            f"已安装的 chinese-calendar 知道 {year} 年，与文件不一致（{days}）"
            f" / the installed chinese-calendar knows {year} and disagrees on {days}",
        )
    return LoadReport(year, "installed", installed.working_days, 0, 0)


def store(
    ctx: HubContext, session: UnitOfWork, schedule: YearSchedule, *, actor: str
) -> tuple[str, WorkingCalendar]:
    """Store a year's schedule in the caller's unit of work; answers the outcome (loaded,
    replaced, unchanged) and the calendar of every stored year, which `install` makes this
    process's once the unit of work is committed."""
    year = schedule.year
    now = ctx.clock.now()
    row = session.get(CalendarYear, year, with_for_update=True)
    holidays = [d.isoformat() for d in sorted(schedule.holidays)]
    workdays = [d.isoformat() for d in sorted(schedule.workdays)]
    if row is None:
        outcome = "loaded"
        session.add(
            CalendarYear(
                year=year, holidays=holidays, workdays=workdays, loaded_at=now, loaded_by=actor
            )
        )
    elif _schedule_of(row).same_days(schedule):
        outcome = "unchanged"
    else:
        outcome = "replaced"
        row.holidays, row.workdays, row.loaded_at, row.loaded_by = (
            holidays,
            workdays,
            now,
            actor,
        )
    if outcome != "unchanged":
        audit.append(
            session,
            chain="calendar",
            at=now,
            actor_role="admin",
            actor_party=actor,
            action=f"calendar.{outcome}",
            application_no=None,
            detail={
                "year": year,
                "holidays": [[a.isoformat(), b.isoformat()] for a, b in spans(schedule.holidays)],
                "workdays": workdays,
            },
        )
    session.flush()
    return outcome, _stored_calendar(session)


def install(stored: WorkingCalendar) -> None:
    """Make a committed calendar this process's (then recount the deadlines it moves)."""
    calendar.install(stored)
    _SYNC.changed_at = time.monotonic()


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    start = datetime(year, 1, 1, tzinfo=SHANGHAI)
    return start, datetime(year + 1, 1, 1, tzinfo=SHANGHAI)


def to_recount(ctx: HubContext, *, year: int | None = None) -> tuple[list[str], list[Any]]:
    """The cases whose open deadlines to count again on the process's calendar, and the
    conditions of those deadlines (`recount_case` takes both, one case per unit of work).

    With `year`: every open deadline that counted days of that year (a year just loaded or
    replaced). Without: the open provisional deadlines (the scheduler's catch-up).
    """
    conditions: list[Any] = [col(Deadline.met_at).is_(None)]
    if year is None:
        conditions.append(col(Deadline.provisional).is_(True))
    else:
        start, end = _year_bounds(year)
        conditions += [
            col(Deadline.due_at) >= start,
            or_(col(Deadline.counted_from).is_(None), col(Deadline.counted_from) < end),
        ]
    with ctx.db.read() as session:
        cases = session.exec(select(Deadline.application_no).where(*conditions).distinct()).all()
    return sorted(cases), conditions


def recount_accept_hours(session: UnitOfWork, year: int) -> int:
    """Count again the working hours to acceptance (`accept_hours`, fixed when a case was
    accepted) of the cases whose dispatch-to-acceptance span has days of `year`: they were
    counted on what the calendar knew then. Answers how many changed (statistics read
    them). A provisional year is the next one, so few cases are concerned."""
    start, end = _year_bounds(year)
    cal = calendar.current()
    a = Application.__table__  # type: ignore[attr-defined]
    conn = session.connection()
    rows = conn.execute(
        sa_select(a.c.no, a.c.dispatched_at, a.c.accepted_at, a.c.accept_hours).where(
            a.c.accepted_at.is_not(None),
            a.c.dispatched_at.is_not(None),
            a.c.dispatched_at < end,
            a.c.accepted_at >= start,
        )
    ).all()
    updates = [
        {"k": no, "h": hours}
        for no, dispatched, accepted, kept in rows
        if (hours := cal.working_hours_between(dispatched, accepted)) != kept
    ]
    if updates:
        conn.execute(
            sa_update(a).where(a.c.no == bindparam("k")).values(accept_hours=bindparam("h")),
            updates,
        )
        log.info("calendar: working hours to acceptance counted again for %s cases", len(updates))
    return len(updates)


def recount_case(
    ctx: HubContext, session: UnitOfWork, no: str, conditions: list[Any]
) -> tuple[int, int]:
    """Count case `no`'s deadlines again, in the caller's unit of work; answers (looked at,
    moved)."""
    cal = calendar.current()
    legacy = WorkingCalendar()  # what a deadline written before migration 0060 counted on
    now = ctx.clock.now()
    looked = moved = 0
    app = cases.load(session, no, for_update=True)
    if app is None:
        return 0, 0
    rows = session.exec(
        select(Deadline).where(col(Deadline.application_no) == no, *conditions)
    ).all()
    for d in rows:
        if d.counted_from is None:
            continue
        days = d.working_days
        if days is None:
            days = legacy.working_days_between(d.counted_from, d.due_at)
        due_at, provisional = cal.add_working_days(d.counted_from, days)
        looked += 1
        if due_at == d.due_at and provisional == d.provisional and d.working_days == days:
            continue
        previous = d.due_at
        d.due_at, d.provisional, d.working_days = due_at, provisional, days
        if due_at == previous:
            session.add(d)
            continue
        moved += 1
        if due_at > previous and due_at > now:  # marks made too early are taken back
            d.reminded_at = d.overdue_at = d.escalated_at = None
        session.add(d)
        _tell_moved(ctx, session, app, d, previous, now)
    return looked, moved


def _tell_moved(
    ctx: HubContext,
    session: Session,
    app: Case,
    d: Deadline,
    previous: datetime,
    now: datetime,
) -> None:
    inst = session.get(Institution, d.institution_id) if d.institution_id else None
    zh, en = DEADLINE_ACTIONS.get(d.kind, (d.kind, d.kind))
    due, before = jsonutil.rfc3339(d.due_at), jsonutil.rfc3339(previous)
    data = {
        "deadline": d.kind,
        "due_at": due,
        "previous_due_at": before,
        "provisional": d.provisional,
        "institution": {"id": d.institution_id, "name": inst.name if inst else None},
        "status": app.status,
        "notice": {
            "zh": f"办件 {app.no} 的「{zh}」期限按新公布的节假日安排重新计算："
            f"由 {before} 改为 {due}。",
            "en": f"Case {app.no}: the deadline to {en} was recounted on the published "
            f"holiday schedule: {before} -> {due}.",
        },
    }
    if d.institution_id:
        enqueue(
            session,
            ctx.vault,
            destination=destinations.institution(d.institution_id),
            type="deadline.moved",
            application_no=app.no,
            data=data,
            occurred_at=now,
        )
    records.add_event(
        ctx,
        session,
        app,
        type="deadline_moved",
        at=now,
        actor_role="system",
        actor_party="calendar",
        data={"deadline": d.kind, "due_at": due, "previous_due_at": before},
        public=False,
    )
    audit.append(
        session,
        chain=app.no,
        at=now,
        actor_role="system",
        actor_party="calendar",
        action="deadline.moved",
        application_no=app.no,
        detail={"deadline_id": d.id, "kind": d.kind, "due_at": due, "previous_due_at": before},
    )


def new_years_to_recount(ctx: HubContext) -> tuple[list[str], list[Any]]:
    """The scheduler's step: read loaded years; while one is new, the cases with provisional
    deadlines to recount (`to_recount`), else none."""
    with ctx.db.read() as session:
        sync(session)
    if not recently_changed():
        return [], []
    return to_recount(ctx)


__all__ = [
    "LoadReport",
    "check_installed",
    "forget_loaded",
    "install",
    "new_years_to_recount",
    "parse",
    "recount_accept_hours",
    "recount_case",
    "store",
    "sync",
    "to_recount",
    "year_view",
]
