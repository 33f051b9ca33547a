"""Case files and service of documents (电子卷宗, 电子送达; INTERFACE 15).

- An application's attachments are downloaded from the sealed case record by those who may
  read the case; each is checked against its sha256 before it is served, and every download
  is audited (who, which case, which attachment).
- The case's institution serves a document (an acceptance or rejection notice, a mediation
  agreement, a closure notice) on the applicants, the respondents or both: it is stored
  sealed, the portal gets `document.served`, the parties an SMS with the portal link, the
  timeline a public `document_served` step (送达).
- The portal records when the party opened it (`POST /v1/documents/{id}/receipt`, 签收):
  the timeline's `document_received` step, and `document.received` to the institution.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from hub import jsonutil
from hub.domain import destinations
from hub.domain.case import Case
from hub.domain.status import Status
from hub.logsafety import get_logger
from hub.services import case_files, records
from hub.services.casework import NOTIFY, load_case
from hub.services.context import HubContext
from hub.services.errors import Conflict, Invalid, NotFound, ServiceError
from hub.services.principal import Principal, Role
from hub.store import audit, cases
from hub.store.models import CaseDocument
from hub.store.outbox import enqueue

log = get_logger("hub.services.documents")

_NO_CASE = "没有这个办件 / no such application"
_NO_ATTACHMENT = "没有这个附件 / no such attachment"
_NO_DOCUMENT = "没有这个文书 / no such document"
KIND_TEXT = {
    "acceptance_notice": ("受理通知书", "Notice of acceptance"),
    "rejection_notice": ("不予受理通知书", "Notice of rejection"),
    "agreement": ("调解协议书", "Mediation agreement"),
    "closure_notice": ("结案通知书", "Notice of closure"),
    "other": ("其他文书", "Other document"),
}
#: Statuses in which a case is no longer the institution's to serve documents in.
_GONE = {Status.WITHDRAWN, Status.UNDELIVERABLE, Status.SUBMITTED}


class IntegrityFailure(ServiceError):
    """A stored file no longer matches its sha256: it is not served."""

    status = 500
    title_zh = "文件完整性校验失败"
    title_en = "Stored file failed its integrity check"


@dataclass(frozen=True)
class FileAnswer:
    """Bytes to serve, with what the answer's headers need."""

    content: bytes
    media_type: str
    name: str
    sha256: str


def _checked(content: bytes, sha256: str, what: str) -> bytes:
    if hashlib.sha256(content).hexdigest() != sha256:
        log.error("integrity check failed: %s", what)
        raise IntegrityFailure(f"{what} 与其摘要不符 / does not match its sha256")
    return content


def _read_audit(
    session: Session,
    principal: Principal,
    no: str,
    action: str,
    at: datetime,
    detail: dict[str, Any],
) -> None:
    audit.append(
        session,
        chain=no,
        at=at,
        actor_role=principal.role,
        actor_party=principal.party,
        action=action,
        application_no=no,
        detail=detail,
    )


def attachment(
    ctx: HubContext,
    session: Session,
    principal: Principal,
    app: Case,
    raw_index: str,
) -> FileAnswer:
    """`GET /v1/applications/{no}/attachments/{index}` for a caller who may read the case."""
    if not (raw_index.isascii() and raw_index.isdigit() and len(raw_index) <= 4):
        raise NotFound(_NO_ATTACHMENT)
    items = records.open_personal(ctx.vault, app).get("attachments", [])
    index = int(raw_index)
    if index >= len(items):
        raise NotFound(_NO_ATTACHMENT)
    item = items[index]
    content = _checked(
        base64.b64decode(item["content_base64"]), item["sha256"], f"{app.no} attachment {index}"
    )
    _read_audit(
        session,
        principal,
        app.no,
        "attachment.downloaded",
        ctx.clock.now(),
        {"index": index, "sha256": item["sha256"], "size": len(content)},
    )
    return FileAnswer(content, item["media_type"], item["name"], item["sha256"])


def _served_to(personal: dict[str, Any], serve_to: str) -> list[dict[str, Any]]:
    sides = ("applicants", "respondents") if serve_to == "both" else (serve_to,)
    return [
        {k: p[k] for k in ("name", "phone") if p.get(k)}
        for side in sides
        for p in personal.get(side, [])
        if p.get("phone")
    ]


