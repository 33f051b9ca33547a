"""Work orders on the clock (INTERFACE 14): the scheduler's step, beside case deadlines.

- not dispatched 2 working hours after filing: `workorder.dispatch_overdue` to the hotline
  (the escalation unit, `sfj` by default);
- fewer than `remind_hours` working hours left to answer: `workorder.reminder` to the
  institution;
- not answered when due: red (`overdue_at`), `workorder.overdue` to the institution;
- still not answered `escalate_after_days` working days later: `workorder.dunning` (催办)
  to the institution's unit.

Each action claims its column with `UPDATE ... WHERE <column> IS NULL AND status IN (...)`
and commits its messages and audit entry with the claim, so it happens once however many
schedulers run.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from hub import jsonutil
from hub.domain import destinations as dest
from hub.domain.calendar import working_hours_between
from hub.ops.scheduler import duty_contact, tell_duty
from hub.ops.workorders import OPEN, TYPE_TEXT
from hub.services.context import HubContext
from hub.store import audit
from hub.store.models import Institution, Unit
from hub.store.models_ops import WorkOrder
from hub.store.outbox import enqueue
from hub.store.unit_of_work import UnitOfWork


def _claim(
    session: Session,
    no: str,
    column: str,
    now: datetime,
    statuses: tuple[str, ...],
    extra: Any = None,
) -> bool:
    stmt = (
        update(WorkOrder)
        .where(
            col(WorkOrder.no) == no,
            getattr(WorkOrder, column).is_(None),
            col(WorkOrder.status).in_(statuses),
        )
        .values({column: now})
    )
    if extra is not None:
        stmt = stmt.where(extra)
    result: Any = session.execute(stmt)
    return int(result.rowcount) == 1


def act(
    ctx: HubContext, session: UnitOfWork, no: str, what: str, now: datetime, hotline: str
) -> bool:
    """Take one action on work order `no` in the caller's unit of work (the scheduler opens
    one per action); False when another node took it first."""
    column, statuses, extra = {
        "dispatch_overdue": ("dispatch_overdue_at", ("submitted",), None),
        "reminder": ("reminded_at", ("dispatched",), None),
        "overdue": ("overdue_at", OPEN, None),
        "dunning": ("dunned_at", OPEN, col(WorkOrder.overdue_at).is_not(None)),
    }[what]
    if not _claim(session, no, column, now, statuses, extra):
        return False
    wo = session.get(WorkOrder, no)
    assert wo is not None
    inst = session.get(Institution, wo.institution_id) if wo.institution_id else None
    name = inst.name if inst else "热线"
    kind_zh = TYPE_TEXT[wo.type][0]
    due = jsonutil.rfc3339(wo.answer_by)
    dispatch_by = jsonutil.rfc3339(wo.dispatch_by)
    texts = {
        "dispatch_overdue": (
            f"工单 {no}（{kind_zh}）已超过派单时限 {dispatch_by}，请立即派单。",
            f"Work order {no} was due to be dispatched by {dispatch_by}.",
            [dest.unit(hotline)],
        ),
        "reminder": (
            f"工单 {no}（{kind_zh}）答复期限 {due} 将至，{name}请及时答复。",
            f"Work order {no}: answer due at {due}.",
            [dest.institution(wo.institution_id)] if wo.institution_id else [],
        ),
        "overdue": (
            f"工单 {no}（{kind_zh}）已超过答复期限 {due}，{name}尚未答复，已标红。",
            f"Work order {no} passed its answer deadline {due}; marked red.",
            [dest.institution(wo.institution_id)] if wo.institution_id else [dest.unit(hotline)],
        ),
        "dunning": (
            f"催办：工单 {no}（{kind_zh}）超过答复期限 {due} 一个工作日仍未答复"
            f"（承办机构：{name}），请督促办理。",
            f"Dunning: work order {no} still unanswered one working day after {due}.",
            [dest.unit(wo.unit_id or hotline)],
        ),
    }
    zh, en, destinations = texts[what]
    for destination in destinations:
        enqueue(
            session,
            ctx.vault,
            destination=destination,
            type=f"workorder.{what}",
            application_no=wo.application_no,
            data={
                "workorder_no": no,
                "type": wo.type,
                "status": wo.status,
                "institution": wo.institution_id,
                "answer_by": due,
                "notice": {"zh": zh, "en": en},
            },
            occurred_at=now,
        )
    unit = session.get(Unit, wo.unit_id or hotline)
    duty = duty_contact(inst.duty if inst else None, unit.liaison if unit else None, what)
    if duty is not None and what != "dispatch_overdue":
        tell_duty(ctx, session, duty, what, no, "answer_by", wo.answer_by, now, workorder_no=no)
    audit.append(
        session,
        chain=no,
        at=now,
        actor_role="system",
        actor_party="scheduler",
        action=f"workorder.{what}",
        application_no=wo.application_no,
        detail={"workorder_no": no, "to": destinations},
    )
    return True


#: What the clock does to a work order, in the order of a pass.
ACTIONS = ("dispatch_overdue", "reminder", "overdue", "dunning")


def due(
    ctx: HubContext, now: datetime, *, remind_hours: float, escalate_after_days: int
) -> list[tuple[str, str]]:
    """The actions a pass over the open work orders takes at `now`: (work order, action),
    each for `act` in a unit of work of its own."""
    wo = WorkOrder
    actions: list[tuple[str, str]] = []
    with ctx.db.read() as session:
        late_dispatch = session.exec(
            select(wo.no).where(
                col(wo.status) == "submitted",
                col(wo.dispatch_overdue_at).is_(None),
                col(wo.dispatch_by) <= now,
            )
        ).all()
        soon = session.exec(
            select(wo.no, wo.answer_by).where(
                col(wo.status) == "dispatched",
                col(wo.reminded_at).is_(None),
                col(wo.answer_by) > now,
                col(wo.answer_by) <= now + timedelta(days=21),
            )
        ).all()
        overdue = session.exec(
            select(wo.no).where(
                col(wo.status).in_(OPEN), col(wo.overdue_at).is_(None), col(wo.answer_by) <= now
            )
        ).all()
        late = session.exec(
            select(wo.no, wo.answer_by).where(
                col(wo.status).in_(OPEN),
                col(wo.overdue_at).is_not(None),
                col(wo.dunned_at).is_(None),
            )
        ).all()
    actions += [(no, "dispatch_overdue") for no in late_dispatch]
    actions += [
        (no, "reminder")
        for no, answer_by in soon
        if working_hours_between(now, answer_by) < remind_hours
    ]
    actions += [(no, "overdue") for no in overdue]
    actions += [
        (no, "dunning")
        for no, answer_by in late
        if working_hours_between(answer_by, now) >= 24.0 * escalate_after_days
    ]
    return actions
