"""Steps shared by the use cases that move a case: dispatch, status change, messages, audit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from hub import jsonutil
from hub.domain import destinations
from hub.domain.calendar import Deadline as DueDate
from hub.domain.calendar import current as working_calendar_current
from hub.domain.calendar import deadlines_for_dispatch
from hub.domain.case import Case
from hub.domain.errors import InvalidApplicationNumber
from hub.domain.numbering import parse_application_number
from hub.domain.status import Status
from hub.services import calendar as working_calendar
from hub.services import records
from hub.services.context import HubContext
from hub.services.errors import Conflict, Invalid, NotFound
from hub.services.principal import Principal
from hub.services.registry_cache import REGISTRY
from hub.services.routing import assign, release, route_new_case
from hub.store import audit, cases
from hub.store.models import Deadline
from hub.store.outbox import enqueue
from hub.store.unit_of_work import emit

#: The clock of a unit that dispatches a new case by hand (INTERFACE 17, `dispatch: manual`).
UNIT_DISPATCH_DEADLINE = "dispatch_by"

#: Outbox destination of applicant notices (SMS / e-mail), served by the notify connector.
NOTIFY = destinations.NOTIFY


def canonical_no(text: str) -> str:
    """A number as typed by a user, checked and in canonical form; a bad one is 404-proof 422."""
    try:
        return str(parse_application_number(text))
    except InvalidApplicationNumber as exc:
        message = f"办件编号无效 / invalid application number: {exc}"
        raise Invalid.at("/application_no", message) from None


def load_case(session: Session, no: str, *, for_update: bool = True) -> Case:
    """Case `no` (locked for the transaction when `for_update`), or 404. A step that changes
    it ends with `save_case`."""
    app = cases.load(session, no, for_update=for_update)
    if app is None:
        raise NotFound("没有这个办件 / no such application")
    return app


def save_case(session: Session, app: Case) -> None:
    """Write back the case's changes (one UPDATE guarded by its version)."""
    try:
        cases.save(session, app)
    except cases.StaleCase:
        raise Conflict(
            "办件已被同时修改，请重试 / the application was changed at the same time; retry",
            current_status=app.status,
        ) from None


def touch(app: Case, status: Status, at: datetime) -> None:
    app.status = status
    app.updated_at = at
    app.version += 1


def _deadlines(session: Session, at: datetime, decide_days: int) -> list[DueDate]:
    """The dispatch clocks, on a calendar that has every schedule loaded so far: one read
    of the loaded years every half minute, and at once before a provisional answer."""
    working_calendar.sync(session)
    dues = deadlines_for_dispatch(at, decide_days)
    if any(d.provisional for d in dues) and working_calendar.sync(
        session, working_calendar.PROVISIONAL_SYNC_SECONDS
    ):
        dues = deadlines_for_dispatch(at, decide_days)
    return dues


def open_clock(
    session: Session,
    no: str,
    due: DueDate,
    counted_from: datetime,
    *,
    institution_id: str | None = None,
    unit_id: str | None = None,
) -> None:
    """A working-day clock on the case, addressed to the institution or the unit that
    must act; `counted_from` and `working_days` let a provisional one be counted again."""
    emit(
        session,
        Deadline,
        {
            "application_no": no,
            "kind": due.kind,
            "institution_id": institution_id,
            "unit_id": unit_id,
            "due_at": due.due_at,
            "provisional": due.provisional,
            "counted_from": counted_from,
            "working_days": due.working_days,
        },
    )


