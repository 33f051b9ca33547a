"""Deadlines that act (INTERFACE 6, 10): remind before, mark overdue at, escalate after.

One pass (`run_once`) looks at every open deadline (`met_at IS NULL`):

- **reminder**: fewer than `remind_hours` working hours left (default 4) -> `deadline.reminder`
  to the institution;
- **overdue**: `due_at` reached -> `overdue_at` set, `deadline.overdue` to the institution and
  to its unit (the unit's liaison reads the unit's feed), a non-public timeline entry;
- **escalation**: `escalate_after_days` working days (default 1) after `due_at`, still not
  met -> `escalated_at` set, `deadline.escalated` to the escalation unit (`HUB_ESCALATION_UNIT`,
  default `sfj`, the justice bureau).

Each action happens exactly once however many schedulers run: the action's transaction locks
the case row, then claims the deadline with
``UPDATE deadline SET <col> = now WHERE id = ? AND <col> IS NULL AND met_at IS NULL`` and acts
only if one row changed; its messages and audit entry commit with the claim. A scheduler that
loses the race changes nothing. Locking the case row first keeps the lock order of the case
services (case row, then deadlines, then feed counters), so no deadlock with them.

Referral answer deadlines (`referral_answer_by`, the court's or commission's answer) are made
here when a referral is requested and met when its result arrives; they act the same way.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import and_, or_, update
from sqlmodel import Session, col, select

from hub import jsonutil
from hub.config import DEFAULT_REFERRAL_DAYS as DEFAULT_REFERRAL_DAYS
from hub.config import SchedulerSettings as SchedulerSettings
from hub.domain import destinations as dest
from hub.domain.calendar import (
    DEADLINE_ACTIONS as DEADLINE_TEXT,
)
from hub.domain.calendar import (
    add_working_hours,
    working_hours_between,
)
from hub.logsafety import bound, get_logger
from hub.services import calendar as working_calendar
from hub.services import records, retention
from hub.services.casework import NOTIFY
from hub.services.context import HubContext
from hub.store import audit, cases
from hub.store.models import Deadline, Institution, Unit
from hub.store.outbox import enqueue
from hub.supervision import Supervised

log = get_logger("hub.ops.scheduler")


@dataclass
class Counts:
    reminded: int = 0
    overdue: int = 0
    escalated: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"reminded": self.reminded, "overdue": self.overdue, "escalated": self.escalated}


# ------------------------------------------------------------------ referral deadlines


# ------------------------------------------------------------------ one pass


def _notice(
    kind: str, what: str, inst_name: str, no: str, due_at: datetime, extra: str
) -> dict[str, str]:
    zh, en = DEADLINE_TEXT.get(kind, (kind, kind))
    due = jsonutil.rfc3339(due_at)
    texts = {
        "reminder": (
            f"办件 {no} 的「{zh}」期限将于 {due} 届满，{inst_name}请及时办理。{extra}",
            f"Case {no}: the deadline to {en} ends at {due}.",
        ),
        "overdue": (
            f"办件 {no} 的「{zh}」期限已于 {due} 届满，{inst_name}尚未办理，已标记为超期（红色）。",
            f"Case {no}: the deadline to {en} passed at {due}; marked overdue.",
        ),
        "escalated": (
            f"督办：办件 {no} 的「{zh}」期限于 {due} 届满后超过一个工作日仍未办理"
            f"（承办机构：{inst_name}），请督促处理。{extra}",
            f"Escalation: case {no}, deadline to {en} ({due}) still unmet one working day later.",
        ),
    }
    text_zh, text_en = texts[what]
    return {"zh": text_zh, "en": text_en}


def _claim(session: Session, deadline_id: int, column: str, now: datetime) -> bool:
    target = getattr(Deadline, column)
    stmt = (
        update(Deadline)
        .where(
            col(Deadline.id) == deadline_id,
            col(Deadline.met_at).is_(None),
            col(target).is_(None),
        )
        .values({column: now})
    )
    if column == "escalated_at":
        stmt = stmt.where(col(Deadline.overdue_at).is_not(None))
    result: Any = session.execute(stmt)
    return int(result.rowcount) == 1


def _act(
    ctx: HubContext,
    deadline_id: int,
    application_no: str,
    what: str,
    now: datetime,
    settings: SchedulerSettings,
) -> bool:
    with bound(application_no=application_no):
        acted = _act_on(ctx, deadline_id, application_no, what, now, settings)
        if acted:
            log.info("deadline action taken", action=what)
        return acted


def _act_on(
    ctx: HubContext,
    deadline_id: int,
    application_no: str,
    what: str,
    now: datetime,
    settings: SchedulerSettings,
) -> bool:
    column = {"reminder": "reminded_at", "overdue": "overdue_at", "escalated": "escalated_at"}[what]
    with ctx.db.transaction() as session:
        app = cases.load(session, application_no, for_update=True)
        if app is None or not _claim(session, deadline_id, column, now):
            return False
        d = session.get(Deadline, deadline_id)
        assert d is not None
        inst = session.get(Institution, d.institution_id) if d.institution_id else None
        unit_id = d.unit_id or (inst.unit_id if inst else None)
        unit = session.get(Unit, unit_id) if unit_id else None
        # A unit's own clock (a case it dispatches by hand) is the unit's to keep: it is
        # reminded and marked overdue itself, and escalated above it, as an institution is.
        holder = d.institution_id or d.unit_id
        holder_at = (  # where its messages go, by the kind of party it is
            dest.institution(d.institution_id)
            if d.institution_id
            else (dest.unit(d.unit_id) if d.unit_id else None)
        )
        inst_name = inst.name if inst else (unit.name if d.unit_id and unit else holder or "")
        late = round(max(0.0, working_hours_between(d.due_at, now)), 2)
        base: dict[str, Any] = {
            "deadline": d.kind,
            "due_at": jsonutil.rfc3339(d.due_at),
            "provisional": d.provisional,
            "institution": (
                {"id": d.institution_id, "name": inst_name} if d.institution_id else None
            ),
            "unit": unit_id,
            "status": app.status,
        }
        destinations: list[str] = []
        if what == "reminder":
            left = round(working_hours_between(now, d.due_at), 2)
            base["remaining_working_hours"] = left
            base["notice"] = _notice(
                d.kind, what, inst_name, app.no, d.due_at, f"剩余约 {left:g} 个工作小时。"
            )
            destinations = [holder_at] if holder_at else []
        elif what == "overdue":
            base["overdue_working_hours"] = late
            base["notice"] = _notice(d.kind, what, inst_name, app.no, d.due_at, "")
            base["liaison"] = unit.liaison if unit else None
            destinations = [x for x in (holder_at, unit_id and dest.unit(unit_id)) if x]
        else:
            base["overdue_working_hours"] = late
            unit_name = unit.name if unit else (unit_id or "")
            base["notice"] = _notice(
                d.kind, what, inst_name, app.no, d.due_at, f"主管单位：{unit_name}。"
            )
            destinations = [dest.unit(settings.escalation_unit)]
        for destination in dict.fromkeys(destinations):
            enqueue(
                session,
                ctx.vault,
                destination=destination,
                type=f"deadline.{what}",
                application_no=app.no,
                data=base,
                occurred_at=now,
            )
        liaison = unit.liaison if unit else None
        duty = duty_contact(inst.duty if inst else liaison, liaison, what)
        if duty is not None:
            tell_duty(ctx, session, duty, what, app.no, d.kind, d.due_at, now)
        if what != "reminder":
            records.add_event(
                ctx,
                session,
                app,
                type=f"deadline_{what}",
                at=now,
                actor_role="system",
                actor_party="scheduler",
                data={"deadline": d.kind, "due_at": jsonutil.rfc3339(d.due_at)},
                public=False,
            )
        audit.append(
            session,
            chain=app.no,
            at=now,
            actor_role="system",
            actor_party="scheduler",
            action=f"deadline.{what}",
            application_no=app.no,
            detail={
                "deadline_id": deadline_id,
                "kind": d.kind,
                "due_at": jsonutil.rfc3339(d.due_at),
                "to": destinations,
            },
        )
        return True


def duty_contact(
    duty: dict[str, Any] | None, liaison: dict[str, Any] | None, what: str
) -> dict[str, Any] | None:
    """Who gets a reminder by SMS (待办提醒): the institution's duty contact for its own
    reminders and red lights, the unit's liaison for dunning and escalation."""
    contact = liaison if what in ("escalated", "dunning") else duty
    if not contact or not contact.get("phone"):
        return None
    return {k: contact[k] for k in ("name", "phone") if contact.get(k)}


