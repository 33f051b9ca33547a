"""Applications (INTERFACE 4-5): intake, record, public status, events, withdraw, dispatch."""

from __future__ import annotations

import asyncio
import base64
import hashlib
from typing import Any
from urllib.parse import quote

from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from hub.api.declare import ANY_ROLE, PUBLIC, Answer, caller, operation, query, ref
from hub.api.intake_batch import IntakeBatcher
from hub.api.support import (
    creating,
    guarded_lookup,
    hub_ctx,
    idempotency_key,
    in_read,
    in_transaction,
    json_body,
    json_response,
)
from hub.audit_checkpointer import write_checkpoint
from hub.ops import dunning
from hub.services import (
    bundles,
    case_view,
    disclosures,
    documents,
    intake,
    lifecycle,
    records,
)
from hub.services import public_status as public_status_service
from hub.services.casework import canonical_no
from hub.services.context import HubContext
from hub.services.errors import NotFound
from hub.services.idempotency import request_hash
from hub.services.principal import Principal, Role


@operation(
    "POST",
    "/v1/applications",
    "submitApplication",
    tag="applications",
    summary="提交办件 Submit an application",
    description="Role institution for walk-in (`channel: window`) cases. Numbered, routed "
    "and dispatched in one transaction; the answer carries the applicant's query code.",
    roles=(Role.PORTAL, Role.INSTITUTION),
    body="application",
    idempotent=True,
    answers=(
        Answer(201, "已受理编号 Numbered and dispatched", ref("ApplicationCreated")),
        Answer(
            200,
            "门户编号重复提交 The portal's own number again, same body: the first case "
            "(query_code null once the first answer's record has expired)",
            ref("ApplicationCreated"),
        ),
    ),
    problems=(429,),
)
async def submit(request: Request) -> Response:
    """Intake goes through the group-commit batcher (hub.api.intake_batch)."""
    principal = caller(request)
    body, raw = await json_body(request)
    body = intake.with_district(body)
    key = idempotency_key(request)
    digest = request_hash(request.method, request.url.path, raw)
    if key is None and body.get("source_no"):  # the portal's own number is its key
        key, digest = intake.source_no_key(body), intake.body_digest(body)
    batcher: IntakeBatcher = request.app.state.intake
    # json_body refused text that cannot be stored; with_district adds only a code
    future = batcher.submit(principal, body, key, digest, storable=True)
    answer = await asyncio.wrap_future(future)
    return Response(answer.body, status_code=answer.status, media_type="application/json")


@operation(
    "GET",
    "/v1/applications/{no}",
    "getApplication",
    tag="applications",
    summary="办件详情 The whole record",
    description="For the parties entitled: the portal that submitted it, the institution "
    "holding it, its unit, the court or commission of a referral, admin. Audited.",
    roles=ANY_ROLE,
    answers=(Answer(200, "办件 The record", ref("ApplicationRecord")),),
    problems=(404, 422),
)
async def get_application(request: Request) -> Response:
    principal = caller(request)
    no = canonical_no(request.path_params["no"])
    ctx = hub_ctx(request)

    def work(session: Session) -> dict[str, Any]:
        return records.full_record(ctx, session, case_view.viewable(ctx, session, principal, no))

    record = await in_read(request, work)
    # Who read the personal data, before it leaves (hub.services.disclosures).
    await in_transaction(
        request, lambda s: disclosures.record_read(ctx, s, principal, no, via="api")
    )
    return json_response(record)


@operation(
    "GET",
    "/v1/status/{no}",
    "getPublicStatus",
    tag="applications",
    summary="公开进度查询 Public status by query code",
    description="A wrong code is 404, the same as no such number; throttled per client.",
    roles=PUBLIC,
    params=(query("code", "公开查询码 the query code", type="string", maxLength=64),),
    answers=(Answer(200, "进度 Status and public timeline", ref("PublicStatus")),),
    problems=(404, 422, 429),
)
async def public_status(request: Request) -> Response:
    """Throttled per client and number (`guarded_lookup`): a wrong code counts as a guess."""
    no = canonical_no(request.path_params["no"])
    code = request.query_params.get("code", "")
    ctx = hub_ctx(request)
    if not code:
        raise NotFound(public_status_service.NOT_FOUND)
    found = await guarded_lookup(
        request, no, lambda s: public_status_service.lookup(ctx, s, no, code)
    )
    assert found is not None  # a wrong code raised NotFound, counted as a guess
    return json_response(found)


