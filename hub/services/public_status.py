"""The public status of a case (进度查询): `GET /v1/status/{no}?code=` and `/web/status`.

Anyone holding the case's number and query code sees where it stands, without personal data
or free text: the status in words, the institution's name and phone (so the applicant can
call it), the public timeline in the order things happened (a walk-in case's steps carry
the time it was received, which may be before the hub numbered it), and the next step with
its deadline. A wrong code answers exactly like an unknown number.
"""

from __future__ import annotations

import hmac
from typing import Any

from sqlmodel import Session, col, select

from hub import jsonutil
from hub.domain.calendar import REFERRAL_DEADLINE
from hub.domain.case import Case
from hub.domain.status import Status
from hub.services import records
from hub.services.context import HubContext
from hub.services.errors import NotFound
from hub.services.intake import query_code_digest
from hub.store import cases
from hub.store.models import CaseEvent, Deadline, Institution

NOT_FOUND = "没有这个办件 / no such application"

#: What happens next, as the applicant should read it (Chinese, English).
NEXT_STEP: dict[str, tuple[str, str]] = {
    Status.SUBMITTED: ("正在分派至解纷机构。", "Being dispatched to an institution."),
    Status.DISPATCHED: (
        "等待解纷机构确认接收。",
        "Waiting for the institution to acknowledge the case.",
    ),
    Status.RECEIVED: (
        "解纷机构将联系被申请人，并决定是否受理。",
        "The institution will contact the respondent and decide whether to accept.",
    ),
    Status.ACCEPTED: (
        "调解进行中，解纷机构会与您联系。",
        "Mediation is under way; the institution will contact you.",
    ),
    Status.REJECTED: (
        "不予受理，理由已通知您；您可以选择其他解纷途径。",
        "Not accepted; you were told why and may choose another way to resolve it.",
    ),
    Status.CLOSED_SUCCESS: (
        "调解成功。如需强制执行效力，可申请司法确认。",
        "Settled. To make the agreement enforceable, judicial confirmation can be requested.",
    ),
    Status.CLOSED_FAILURE: (
        "调解不成，可按告知的救济途径申请仲裁或向人民法院起诉。",
        "Not settled: you may go to arbitration or court as you were told.",
    ),
    Status.WITHDRAWN: ("申请已撤回，无需其他操作。", "Withdrawn; nothing more to do."),
    Status.UNDELIVERABLE: (
        "主管单位正在为您人工分派解纷机构。",
        "The supervising unit is choosing an institution for you.",
    ),
    Status.CONFIRMATION_REQUESTED: (
        "等待人民法院或仲裁机构确认。",
        "Waiting for the court or commission to confirm.",
    ),
    Status.CONFIRMED: ("已确认，办理完毕。", "Confirmed; done."),
    Status.CONFIRMATION_REJECTED: (
        "确认申请被驳回，可向人民法院起诉。",
        "Confirmation refused; you may go to court.",
    ),
    Status.ARBITRATION_REQUESTED: (
        "等待仲裁机构处理。",
        "Waiting for the arbitration commission.",
    ),
    Status.ARBITRATED: ("仲裁已裁决，办理完毕。", "Arbitrated; done."),
    Status.LITIGATION_REQUESTED: ("等待人民法院立案。", "Waiting for the court to file it."),
    Status.LITIGATION_FILED: (
        "人民法院已立案，请留意法院的通知。",
        "Filed by the court; watch for the court's notices.",
    ),
    Status.LITIGATION_NOT_FILED: (
        "人民法院未立案，详情请联系法院。",
        "Not filed by the court; ask the court for details.",
    ),
}


def _next_due(session: Session, app: Case) -> Any:
    """When the next open step is due: the institution's earliest open deadline, or the
    court's or commission's answer while a referral is pending."""
    return session.exec(
        select(Deadline.due_at)
        .where(Deadline.application_no == app.no, col(Deadline.met_at).is_(None))
        .order_by(col(Deadline.kind) == REFERRAL_DEADLINE, col(Deadline.due_at))
    ).first()


def view(session: Session, app: Case) -> dict[str, Any]:
    """What anyone holding the query code may see: no personal data, no free text."""
    events = session.exec(
        select(CaseEvent)
        .where(CaseEvent.application_no == app.no, col(CaseEvent.public).is_(True))
        .order_by(col(CaseEvent.occurred_at), col(CaseEvent.id))
    ).all()
    inst = session.get(Institution, app.institution_id) if app.institution_id else None
    zh, en = records.STATUS_TEXT.get(app.status, (app.status, app.status))
    step_zh, step_en = NEXT_STEP.get(app.status, ("", ""))
    due = _next_due(session, app) if app.status in _WAITING else None
    return {
        "application_no": app.no,
        "status": app.status,
        "status_text": {"zh": zh, "en": en},
        "institution": {"name": inst.name, "phone": inst.phone} if inst else None,
        "next_step": {
            "zh": step_zh,
            "en": step_en,
            "due_at": jsonutil.rfc3339(due) if due else None,
        },
        "timeline": [
            {"type": e.type, "status": e.status_after, "at": jsonutil.rfc3339(e.occurred_at)}
            for e in events
        ],
    }


#: Statuses whose next step runs against a deadline shown to the applicant.
_WAITING = frozenset(
    {
        Status.DISPATCHED,
        Status.RECEIVED,
        Status.CONFIRMATION_REQUESTED,
        Status.ARBITRATION_REQUESTED,
        Status.LITIGATION_REQUESTED,
    }
)


def lookup(ctx: HubContext, session: Session, no: str, code: str) -> dict[str, Any]:
    """The public status of case `no` (a canonical number) for the holder of its code."""
    app = cases.load(session, no)
    expected = query_code_digest(ctx, no, code) if code else ""
    # A wrong code answers exactly like an unknown number: nothing to probe.
    if app is None or not code or not hmac.compare_digest(app.query_code_hash, expected):
        raise NotFound(NOT_FOUND)
    return view(session, app)