def tell_duty(
    ctx: HubContext,
    session: Session,
    contact: dict[str, Any],
    what: str,
    subject: str,
    deadline: str,
    due_at: datetime,
    now: datetime,
    **extra: Any,
) -> None:
    """An SMS to a named person on duty, beside the message to the party's feed."""
    enqueue(
        session,
        ctx.vault,
        destination=NOTIFY,
        type="notice.duty_reminder",
        application_no=subject if "workorder_no" not in extra else None,
        data={
            "notice": "duty_reminder",
            "what": "dunning" if what == "escalated" else what,
            "deadline": deadline,
            "due_at": jsonutil.rfc3339(due_at),
            "recipients": [contact],
            **extra,
        },
        occurred_at=now,
    )


#: Open deadlines read a page at a time: a pass holds at most this many in memory, however
#: many are due (5,000,000 cases seeded by SQL left 730,000 due at once: the whole list held
#: the hub at 447 MB before any request).
PAGE = 1000

Row = tuple[int, str, datetime, datetime | None]


def _open(ctx: HubContext, *conditions: Any) -> Iterator[Row]:
    """The open deadlines matching `conditions`, by `due_at` then id, read `PAGE` at a time
    (keyset: after the last one read, so rows an action changed are not read twice and rows
    it left alone are not read forever); each page in its own short read."""
    after: tuple[datetime, int] | None = None
    while True:
        with ctx.db.read() as session:
            stmt = select(
                Deadline.id, Deadline.application_no, Deadline.due_at, Deadline.overdue_at
            ).where(col(Deadline.met_at).is_(None), *conditions)
            if after is not None:
                due, did = after
                stmt = stmt.where(
                    or_(
                        col(Deadline.due_at) > due,
                        and_(col(Deadline.due_at) == due, col(Deadline.id) > did),
                    )
                )
            rows = session.exec(
                stmt.order_by(col(Deadline.due_at), col(Deadline.id)).limit(PAGE)
            ).all()
        page = [(int(r[0] or 0), r[1], r[2], r[3]) for r in rows]
        yield from page
        if len(page) < PAGE:
            return
        after = (page[-1][2], page[-1][0])