def _case_action(action: Any, status: int) -> Any:
    async def handler(request: Request) -> Response:
        principal = caller(request)
        no = canonical_no(request.path_params["no"])
        body, raw = await json_body(request)
        ctx: HubContext = hub_ctx(request)
        return await creating(
            request, principal, raw, lambda s: action(ctx, s, principal, no, body), status=status
        )

    return handler


def _file(answer: documents.FileAnswer) -> Response:
    """A stored file: its bytes, never sniffed, never cached, with its digest (RFC 9530)."""
    digest = base64.b64encode(bytes.fromhex(answer.sha256)).decode()
    return Response(
        answer.content,
        media_type=answer.media_type,
        headers={
            "content-disposition": f"attachment; filename*=UTF-8''{quote(answer.name)}",
            "x-content-type-options": "nosniff",
            "cache-control": "no-store",
            "repr-digest": f"sha-256=:{digest}:",
        },
    )


@operation(
    "GET",
    "/v1/applications/{no}/bundle",
    "getEvidenceBundle",
    tag="applications",
    summary="证据包 The case's signed evidential bundle",
    roles=(Role.ADMIN, Role.INSTITUTION),
    answers=(
        Answer(
            200,
            "签名证据包 Canonical JSON signed with Ed25519",
            {"type": "string", "contentMediaType": "application/vnd.onematter.evidence-bundle"},
            "application/vnd.onematter.evidence-bundle",
        ),
    ),
    problems=(404, 422),
)
async def get_bundle(request: Request) -> Response:
    """INTERFACE 18: the case's signed evidential bundle (admin, the case's institution)."""
    principal = caller(request)
    no = canonical_no(request.path_params["no"])
    ctx = hub_ctx(request)
    # Three steps: the export's audit entry is committed, a checkpoint signed over it, then
    # the bundle (which carries both) is read.
    await in_transaction(request, lambda s: bundles.record_export(ctx, s, principal, no, via="api"))
    await run_in_threadpool(write_checkpoint, ctx)
    data = await in_read(request, lambda s: bundles.seal(ctx, s, no))
    digest = base64.b64encode(hashlib.sha256(data).digest()).decode()
    return Response(
        data,
        media_type="application/vnd.onematter.evidence-bundle",
        headers={
            "content-disposition": f'attachment; filename="{no}.bundle"',
            "x-content-type-options": "nosniff",
            "cache-control": "no-store",
            "repr-digest": f"sha-256=:{digest}:",
        },
    )


@operation(
    "GET",
    "/v1/applications/{no}/attachments/{index}",
    "getAttachment",
    tag="documents",
    summary="下载附件 Download an attachment (sha256 checked, audited)",
    roles=ANY_ROLE,
    answers=(
        Answer(
            200,
            "文件内容 The file's bytes (Repr-Digest: its SHA-256)",
            {"type": "string", "contentMediaType": "application/octet-stream"},
            "application/octet-stream",
        ),
    ),
    problems=(404, 422),
)
async def get_attachment(request: Request) -> Response:
    """INTERFACE 15: an attachment of the case, for those who may read it; audited."""
    principal = caller(request)
    no = canonical_no(request.path_params["no"])
    ctx = hub_ctx(request)

    def work(session: Session) -> documents.FileAnswer:
        app = case_view.viewable(ctx, session, principal, no)
        return documents.attachment(ctx, session, principal, app, request.path_params["index"])

    return _file(await in_transaction(request, work))


@operation(
    "POST",
    "/v1/applications/{no}/documents",
    "serveDocument",
    tag="documents",
    summary="送达文书 Serve a document on the parties",
    roles=(Role.INSTITUTION,),
    body="document",
    idempotent=True,
    answers=(Answer(201, "已送达 Served", ref("ServedDocument")),),
    problems=(404, 409),
)
async def serve_document(request: Request) -> Response:
    principal = caller(request)
    no = canonical_no(request.path_params["no"])
    body, raw = await json_body(request)
    ctx = hub_ctx(request)
    return await creating(
        request, principal, raw, lambda s: documents.serve(ctx, s, principal, no, body)
    )


