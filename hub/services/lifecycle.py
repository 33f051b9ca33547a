"""Institution events (Art. 9-11), withdrawal and a unit's manual dispatch."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from hub import jsonutil
from hub.domain import destinations
from hub.domain.calendar import working_hours_between
from hub.domain.case import Case
from hub.domain.errors import InvalidTransition
from hub.domain.routing import MEDIATION_KINDS
from hub.domain.status import (
    EventType,
    Status,
    can_dispatch_by_unit,
    can_withdraw,
    next_status_for_event,
)
from hub.logsafety import get_logger
from hub.services import records
from hub.services.access import may_view, sees_everything
from hub.services.casework import (
    close_deadlines,
    dispatch,
    leave_institution,
    load_case,
    notify_applicant,
    notify_portal,
    record_audit,
    route_or_park,
    save_case,
    touch,
)
from hub.services.context import HubContext
from hub.services.errors import Conflict, NotFound
from hub.services.principal import Principal, Role
from hub.store.models import CaseEvent, Institution
from hub.store.outbox import enqueue

log = get_logger("hub.lifecycle")

#: Which open clocks an event stops (INTERFACE 6).
_MEETS: dict[EventType, set[str]] = {
    EventType.RECEIVED: {"acknowledge_by"},
    EventType.RESPONDENT_CONTACTED: {"respondent_contact_by"},
    EventType.ACCEPTED: {"acknowledge_by", "decide_by"},
}
_NOTICES = {
    EventType.ACCEPTED: "accepted",
    EventType.REJECTED: "rejected",
    EventType.CLOSED: "closed",
}


def wrong_state(exc: InvalidTransition) -> Conflict:
    zh, en = records.status_words(exc.current)
    act_zh, act_en = records.ACTION_TEXT.get(exc.attempted, ("进行该操作", "this action"))
    return Conflict(
        f"办件当前状态为「{zh}」，不能{act_zh} / {act_en} is not allowed in status "
        f"{exc.current} ({en})",
        current_status=str(exc.current),
    )


def _held_by(app: Case, principal: Principal) -> bool:
    return principal.role is Role.INSTITUTION and app.institution_id == principal.party


#: The one answer for a case the caller may not act on, whatever the reason.
NO_SUCH_CASE = "没有这个办件 / no such application"


def record_event(
    ctx: HubContext, session: Session, principal: Principal, no: str, body: dict[str, Any]
) -> dict[str, Any]:
    """POST /v1/applications/{no}/events, idempotent on `event_id`."""
    now = ctx.clock.now()
    digest = hashlib.sha256(jsonutil.dumps(body).encode()).hexdigest()
    app = load_case(session, no)
    previous = session.exec(select(CaseEvent).where(CaseEvent.event_id == body["event_id"])).first()
    if previous is not None:
        if previous.actor_role != principal.role or previous.actor_party != principal.party:
            raise NotFound(NO_SUCH_CASE)  # another party's event id
        if previous.application_no != no and not _held_by(app, principal):
            raise NotFound(NO_SUCH_CASE)  # one's own id on another's case: as if none
        if previous.application_no != no or previous.request_hash != digest:
            raise Conflict("event_id 已用于另一事件 / event_id already used for another event")
        return {"application_no": no, "event_id": body["event_id"], "status": previous.status_after}
    if not _held_by(app, principal):
        raise NotFound(NO_SUCH_CASE)
    event = EventType(body["type"])
    data: dict[str, Any] = body.get("data") or {}
    try:
        new_status = next_status_for_event(Status(app.status), event, data)
    except InvalidTransition as exc:
        raise wrong_state(exc) from exc

    holder = app.institution_id
    status_before = app.status
    if event in (EventType.REJECTED, EventType.CLOSED, EventType.RETURNED):
        leave_institution(session, app)
        close_deadlines(session, no, now)
    else:
        close_deadlines(session, no, now, _MEETS.get(event, set()))
    if event is EventType.ACCEPTED:
        app.accepted_at = now
        if app.dispatched_at is not None:  # kept for statistics (never dispatched again)
            app.accept_hours = working_hours_between(app.dispatched_at, now)
    if event is EventType.CLOSED:
        app.closed_at = now
        app.outcome = data["outcome"]
    touch(app, new_status, now)
    records.add_event(
        ctx,
        session,
        app,
        type=event,
        at=now,
        actor_role=principal.role,
        actor_party=principal.party,
        data=data,
        event_id=body["event_id"],
        request_hash=digest,
    )
    if event is EventType.RETURNED:
        app.returned_by = [*(app.returned_by or []), holder or ""]
        session.flush()
        route_or_park(ctx, session, app, at=now, actor=principal)
        # a repeat of this event_id answers what this call answers: the status after re-routing
        session.execute(
            update(CaseEvent)
            .where(col(CaseEvent.event_id) == body["event_id"])
            .values(status_after=app.status)
        )
    save_case(session, app)
    if app.status != status_before or event is EventType.RETURNED:
        notify_portal(ctx, session, app, now)
    notice = _NOTICES.get(event)
    if notice:
        extra: dict[str, Any] = {k: data[k] for k in ("reason", "outcome", "remedies") if k in data}
        notify_applicant(ctx, session, app, notice, now, extra)
    record_audit(session, app, principal, f"event.{event}", now, {"status": app.status})
    log.info("institution event recorded", type=str(event), status=app.status)
    return {"application_no": no, "event_id": body["event_id"], "status": app.status}


def withdraw(
    ctx: HubContext, session: Session, principal: Principal, no: str, body: dict[str, Any]
) -> dict[str, Any]:
    """POST /v1/applications/{no}/withdraw (the portal that submitted it), before closure."""
    now = ctx.clock.now()
    app = load_case(session, no)
    if app.submitted_by_role != "portal" or app.submitted_by_party != principal.party:
        raise NotFound("没有这个办件 / no such application")
    if not can_withdraw(Status(app.status)):
        raise Conflict(
            "办件当前状态为「{0[0]}」，不能撤回 / cannot withdraw in status {1} ({0[1]})".format(
                records.status_words(app.status), app.status
            ),
            current_status=app.status,
        )
    holder = app.institution_id
    leave_institution(session, app)
    close_deadlines(session, no, now)
    touch(app, Status.WITHDRAWN, now)
    reason = body.get("reason")
    records.add_event(
        ctx,
        session,
        app,
        type="withdrawn",
        at=now,
        actor_role=principal.role,
        actor_party=principal.party,
        data={"reason": reason} if reason else None,
    )
    if holder:
        enqueue(
            session,
            ctx.vault,
            destination=destinations.institution(holder),
            type="application.withdrawn",
            application_no=no,
            data={"status": app.status, "reason": reason},
            occurred_at=now,
        )
    notify_portal(ctx, session, app, now)
    notify_applicant(ctx, session, app, "withdrawn", now)
    record_audit(session, app, principal, "application.withdrawn", now)
    save_case(session, app)
    log.info("application withdrawn", status=app.status)
    return {"application_no": no, "status": app.status}


def _covers(target: Institution, app: Case) -> bool:
    """Whether a mediation institution takes cases of this category in this district."""
    return (
        target.kind in MEDIATION_KINDS
        and app.category in (target.categories or ())
        and app.district in (target.districts or ())
    )


def unit_dispatch(
    ctx: HubContext, session: Session, principal: Principal, no: str, body: dict[str, Any]
) -> dict[str, Any]:
    """POST /v1/applications/{no}/dispatch: a unit hands a case it may see (`may_view`: one
    its institutions hold, or an undeliverable one it is offered) to one of its own
    institutions that covers the case's category and district; the justice bureau and
    `admin`, who oversee every institution, to any that covers it. Anything else is answered
    exactly as a case that does not exist (no oracle of what exists, issue 12 items 2, 8)."""
    now = ctx.clock.now()
    app = load_case(session, no)
    if not may_view(ctx, session, principal, app):
        raise NotFound(NO_SUCH_CASE)
    target = session.get(Institution, body["institution"])
    ours = target is not None and (
        sees_everything(ctx, principal) or target.unit_id == principal.party
    )
    if target is None or not ours or not _covers(target, app):
        raise NotFound(NO_SUCH_CASE)
    holder = session.get(Institution, app.institution_id) if app.institution_id else None
    if not can_dispatch_by_unit(Status(app.status)):
        raise Conflict(
            "办件当前状态为「{0[0]}」，不能分派 / cannot dispatch in status {1} ({0[1]})".format(
                records.status_words(app.status), app.status
            ),
            current_status=app.status,
        )
    if target.state != "active":
        zh, en = records.state_words(target.state)
        raise Conflict(f"该机构状态为「{zh}」 / the institution is {en}")
    if target.id == app.institution_id:
        raise Conflict(
            "该办件已在此机构 / already with this institution", current_status=app.status
        )
    if holder is not None:
        leave_institution(session, app)
        enqueue(
            session,
            ctx.vault,
            destination=destinations.institution(holder.id),
            type="application.reassigned",
            application_no=no,
            data={"to": target.id},
            occurred_at=now,
        )
    dispatch(ctx, session, app, target.id, at=now, actor=principal)
    notify_portal(ctx, session, app, now)
    record_audit(session, app, principal, "application.dispatched_by_unit", now, {"to": target.id})
    save_case(session, app)
    log.info("application dispatched by hand", institution=target.id, status=app.status)
    return {
        "application_no": no,
        "status": app.status,
        "institution": {"id": target.id, "name": target.name},
    }


__all__ = ["record_event", "route_or_park", "unit_dispatch", "withdraw"]