def recount_deadlines(ctx: HubContext, cases: list[str], conditions: list[Any]) -> tuple[int, int]:
    """Count the open deadlines of `cases` again on the process's calendar (a year became
    known); answers (looked at, moved). One unit of work per case, so that a case is locked
    only while its own deadlines are counted."""
    looked = moved = 0
    for no in cases:
        n, m = ctx.db.run(partial(working_calendar.recount_case, ctx, no=no, conditions=conditions))
        looked, moved = looked + n, moved + m
    if moved:
        log.info("calendar: %s deadlines counted again, %s moved", looked, moved)
    return looked, moved


def run_once(ctx: HubContext, settings: SchedulerSettings | None = None) -> dict[str, int]:
    """One pass over the open deadlines; answers how many of each action this pass took."""
    settings = settings or ctx.settings.scheduler
    recount_deadlines(ctx, *working_calendar.new_years_to_recount(ctx))
    now = ctx.clock.now()
    counts = Counts()
    # Holidays stretch working time: a deadline 4 working hours away may be 10 days away.
    horizon = now + timedelta(days=21, hours=settings.remind_hours)
    # Only deadlines due before the moment `remind_hours` of working time from now can be
    # reminded (working time never decreases): the query leaves the rest out, instead of
    # reading every deadline of the next 21 days and counting each one's working hours here,
    # which held the GIL ~100 ms a pass at 10,000 open cases and stalled intake beside it.
    first_unremindable, _ = add_working_hours(now, settings.remind_hours)
    horizon = min(horizon, first_unremindable.astimezone(now.tzinfo))
    soon = _open(
        ctx,
        col(Deadline.reminded_at).is_(None),
        col(Deadline.overdue_at).is_(None),
        col(Deadline.due_at) > now,
        col(Deadline.due_at) <= horizon,
    )
    for did, no, due_at, _ in soon:
        if working_hours_between(now, due_at) < settings.remind_hours and _act(
            ctx, did, no, "reminder", now, settings
        ):
            counts.reminded += 1
    for did, no, _due_at, _ in _open(
        ctx, col(Deadline.overdue_at).is_(None), col(Deadline.due_at) <= now
    ):
        if _act(ctx, did, no, "overdue", now, settings):
            counts.overdue += 1
    # Read after the overdue marks: the deadlines this pass marked are among them.
    late = _open(
        ctx,
        col(Deadline.escalated_at).is_(None),
        col(Deadline.overdue_at).is_not(None),
        col(Deadline.due_at) <= now,
    )
    threshold = 24.0 * settings.escalate_after_days
    for did, no, due_at, _ in late:
        if working_hours_between(due_at, now) >= threshold and _act(
            ctx, did, no, "escalated", now, settings
        ):
            counts.escalated += 1
    if counts.reminded or counts.overdue or counts.escalated:
        log.info("scheduler pass: %s", counts.as_dict())
    return counts.as_dict()


