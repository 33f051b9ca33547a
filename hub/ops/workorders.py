"""Work orders (工单, INTERFACE 14): what a citizen asks of the hub besides a case.

A query about a case, a consultation, a request to contact the handler, a petition or a
complaint becomes a numbered work order `GD-YYYYMMDD-NNNNNN-C` (the 12368 rules and the
online litigation-service standard). It is dispatched within 2 working hours: at once to
the case's institution when it names a case, to the institution it names, or else by a
hotline clerk (role `admin`). The institution answers within 3 working days (1 to contact
the handler); past that the work order turns red, and 1 working day later it is dunned to
the institution's unit. The citizen is told by the way they chose (SMS, e-mail, or the
handler's call), follows progress with a query code, and a clerk calls back to record
whether they were satisfied. The ledger (台账) and the monthly report count all of it.

Content, contact, answer and callback note are sealed at rest; the query code is kept only
as a keyed digest. The clocks are columns of the row, on the same working-day calendar as
cases; each scheduler action claims its column with one conditional UPDATE, so it happens
once however many schedulers run.
"""

from __future__ import annotations

import hmac
import re
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from hub import jsonutil
from hub.domain import destinations
from hub.domain.calendar import (
    add_working_days,
    add_working_hours,
)
from hub.domain.case import Case
from hub.domain.numbering import business_day
from hub.ops import counters
from hub.services import calendar as working_calendar
from hub.services.access import sees_everything
from hub.services.casework import NOTIFY
from hub.services.context import HubContext
from hub.services.errors import Conflict, Invalid, NotFound
from hub.services.intake import new_query_code
from hub.services.principal import Principal, Role
from hub.store import audit, cases
from hub.store.models import Institution
from hub.store.models_ops import WorkOrder
from hub.store.outbox import enqueue

PREFIX = "GD"
DISPATCH_HOURS = 2
ANSWER_DAYS = {"contact_handler": 1}
DEFAULT_ANSWER_DAYS = 3

TYPE_TEXT: dict[str, tuple[str, str]] = {
    "case_query": ("办件查询", "Case query"),
    "consultation": ("咨询", "Consultation"),
    "contact_handler": ("联系承办人", "Contact the handler"),
    "petition": ("信访", "Petition"),
    "complaint": ("投诉", "Complaint"),
    "other": ("其他", "Other"),
}
STATUS_TEXT: dict[str, tuple[str, str]] = {
    "submitted": ("已登记，待派单", "Registered; to be dispatched"),
    "dispatched": ("已派单，承办机构办理中", "Dispatched; the institution is handling it"),
    "answered": ("已答复", "Answered"),
    "closed": ("已回访，办结", "Called back; closed"),
}
#: Ledger filter `status`: the stored statuses, and `overdue` (red: unanswered, past due).
LEDGER_STATUSES = (*STATUS_TEXT, "overdue")
OPEN = ("submitted", "dispatched")
_NOT_FOUND = "没有这个工单 / no such work order"
_NO_CASE = "没有这个办件 / no such application"


def canonical_no(raw: str) -> str:
    no = counters.canonical_number(raw, PREFIX)
    if no is None:
        raise Invalid.at("/workorder_no", "工单编号无效 / invalid work order number")
    return no


def _code_digest(ctx: HubContext, no: str, code: str) -> str:
    return ctx.vault.index(f"{no}:{code.strip().upper()}", purpose="workorder_query_code")


def _seal(ctx: HubContext, no: str, field: str, value: Any) -> str:
    return ctx.vault.seal_json(value, table="work_order", field=field, record_id=no)


def _unseal(ctx: HubContext, no: str, field: str, value: str | None) -> Any:
    if value is None:
        return None
    return ctx.vault.open_json(value, table="work_order", field=field, record_id=no)


def _hotline(ctx: HubContext) -> str:
    return ctx.settings.scheduler.escalation_unit


