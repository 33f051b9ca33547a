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
from starlette.routing import Route

from hub.api.support import (
    authenticate,
    creating,
    guarded_lookup,
    hub_ctx,
    idempotency_key,
    in_read,
    in_transaction,
    json_body,
    json_response,
)
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
from hub.services.intake_batch import IntakeBatcher
from hub.services.principal import Principal, Role


async def submit(request: Request) -> Response:
    """Intake goes through the group-commit batcher (hub.services.intake_batch)."""
    principal = authenticate(request, Role.PORTAL, Role.INSTITUTION)
    body, raw = await json_body(request, "application")
    body = intake.with_district(body)
    key = idempotency_key(request)
    digest = request_hash(request.method, request.url.path, raw)
    if key is None and body.get("source_no"):  # the portal's own number is its key
        key, digest = f"source_no:{body['source_no']}", intake.body_digest(body)
    batcher: IntakeBatcher = request.app.state.intake
    future = batcher.submit(principal, body, key, digest)
    answer = await asyncio.wrap_future(future)
    return Response(answer.body, status_code=answer.status, media_type="application/json")


async def get_application(request: Request) -> Response:
    principal = authenticate(request)
    no = canonical_no(request.path_params["no"])
    ctx = hub_ctx(request)

    def work(session: Session) -> dict[str, Any]:
        return records.full_record(ctx, session, case_view.viewable(ctx, session, principal, no))

    record = await in_read(request, work)
    # Who read the personal data, before it leaves (hub.services.disclosures).
    await run_in_threadpool(disclosures.record_read, ctx, principal, no, via="api")
    return json_response(record)


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


def _case_action(schema: str, action: Any, *roles: Role) -> Any:
    async def handler(request: Request) -> Response:
        principal = authenticate(request, *roles)
        no = canonical_no(request.path_params["no"])
        body, raw = await json_body(request, schema)
        ctx: HubContext = hub_ctx(request)
        return await creating(
            request,
            principal,
            raw,
            lambda s: action(ctx, s, principal, no, body),
            status=201 if schema not in ("withdraw", "dispatch") else 200,
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


async def get_bundle(request: Request) -> Response:
    """INTERFACE 18: the case's signed evidential bundle (admin, the case's institution)."""
    principal = authenticate(request, Role.ADMIN, Role.INSTITUTION)
    no = canonical_no(request.path_params["no"])
    data = await run_in_threadpool(bundles.export, hub_ctx(request), principal, no, via="api")
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


async def get_attachment(request: Request) -> Response:
    """INTERFACE 15: an attachment of the case, for those who may read it; audited."""
    principal = authenticate(request)
    no = canonical_no(request.path_params["no"])
    ctx = hub_ctx(request)

    def work(session: Session) -> documents.FileAnswer:
        app = case_view.viewable(ctx, session, principal, no)
        return documents.attachment(ctx, session, principal, app, request.path_params["index"])

    return _file(await in_transaction(request, work))


async def serve_document(request: Request) -> Response:
    principal = authenticate(request, Role.INSTITUTION)
    no = canonical_no(request.path_params["no"])
    body, raw = await json_body(request, "document")
    ctx = hub_ctx(request)
    return await creating(
        request, principal, raw, lambda s: documents.serve(ctx, s, principal, no, body)
    )


async def get_document(request: Request) -> Response:
    principal = authenticate(request, Role.PORTAL, Role.INSTITUTION, Role.ADMIN)
    ctx = hub_ctx(request)
    document_id = request.path_params["id"]
    return _file(
        await in_transaction(request, lambda s: documents.content(ctx, s, principal, document_id))
    )


async def document_receipt(request: Request) -> Response:
    principal = authenticate(request, Role.PORTAL)
    body, raw = await json_body(request, "document_receipt")
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


routes = [
    Route("/v1/applications", submit, methods=["POST"]),
    Route("/v1/applications/{no}", get_application, methods=["GET"]),
    Route("/v1/status/{no}", public_status, methods=["GET"]),
    Route(
        "/v1/applications/{no}/events",
        _case_action("institution_event", _require_event_owner, Role.INSTITUTION),
        methods=["POST"],
    ),
    Route(
        "/v1/applications/{no}/withdraw",
        _case_action("withdraw", lifecycle.withdraw, Role.PORTAL),
        methods=["POST"],
    ),
    Route("/v1/applications/{no}/attachments/{index}", get_attachment, methods=["GET"]),
    Route("/v1/applications/{no}/bundle", get_bundle, methods=["GET"]),
    Route("/v1/applications/{no}/documents", serve_document, methods=["POST"]),
    Route("/v1/documents/{id}", get_document, methods=["GET"]),
    Route("/v1/documents/{id}/receipt", document_receipt, methods=["POST"]),
    Route(
        "/v1/applications/{no}/dispatch",
        _case_action("dispatch", lifecycle.unit_dispatch, Role.UNIT, Role.ADMIN),
        methods=["POST"],
    ),
    Route(
        "/v1/applications/{no}/dunning",
        _case_action("dunning", dunning.dun, Role.UNIT, Role.ADMIN),
        methods=["POST"],
    ),
]

__all__ = ["routes"]
