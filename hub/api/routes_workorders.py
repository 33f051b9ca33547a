"""Work orders (工单, INTERFACE 14): HTTP only; each handler calls one `hub.ops.workorders`."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hub.api.support import (
    authenticate,
    creating,
    guarded_lookup,
    hub_ctx,
    in_read,
    json_body,
    json_response,
)
from hub.domain.numbering import business_day
from hub.ops import workorder_ledger, workorders
from hub.services.errors import NotFound
from hub.services.principal import Role

_NOT_FOUND = "没有这个工单 / no such work order"


async def submit(request: Request) -> Response:
    principal = authenticate(request, Role.PORTAL, Role.ADMIN)
    body, raw = await json_body(request, "workorder")
    ctx = hub_ctx(request)
    return await creating(
        request, principal, raw, lambda s: workorders.submit(ctx, s, principal, body)
    )


def _action(schema: str, roles: tuple[Role, ...], work: Any) -> Any:
    async def handler(request: Request) -> Response:
        principal = authenticate(request, *roles)
        body, raw = await json_body(request, schema)
        ctx = hub_ctx(request)
        no = request.path_params["no"]
        return await creating(
            request, principal, raw, lambda s: work(ctx, s, principal, no, body), status=200
        )

    return handler


async def one(request: Request) -> Response:
    """With `?code=` the citizen's progress (public); with a token the whole work order."""
    ctx = hub_ctx(request)
    no = request.path_params["no"]
    if "authorization" not in request.headers:
        # Throttled per client and number like the case status (INTERFACE 18).
        code = request.query_params.get("code", "")
        no = workorders.canonical_no(no)
        if not code:
            raise NotFound(_NOT_FOUND)

        def look(s: Session) -> dict[str, Any] | None:
            try:
                return workorders.progress(ctx, s, no, code)
            except NotFound:  # an unknown number or a wrong code: a guess
                return None

        found = await guarded_lookup(request, no, look)
        if found is None:
            raise NotFound(_NOT_FOUND)
        return json_response(found)
    principal = authenticate(request)
    return json_response(await in_read(request, lambda s: workorders.record(ctx, s, principal, no)))


async def ledger(request: Request) -> Response:
    principal = authenticate(request, Role.ADMIN, Role.UNIT, Role.INSTITUTION)
    query = workorder_ledger.parse_ledger_query(dict(request.query_params))
    ctx = hub_ctx(request)
    result = await in_read(request, lambda s: workorder_ledger.ledger(ctx, s, principal, query))
    if query["format"] == "csv":
        headers = {"content-disposition": 'attachment; filename="workorders.csv"'}
        if result["next_cursor"]:
            headers["link"] = f'<?cursor={result["next_cursor"]}>; rel="next"'
        return Response(
            workorder_ledger.ledger_csv(result),
            media_type="text/csv; charset=utf-8",
            headers=headers,
        )
    return json_response(result)


async def report(request: Request) -> Response:
    principal = authenticate(request, Role.ADMIN, Role.UNIT)
    ctx = hub_ctx(request)
    first = workorder_ledger.parse_month(
        request.query_params.get("month"), business_day(ctx.clock.now())
    )
    return json_response(
        await in_read(request, lambda s: workorder_ledger.report(ctx, s, principal, first))
    )


routes = [
    Route("/v1/workorders", submit, methods=["POST"]),
    Route("/v1/workorders", ledger, methods=["GET"]),
    Route("/v1/workorders/report", report, methods=["GET"]),
    Route("/v1/workorders/{no}", one, methods=["GET"]),
    Route(
        "/v1/workorders/{no}/dispatch",
        _action("workorder_dispatch", (Role.ADMIN,), workorders.dispatch),
        methods=["POST"],
    ),
    Route(
        "/v1/workorders/{no}/answer",
        _action("workorder_answer", (Role.INSTITUTION, Role.ADMIN), workorders.answer),
        methods=["POST"],
    ),
    Route(
        "/v1/workorders/{no}/callback",
        _action("workorder_callback", (Role.ADMIN,), workorders.callback),
        methods=["POST"],
    ),
    Route(
        "/v1/workorders/{no}/help-article",
        _action("workorder_help_article", (Role.UNIT, Role.ADMIN), workorders.to_help_article),
        methods=["POST"],
    ),
]

openapi_operations: dict[str, dict[str, tuple[str, str | None, str]]] = {
    "/v1/workorders": {
        "post": ("提交工单 File a work order", "workorder", "portal, admin (hotline)"),
        "get": (
            "工单台账 Ledger (?status=&type=&from=&to=&format=json|csv&limit=&cursor=)",
            None,
            "admin, unit (own institutions), institution (own)",
        ),
    },
    "/v1/workorders/report": {
        "get": ("工单月报 Monthly report (?month=YYYY-MM)", None, "admin, unit (own)")
    },
    "/v1/workorders/{no}": {
        "get": (
            "工单进度 Progress by query code (?code=), or the whole work order with a token",
            None,
            "public with code; admin, unit, institution, portal (own) with a token",
        )
    },
    "/v1/workorders/{no}/dispatch": {
        "post": ("工单派单 Dispatch to an institution", "workorder_dispatch", "admin")
    },
    "/v1/workorders/{no}/answer": {
        "post": ("工单答复 Answer", "workorder_answer", "institution (its own), admin")
    },
    "/v1/workorders/{no}/callback": {
        "post": ("工单回访 Callback: satisfied or not", "workorder_callback", "admin")
    },
    "/v1/workorders/{no}/help-article": {
        "post": (
            "咨询转帮助文章 Turn an answered consultation into a help article",
            "workorder_help_article",
            "unit, admin",
        )
    },
}