def _recipients(contact: dict[str, Any], reply_by: str) -> list[dict[str, Any]]:
    """Whom a notice reaches, by the way the citizen chose (phone: the handler calls)."""
    if reply_by == "email":
        return [{"name": contact.get("name"), "email": contact["email"]}]
    if reply_by == "sms":
        return [{"name": contact.get("name"), "phone": contact["phone"]}]
    return []


def _answer_days(kind: str) -> int:
    return ANSWER_DAYS.get(kind, DEFAULT_ANSWER_DAYS)


def _case_institution(session: Session, principal: Principal, no: str) -> Case:
    """The case a work order names, if the caller may see it; else as if there were none."""
    from hub.services.casework import canonical_no as canonical_application_no

    try:
        canonical = canonical_application_no(no)
    except Invalid:
        raise Invalid.at("/application_no", _NO_CASE) from None
    app = cases.load(session, canonical)
    visible = app is not None and (
        principal.role is Role.ADMIN
        or (principal.role is Role.PORTAL and app.submitted_by_party == principal.party)
    )
    if app is None or not visible:
        raise Invalid.at("/application_no", _NO_CASE)
    return app


def submit(
    ctx: HubContext, session: Session, principal: Principal, body: dict[str, Any]
) -> dict[str, Any]:
    """POST /v1/workorders (portal for a citizen, admin for hotline staff taking a call)."""
    now = ctx.clock.now()
    reply_by = body.get("reply_by", "sms")
    contact = body["contact"]
    if reply_by == "email" and not contact.get("email"):
        raise Invalid.at("/contact/email", "选择邮件答复时必填 / required to reply by e-mail")
    inst: Institution | None = None
    application_no = None
    if body.get("application_no"):
        app = _case_institution(session, principal, body["application_no"])
        application_no = app.no
        inst = session.get(Institution, app.institution_id) if app.institution_id else None
    if inst is None and body.get("institution"):
        inst = session.get(Institution, body["institution"])
        if inst is None or inst.state == "closed":
            raise Invalid.at("/institution", "名录中没有该机构 / unknown institution")
    working_calendar.sync(session)
    no = counters.next_number(session, counter="workorder", prefix=PREFIX, day=business_day(now))
    code = new_query_code()
    dispatch_by, _ = add_working_hours(now, DISPATCH_HOURS)
    answer_by, _ = add_working_days(now, _answer_days(body["type"]))
    wo = WorkOrder(
        no=no,
        type=body["type"],
        application_no=application_no,
        sealed=_seal(ctx, no, "sealed", {"content": body["content"], "contact": contact}),
        contact_index=ctx.vault.index(re.sub(r"[\s-]", "", contact["phone"]), purpose="wo_contact"),
        reply_by=reply_by,
        query_code_hash=_code_digest(ctx, no, code),
        submitted_by_role=principal.role,
        submitted_by_party=principal.party,
        created_at=now,
        dispatch_by=dispatch_by,
        answer_by=answer_by,
    )
    session.add(wo)
    _audit(session, wo, principal, "workorder.submitted", now, {"type": wo.type})
    if inst is not None:
        _dispatch_to(ctx, session, wo, inst, principal, now, body)
    else:
        enqueue(
            session,
            ctx.vault,
            destination=destinations.unit(_hotline(ctx)),
            type="workorder.received",
            application_no=None,
            data={
                **_staff_message(wo, body["content"], contact),
                "notice": {
                    "zh": f"新工单 {no}（{TYPE_TEXT[wo.type][0]}）待派单，"
                    f"请于 {jsonutil.rfc3339(dispatch_by)} 前派出。",
                    "en": f"New work order {no} to dispatch by {jsonutil.rfc3339(dispatch_by)}.",
                },
            },
            occurred_at=now,
        )
    _tell_citizen(
        ctx,
        session,
        wo,
        contact,
        "workorder_received",
        now,
        {"query_code": code, "answer_by": jsonutil.rfc3339(answer_by)},
    )
    return {
        "workorder_no": no,
        "query_code": code,
        "status": wo.status,
        "dispatch_by": jsonutil.rfc3339(dispatch_by),
        "answer_by": jsonutil.rfc3339(answer_by),
        "institution": {"id": inst.id, "name": inst.name} if inst else None,
    }