# ------------------------------------------------------------------ running it


def run_pass(ctx: HubContext, settings: SchedulerSettings | None = None) -> dict[str, int]:
    """One pass of everything that runs on the clock: case deadlines, then work orders."""
    from hub.ops import workorder_clock

    settings = settings or ctx.settings.scheduler
    counts = run_once(ctx, settings)
    now = ctx.clock.now()
    done = dict.fromkeys(workorder_clock.ACTIONS, 0)
    for no, what in workorder_clock.due(
        ctx,
        now,
        remind_hours=settings.remind_hours,
        escalate_after_days=settings.escalate_after_days,
    ):
        act = partial(
            workorder_clock.act, ctx, no=no, what=what, now=now, hotline=settings.escalation_unit
        )
        done[what] += ctx.db.run(act)
    return {**counts, **{f"workorder_{k}": v for k, v in done.items()}}


def run_forever(
    ctx: HubContext,
    stop: threading.Event,
    settings: SchedulerSettings | None = None,
    on_pass: Callable[[dict[str, int]], None] | None = None,
) -> None:
    settings = settings or ctx.settings.scheduler
    housekeeping = retention.PeriodicPurge()
    while not stop.is_set():
        try:
            counts = run_pass(ctx, settings)
            if on_pass:
                on_pass(counts)
        except Exception as exc:  # keep the clock ticking; the next pass retries
            log.error("scheduler pass failed: %s", type(exc).__name__)
        try:
            purged = ctx.db.run(lambda s: retention.purge(ctx, s)) if housekeeping.due() else {}
            if any(purged.values()):
                log.info("retention purge: %s", purged)
        except Exception as exc:
            log.error("retention purge failed: %s", type(exc).__name__)
        stop.wait(settings.interval_seconds)


def start_for_server(ctx: HubContext, app: Any) -> Callable[[], None] | None:
    """`hub serve`: run the scheduler in a background thread (HUB_SCHEDULER=off disables)."""
    if not ctx.settings.scheduler.in_server:
        return None
    stop = threading.Event()
    # restarted if it dies
    thread = Supervised("hub-scheduler", lambda: run_forever(ctx, stop), stop).start()

    def halt() -> None:
        stop.set()
        thread.join(timeout=10)

    return halt
