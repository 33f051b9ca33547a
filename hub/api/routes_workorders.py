"""Work orders (工单, INTERFACE 14): HTTP only; each handler calls one `hub.ops.workorders`."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from hub.api.declare import ANY_ROLE, Answer, caller, operation, query, ref
from hub.api.support import (
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


@operation(
    "POST",
    "/v1/workorders",
    "fileWorkOrder",
    tag="workorders",
    summary="提交工单 File a work order (case query, consultation, contact, petition)",
    roles=(Role.PORTAL, Role.ADMIN),
    body="workorder",
    idempotent=True,
    answers=(Answer(201, "已受理 Filed, with its number and query code", ref("WorkOrderFiled")),),
    problems=(429,),
)
async def submit(request: Request) -> Response:
    principal = caller(request)
    body, raw = await json_body(request)
    ctx = hub_ctx(request)
    return await creating(
        request, principal, raw, lambda s: workorders.submit(ctx, s, principal, body)
    )


def _action(work: Any) -> Any:
    async def handler(request: Request) -> Response:
        principal = caller(request)
        body, raw = await json_body(request)
        ctx = hub_ctx(request)
        no = request.path_params["no"]
        return await creating(
            request, principal, raw, lambda s: work(ctx, s, principal, no, body), status=200
        )

    return handler


@operation(
    "GET",
    "/v1/workorders/{no}",
    "getWorkOrder",
    tag="workorders",
    summary="工单进度 Progress by query code, or the whole work order with a token",
    roles=ANY_ROLE,
    token_optional=True,
    params=(query("code", "查询码 the query code (without a token)", type="string"),),
    answers=(Answer(200, "工单 Progress or the work order", ref("WorkOrderLookup")),),
    problems=(404, 429),
)
async def one(request: Request) -> Response:
    """With `?code=` the citizen's progress (public); with a token the whole work order."""
    ctx = hub_ctx(request)
    no = request.path_params["no"]
    if request.state.principal is None:  # no token: the citizen's look-up by code
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
    principal = caller(request)
    return json_response(await in_read(request, lambda s: workorders.record(ctx, s, principal, no)))


@operation(
    "GET",
    "/v1/workorders",
    "listWorkOrders",
    tag="workorders",
    summary="工单台账 The ledger of work orders (JSON or CSV)",
    roles=(Role.ADMIN, Role.UNIT, Role.INSTITUTION),
    params=(
        query("status", "状态 status", type="string"),
        query("type", "类型 type", type="string"),
        query("from", "起始日 YYYY-MM-DD", type="string"),
        query("to", "截止日 YYYY-MM-DD", type="string"),
        query("format", "格式 json or csv", type="string"),
        query("limit", "条数 page size", type="string"),
        query("cursor", "游标 the previous page's next_cursor", type="string"),
    ),
    answers=(Answer(200, "工单 One page", ref("WorkOrders")),),
)
async def ledger(request: Request) -> Response:
    principal = caller(request)
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


@operation(
    "GET",
    "/v1/workorders/report",
    "getWorkOrderReport",
    tag="workorders",
    summary="工单月报 The month's work-order report",
    roles=(Role.ADMIN, Role.UNIT),
    params=(query("month", "月份 YYYY-MM", type="string"),),
    answers=(Answer(200, "月报 The report", ref("WorkOrderReport")),),
)
async def report(request: Request) -> Response:
    principal = caller(request)
    ctx = hub_ctx(request)
    first = workorder_ledger.parse_month(
        request.query_params.get("month"), business_day(ctx.clock.now())
    )
    return json_response(
        await in_read(request, lambda s: workorder_ledger.report(ctx, s, principal, first))
    )


dispatch = operation(
    "POST",
    "/v1/workorders/{no}/dispatch",
    "dispatchWorkOrder",
    tag="workorders",
    summary="工单派单 Dispatch to an institution",
    roles=(Role.ADMIN,),
    body="workorder_dispatch",
    idempotent=True,
    answers=(Answer(200, "已办理 Done", ref("WorkOrderDone")),),
    problems=(404, 409),
)(_action(workorders.dispatch))
answer = operation(
    "POST",
    "/v1/workorders/{no}/answer",
    "answerWorkOrder",
    tag="workorders",
    summary="工单答复 Answer (the institution holding it, or admin)",
    roles=(Role.INSTITUTION, Role.ADMIN),
    body="workorder_answer",
    idempotent=True,
    answers=(Answer(200, "已办理 Done", ref("WorkOrderDone")),),
    problems=(404, 409),
)(_action(workorders.answer))
callback = operation(
    "POST",
    "/v1/workorders/{no}/callback",
    "recordWorkOrderCallback",
    tag="workorders",
    summary="工单回访 Callback: satisfied or not",
    roles=(Role.ADMIN,),
    body="workorder_callback",
    idempotent=True,
    answers=(Answer(200, "已办理 Done", ref("WorkOrderDone")),),
    problems=(404, 409),
)(_action(workorders.callback))
help_article = operation(
    "POST",
    "/v1/workorders/{no}/help-article",
    "makeHelpArticleFromWorkOrder",
    tag="workorders",
    summary="咨询转帮助文章 Turn an answered consultation into a help article",
    roles=(Role.UNIT, Role.ADMIN),
    body="workorder_help_article",
    idempotent=True,
    answers=(Answer(200, "已转为帮助文章 The article", ref("WorkOrderHelpArticle")),),
    problems=(404, 409),
)(_action(workorders.to_help_article))

routes = [submit, ledger, report, one, dispatch, answer, callback, help_article]
