"""Operations (INTERFACE 10): case list and overdue, registry governance, complaints,
statistics, early warning and online help. Thin: each handler calls one `hub.ops` function."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hub.api.errors import HttpProblem
from hub.api.support import (
    authenticate,
    choice_param,
    creating,
    guarded_lookup,
    hub_ctx,
    in_read,
    in_transaction,
    json_body,
    json_response,
    read_body,
    schemaless_body,
)
from hub.domain.numbering import business_day
from hub.ops import alerts, casebook, complaints, governance, helpdesk, stats
from hub.services.errors import NotFound
from hub.services.principal import Role
from schemas.text import ascii_int


def _params(request: Request) -> dict[str, str]:
    return dict(request.query_params)


async def list_applications(request: Request) -> Response:
    # A portal looks up what it submitted by its own number; listing stays the supervisors'.
    lookup = bool(request.query_params.get("source_no"))
    principal = authenticate(request, Role.UNIT, Role.ADMIN, *([Role.PORTAL] if lookup else []))
    query = casebook.parse_query(_params(request))
    ctx = hub_ctx(request)
    return json_response(
        await in_read(request, lambda s: casebook.list_applications(ctx, s, principal, query))
    )


# ------------------------------------------------------------------ registry governance


async def request_change(request: Request) -> Response:
    principal = authenticate(request, Role.UNIT)
    body, raw = await json_body(request, "registry_change")
    ctx = hub_ctx(request)
    return await creating(
        request, principal, raw, lambda s: governance.request_change(ctx, s, principal, body)
    )


async def _decision_body(request: Request) -> tuple[str | None, bytes]:
    body, raw = await schemaless_body(request)
    if not raw.strip():
        return None, raw
    note = body.get("note") if isinstance(body, dict) else None
    if (
        not isinstance(body, dict)
        or set(body) - {"note"}
        or not (note is None or (isinstance(note, str) and len(note) <= 2000))
    ):
        from hub.services.errors import Violation

        raise HttpProblem(
            422,
            "请求内容未通过校验 / validation failed",
            [Violation("/note", "可选文本，不超过 2000 字 / optional text up to 2000")],
        )
    return note, raw


def _decide(approve: bool) -> Any:
    async def handler(request: Request) -> Response:
        principal = authenticate(request, Role.ADMIN)
        note, raw = await _decision_body(request)
        ctx = hub_ctx(request)
        change_id = request.path_params["id"]
        return await creating(
            request,
            principal,
            raw,
            lambda s: governance.decide(ctx, s, principal, change_id, approve, note),
            status=200,
        )

    return handler


async def list_changes(request: Request) -> Response:
    principal = authenticate(request, Role.UNIT, Role.ADMIN)
    status = choice_param(request, "status", governance.CHANGE_STATUSES)
    return json_response(
        {"changes": await in_read(request, lambda s: governance.list_changes(s, principal, status))}
    )


async def get_change(request: Request) -> Response:
    principal = authenticate(request, Role.UNIT, Role.ADMIN)
    change_id = request.path_params["id"]
    return json_response(
        await in_read(request, lambda s: governance.get_change(s, principal, change_id))
    )


async def institution_history(request: Request) -> Response:
    principal = authenticate(request, Role.UNIT, Role.ADMIN)
    ctx = hub_ctx(request)
    inst_id = request.path_params["id"]
    return json_response(
        await in_transaction(request, lambda s: governance.history(ctx, s, principal, inst_id))
    )


async def registry_as_of(request: Request) -> Response:
    authenticate(request, Role.UNIT, Role.ADMIN)
    ctx = hub_ctx(request)
    params = _params(request)
    governance.parse_moment(params)  # 422 before any write
    return json_response(await in_transaction(request, lambda s: governance.as_of(ctx, s, params)))


# ------------------------------------------------------------------ complaints


async def submit_complaint(request: Request) -> Response:
    principal = authenticate(request, Role.PORTAL, Role.ADMIN)
    body, raw = await json_body(request, "complaint")
    ctx = hub_ctx(request)
    return await creating(
        request, principal, raw, lambda s: complaints.submit(ctx, s, principal, body)
    )


async def complaint_progress(request: Request) -> Response:
    """Throttled per client and number like the case status (`guarded_lookup`)."""
    ctx = hub_ctx(request)
    no = complaints.canonical_complaint_no(request.path_params["no"])
    code = request.query_params.get("code", "")
    if not code:
        raise NotFound(complaints.NOT_FOUND)
    found = await guarded_lookup(request, no, lambda s: complaints.progress(ctx, s, no, code))
    if found is None:
        raise NotFound(complaints.NOT_FOUND)
    return json_response(found)


async def answer_complaint(request: Request) -> Response:
    principal = authenticate(request, Role.UNIT)
    body, raw = await schemaless_body(request)
    ctx = hub_ctx(request)
    no = request.path_params["no"]
    return await creating(
        request,
        principal,
        raw,
        lambda s: complaints.answer(ctx, s, principal, no, body),
        status=200,
    )


async def list_complaints(request: Request) -> Response:
    principal = authenticate(request, Role.UNIT, Role.ADMIN)
    ctx = hub_ctx(request)
    status = choice_param(request, "status", complaints.STATUS_TEXT)
    return json_response(
        {
            "complaints": await in_read(
                request, lambda s: complaints.list_for(ctx, s, principal, status)
            )
        }
    )


# ------------------------------------------------------------------ statistics, alerts, help


async def get_stats(request: Request) -> Response:
    principal = authenticate(request, Role.UNIT, Role.ADMIN)
    ctx = hub_ctx(request)
    query = stats.parse_query(_params(request), business_day(ctx.clock.now()))
    result = await in_read(request, lambda s: stats.compute(ctx, s, principal, query))
    if query["format"] == "csv":
        return Response(
            stats.to_csv(result),
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="stats-{query["by"]}.csv"'},
        )
    return json_response(result)


async def get_alerts(request: Request) -> Response:
    principal = authenticate(request, Role.UNIT, Role.ADMIN)
    ctx = hub_ctx(request)
    limit, offset = alerts.parse_page(_params(request))
    return json_response(
        await in_read(request, lambda s: alerts.alerts(ctx, s, principal, limit, offset))
    )


async def help_search(request: Request) -> Response:
    q = request.query_params.get("q", "")
    limit_raw = request.query_params.get("limit") or "10"
    limit = ascii_int(limit_raw) or 0
    limit = limit if 1 <= limit <= 50 else 10

    def work(s: Session) -> dict[str, Any]:
        return helpdesk.search(s, q, limit)

    return json_response(await in_read(request, work))


async def add_help_article(request: Request) -> Response:
    principal = authenticate(request, Role.UNIT, Role.ADMIN)
    body, raw = await json_body(request, "help_article")
    ctx = hub_ctx(request)
    return await creating(
        request, principal, raw, lambda s: helpdesk.add_article(ctx, s, principal, body)
    )


async def edit_help_article(request: Request) -> Response:
    principal = authenticate(request, Role.UNIT, Role.ADMIN)
    body, raw = await json_body(request, "help_article")
    ctx = hub_ctx(request)
    article_id = request.path_params["id"]
    return await creating(
        request,
        principal,
        raw,
        lambda s: helpdesk.edit_article(ctx, s, principal, article_id, body),
        status=200,
    )


async def retire_help_article(request: Request) -> Response:
    principal = authenticate(request, Role.UNIT, Role.ADMIN)
    raw = await read_body(request)
    ctx = hub_ctx(request)
    article_id = request.path_params["id"]
    return await creating(
        request,
        principal,
        raw,
        lambda s: helpdesk.retire_article(ctx, s, principal, article_id),
        status=200,
    )


async def get_help_article(request: Request) -> Response:
    """Public while published; with a unit or admin token, retired too and every version."""
    keeper = "authorization" in request.headers
    if keeper:
        authenticate(request, Role.UNIT, Role.ADMIN)
    article_id = request.path_params["id"]
    return json_response(
        await in_read(request, lambda s: helpdesk.article(s, article_id, with_history=keeper))
    )


routes = [
    Route("/v1/applications", list_applications, methods=["GET"]),
    Route("/v1/registry/changes", request_change, methods=["POST"]),
    Route("/v1/registry/changes", list_changes, methods=["GET"]),
    Route("/v1/registry/changes/{id}", get_change, methods=["GET"]),
    Route("/v1/registry/changes/{id}/approve", _decide(True), methods=["POST"]),
    Route("/v1/registry/changes/{id}/reject", _decide(False), methods=["POST"]),
    Route("/v1/registry/institutions/{id}/history", institution_history, methods=["GET"]),
    Route("/v1/registry/as-of", registry_as_of, methods=["GET"]),
    Route("/v1/complaints", submit_complaint, methods=["POST"]),
    Route("/v1/complaints", list_complaints, methods=["GET"]),
    Route("/v1/complaints/{no}", complaint_progress, methods=["GET"]),
    Route("/v1/complaints/{no}/answer", answer_complaint, methods=["POST"]),
    Route("/v1/stats", get_stats, methods=["GET"]),
    Route("/v1/alerts", get_alerts, methods=["GET"]),
    Route("/v1/help", help_search, methods=["GET"]),
    Route("/v1/help/articles", add_help_article, methods=["POST"]),
    Route("/v1/help/articles/{id}", get_help_article, methods=["GET"]),
    Route("/v1/help/articles/{id}", edit_help_article, methods=["PUT"]),
    Route("/v1/help/articles/{id}/retire", retire_help_article, methods=["POST"]),
]

openapi_operations: dict[str, dict[str, tuple[str, str | None, str]]] = {
    "/v1/applications": {
        "get": (
            "办件列表 List applications (?status=&institution=&overdue=true&source_no="
            "&limit=&cursor=)",
            None,
            "unit (own institutions), admin; portal with source_no (what it submitted)",
        )
    },
    "/v1/registry/changes": {
        "post": ("名录变更申请 Request a registry change", "registry_change", "unit"),
        "get": ("名录变更列表 Registry changes (?status=)", None, "unit (own), admin"),
    },
    "/v1/registry/changes/{id}": {"get": ("名录变更详情 One change", None, "unit (own), admin")},
    "/v1/registry/changes/{id}/approve": {
        "post": ("批准变更 Approve (body {note}?)", None, "admin, never the requester")
    },
    "/v1/registry/changes/{id}/reject": {
        "post": ("驳回变更 Reject (body {note}?)", None, "admin, never the requester")
    },
    "/v1/registry/institutions/{id}/history": {
        "get": ("机构历史版本 Every version of an institution", None, "unit (own), admin")
    },
    "/v1/registry/as-of": {
        "get": ("某日名录 Registry in force (?date=YYYY-MM-DD | ?at=RFC3339)", None, "unit, admin")
    },
    "/v1/complaints": {
        "post": ("投诉 File a complaint", "complaint", "portal, admin"),
        "get": ("投诉列表 Complaints about own institutions", None, "unit, admin"),
    },
    "/v1/complaints/{no}": {"get": ("投诉进度 Progress by query code (?code=)", None, "public")},
    "/v1/complaints/{no}/answer": {
        "post": ("答复投诉 Answer a complaint (body {answer})", None, "unit")
    },
    "/v1/stats": {
        "get": (
            "统计 Statistics (?by=institution|unit|district|category&from=&to=&format=json|csv)",
            None,
            "unit (own), admin",
        )
    },
    "/v1/alerts": {"get": ("预警 Early warnings (surge, same respondent)", None, "unit, admin")},
    "/v1/help": {"get": ("在线帮助 Search the FAQ (?q=)", None, "public")},
    "/v1/help/articles": {"post": ("新增帮助 Add a FAQ article", "help_article", "unit, admin")},
    "/v1/help/articles/{id}": {
        "get": ("帮助文章 One article (with a token: its versions)", None, "public; unit, admin"),
        "put": ("修改帮助 Edit (a new version)", "help_article", "unit (its own), admin"),
    },
    "/v1/help/articles/{id}/retire": {
        "post": ("下线帮助 Retire (history kept)", None, "unit (its own), admin")
    },
}
