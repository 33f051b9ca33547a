"""Complaints about institutions (Art. 20): numbered, answered by the unit, followed by code.

Numbers are `TS-YYYYMMDD-NNNNNN-C`: `TS` (投诉), the Asia/Shanghai date, the day's gap-free
sequence, and an ISO 7064 MOD 11-2 check character over the 14 digits (as on application
numbers). The query code is shown once and kept only as a keyed digest. Content and contact
are sealed together; a keyed digest of the contact phone (`contact_index`) lets statistics
count repeated complaints without reading who made them.
"""

from __future__ import annotations

import hmac
import re
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from hub import jsonutil
from hub.config import ComplaintQuota
from hub.domain import destinations
from hub.domain.numbering import business_day
from hub.domain.throttle import Budget
from hub.ops import counters
from hub.services.access import sees_everything
from hub.services.casework import NOTIFY
from hub.services.context import HubContext
from hub.services.errors import Conflict, Invalid, NotFound, Violation
from hub.services.intake import new_query_code
from hub.services.principal import Principal, Role
from hub.services.throttle import refuse
from hub.store import audit
from hub.store.models import Institution
from hub.store.models_ops import Complaint
from hub.store.outbox import enqueue

NOT_FOUND = "没有这个投诉 / no such complaint"
TYPE_TEXT = {
    "attitude": "服务态度",
    "overdue": "处理超期",
    "inaction": "不作为",
    "procedure": "程序不当",
    "integrity": "廉洁问题",
    "other": "其他",
}
STATUS_TEXT = {
    "submitted": ("已受理，待主管单位答复", "Received; awaiting the unit's answer"),
    "answered": ("主管单位已答复", "Answered by the supervising unit"),
}


def next_number(session: Session, day: date) -> str:
    return counters.next_number(session, counter="complaint", prefix="TS", day=day)


def canonical_complaint_no(raw: str) -> str:
    no = counters.canonical_number(raw, "TS")
    if no is None:
        raise Invalid.at("/complaint_no", "投诉编号无效 / invalid complaint number")
    return no


def _code_digest(ctx: HubContext, no: str, code: str) -> str:
    return ctx.vault.index(f"{no}:{code.strip().upper()}", purpose="complaint_query_code")


def contact_digest(ctx: HubContext, phone: str) -> str:
    return ctx.vault.index(re.sub(r"[\s-]", "", phone), purpose="complaint_contact")


def _open(ctx: HubContext, c: Complaint) -> dict[str, Any]:
    value: dict[str, Any] = ctx.vault.open_json(
        c.sealed, table="complaint", field="sealed", record_id=c.no
    )
    return value


def _answer(ctx: HubContext, c: Complaint) -> str | None:
    if not c.answer_sealed:
        return None
    return ctx.vault.open_text(c.answer_sealed, table="complaint", field="answer", record_id=c.no)


def _within_quota(
    session: Session, principal: Principal, contact: str, now: datetime, quota: ComplaintQuota
) -> None:
    """Raise `Throttled` (429, Retry-After) when this complaint would pass a quota. Runs
    after the day's counter row is locked, so concurrent complaints count one another."""
    phone = Budget(quota.per_phone, timedelta(days=1))
    times = session.exec(
        select(Complaint.created_at)
        .where(Complaint.contact_index == contact, col(Complaint.created_at) > now - phone.window)
        .order_by(col(Complaint.created_at).desc())
        .limit(phone.limit)
    ).all()
    waits = [phone.wait(list(times), now)]
    if principal.role is Role.PORTAL:
        party = Budget(quota.per_party, timedelta(hours=1))
        times = session.exec(
            select(Complaint.created_at)
            .where(
                Complaint.submitted_by_role == Role.PORTAL.value,
                Complaint.submitted_by_party == principal.party,
                col(Complaint.created_at) > now - party.window,
            )
            .order_by(col(Complaint.created_at).desc())
            .limit(party.limit)
        ).all()
        waits.append(party.wait(list(times), now))
    refuse(waits)


def submit(
    ctx: HubContext, session: Session, principal: Principal, body: dict[str, Any]
) -> dict[str, Any]:
    """POST /v1/complaints (portal, admin); within `ComplaintQuota`."""
    now = ctx.clock.now()
    inst = session.get(Institution, body["institution"])
    if inst is None:
        raise Invalid.at("/institution", "名录中没有该机构 / unknown institution")
    no = next_number(session, business_day(now))  # locks the day's counter: quotas below are exact
    contact = contact_digest(ctx, body["contact"]["phone"])
    _within_quota(session, principal, contact, now, ctx.settings.complaints)
    code = new_query_code()
    complaint = Complaint(
        no=no,
        institution_id=inst.id,
        unit_id=inst.unit_id,
        type=body["type"],
        application_no=body.get("application_no"),
        sealed=ctx.vault.seal_json(
            {"content": body["content"], "contact": body["contact"]},
            table="complaint",
            field="sealed",
            record_id=no,
        ),
        contact_index=contact,
        query_code_hash=_code_digest(ctx, no, code),
        submitted_by_role=principal.role,
        submitted_by_party=principal.party,
        created_at=now,
    )
    session.add(complaint)
    audit.append(
        session,
        chain="complaints",
        at=now,
        actor_role=principal.role,
        actor_party=principal.party,
        actor_login=principal.login,
        action="complaint.submitted",
        detail={"complaint_no": no, "institution": inst.id, "type": complaint.type},
    )
    enqueue(
        session,
        ctx.vault,
        destination=destinations.unit(inst.unit_id),
        type="complaint.received",
        application_no=complaint.application_no,
        data={
            "complaint_no": no,
            "institution": {"id": inst.id, "name": inst.name},
            "type": complaint.type,
            "content": body["content"],
            "notice": {
                "zh": f"收到对{inst.name}的投诉（{TYPE_TEXT[complaint.type]}），"
                f"编号 {no}，请调查答复。",
                "en": f"New complaint {no} about {inst.id}; please investigate and answer.",
            },
        },
        occurred_at=now,
    )
    enqueue(
        session,
        ctx.vault,
        destination=NOTIFY,
        type="notice.complaint_received",
        application_no=None,
        data={
            "notice": "complaint_received",
            "complaint_no": no,
            "query_code": code,
            "recipients": [body["contact"]],
        },
        occurred_at=now,
    )
    return {"complaint_no": no, "query_code": code, "status": complaint.status}


