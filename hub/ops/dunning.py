"""催办 (dunning): a supervisor presses an institution about a case past its deadline.

`POST /v1/applications/{no}/dunning` and the console's red-light board
(`/web/console/overdue`) call `dun`. Who may: a unit for the cases of its own institutions,
the justice bureau and `admin` for every case (`hub.services.access.supervises`). Only a
case with an open deadline already past may be dunned (else 409). The institution receives
`deadline.dunning` (which deadline, due when, how many working days late, who pressed and
their note) and its duty contact an SMS; the case's timeline gets a non-public `dunned` step
and the audit trail the person's login.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from hub import jsonutil
from hub.domain import destinations
from hub.domain.calendar import DEADLINE_ACTIONS, working_days_late, working_hours_between
from hub.ops.scheduler import duty_contact, tell_duty
from hub.services import records
from hub.services.access import supervises
from hub.services.casework import load_case, record_audit
from hub.services.context import HubContext
from hub.services.errors import Conflict, NotFound
from hub.services.principal import Principal
from hub.store.models import Institution, Unit
from hub.store.outbox import enqueue

MESSAGE_TYPE = "deadline.dunning"


def dun(
    ctx: HubContext, session: Session, principal: Principal, no: str, body: dict[str, Any]
) -> dict[str, Any]:
    """Press the case's institution about its most overdue open deadline."""
    now = ctx.clock.now()
    app = load_case(session, no)
    if app.institution_id is None or not supervises(ctx, session, principal, app.institution_id):
        raise NotFound("没有这个办件 / no such application")
    late = [d for d in records.open_deadlines(session, no) if d.due_at <= now]
    late = [d for d in late if d.institution_id in (None, app.institution_id)]
    if not late:
        raise Conflict(
            "该办件没有超期的期限，无需催办 / no deadline of this case is past: nothing to press",
            current_status=app.status,
        )
    worst = min(late, key=lambda d: d.due_at)
    inst = session.get(Institution, app.institution_id)
    unit = session.get(Unit, principal.party) if principal.party else None
    by_name = unit.name if unit else (principal.party or principal.role.value)
    days = working_days_late(worst.due_at, now)
    zh, en = DEADLINE_ACTIONS.get(worst.kind, (worst.kind, worst.kind))
    due = jsonutil.rfc3339(worst.due_at)
    note = (body.get("note") or "").strip() or None
    data: dict[str, Any] = {
        "deadline": worst.kind,
        "due_at": due,
        "working_days_late": days,
        "overdue_working_hours": round(max(0.0, working_hours_between(worst.due_at, now)), 2),
        "institution": {"id": app.institution_id, "name": inst.name if inst else ""},
        "by": principal.party,
        "by_name": by_name,
        "status": app.status,
        "notice": {
            "zh": f"催办：办件 {no} 的「{zh}」期限已于 {due} 届满，已超期 {days} 个工作日，"
            f"请尽快办理（{by_name}）。{note or ''}",
            "en": f"Dunning: case {no}, the deadline to {en} passed at {due} "
            f"({days} working days late); please act ({principal.party}).",
        },
    }
    if note:
        data["note"] = note
    message_id = enqueue(
        session,
        ctx.vault,
        destination=destinations.institution(app.institution_id),
        type=MESSAGE_TYPE,
        application_no=no,
        data=data,
        occurred_at=now,
    )
    duty = duty_contact(inst.duty if inst else None, None, "overdue")
    if duty is not None:  # the institution's own person on duty, by SMS
        tell_duty(ctx, session, duty, "dunning", no, worst.kind, worst.due_at, now)
    step = {"deadline": worst.kind, "working_days_late": days, "by": principal.party}
    if note:
        step["note"] = note
    records.add_event(
        ctx,
        session,
        app,
        type="dunned",
        at=now,
        actor_role=principal.role,
        actor_party=principal.party,
        data=step,
        public=False,
    )
    record_audit(session, app, principal, MESSAGE_TYPE, now, {"deadline": worst.kind, "days": days})
    return {
        "application_no": no,
        "message_id": message_id,
        "deadline": worst.kind,
        "working_days_late": days,
        "institution": {"id": app.institution_id, "name": inst.name if inst else ""},
    }
