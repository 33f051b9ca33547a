"""Evidential bundles of a case (证据包, INTERFACE 18): `hub bundle export`, `GET .../bundle`.

The bundle (format: privacy.evidence) holds the case record, its timeline, its documents
with their content (the application's attachments, the documents served in it, the
referral documents and results), and its audit entries with the signed checkpoint that
covers the last of them; the hub signs the whole with its Ed25519 key. Exporting is itself
audited (`bundle.exported` on the case's chain, so the bundle shows its own export), and a
checkpoint is signed first so that the entries are covered.

May export: admin, and the institution that holds the case.
"""

from __future__ import annotations

import base64
from typing import Any

from sqlmodel import Session, col, select

from hub import jsonutil
from hub.domain.case import Case
from hub.services import audit_trail, disclosures, records
from hub.services.context import HubContext
from hub.services.errors import NotFound
from hub.services.principal import Principal, Role
from hub.store import cases
from hub.store.models import AuditCheckpoint, AuditEntry, CaseDocument, Referral
from hub.store.unit_of_work import UnitOfWork
from privacy import evidence

_NOT_FOUND = "没有这个办件 / no such application"


def may_export(principal: Principal, app: Case) -> bool:
    if principal.role is Role.ADMIN:
        return True
    return principal.role is Role.INSTITUTION and app.institution_id == principal.party


def _file(source: str, item: dict[str, Any], content_base64: str) -> dict[str, Any]:
    return {
        "source": source,
        "name": item.get("name"),
        "media_type": item.get("media_type"),
        "size": len(base64.b64decode(content_base64)),
        "sha256": item.get("sha256"),
        "content_base64": content_base64,
        **({"kind": item["kind"]} if item.get("kind") else {}),
    }


def _documents(ctx: HubContext, session: Session, app: Case) -> list[dict[str, Any]]:
    files = [
        _file("attachment", a, a["content_base64"])
        for a in records.open_personal(ctx.vault, app).get("attachments", [])
    ]
    served = session.exec(
        select(CaseDocument)
        .where(CaseDocument.application_no == app.no)
        .order_by(col(CaseDocument.served_at), col(CaseDocument.id))
    ).all()
    for doc in served:
        encoded = ctx.vault.open_text(
            doc.content_sealed, table="case_document", field="content", record_id=doc.id
        )
        view = {
            "name": doc.name,
            "media_type": doc.media_type,
            "sha256": doc.sha256,
            "kind": doc.kind,
        }
        files.append(_file("served", view, encoded))
    referrals = session.exec(
        select(Referral)
        .where(Referral.application_no == app.no)
        .order_by(col(Referral.created_at), col(Referral.id))
    ).all()
    for r in referrals:
        files += [_file("referral", d, d["content_base64"]) for d in r.documents or []]
        if r.result_document:
            files.append(
                _file("referral_result", r.result_document, r.result_document["content_base64"])
            )
    return files


def _audit(session: Session, no: str) -> dict[str, Any]:
    entries = session.exec(
        select(AuditEntry).where(AuditEntry.chain == no).order_by(col(AuditEntry.id))
    ).all()
    last_id = entries[-1].id if entries else 0
    covering = session.exec(
        select(AuditCheckpoint)
        .where(col(AuditCheckpoint.upto_id) >= last_id)
        .order_by(col(AuditCheckpoint.seq))
        .limit(1)
    ).first()
    return {
        "entries": [
            {
                "id": e.id,
                "at": jsonutil.rfc3339(e.at),
                "actor_role": e.actor_role,
                "actor_party": e.actor_party,
                "actor_login": e.actor_login,
                "action": e.action,
                "detail": e.detail,
                "prev_hash": e.prev_hash,
                "hash": e.hash,
            }
            for e in entries
        ],
        "checkpoint": audit_trail.as_line(covering) if covering is not None else None,
    }


def record_export(
    ctx: HubContext, session: UnitOfWork, principal: Principal, no: str, *, via: str
) -> None:
    """Audit the export of case `no` (step 1 of 3, in a transaction of its own: it must be
    committed for the checkpoint of step 2 to cover it), or NotFound for a case the caller
    may not export. Step 2 is `hub.audit_checkpointer.write_checkpoint`, step 3 `seal`."""
    app = cases.load(session, no)
    if app is None or not may_export(principal, app):
        raise NotFound(_NOT_FOUND)
    disclosures.record_read(ctx, session, principal, no, via=via, action="bundle.exported")


def seal(ctx: HubContext, session: Session, no: str) -> bytes:
    """The signed bundle of case `no`, read once its export is recorded and covered."""
    app = cases.load(session, no)
    if app is None:
        raise NotFound(_NOT_FOUND)
    record = records.full_record(ctx, session, app)
    timeline = record.pop("timeline", [])
    parts = {
        "record": record,
        "timeline": timeline,
        "documents": _documents(ctx, session, app),
        "audit": _audit(session, no),
    }
    return evidence.seal(
        application_no=no,
        created_at=jsonutil.rfc3339(ctx.clock.now()),
        parts=parts,
        signer=ctx.vault.signer,
    )