def _staff_message(wo: WorkOrder, content: str, contact: dict[str, Any]) -> dict[str, Any]:
    return {
        "workorder_no": wo.no,
        "type": wo.type,
        "application_no": wo.application_no,
        "content": content,
        "contact": contact,
        "reply_by": wo.reply_by,
        "dispatch_by": jsonutil.rfc3339(wo.dispatch_by),
        "answer_by": jsonutil.rfc3339(wo.answer_by),
    }


def _dispatch_to(
    ctx: HubContext,
    session: Session,
    wo: WorkOrder,
    inst: Institution,
    principal: Principal,
    now: datetime,
    sealed: dict[str, Any],
) -> None:
    wo.institution_id, wo.unit_id = inst.id, inst.unit_id
    wo.status, wo.dispatched_at, wo.dispatched_by = "dispatched", now, principal.party
    session.add(wo)
    enqueue(
        session,
        ctx.vault,
        destination=destinations.institution(inst.id),
        type="workorder.dispatched",
        application_no=wo.application_no,
        data={
            **_staff_message(wo, sealed["content"], sealed["contact"]),
            "notice": {
                "zh": f"工单 {wo.no}（{TYPE_TEXT[wo.type][0]}）已派至{inst.name}，"
                f"请于 {jsonutil.rfc3339(wo.answer_by)} 前答复。",
                "en": f"Work order {wo.no} dispatched to you: answer by "
                f"{jsonutil.rfc3339(wo.answer_by)}.",
            },
        },
        occurred_at=now,
    )
    _audit(session, wo, principal, "workorder.dispatched", now, {"institution": inst.id})


def _tell_citizen(
    ctx: HubContext,
    session: Session,
    wo: WorkOrder,
    contact: dict[str, Any],
    notice: str,
    now: datetime,
    extra: dict[str, Any],
) -> None:
    recipients = _recipients(contact, wo.reply_by)
    if notice == "workorder_received" and not recipients:  # a phone reply: the number by SMS
        recipients = [{"name": contact.get("name"), "phone": contact["phone"]}]
    if not recipients:
        return
    enqueue(
        session,
        ctx.vault,
        destination=NOTIFY,
        type=f"notice.{notice}",
        application_no=wo.application_no,
        data={
            "notice": notice,
            "workorder_no": wo.no,
            "type": wo.type,
            "recipients": recipients,
            **extra,
        },
        occurred_at=now,
    )


def _audit(
    session: Session,
    wo: WorkOrder,
    principal: Principal,
    action: str,
    now: datetime,
    detail: dict[str, Any],
) -> None:
    audit.append(
        session,
        chain=wo.no,
        at=now,
        actor_role=principal.role,
        actor_party=principal.party,
        actor_login=principal.login,
        action=action,
        application_no=wo.application_no,
        detail={"workorder_no": wo.no, **detail},
    )


def _locked(session: Session, raw_no: str) -> WorkOrder:
    no = canonical_no(raw_no)
    wo = session.exec(select(WorkOrder).where(WorkOrder.no == no).with_for_update()).first()
    if wo is None:
        raise NotFound(_NOT_FOUND)
    return wo


def _visible(ctx: HubContext, principal: Principal, wo: WorkOrder) -> bool:
    if sees_everything(ctx, principal):  # admin, and the justice bureau (INTERFACE 13)
        return True
    if principal.role is Role.UNIT:
        return wo.unit_id is not None and wo.unit_id == principal.party
    if principal.role is Role.INSTITUTION:
        return wo.institution_id is not None and wo.institution_id == principal.party
    if principal.role is Role.PORTAL:
        return wo.submitted_by_role == "portal" and wo.submitted_by_party == principal.party
    return False


