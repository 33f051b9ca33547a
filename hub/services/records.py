"""Case records: sealing the personal part at rest, and the views each party is entitled to."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from hub import jsonutil
from hub.domain.calendar import Deadline as DueDate
from hub.domain.case import Case
from hub.domain.status import Status
from hub.services.context import HubContext
from hub.services.registry_cache import REGISTRY
from hub.store.models import CaseEvent, Deadline, Referral
from hub.store.unit_of_work import emit
from hub.vault import Vault

#: Members of an application body that are personal (Article 23) and so sealed at rest.
PERSONAL_FIELDS = (
    "applicants",
    "respondents",
    "facts",
    "claims",
    "amount",
    "occurred_on",
    "occurred_place",
    "attachments",
)

STATUS_TEXT: dict[str, tuple[str, str]] = {
    Status.SUBMITTED: ("已提交", "Submitted"),
    Status.DISPATCHED: ("已分派至解纷机构", "Dispatched to an institution"),
    Status.RECEIVED: ("解纷机构已接收", "Received by the institution"),
    Status.ACCEPTED: ("已受理", "Accepted"),
    Status.REJECTED: ("不予受理", "Rejected"),
    Status.CLOSED_SUCCESS: ("调解成功，已结案", "Closed: settled"),
    Status.CLOSED_FAILURE: ("调解不成，已结案", "Closed: not settled"),
    Status.WITHDRAWN: ("已撤回", "Withdrawn"),
    Status.UNDELIVERABLE: ("待人工分派", "Awaiting manual dispatch"),
    Status.CONFIRMATION_REQUESTED: ("已申请司法确认/仲裁确认", "Confirmation requested"),
    Status.CONFIRMED: ("已确认", "Confirmed"),
    Status.CONFIRMATION_REJECTED: ("确认申请被驳回", "Confirmation rejected"),
    Status.ARBITRATION_REQUESTED: ("已申请仲裁", "Arbitration requested"),
    Status.ARBITRATED: ("仲裁已裁决", "Arbitrated"),
    Status.LITIGATION_REQUESTED: ("已转诉讼", "Litigation requested"),
    Status.LITIGATION_FILED: ("法院已立案", "Filed by the court"),
    Status.LITIGATION_NOT_FILED: ("法院未立案", "Not filed by the court"),
}


#: What an institution's action is called, for refusals (Chinese, English).
ACTION_TEXT: dict[str, tuple[str, str]] = {
    "received": ("确认接收", "acknowledging"),
    "respondent_contacted": ("记录联系被申请人", "recording contact with the respondent"),
    "accepted": ("受理", "accepting"),
    "rejected": ("不予受理", "rejecting"),
    "returned": ("退回", "returning"),
    "closed": ("结案", "closing"),
    # Hand-offs (ReferralKind): what a referral asked in a status that does not allow it.
    "judicial_confirmation": ("申请司法确认", "requesting judicial confirmation"),
    "arbitration_confirmation": ("申请仲裁确认", "requesting arbitration confirmation"),
    "arbitration": ("申请仲裁", "requesting arbitration"),
    "litigation": ("转诉讼", "handing over to litigation"),
}

#: An institution's state in the registry (Chinese, English).
INSTITUTION_STATE_TEXT: dict[str, tuple[str, str]] = {
    "active": ("正常", "active"),
    "suspended": ("暂停接收", "suspended"),
    "closed": ("已撤销", "closed"),
}


def status_words(status: str) -> tuple[str, str]:
    """A status in words, Chinese and English, so neither half of a message mixes languages."""
    return STATUS_TEXT.get(status, (status, status))


def state_words(state: str) -> tuple[str, str]:
    return INSTITUTION_STATE_TEXT.get(state, ("未知", state))


def split_personal(body: dict[str, Any]) -> dict[str, Any]:
    return {k: body[k] for k in PERSONAL_FIELDS if k in body}


def seal_personal(vault: Vault, no: str, personal: dict[str, Any]) -> str:
    return vault.seal_json(personal, table="application", field="personal", record_id=no)


def open_personal(vault: Vault, app: Case) -> dict[str, Any]:
    value: dict[str, Any] = vault.open_json(
        app.personal, table="application", field="personal", record_id=app.no
    )
    return value


def add_event(
    ctx: HubContext,
    session: Session,
    app: Case,
    *,
    type: str,
    at: datetime,
    actor_role: str,
    actor_party: str | None,
    data: dict[str, Any] | None = None,
    event_id: str | None = None,
    request_hash: str | None = None,
    public: bool = True,
) -> str:
    """Append a timeline step (its data sealed); answers the event id."""
    event_id = event_id or str(uuid.uuid4())
    sealed = (
        ctx.vault.seal_json(data, table="case_event", field="data", record_id=event_id)
        if data
        else None
    )
    emit(
        session,
        CaseEvent,
        {
            "application_no": app.no,
            "event_id": event_id,
            "type": type,
            "status_after": app.status,
            "public": public,
            "data": sealed,
            "request_hash": request_hash,
            "actor_role": actor_role,
            "actor_party": actor_party,
            "occurred_at": at,
        },
    )
    return event_id


def event_data(vault: Vault, event: CaseEvent) -> dict[str, Any]:
    if not event.data or not event.event_id:
        return {}
    value: dict[str, Any] = vault.open_json(
        event.data, table="case_event", field="data", record_id=event.event_id
    )
    return value


def institution_ref(session: Session, institution_id: str | None) -> dict[str, str] | None:
    if not institution_id:
        return None
    return {"id": institution_id, "name": REGISTRY.name(session, institution_id) or institution_id}


def case_as_submitted(
    ctx: HubContext,
    session: Session,
    app: Case,
    dues: Sequence[DueDate],
    personal: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The new-case message for an institution: the application and its clocks.

    The timeline is left out (it is one GET away); this keeps dispatch, the hot path of
    intake, to what the institution needs to start work.
    """
    if personal is None:
        personal = open_personal(ctx.vault, app)
    attachments = [
        {k: v for k, v in a.items() if k != "content_base64"}
        for a in personal.get("attachments", [])
    ]
    return {
        "application_no": app.no,
        "status": app.status,
        "channel": app.channel,
        "category": app.category,
        "district": app.district,
        "received_at": jsonutil.rfc3339(app.received_at),
        "submitted_at": jsonutil.rfc3339(app.created_at),
        "institution": institution_ref(session, app.institution_id),
        "preferred_institution": app.preferred_institution,
        "arbitration_agreement": app.arbitration_agreement,
        **{k: v for k, v in personal.items() if k != "attachments"},
        "attachments": attachments,
        "deadlines": deadlines_view(dues),
    }