def progress(ctx: HubContext, session: Session, raw_no: str, code: str) -> dict[str, Any] | None:
    """GET /v1/complaints/{no}?code=: the complainant's view, no internal data; None for an
    unknown number or a wrong code alike."""
    no = canonical_complaint_no(raw_no)
    c = session.get(Complaint, no)
    expected = _code_digest(ctx, no, code) if code else ""
    if c is None or not code or not hmac.compare_digest(c.query_code_hash, expected):
        return None
    inst = session.get(Institution, c.institution_id)
    zh, en = STATUS_TEXT.get(c.status, (c.status, c.status))
    return {
        "complaint_no": c.no,
        "status": c.status,
        "status_text": {"zh": zh, "en": en},
        "institution": {"name": inst.name if inst else c.institution_id},
        "type": c.type,
        "submitted_at": jsonutil.rfc3339(c.created_at),
        "answered_at": jsonutil.rfc3339(c.answered_at) if c.answered_at else None,
        "answer": _answer(ctx, c),
    }


def _mine(principal: Principal, c: Complaint) -> bool:
    return principal.role is Role.ADMIN or (
        principal.role is Role.UNIT and c.unit_id == principal.party
    )


def answer(
    ctx: HubContext, session: Session, principal: Principal, raw_no: str, body: Any
) -> dict[str, Any]:
    """POST /v1/complaints/{no}/answer (role unit, the institution's own unit)."""
    now = ctx.clock.now()
    no = canonical_complaint_no(raw_no)
    text_value = body.get("answer") if isinstance(body, dict) else None
    errors: list[Violation] = []
    if not isinstance(text_value, str) or not text_value.strip():
        errors.append(Violation("/answer", "必填，非空文本 / required non-empty text"))
    elif len(text_value) > 5000:
        errors.append(Violation("/answer", "不超过 5000 字 / at most 5000 characters"))
    extra = set(body) - {"answer"} if isinstance(body, dict) else set()
    errors += [Violation(f"/{k}", "不允许的字段 / unexpected member") for k in sorted(extra)]
    if errors:
        raise Invalid(errors)
    c = session.exec(select(Complaint).where(Complaint.no == no).with_for_update()).first()
    if c is None or not _mine(principal, c):
        raise NotFound(NOT_FOUND)
    if c.status == "answered":
        raise Conflict("该投诉已答复 / already answered", current_status=c.status)
    assert isinstance(text_value, str)
    c.answer_sealed = ctx.vault.seal_text(
        text_value, table="complaint", field="answer", record_id=c.no
    )
    c.status = "answered"
    c.answered_at = now
    c.answered_by = principal.party
    session.add(c)
    contact = _open(ctx, c)["contact"]
    enqueue(
        session,
        ctx.vault,
        destination=NOTIFY,
        type="notice.complaint_answered",
        application_no=None,
        data={
            "notice": "complaint_answered",
            "complaint_no": c.no,
            "answer": text_value,
            "recipients": [contact],
        },
        occurred_at=now,
    )
    audit.append(
        session,
        chain="complaints",
        at=now,
        actor_role=principal.role,
        actor_party=principal.party,
        actor_login=principal.login,
        action="complaint.answered",
        detail={"complaint_no": c.no},
    )
    return {"complaint_no": c.no, "status": c.status}


def list_for(
    ctx: HubContext, session: Session, principal: Principal, status: str | None
) -> list[dict[str, Any]]:
    """GET /v1/complaints (unit: about its institutions; the justice bureau and admin: all):
    content, never contact; `unit` says whose to answer."""
    stmt = select(Complaint)
    if principal.role is Role.UNIT and not sees_everything(ctx, principal):
        stmt = stmt.where(Complaint.unit_id == principal.party)
    rows = session.exec(stmt.order_by(col(Complaint.created_at), col(Complaint.no))).all()
    earlier: dict[tuple[str, str], int] = {}
    out = []
    for c in rows:
        key = (c.institution_id, c.contact_index)
        earlier[key] = earlier.get(key, 0) + 1
        if status and c.status != status:
            continue  # counted for repeats, not listed
        out.append(
            {
                "complaint_no": c.no,
                "institution": c.institution_id,
                "unit": c.unit_id,
                "type": c.type,
                "application_no": c.application_no,
                "status": c.status,
                "content": _open(ctx, c)["content"],
                "repeat": earlier[key] > 1,
                "submitted_at": jsonutil.rfc3339(c.created_at),
                "answered_at": jsonutil.rfc3339(c.answered_at) if c.answered_at else None,
                "answer": _answer(ctx, c),
            }
        )
    return out
