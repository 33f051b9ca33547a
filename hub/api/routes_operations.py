"""Operations (INTERFACE 10): case list and overdue, registry governance, complaints,
statistics, early warning and online help. Thin: each handler calls one `hub.ops` function."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from hub.api.declare import PUBLIC, Answer, caller, operation, query, ref
from hub.api.errors import HttpProblem
from hub.api.support import (
    authenticate,
    choice_param,
    creating,
    guarded_lookup,
    hub_ctx,
    in_read,
    in_replica_read,
    in_transaction,
    json_body,
    json_response,
    read_body,
    schemaless_body,
)
from hub.domain.numbering import business_day
from hub.domain.status import Status
from hub.ops import alerts, casebook, complaints, governance, helpdesk, stats
from hub.services.errors import NotFound
from hub.services.principal import Role
from schemas.text import ascii_int


def _params(request: Request) -> dict[str, str]:
    return dict(request.query_params)


@operation(
    "GET",
    "/v1/applications",
    "listApplications",
    tag="applications",
    summary="办件列表 List cases (status, institution, overdue); a portal by its own number",
    description="Units see their own institutions' cases, admins all. A portal may call it "
    "only with `source_no` (what it submitted).",
    roles=(Role.UNIT, Role.ADMIN, Role.PORTAL),
    params=(
        query("status", "办件状态 status", type="string", enum=[s.value for s in Status]),
        query("institution", "机构 institution id", type="string"),
        query("overdue", "只列超期 only overdue cases", type="boolean"),
        query("source_no", "门户编号 the portal's own number", type="string", maxLength=64),
        query(
            "origin",
            "来源：live 不含导入的历史办件，imported 只列导入的 live work or imported history",
            type="string",
            enum=list(casebook.ORIGINS),
        ),
        query("limit", "条数 page size", type="integer", minimum=1, maximum=casebook.MAX_LIMIT),
        query("cursor", "游标 the `next_cursor` of the previous page", type="string"),
        query("order", "排序 order", type="string", enum=list(casebook.ORDERS)),
    ),
    answers=(Answer(200, "办件 One page of cases", ref("ApplicationList")),),
)
async def list_applications(request: Request) -> Response:
    # A portal looks up what it submitted by its own number; listing stays the supervisors'.
    lookup = bool(request.query_params.get("source_no"))
    principal = caller(request)
    if principal.role is Role.PORTAL and not lookup:
        authenticate(request, Role.UNIT, Role.ADMIN)  # the 403 a portal gets for a listing
    query = casebook.parse_query(_params(request))
    ctx = hub_ctx(request)
    return json_response(
        await (in_read if lookup else in_replica_read)(  # a portal's look-up reads its write
            request, lambda s: casebook.list_applications(ctx, s, principal, query)
        )
    )


# ------------------------------------------------------------------ registry governance


@operation(
    "POST",
    "/v1/registry/changes",
    "requestRegistryChange",
    tag="registry",
    summary="名录变更申请 Request a registry change (approved by an admin)",
    roles=(Role.UNIT,),
    body="registry_change",
    idempotent=True,
    answers=(Answer(201, "已申请 Requested", ref("RegistryChangeRequested")),),
    problems=(404, 409),
)
async def request_change(request: Request) -> Response:
    principal = caller(request)
    body, raw = await json_body(request)
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


NOTE_BODY: dict[str, Any] = {
    "type": "object",
    "properties": {"note": {"type": "string", "maxLength": 2000}},
    "additionalProperties": False,
}


def _decide(approve: bool) -> Any:
    async def handler(request: Request) -> Response:
        principal = caller(request)
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


@operation(
    "GET",
    "/v1/registry/changes",
    "listRegistryChanges",
    tag="registry",
    summary="名录变更列表 Registry changes",
    roles=(Role.UNIT, Role.ADMIN),
    params=(query("status", "状态 pending, approved or rejected", type="string"),),
    answers=(Answer(200, "变更 Changes", ref("RegistryChanges")),),
)
async def list_changes(request: Request) -> Response:
    principal = caller(request)
    status = choice_param(request, "status", governance.CHANGE_STATUSES)
    return json_response(
        {"changes": await in_read(request, lambda s: governance.list_changes(s, principal, status))}
    )


@operation(
    "GET",
    "/v1/registry/changes/{id}",
    "getRegistryChange",
    tag="registry",
    summary="名录变更详情 One registry change",
    roles=(Role.UNIT, Role.ADMIN),
    answers=(Answer(200, "变更 The change", ref("RegistryChangeRecord")),),
    problems=(404,),
)
async def get_change(request: Request) -> Response:
    principal = caller(request)
    change_id = request.path_params["id"]
    return json_response(
        await in_read(request, lambda s: governance.get_change(s, principal, change_id))
    )


@operation(
    "GET",
    "/v1/registry/institutions/{id}/history",
    "getInstitutionHistory",
    tag="registry",
    summary="机构历史版本 Every version of an institution",
    roles=(Role.UNIT, Role.ADMIN),
    answers=(Answer(200, "版本 Versions", ref("InstitutionHistory")),),
    problems=(404,),
)
async def institution_history(request: Request) -> Response:
    principal = caller(request)
    ctx = hub_ctx(request)
    inst_id = request.path_params["id"]
    return json_response(
        await in_transaction(request, lambda s: governance.history(ctx, s, principal, inst_id))
    )


@operation(
    "GET",
    "/v1/registry/as-of",
    "getRegistryAsOf",
    tag="registry",
    summary="某日名录 The registry in force on a day or at a moment",
    roles=(Role.UNIT, Role.ADMIN),
    params=(
        query("date", "日期 YYYY-MM-DD", type="string"),
        query("at", "时刻 an RFC 3339 time", type="string"),
    ),
    answers=(Answer(200, "名录 The registry then", ref("RegistryAsOf")),),
)
async def registry_as_of(request: Request) -> Response:
    ctx = hub_ctx(request)
    params = _params(request)
    governance.parse_moment(params)  # 422 before any write
    return json_response(await in_transaction(request, lambda s: governance.as_of(ctx, s, params)))


# ------------------------------------------------------------------ complaints


@operation(
    "POST",
    "/v1/complaints",
    "fileComplaint",
    tag="operations",
    summary="投诉 File a complaint about an institution",
    roles=(Role.PORTAL, Role.ADMIN),
    body="complaint",
    idempotent=True,
    answers=(Answer(201, "已受理 Filed, with its number and query code", ref("ComplaintFiled")),),
    problems=(429,),
)
async def submit_complaint(request: Request) -> Response:
    principal = caller(request)
    body, raw = await json_body(request)
    ctx = hub_ctx(request)
    return await creating(
        request, principal, raw, lambda s: complaints.submit(ctx, s, principal, body)
    )


@operation(
    "GET",
    "/v1/complaints/{no}",
    "getComplaintProgress",
    tag="operations",
    summary="投诉进度 A complaint's progress by query code",
    roles=PUBLIC,
    params=(query("code", "查询码 the query code", type="string"),),
    answers=(Answer(200, "进度 Progress", ref("ComplaintProgress")),),
    problems=(404, 429),
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


@operation(
    "POST",
    "/v1/complaints/{no}/answer",
    "answerComplaint",
    tag="operations",
    summary="答复投诉 Answer a complaint",
    roles=(Role.UNIT,),
    body={"type": "object", "properties": {"answer": {"type": "string"}}},
    idempotent=True,
    answers=(Answer(200, "已答复 Answered", ref("ComplaintAnswered")),),
    problems=(404, 409),
)
async def answer_complaint(request: Request) -> Response:
    principal = caller(request)
    body, raw = await json_body(request)
    ctx = hub_ctx(request)
    no = request.path_params["no"]
    return await creating(
        request,
        principal,
        raw,
        lambda s: complaints.answer(ctx, s, principal, no, body),
        status=200,
    )


@operation(
    "GET",
    "/v1/complaints",
    "listComplaints",
    tag="operations",
    summary="投诉列表 Complaints about the caller's institutions",
    roles=(Role.UNIT, Role.ADMIN),
    params=(query("status", "状态 status", type="string"),),
    answers=(Answer(200, "投诉 Complaints", ref("Complaints")),),
)
async def list_complaints(request: Request) -> Response:
    principal = caller(request)
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


@operation(
    "GET",
    "/v1/stats",
    "getStatistics",
    tag="operations",
    summary="统计 Statistics by institution, unit, district or category",
    roles=(Role.UNIT, Role.ADMIN),
    params=(
        query("by", "分组 institution, unit, district or category", type="string"),
        query("from", "起始日 YYYY-MM-DD", type="string"),
        query("to", "截止日 YYYY-MM-DD", type="string"),
        query("format", "格式 json or csv", type="string"),
    ),
    answers=(Answer(200, "统计 Figures (CSV with format=csv)", ref("Statistics")),),
)
async def get_stats(request: Request) -> Response:
    principal = caller(request)
    ctx = hub_ctx(request)
    query = stats.parse_query(_params(request), business_day(ctx.clock.now()))
    result = await in_replica_read(request, lambda s: stats.compute(ctx, s, principal, query))
    if query["format"] == "csv":
        return Response(
            stats.to_csv(result),
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="stats-{query["by"]}.csv"'},
        )
    return json_response(result)


@operation(
    "GET",
    "/v1/alerts",
    "getAlerts",
    tag="operations",
    summary="预警 Early warnings: surges, many cases against one respondent",
    roles=(Role.UNIT, Role.ADMIN),
    params=(
        query("limit", "条数 page size", type="integer", minimum=1, maximum=alerts.MAX_LIMIT),
        query("cursor", "游标 where the previous page ended", type="string"),
    ),
    answers=(Answer(200, "预警 Alerts", ref("Alerts")),),
)
async def get_alerts(request: Request) -> Response:
    principal = caller(request)
    ctx = hub_ctx(request)
    limit, offset = alerts.parse_page(_params(request))
    return json_response(
        await in_replica_read(request, lambda s: alerts.alerts(ctx, s, principal, limit, offset))
    )


@operation(
    "GET",
    "/v1/help",
    "searchHelp",
    tag="operations",
    summary="在线帮助 Search the FAQ",
    roles=PUBLIC,
    params=(
        query("q", "问题 the question", type="string"),
        query("limit", "条数 1-50 (default 10)", type="string"),
    ),
    answers=(Answer(200, "结果 Answers", ref("HelpResults")),),
)
async def help_search(request: Request) -> Response:
    q = request.query_params.get("q", "")
    limit_raw = request.query_params.get("limit") or "10"
    limit = ascii_int(limit_raw) or 0
    limit = limit if 1 <= limit <= 50 else 10

    def work(s: Session) -> dict[str, Any]:
        return helpdesk.search(s, q, limit)

    return json_response(await in_read(request, work))


@operation(
    "POST",
    "/v1/help/articles",
    "addHelpArticle",
    tag="operations",
    summary="新增帮助 Add a FAQ article",
    roles=(Role.UNIT, Role.ADMIN),
    body="help_article",
    idempotent=True,
    answers=(Answer(201, "已新增 Added", ref("HelpArticleRecord")),),
)
async def add_help_article(request: Request) -> Response:
    principal = caller(request)
    body, raw = await json_body(request)
    ctx = hub_ctx(request)
    return await creating(
        request, principal, raw, lambda s: helpdesk.add_article(ctx, s, principal, body)
    )


@operation(
    "PUT",
    "/v1/help/articles/{id}",
    "editHelpArticle",
    tag="operations",
    summary="修改帮助 Edit a FAQ article (a new version)",
    roles=(Role.UNIT, Role.ADMIN),
    body="help_article",
    idempotent=True,
    answers=(Answer(200, "已修改 Edited", ref("HelpArticleRecord")),),
    problems=(404,),
)
async def edit_help_article(request: Request) -> Response:
    principal = caller(request)
    body, raw = await json_body(request)
    ctx = hub_ctx(request)
    article_id = request.path_params["id"]
    return await creating(
        request,
        principal,
        raw,
        lambda s: helpdesk.edit_article(ctx, s, principal, article_id, body),
        status=200,
    )


@operation(
    "POST",
    "/v1/help/articles/{id}/retire",
    "retireHelpArticle",
    tag="operations",
    summary="下线帮助 Retire a FAQ article (its history kept)",
    roles=(Role.UNIT, Role.ADMIN),
    idempotent=True,
    answers=(Answer(200, "已下线 Retired", ref("HelpArticleRecord")),),
    problems=(404,),
)
async def retire_help_article(request: Request) -> Response:
    principal = caller(request)
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


@operation(
    "GET",
    "/v1/help/articles/{id}",
    "getHelpArticle",
    tag="operations",
    summary="帮助文章 One article (with a unit or admin token: retired ones and versions)",
    roles=(Role.UNIT, Role.ADMIN),
    token_optional=True,
    answers=(Answer(200, "文章 The article", ref("HelpArticleRecord")),),
    problems=(404,),
)
async def get_help_article(request: Request) -> Response:
    """Public while published; with a unit or admin token, retired too and every version."""
    keeper = request.state.principal is not None  # the route checked the token's role
    article_id = request.path_params["id"]
    return json_response(
        await in_read(request, lambda s: helpdesk.article(s, article_id, with_history=keeper))
    )


approve_change = operation(
    "POST",
    "/v1/registry/changes/{id}/approve",
    "approveRegistryChange",
    tag="registry",
    summary="批准变更 Approve a registry change (never the requester)",
    roles=(Role.ADMIN,),
    body=NOTE_BODY,
    body_required=False,
    idempotent=True,
    answers=(Answer(200, "已批准 Approved", ref("RegistryChangeRecord")),),
    problems=(404, 409),
)(_decide(True))

reject_change = operation(
    "POST",
    "/v1/registry/changes/{id}/reject",
    "rejectRegistryChange",
    tag="registry",
    summary="驳回变更 Reject a registry change",
    roles=(Role.ADMIN,),
    body=NOTE_BODY,
    body_required=False,
    idempotent=True,
    answers=(Answer(200, "已驳回 Rejected", ref("RegistryChangeRecord")),),
    problems=(404, 409),
)(_decide(False))

routes = [
    list_applications,
    request_change,
    list_changes,
    get_change,
    approve_change,
    reject_change,
    institution_history,
    registry_as_of,
    submit_complaint,
    list_complaints,
    complaint_progress,
    answer_complaint,
    get_stats,
    get_alerts,
    help_search,
    add_help_article,
    get_help_article,
    edit_help_article,
    retire_help_article,
]