def dispatch(
    ctx: HubContext,
    session: Session,
    app: Case,
    institution_id: str,
    *,
    at: datetime,
    actor: Principal,
    personal: dict[str, Any] | None = None,
    acknowledged: bool = False,
    deliver_by: datetime | None = None,
) -> list[DueDate]:
    """Hand the case to an institution: its load, its clocks, its message, the timeline.

    `personal` is the case's personal part when the caller already holds it in clear
    (intake), which saves opening the sealed copy. `acknowledged`: the institution has the
    case in hand already (a walk-in it entered), so no acknowledgement clock is started.
    `deliver_by`: the new-case message must arrive by then even if the institution's own
    acknowledgement clock runs longer (a case re-offered after a failed delivery keeps the
    deadline of its first offer).
    """
    assign(session, institution_id, at)
    first_dispatch = app.dispatched_at is None
    if not first_dispatch:  # a case moving on: the previous holder's clocks stop
        close_deadlines(session, app.no, at)
    elif app.awaiting_unit is not None:  # the unit dispatched it by hand: its clock stops
        close_deadlines(session, app.no, at, {UNIT_DISPATCH_DEADLINE})
    app.awaiting_unit = None
    app.institution_id = institution_id
    app.dispatched_at = at
    touch(app, Status.DISPATCHED, at)
    dues = [
        d
        for d in _deadlines(session, at, ctx.settings.decide_days)
        if not (acknowledged and d.kind == "acknowledge_by")
    ]
    for d in dues:
        open_clock(session, app.no, d, at, institution_id=institution_id)
    records.add_event(
        ctx,
        session,
        app,
        type="dispatched",
        at=at,
        actor_role=actor.role,
        actor_party=actor.party,
        data={"institution": institution_id},
    )
    ack = next((d.due_at for d in dues if d.kind == "acknowledge_by"), None)
    if deliver_by is not None:
        ack = deliver_by if ack is None else min(ack, deliver_by)
    enqueue(
        session,
        ctx.vault,
        destination=destinations.institution(institution_id),
        type="application.dispatched",
        application_no=app.no,
        data=records.case_as_submitted(ctx, session, app, dues, personal),
        occurred_at=at,
        deliver_by=ack,
    )
    if first_dispatch:
        tell_unit_of_new_case(ctx, session, app, institution_id, at=at, actor=actor)
    return dues


def tell_unit_of_new_case(
    ctx: HubContext,
    session: Session,
    app: Case,
    institution_id: str,
    *,
    at: datetime,
    actor: Principal,
) -> None:
    """Art. 7: the unit is told of every new case of its institutions, whoever dispatched
    it (`application.new_case`, no personal data: the unit opens the case to see who).
    A unit that dispatched the case itself knows already."""
    unit = REGISTRY.unit_of(session, institution_id)
    if unit is None or (actor.role == "unit" and actor.party == unit):
        return
    enqueue(
        session,
        ctx.vault,
        destination=destinations.unit(unit),
        type="application.new_case",
        application_no=app.no,
        data={
            "institution": institution_id,
            "channel": app.channel,
            "category": app.category,
            "district": app.district,
        },
        occurred_at=at,
    )


def route_or_park(
    ctx: HubContext,
    session: Session,
    app: Case,
    *,
    at: datetime,
    actor: Principal,
    personal: dict[str, Any] | None = None,
    deliver_by: datetime | None = None,
    why: dict[str, Any] | None = None,
) -> list[DueDate]:
    """Route to a suitable institution, or mark the case undeliverable for a unit to dispatch.

    Never to one in `returned_by` (it returned the case, or could not be reached).
    `deliver_by` goes to `dispatch`; `why` is the undeliverable step's data if no
    institution is left.
    """
    chosen = route_new_case(
        session,
        category=app.category,
        district=app.district,
        preferred=app.preferred_institution,
        excluded=frozenset(app.returned_by or ()),
        salt=app.no,
    )
    if chosen is None:
        park(ctx, session, app, at=at, actor=actor, data=why)
        return []
    unit = manual_unit_of(session, chosen)
    if unit is not None:
        return await_unit(ctx, session, app, unit, suggested=chosen, at=at, actor=actor)
    return dispatch(
        ctx, session, app, chosen, at=at, actor=actor, personal=personal, deliver_by=deliver_by
    )


def manual_unit_of(session: Session, institution_id: str) -> str | None:
    """The institution's unit, if that unit dispatches its new cases by hand."""
    unit = REGISTRY.unit_of(session, institution_id)
    return unit if unit is not None and REGISTRY.dispatches_by_hand(session, unit) else None