@operation(
    "GET",
    "/v1/documents/{id}",
    "getDocument",
    tag="documents",
    summary="文书内容 A served document's bytes",
    roles=(Role.PORTAL, Role.INSTITUTION, Role.ADMIN),
    answers=(
        Answer(
            200,
            "文件内容 The file's bytes (Repr-Digest: its SHA-256)",
            {"type": "string", "contentMediaType": "application/octet-stream"},
            "application/octet-stream",
        ),
    ),
    problems=(404,),
)
async def get_document(request: Request) -> Response:
    principal = caller(request)
    ctx = hub_ctx(request)
    document_id = request.path_params["id"]
    return _file(
        await in_transaction(request, lambda s: documents.content(ctx, s, principal, document_id))
    )


@operation(
    "POST",
    "/v1/documents/{id}/receipt",
    "recordDocumentReceipt",
    tag="documents",
    summary="签收 The party opened the document",
    roles=(Role.PORTAL,),
    body="document_receipt",
    idempotent=True,
    answers=(Answer(200, "已签收 Receipt recorded", ref("ServedDocument")),),
    problems=(404,),
)
async def document_receipt(request: Request) -> Response:
    principal = caller(request)
    body, raw = await json_body(request)
    ctx = hub_ctx(request)
    document_id = request.path_params["id"]
    return await creating(
        request,
        principal,
        raw,
        lambda s: documents.receipt(ctx, s, principal, document_id, body),
        status=200,
    )


def _require_event_owner(
    ctx: HubContext, s: Session, p: Principal, no: str, body: dict[str, Any]
) -> dict[str, Any]:
    return lifecycle.record_event(ctx, s, p, no, body)


record_event = operation(
    "POST",
    "/v1/applications/{no}/events",
    "recordInstitutionEvent",
    tag="applications",
    summary="机构事件 Institution event (received, accepted, rejected, returned, closed, ...)",
    description="Idempotent on `event_id`; an event the current status does not allow is 409.",
    roles=(Role.INSTITUTION,),
    body="institution_event",
    idempotent=True,
    answers=(Answer(201, "已记录 Recorded", ref("EventRecorded")),),
    problems=(404, 409),
)(_case_action(_require_event_owner, 201))

withdraw = operation(
    "POST",
    "/v1/applications/{no}/withdraw",
    "withdrawApplication",
    tag="applications",
    summary="撤回 Withdraw (before closure)",
    roles=(Role.PORTAL,),
    body="withdraw",
    idempotent=True,
    answers=(Answer(200, "已撤回 Withdrawn", ref("EventRecorded")),),
    problems=(404, 409),
)(_case_action(lifecycle.withdraw, 200))

dispatch = operation(
    "POST",
    "/v1/applications/{no}/dispatch",
    "dispatchApplication",
    tag="applications",
    summary="人工分派 Dispatch by hand (a unit to its own institutions; sfj, admin)",
    roles=(Role.UNIT, Role.ADMIN),
    body="dispatch",
    idempotent=True,
    answers=(Answer(200, "已分派 Dispatched", ref("EventRecorded")),),
    problems=(404, 409),
)(_case_action(lifecycle.unit_dispatch, 200))

press = operation(
    "POST",
    "/v1/applications/{no}/dunning",
    "pressInstitution",
    tag="applications",
    summary="催办 Press the institution about an overdue case",
    roles=(Role.UNIT, Role.ADMIN),
    body="dunning",
    idempotent=True,
    answers=(Answer(201, "已催办 Pressed", ref("Dunned")),),
    problems=(404, 409),
)(_case_action(dunning.dun, 201))

routes = [
    submit,
    get_application,
    public_status,
    record_event,
    withdraw,
    get_attachment,
    get_bundle,
    serve_document,
    get_document,
    document_receipt,
    dispatch,
    press,
]

__all__ = ["routes"]
