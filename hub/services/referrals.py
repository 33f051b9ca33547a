"""Hand-offs (Art. 12-13): confirmation, arbitration and litigation, and their results back."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from hub.domain import destinations
from hub.domain.attachments import with_clean_names
from hub.domain.case import Case
from hub.domain.errors import InvalidTransition, NotAllowed
from hub.domain.routing import body_kind_for
from hub.domain.status import (
    ReferralKind,
    Status,
    status_for_referral_request,
    status_for_referral_result,
)
from hub.services import case_files, records
from hub.services.casework import (
    load_case,
    notify_applicant,
    notify_portal,
    record_audit,
    save_case,
    touch,
)
from hub.services.context import HubContext
from hub.services.errors import Conflict, Invalid, NotFound
from hub.services.lifecycle import wrong_state
from hub.services.principal import Principal, Role
from hub.services.referral_deadlines import close_referral_deadline, open_referral_deadline
from hub.services.routing import find_competent_body
from hub.store.models import Institution, Referral
from hub.store.outbox import enqueue


def _target(session: Session, app: Case, kind: ReferralKind, target_id: str | None) -> Institution:
    wanted = body_kind_for(kind, app.category)
    if target_id is None:
        target_id = find_competent_body(
            session, kind=kind, category=app.category, district=app.district
        )
        if target_id is None:
            raise Invalid.at(
                "/target", "找不到有管辖权的法院或仲裁委 / no competent court or commission"
            )
    target = session.get(Institution, target_id)
    if target is None or target.state != "active":
        raise Invalid.at("/target", "名录中没有该法院或仲裁委 / unknown or inactive target")
    acceptable = (
        {"court"}
        if wanted == "court"
        else {"labor_arbitration", "commercial_arbitration", "land_arbitration"}
    )
    if target.kind not in acceptable:
        zh = {"court": "法院", "arbitration": "仲裁委"}.get(wanted, "其他机构")
        raise Invalid.at(
            "/target", f"{records.ACTION_TEXT[kind][0]}须交{zh} / a {kind} goes to a {wanted}"
        )
    return target


def request(
    ctx: HubContext, session: Session, principal: Principal, no: str, body: dict[str, Any]
) -> dict[str, Any]:
    """POST /v1/applications/{no}/referrals by the institution that held the case."""
    now = ctx.clock.now()
    app = load_case(session, no)
    if principal.role is not Role.INSTITUTION or app.institution_id != principal.party:
        raise NotFound("没有这个办件 / no such application")
    kind = ReferralKind(body["kind"])
    # Art. 13: an agreement to arbitrate may also be made once the dispute arose.
    post_dispute = body.get("post_dispute_agreement")
    try:
        new_status = status_for_referral_request(
            Status(app.status), kind, app.arbitration_agreement or post_dispute is not None
        )
    except InvalidTransition as exc:
        raise wrong_state(exc) from exc
    except NotAllowed as exc:
        raise Invalid.at(exc.pointer or "/kind", str(exc)) from exc
    target = _target(session, app, kind, body.get("target"))
    documents = [
        *body.get("documents", []),
        *([{**post_dispute["document"], "role": "post_dispute_agreement"}] if post_dispute else []),
    ]
    if documents:
        documents = case_files.take_in(
            documents,
            limit=ctx.settings.case_file_bytes,
            already=case_files.stored_bytes(ctx.vault, session, app),
            pointer="/documents",
        )
    referral = Referral(
        id=str(uuid.uuid4()),
        application_no=no,
        kind=kind,
        target_id=target.id,
        requested_by=principal.party or "",
        documents=documents,
        created_at=now,
    )
    session.add(referral)
    open_referral_deadline(ctx, session, referral, now)
    touch(app, new_status, now)
    records.add_event(
        ctx,
        session,
        app,
        type="referral_requested",
        at=now,
        actor_role=principal.role,
        actor_party=principal.party,
        data={
            "kind": kind,
            "target": target.id,
            "referral_id": referral.id,
            **({"post_dispute_agreement": True} if post_dispute else {}),
        },
    )
    session.flush()
    enqueue(
        session,
        ctx.vault,
        destination=destinations.institution(target.id),
        type="referral.requested",
        application_no=no,
        data={
            "referral": records.referral_view(session, referral),
            "documents": referral.documents,
            "case": records.full_record(ctx, session, app),
        },
        occurred_at=now,
    )
    notify_portal(ctx, session, app, now)
    record_audit(
        session, app, principal, "referral.requested", now, {"kind": kind, "target": target.id}
    )
    save_case(session, app)
    return {
        "referral_id": referral.id,
        "status": app.status,
        "target": {"id": target.id, "name": target.name},
    }


#: The states of a referral (the filter of GET /v1/referrals).
REFERRAL_STATUSES = ("pending", "decided")


def list_for(session: Session, principal: Principal, status: str | None) -> list[dict[str, Any]]:
    """GET /v1/referrals: the caller's own referrals."""
    query = select(Referral).where(Referral.target_id == principal.party)
    if status == "pending":
        query = query.where(Referral.status == "pending")
    elif status:
        query = query.where(Referral.status == status)
    rows = session.exec(query.order_by(col(Referral.created_at))).all()
    return [records.referral_view(session, r) for r in rows]


def record_result(
    ctx: HubContext, session: Session, principal: Principal, referral_id: str, body: dict[str, Any]
) -> dict[str, Any]:
    """POST /v1/referrals/{id}/result by the court or commission it was addressed to."""
    now = ctx.clock.now()
    referral = session.exec(
        select(Referral).where(Referral.id == referral_id).with_for_update()
    ).first()
    if referral is None or referral.target_id != principal.party:
        raise NotFound("没有这个转介 / no such referral")
    app = load_case(session, referral.application_no)
    if referral.status != "pending":
        raise Conflict(
            f"该转介已有结果 / referral already decided ({referral.outcome})",
            current_status=app.status,
        )
    try:
        new_status = status_for_referral_result(ReferralKind(referral.kind), body["outcome"])
    except NotAllowed as exc:
        raise Invalid.at(exc.pointer or "/outcome", str(exc)) from exc
    referral.status = "decided"
    referral.outcome = body["outcome"]
    referral.case_no = body.get("case_no")
    referral.decided_on = date.fromisoformat(body["decided_on"])
    document = body.get("document")
    referral.result_document = with_clean_names([document])[0] if document else None
    referral.decided_at = now
    session.add(referral)
    close_referral_deadline(session, referral, now)
    touch(app, new_status, now)
    save_case(session, app)
    result = {
        "referral_id": referral.id,
        "kind": referral.kind,
        "outcome": referral.outcome,
        "case_no": referral.case_no,
        "decided_on": body["decided_on"],
    }
    records.add_event(
        ctx,
        session,
        app,
        type="referral_decided",
        at=now,
        actor_role=principal.role,
        actor_party=principal.party,
        data=result,
    )
    if app.institution_id:
        enqueue(
            session,
            ctx.vault,
            destination=destinations.institution(app.institution_id),
            type="referral.decided",
            application_no=app.no,
            data=result,
            occurred_at=now,
        )
    notify_portal(ctx, session, app, now)
    notify_applicant(ctx, session, app, "referral_result", now, result)
    record_audit(session, app, principal, "referral.decided", now, {"outcome": referral.outcome})
    return {"referral_id": referral.id, "application_no": app.no, "status": app.status}