def dispatch(
    ctx: HubContext, session: Session, principal: Principal, raw_no: str, body: dict[str, Any]
) -> dict[str, Any]:
    """POST /v1/workorders/{no}/dispatch (admin: the hotline clerk), also to re-dispatch."""
    now = ctx.clock.now()
    wo = _locked(session, raw_no)
    if wo.status not in OPEN:
        raise Conflict(
            f"工单状态为「{STATUS_TEXT[wo.status][0]}」，不能派单 / cannot dispatch "
            f"a work order that is {wo.status}",
            current_status=wo.status,
        )
    inst = session.get(Institution, body["institution"])
    if inst is None or inst.state != "active":
        raise Invalid.at("/institution", "名录中没有该在用机构 / no active institution")
    if wo.institution_id == inst.id:
        raise Conflict("工单已在该机构 / already with that institution", current_status=wo.status)
    sealed = _unseal(ctx, wo.no, "sealed", wo.sealed)
    _dispatch_to(ctx, session, wo, inst, principal, now, sealed)
    return _summary(wo, session)


def answer(
    ctx: HubContext, session: Session, principal: Principal, raw_no: str, body: dict[str, Any]
) -> dict[str, Any]:
    """POST /v1/workorders/{no}/answer (the institution it went to; admin for the hotline)."""
    now = ctx.clock.now()
    wo = _locked(session, raw_no)
    if principal.role is not Role.ADMIN and not (
        principal.role is Role.INSTITUTION and wo.institution_id == principal.party
    ):
        raise NotFound(_NOT_FOUND)
    if wo.status not in OPEN:
        raise Conflict(f"工单已答复 / already answered ({wo.status})", current_status=wo.status)
    wo.answer_sealed = _seal(ctx, wo.no, "answer", body["answer"])
    wo.status, wo.answered_at, wo.answered_by = "answered", now, principal.party
    session.add(wo)
    _audit(session, wo, principal, "workorder.answered", now, {"in_time": now <= wo.answer_by})
    contact = _unseal(ctx, wo.no, "sealed", wo.sealed)["contact"]
    _tell_citizen(ctx, session, wo, contact, "workorder_answered", now, {"answer": body["answer"]})
    return _summary(wo, session)


def callback(
    ctx: HubContext, session: Session, principal: Principal, raw_no: str, body: dict[str, Any]
) -> dict[str, Any]:
    """POST /v1/workorders/{no}/callback (admin): the citizen called back (回访)."""
    now = ctx.clock.now()
    wo = _locked(session, raw_no)
    if wo.status != "answered":
        raise Conflict(
            f"只能回访已答复的工单 / only an answered work order is called back ({wo.status})",
            current_status=wo.status,
        )
    wo.status, wo.callback_at, wo.satisfied = "closed", now, bool(body["satisfied"])
    if body.get("note"):
        wo.callback_note_sealed = _seal(ctx, wo.no, "callback_note", body["note"])
    session.add(wo)
    _audit(session, wo, principal, "workorder.called_back", now, {"satisfied": wo.satisfied})
    return _summary(wo, session)


def to_help_article(
    ctx: HubContext, session: Session, principal: Principal, raw_no: str, body: dict[str, Any]
) -> dict[str, Any]:
    """POST /v1/workorders/{no}/help-article (unit, admin): a consultation answered often
    joins the knowledge base. The clerk writes the article (no personal data carried over)."""
    from hub.ops import helpdesk

    wo = _locked(session, raw_no)
    if not _visible(ctx, principal, wo) or principal.role not in (Role.UNIT, Role.ADMIN):
        raise NotFound(_NOT_FOUND)
    if wo.type != "consultation" or wo.status not in ("answered", "closed"):
        raise Conflict(
            "只有已答复的咨询可转为帮助文章 / only an answered consultation",
            current_status=wo.status,
        )
    if wo.help_article_id is not None:
        raise Conflict("已转为帮助文章 / already a help article", current_status=wo.status)
    article = helpdesk.add_article(ctx, session, principal, body)
    wo.help_article_id = int(article["id"])
    session.add(wo)
    _audit(session, wo, principal, "workorder.to_help", ctx.clock.now(), {"article": article["id"]})
    return {"workorder_no": wo.no, "article": article}