def deadlines_view(deadlines: Sequence[Deadline | DueDate]) -> dict[str, Any]:
    view: dict[str, Any] = {}
    for d in deadlines:
        view[d.kind] = jsonutil.rfc3339(d.due_at)
    if any(d.provisional for d in deadlines):
        view["provisional"] = True
    return view


def open_deadlines(session: Session, no: str) -> list[Deadline]:
    return list(
        session.exec(
            select(Deadline)
            .where(Deadline.application_no == no, col(Deadline.met_at).is_(None))
            .order_by(col(Deadline.due_at))
        )
    )


def full_record(ctx: HubContext, session: Session, app: Case) -> dict[str, Any]:
    """The whole case, for the parties entitled to it (INTERFACE 4, GET /v1/applications/{no})."""
    personal = open_personal(ctx.vault, app)
    attachments = [
        {k: v for k, v in a.items() if k != "content_base64"}
        for a in personal.pop("attachments", [])
    ]
    events = session.exec(  # in the order things happened (a walk-in's start predates intake)
        select(CaseEvent)
        .where(CaseEvent.application_no == app.no)
        .order_by(col(CaseEvent.occurred_at), col(CaseEvent.id))
    ).all()
    referrals = session.exec(
        select(Referral).where(Referral.application_no == app.no).order_by(col(Referral.created_at))
    ).all()
    deadlines = session.exec(select(Deadline).where(Deadline.application_no == app.no)).all()
    return {
        "application_no": app.no,
        "source_no": app.source_no,
        "status": app.status,
        "channel": app.channel,
        "category": app.category,
        "district": app.district,
        "received_at": jsonutil.rfc3339(app.received_at),
        "submitted_at": jsonutil.rfc3339(app.created_at),
        "institution": institution_ref(session, app.institution_id),
        "awaiting_unit": app.awaiting_unit,
        "preferred_institution": app.preferred_institution,
        "arbitration_agreement": app.arbitration_agreement,
        **personal,
        "attachments": attachments,
        "outcome": app.outcome,
        "deadlines": deadlines_view([d for d in deadlines if d.met_at is None]),
        "timeline": [
            {
                "type": e.type,
                "status": e.status_after,
                "at": jsonutil.rfc3339(e.occurred_at),
                "actor": e.actor_party or e.actor_role,
                "data": event_data(ctx.vault, e),
            }
            for e in events
        ],
        "referrals": [referral_view(session, r) for r in referrals],
        "documents": _documents(session, app.no),
    }


def _documents(session: Session, no: str) -> list[dict[str, Any]]:
    from hub.services.documents import documents_of  # documents builds on this module

    return documents_of(session, no)


def referral_view(session: Session, r: Referral) -> dict[str, Any]:
    return {
        "referral_id": r.id,
        "application_no": r.application_no,
        "kind": r.kind,
        "target": institution_ref(session, r.target_id),
        "status": r.status,
        "outcome": r.outcome,
        "case_no": r.case_no,
        "decided_on": r.decided_on.isoformat() if r.decided_on else None,
        "requested_at": jsonutil.rfc3339(r.created_at),
    }


def status_message(app: Case, at: datetime) -> dict[str, Any]:
    """The portal's status push (INTERFACE 8): no personal data, only where the case stands."""
    zh, en = STATUS_TEXT.get(app.status, (app.status, app.status))
    message = {
        "status": app.status,
        "status_text": {"zh": zh, "en": en},
        "institution_id": app.institution_id,
        "changed_at": jsonutil.rfc3339(at),
    }
    if app.source_no:  # the portal finds the case under its own number too
        message["source_no"] = app.source_no
    return message