def serve(
    ctx: HubContext, session: Session, principal: Principal, no: str, body: dict[str, Any]
) -> dict[str, Any]:
    """`POST /v1/applications/{no}/documents` (the case's institution)."""
    now = ctx.clock.now()
    app = load_case(session, no)
    holder = app.institution_id
    if principal.role is not Role.INSTITUTION or holder is None or holder != principal.party:
        raise NotFound(_NO_CASE)
    if Status(app.status) in _GONE:
        raise Conflict(
            f"办件状态为「{records.STATUS_TEXT[Status(app.status)][0]}」，不能送达文书 / "
            f"no document can be served in status {app.status}",
            current_status=app.status,
        )
    content = base64.b64decode(body["content_base64"], validate=True)
    (file,) = case_files.take_in(  # the name cleaned, within the case's quota of bytes
        [{"name": body["name"], "size": len(content)}],
        limit=ctx.settings.case_file_bytes,
        already=case_files.stored_bytes(ctx.vault, session, app),
        pointer="/content_base64",
    )
    doc_id = str(uuid.uuid4())
    doc = CaseDocument(
        id=doc_id,
        application_no=app.no,
        institution_id=holder,
        kind=body["kind"],
        name=file["name"],
        media_type=body["media_type"],
        size=len(content),
        sha256=body["sha256"],
        content_sealed=ctx.vault.seal_text(
            body["content_base64"], table="case_document", field="content", record_id=doc_id
        ),
        serve_to=body["serve_to"],
        served_at=now,
    )
    session.add(doc)
    view = document_view(doc)
    records.add_event(
        ctx,
        session,
        app,
        type="document_served",
        at=now,
        actor_role=principal.role,
        actor_party=principal.party,
        data={"document_id": doc_id, "kind": doc.kind, "serve_to": doc.serve_to},
    )
    if app.submitted_by_role == "portal":
        enqueue(
            session,
            ctx.vault,
            destination=destinations.portal(app.submitted_by_party),
            type="document.served",
            application_no=app.no,
            data={**view, "href": f"/v1/documents/{doc_id}"},
            occurred_at=now,
        )
    recipients = _served_to(records.open_personal(ctx.vault, app), doc.serve_to)
    if recipients:
        enqueue(
            session,
            ctx.vault,
            destination=NOTIFY,
            type="notice.document_served",
            application_no=app.no,
            data={
                "notice": "document_served",
                "kind": doc.kind,
                "document_id": doc_id,
                "link": ctx.settings.portal_document_url.format(document_id=doc_id),
                "recipients": recipients,
            },
            occurred_at=now,
        )
    audit.append(
        session,
        chain=app.no,
        at=now,
        actor_role=principal.role,
        actor_party=principal.party,
        action="document.served",
        application_no=app.no,
        detail={"document_id": doc_id, "kind": doc.kind, "sha256": doc.sha256},
    )
    return {"document_id": doc_id, **view}


def document_view(doc: CaseDocument) -> dict[str, Any]:
    zh, en = KIND_TEXT[doc.kind]
    return {
        "document_id": doc.id,
        "application_no": doc.application_no,
        "kind": doc.kind,
        "kind_text": {"zh": zh, "en": en},
        "name": doc.name,
        "media_type": doc.media_type,
        "size": doc.size,
        "sha256": doc.sha256,
        "serve_to": doc.serve_to,
        "served_at": jsonutil.rfc3339(doc.served_at),
        "received_at": jsonutil.rfc3339(doc.received_at) if doc.received_at else None,
    }


def documents_of(session: Session, no: str) -> list[dict[str, Any]]:
    rows = session.exec(
        select(CaseDocument)
        .where(CaseDocument.application_no == no)
        .order_by(col(CaseDocument.served_at), col(CaseDocument.id))
    ).all()
    return [document_view(d) for d in rows]


def _may_read_document(principal: Principal, app: Case, doc: CaseDocument) -> bool:
    if principal.role is Role.ADMIN:
        return True
    if principal.role is Role.INSTITUTION:
        return principal.party in (doc.institution_id, app.institution_id)
    if principal.role is Role.PORTAL:
        return app.submitted_by_role == "portal" and app.submitted_by_party == principal.party
    return False


def _document_and_case(
    session: Session, principal: Principal, document_id: str, *, lock: bool = False
) -> tuple[CaseDocument, Case]:
    try:
        uuid.UUID(document_id)
    except ValueError:
        raise NotFound(_NO_DOCUMENT) from None
    stmt = select(CaseDocument).where(CaseDocument.id == document_id)
    doc = session.exec(stmt.with_for_update() if lock else stmt).first()
    app = cases.load(session, doc.application_no) if doc else None
    if doc is None or app is None or not _may_read_document(principal, app, doc):
        raise NotFound(_NO_DOCUMENT)
    return doc, app


def content(
    ctx: HubContext, session: Session, principal: Principal, document_id: str
) -> FileAnswer:
    """`GET /v1/documents/{id}`: the document's bytes (portal, its institution, admin)."""
    doc, app = _document_and_case(session, principal, document_id)
    encoded = ctx.vault.open_text(
        doc.content_sealed, table="case_document", field="content", record_id=doc.id
    )
    data = _checked(base64.b64decode(encoded), doc.sha256, f"document {doc.id}")
    _read_audit(
        session,
        principal,
        app.no,
        "document.downloaded",
        ctx.clock.now(),
        {"document_id": doc.id, "sha256": doc.sha256},
    )
    return FileAnswer(data, doc.media_type, doc.name, doc.sha256)


def receipt(
    ctx: HubContext, session: Session, principal: Principal, document_id: str, body: dict[str, Any]
) -> dict[str, Any]:
    """`POST /v1/documents/{id}/receipt` (the portal of the case): the party opened it."""
    now = ctx.clock.now()
    if principal.role is not Role.PORTAL:
        raise NotFound(_NO_DOCUMENT)
    doc, app = _document_and_case(session, principal, document_id, lock=True)
    if doc.received_at is not None:  # signed for already: the first receipt stands
        return document_view(doc)
    at = datetime.fromisoformat(body["received_at"]) if body.get("received_at") else now
    if at > now:
        raise Invalid.at("/received_at", "签收时间不能晚于当前时间 / received_at is in the future")
    if at < doc.served_at:
        raise Invalid.at("/received_at", "签收时间早于送达时间 / received_at is before service")
    doc.received_at, doc.received_by = at, principal.party
    session.add(doc)
    records.add_event(
        ctx,
        session,
        app,
        type="document_received",
        at=at,
        actor_role=principal.role,
        actor_party=principal.party,
        data={"document_id": doc.id, "kind": doc.kind},
    )
    enqueue(
        session,
        ctx.vault,
        destination=destinations.institution(doc.institution_id),
        type="document.received",
        application_no=app.no,
        data=document_view(doc),
        occurred_at=now,
    )
    audit.append(
        session,
        chain=app.no,
        at=now,
        actor_role=principal.role,
        actor_party=principal.party,
        action="document.received",
        application_no=app.no,
        detail={"document_id": doc.id, "received_at": jsonutil.rfc3339(at)},
    )
    return document_view(doc)