def _summary(wo: WorkOrder, session: Session) -> dict[str, Any]:
    inst = session.get(Institution, wo.institution_id) if wo.institution_id else None
    return {
        "workorder_no": wo.no,
        "status": wo.status,
        "institution": {"id": inst.id, "name": inst.name} if inst else None,
        "answer_by": jsonutil.rfc3339(wo.answer_by),
    }


def _late(wo: WorkOrder, now: datetime) -> bool:
    return (wo.answered_at or now) > wo.answer_by


def progress(ctx: HubContext, session: Session, raw_no: str, code: str) -> dict[str, Any]:
    """GET /v1/workorders/{no}?code= (public): progress without personal data."""
    no = canonical_no(raw_no)
    wo = session.get(WorkOrder, no)
    expected = _code_digest(ctx, no, code) if code else ""
    if wo is None or not code or not hmac.compare_digest(wo.query_code_hash, expected):
        raise NotFound(_NOT_FOUND)
    inst = session.get(Institution, wo.institution_id) if wo.institution_id else None
    zh, en = STATUS_TEXT[wo.status]
    answer = _unseal(ctx, wo.no, "answer", wo.answer_sealed)
    return {
        "workorder_no": wo.no,
        "type": wo.type,
        "type_text": dict(zip(("zh", "en"), TYPE_TEXT[wo.type], strict=True)),
        "status": wo.status,
        "status_text": {"zh": zh, "en": en},
        "institution": {"name": inst.name, "phone": inst.phone} if inst else None,
        "submitted_at": jsonutil.rfc3339(wo.created_at),
        "answer_by": jsonutil.rfc3339(wo.answer_by),
        "answered_at": jsonutil.rfc3339(wo.answered_at) if wo.answered_at else None,
        "answer": answer if wo.reply_by != "phone" else None,
    }


def item_view(ctx: HubContext, wo: WorkOrder, now: datetime, *, full: bool) -> dict[str, Any]:
    sealed = _unseal(ctx, wo.no, "sealed", wo.sealed)
    item: dict[str, Any] = {
        "workorder_no": wo.no,
        "type": wo.type,
        "status": wo.status,
        "application_no": wo.application_no,
        "institution": wo.institution_id,
        "unit": wo.unit_id,
        "reply_by": wo.reply_by,
        "created_at": jsonutil.rfc3339(wo.created_at),
        "dispatch_by": jsonutil.rfc3339(wo.dispatch_by),
        "dispatched_at": jsonutil.rfc3339(wo.dispatched_at) if wo.dispatched_at else None,
        "answer_by": jsonutil.rfc3339(wo.answer_by),
        "answered_at": jsonutil.rfc3339(wo.answered_at) if wo.answered_at else None,
        "in_time": None if wo.answered_at is None else wo.answered_at <= wo.answer_by,
        "overdue": wo.status in OPEN and now > wo.answer_by,
        "dunned_at": jsonutil.rfc3339(wo.dunned_at) if wo.dunned_at else None,
        "satisfied": wo.satisfied,
        "content": sealed["content"],
    }
    if full:
        item["contact"] = sealed["contact"]
        item["answer"] = _unseal(ctx, wo.no, "answer", wo.answer_sealed)
        item["callback_note"] = _unseal(ctx, wo.no, "callback_note", wo.callback_note_sealed)
        item["help_article"] = wo.help_article_id
    return item


def record(ctx: HubContext, session: Session, principal: Principal, raw_no: str) -> dict[str, Any]:
    """GET /v1/workorders/{no} with a token: the whole work order, for those it concerns."""
    no = canonical_no(raw_no)
    wo = session.get(WorkOrder, no)
    if wo is None or not _visible(ctx, principal, wo):
        raise NotFound(_NOT_FOUND)
    full = principal.role in (Role.ADMIN, Role.INSTITUTION, Role.PORTAL)
    return item_view(ctx, wo, ctx.clock.now(), full=full)