def await_unit(
    ctx: HubContext,
    session: Session,
    app: Case,
    unit: str,
    *,
    suggested: str,
    at: datetime,
    actor: Principal,
) -> list[DueDate]:
    """Art. 7, `dispatch: manual`: the case waits in the unit's queue (status `submitted`,
    `awaiting_unit`) with a `dispatch_by` clock of the unit's own, which the scheduler
    reminds, marks overdue and escalates as it does an institution's; the unit is told
    (`application.awaiting_dispatch`, with the institution the hub would have chosen)."""
    working_calendar.sync(session)
    days = ctx.settings.unit_dispatch_days
    due_at, provisional = working_calendar_current().add_working_days(at, days)
    due = DueDate(UNIT_DISPATCH_DEADLINE, due_at, provisional, days)
    if app.institution_id is not None:
        release(session, app.institution_id)
    app.institution_id = None
    app.awaiting_unit = unit
    touch(app, Status.SUBMITTED, at)
    open_clock(session, app.no, due, at, unit_id=unit)
    records.add_event(
        ctx,
        session,
        app,
        type="awaiting_dispatch",
        at=at,
        actor_role=actor.role,
        actor_party=actor.party,
        data={"unit": unit},
    )
    enqueue(
        session,
        ctx.vault,
        destination=destinations.unit(unit),
        type="application.awaiting_dispatch",
        application_no=app.no,
        data={
            "channel": app.channel,
            "category": app.category,
            "district": app.district,
            "suggested_institution": suggested,
            "dispatch_by": jsonutil.rfc3339(due.due_at),
        },
        occurred_at=at,
    )
    return [due]


def park(
    ctx: HubContext,
    session: Session,
    app: Case,
    *,
    at: datetime,
    actor: Principal,
    data: dict[str, Any] | None = None,
) -> None:
    """Nobody can take the case: `undeliverable` (待人工分派), and the units whose
    institutions cover it are told (`application.undeliverable`), to dispatch it by hand."""
    app.institution_id = None
    touch(app, Status.UNDELIVERABLE, at)
    records.add_event(
        ctx,
        session,
        app,
        type="undeliverable",
        at=at,
        actor_role=actor.role,
        actor_party=actor.party,
        data=data,
    )
    for unit in responsible_units(ctx, session, app):  # Art. 7: the unit dispatches by hand
        enqueue(
            session,
            ctx.vault,
            destination=destinations.unit(unit),
            type="application.undeliverable",
            application_no=app.no,
            data={"category": app.category, "district": app.district, "status": app.status},
            occurred_at=at,
        )


def responsible_units(ctx: HubContext, session: Session, app: Case) -> list[str]:
    """Units whose mediation institutions cover the case's category and district (whatever
    their state), else the justice bureau: who must dispatch a case nobody could take."""
    units = sorted({c.unit for c in REGISTRY.coverage(session, app.category, app.district)})
    return units or [ctx.settings.justice_bureau]


def close_deadlines(session: Session, no: str, at: datetime, kinds: set[str] | None = None) -> None:
    for d in records.open_deadlines(session, no):
        if kinds is None or d.kind in kinds:
            d.met_at = at
            session.add(d)


def leave_institution(session: Session, app: Case) -> None:
    release(session, app.institution_id)


def notify_portal(ctx: HubContext, session: Session, app: Case, at: datetime) -> None:
    """Every status change goes to the portal that submitted the case, in order per case."""
    if app.submitted_by_role != "portal":
        return
    enqueue(
        session,
        ctx.vault,
        destination=destinations.portal(app.submitted_by_party),
        type="application.status_changed",
        application_no=app.no,
        data=records.status_message(app, at),
        occurred_at=at,
    )


def notify_applicant(
    ctx: HubContext,
    session: Session,
    app: Case,
    notice: str,
    at: datetime,
    extra: dict[str, Any] | None = None,
    personal: dict[str, Any] | None = None,
) -> None:
    """A notice for the applicants (numbered, accepted, rejected, closed, referral result)."""
    if personal is None:
        personal = records.open_personal(ctx.vault, app)
    recipients = [
        {k: p.get(k) for k in ("name", "phone", "email") if p.get(k)}
        for p in personal.get("applicants", [])
    ]
    enqueue(
        session,
        ctx.vault,
        destination=NOTIFY,
        type=f"notice.{notice}",
        application_no=app.no,
        data={"notice": notice, "status": app.status, "recipients": recipients, **(extra or {})},
        occurred_at=at,
    )


def record_audit(
    session: Session,
    app: Case,
    actor: Principal,
    action: str,
    at: datetime,
    detail: dict[str, Any] | None = None,
    *,
    new_chain: bool = False,
) -> None:
    audit.append(
        session,
        chain=app.no,
        at=at,
        actor_role=actor.role,
        actor_party=actor.party,
        actor_login=actor.login,
        action=action,
        application_no=app.no,
        detail=detail,
        new_chain=new_chain,
    )
