"""The data bureau's interface (INTERFACE 9, 9a, 17): masked cases, aggregates, grants."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from hub.api.declare import Answer, caller, operation, query, ref
from hub.api.errors import HttpProblem
from hub.api.support import (
    creating,
    hub_ctx,
    in_read,
    in_transaction,
    json_body,
    json_response,
)
from hub.services.casework import canonical_no
from hub.services.errors import Violation
from hub.services.principal import Role
from hub.services.sharing import aggregates, budget, faults, feed, grants
from schemas.text import QUERY_DATE_MESSAGE, ascii_date, ascii_int

_MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")
_CASE = re.compile(r"C-[0-9a-f]{16}")


def _bad(name: str, message: str) -> HttpProblem:
    return HttpProblem(422, f"{name}: {message}", [Violation(f"/query/{name}", message)])


def _int(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    value = ascii_int(raw)
    if value is None or not low <= value <= high:
        raise _bad(name, f"须为 {low}-{high} 的整数 / integer {low}-{high}")
    return value


def _month(request: Request, name: str) -> str | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    if not _MONTH.fullmatch(raw):
        raise _bad(name, "须为月份 YYYY-MM（只按整月发布） / a month YYYY-MM (whole months only)")
    return raw


def _position(request: Request) -> tuple[datetime | None, str | None, int]:
    after = request.query_params.get("updated_after")
    updated_after = None
    if after:
        try:
            updated_after = datetime.fromisoformat(after.replace("Z", "+00:00").replace(" ", "+"))
        except ValueError:
            raise _bad("updated_after", "须为 RFC 3339 时间 / an RFC 3339 time") from None
        if not after.isascii() or ascii_date(updated_after.date().isoformat()) is None:
            raise _bad("updated_after", QUERY_DATE_MESSAGE)
        if updated_after.tzinfo is None:
            raise _bad("updated_after", "须带时区 / needs an offset")
    cursor = request.query_params.get("cursor") or None
    if cursor is not None and len(cursor) > 500:
        raise _bad("cursor", "游标无效 / bad cursor")
    limit = _int(request, "limit", 100, 1, feed.MAX_PAGE)
    return updated_after, cursor, limit


@operation(
    "GET",
    "/v1/shared/cases",
    "listSharedCases",
    tag="sharing",
    summary="脱敏办件 Masked case records, released monthly, k-anonymous",
    description="With `grant`, the granted fields in clear for in-scope cases only (audited).",
    roles=(Role.DATABUREAU,),
    params=(
        query("updated_after", "只要此后更新的 updated after (RFC 3339)", type="string"),
        query("cursor", "游标 the previous page's cursor", type="string", maxLength=500),
        query("limit", "条数 page size", type="integer", minimum=1),
        query("grant", "授权 a consent grant id: its fields in clear, audited", type="string"),
    ),
    answers=(Answer(200, "办件 One page of records", ref("SharedCasesPage")),),
    problems=(403, 404),
)
async def shared_cases(request: Request) -> Response:
    principal = caller(request)
    ctx = hub_ctx(request)
    updated_after, cursor, limit = _position(request)
    grant_id = request.query_params.get("grant")
    if grant_id:
        pos = grants.Position(updated_after=updated_after, cursor=cursor, limit=limit)

        # An unmasked read writes its audit entry in the same transaction.
        def granted(session: Session) -> dict[str, Any]:
            return grants.granted_page(ctx, session, principal, grant_id, pos)

        return json_response(await in_transaction(request, granted))
    released = feed.Position(updated_after=updated_after, cursor=cursor, limit=limit)
    if "application/x-ndjson" in request.headers.get("accept", ""):  # a bulk pull, streamed
        after = await in_transaction(request, lambda s: feed.open_stream(ctx, s, released))
        return StreamingResponse(
            feed.released_stream(ctx, released, after), media_type="application/x-ndjson"
        )

    # A read may release a month that has ended (written in this transaction).
    def masked(session: Session) -> dict[str, Any]:
        return feed.masked_page(ctx, session, released)

    return json_response(await in_transaction(request, masked))


@operation(
    "GET",
    "/v1/shared/cases/{no}",
    "getSharedCase",
    tag="sharing",
    summary="单件 One case by its C- pseudonym, or its granted fields (?grant=ID)",
    roles=(Role.DATABUREAU,),
    params=(query("grant", "授权 a consent grant id", type="string"),),
    answers=(Answer(200, "办件 The record", ref("SharedCase")),),
    problems=(403, 404),
)
async def shared_case(request: Request) -> Response:
    principal = caller(request)
    ctx = hub_ctx(request)
    raw = request.path_params["no"]
    grant_id = request.query_params.get("grant")
    if not grant_id and _CASE.fullmatch(raw):

        def released(session: Session) -> dict[str, Any]:
            return feed.released_case(ctx, session, raw)

        return json_response(await in_transaction(request, released))
    no = canonical_no(raw)
    if not grant_id:
        raise HttpProblem(
            403,
            "单件明细须凭授权 ?grant=ID；脱敏记录按 C- 假名读取 / a single case needs a consent "
            "grant (?grant=ID); masked records are read by their C- pseudonym",
        )

    def work(session: Session) -> dict[str, Any]:
        return grants.granted_case(ctx, session, principal, grant_id, no)

    return json_response(await in_transaction(request, work))


@operation(
    "GET",
    "/v1/shared/aggregates",
    "getSharedAggregates",
    tag="sharing",
    summary="统计 Aggregates with differential privacy; noise scale and budget in the answer",
    roles=(Role.DATABUREAU, Role.ADMIN),
    params=(
        query("by", "维度 month, district, category, outcome, channel", type="string"),
        query("from", "起始月 YYYY-MM", type="string", pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$"),
        query("to", "截止月 YYYY-MM", type="string", pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$"),
        query("threshold", "门槛 raised only", type="integer"),
        query("mechanism", "机制 only dp", type="string"),
    ),
    answers=(Answer(200, "统计 The table", ref("SharedAggregates")),),
    problems=(429,),
)
async def shared_aggregates(request: Request) -> Response:
    principal = caller(request)
    ctx = hub_ctx(request)
    dims = aggregates.parse_dims(request.query_params.get("by"))
    start, end = _month(request, "from"), _month(request, "to")
    mechanism = request.query_params.get("mechanism") or "dp"
    if mechanism != "dp":
        raise _bad(
            "mechanism",
            "只提供差分隐私 dp（小格抑制可被差分还原） / only dp: suppressed tables could be "
            "undone by differences",
        )
    # The threshold may be raised, never lowered below the default.
    threshold = _int(
        request, "threshold", aggregates.DEFAULT_THRESHOLD, aggregates.DEFAULT_THRESHOLD, 1000
    )

    def work(session: Session) -> dict[str, Any]:
        return aggregates.aggregates(ctx, session, principal, dims, start, end, threshold)

    return json_response(await in_transaction(request, work))


@operation(
    "POST",
    "/v1/shared/grants",
    "requestGrant",
    tag="sharing",
    summary="申请授权 Request a consent grant (approved by another admin)",
    roles=(Role.ADMIN,),
    body="grant",
    idempotent=True,
    answers=(Answer(201, "已申请 Requested", ref("GrantRecord")),),
)
async def create_grant(request: Request) -> Response:
    principal = caller(request)
    body, raw = await json_body(request)
    ctx = hub_ctx(request)
    return await creating(
        request, principal, raw, lambda s: grants.request_grant(ctx, s, principal, body)
    )


async def _decide_grant(request: Request, decide: Any) -> Response:
    principal = caller(request)
    ctx = hub_ctx(request)
    grant_id = request.path_params["id"]

    def work(session: Session) -> dict[str, Any]:
        result: dict[str, Any] = decide(ctx, session, principal, grant_id)
        return result

    return json_response(await in_transaction(request, work))


@operation(
    "POST",
    "/v1/shared/grants/{id}/approve",
    "approveGrant",
    tag="sharing",
    summary="批准授权 Approve a grant (never the requester)",
    roles=(Role.ADMIN,),
    answers=(Answer(200, "已批准 Approved", ref("GrantRecord")),),
    problems=(404, 409),
)
async def approve_grant(request: Request) -> Response:
    return await _decide_grant(request, grants.approve_grant)


@operation(
    "POST",
    "/v1/shared/grants/{id}/revoke",
    "revokeGrant",
    tag="sharing",
    summary="撤销授权 Revoke a grant: it stops working at once",
    roles=(Role.ADMIN,),
    answers=(Answer(200, "已撤销 Revoked", ref("GrantRecord")),),
    problems=(404, 409),
)
async def revoke_grant(request: Request) -> Response:
    return await _decide_grant(request, grants.revoke_grant)


@operation(
    "GET",
    "/v1/shared/grants",
    "listGrants",
    tag="sharing",
    summary="授权列表 Consent grants",
    roles=(Role.ADMIN, Role.DATABUREAU),
    answers=(Answer(200, "授权 Grants", ref("Grants")),),
)
async def list_grants(request: Request) -> Response:
    ctx = hub_ctx(request)
    return json_response(await in_read(request, lambda s: grants.list_grants(ctx, s)))


@operation(
    "GET",
    "/v1/admin/shared/unreadable",
    "listUnreadableSharedCases",
    tag="sharing",
    summary="无法解密 Cases the data bureau's feed skipped (cannot decrypt)",
    roles=(Role.ADMIN,),
    answers=(Answer(200, "办件 The cases", ref("SharedUnreadable")),),
)
async def list_unreadable(request: Request) -> Response:
    return json_response(await in_read(request, faults.unreadable_list))


_GRANT_BODY: dict[str, Any] = {
    "type": "object",
    "required": ["epsilon", "reason"],
    "additionalProperties": False,
    "properties": {
        "party": {"type": "string", "minLength": 1, "maxLength": 100, "default": "databureau"},
        "epsilon": {"type": "number", "exclusiveMinimum": 0},
        "reason": {"type": "string", "minLength": 1, "maxLength": budget.REASON_MAX},
    },
}


@operation(
    "GET",
    "/v1/admin/privacy-budget",
    "getPrivacyBudget",
    tag="sharing",
    summary="隐私预算 A party's differential-privacy budget and its grants",
    roles=(Role.ADMIN,),
    params=(query("party", "持有方 the holder (default databureau)", type="string"),),
    answers=(Answer(200, "预算 The budget", ref("PrivacyBudget")),),
    problems=(404,),
)
async def privacy_budget(request: Request) -> Response:
    ctx = hub_ctx(request)
    holder = request.query_params.get("party") or budget.DATABUREAU
    return json_response(await in_read(request, lambda s: budget.show(ctx, s, holder)))


@operation(
    "POST",
    "/v1/admin/privacy-budget",
    "grantPrivacyBudget",
    tag="sharing",
    summary="追加预算 Grant a party more privacy budget (audited, yearly ceiling)",
    description="Refused (409) when the grants of the last 365 days would pass "
    "`HUB_DP_EPSILON_CEILING_PER_YEAR`.",
    roles=(Role.ADMIN,),
    body=_GRANT_BODY,
    idempotent=True,
    answers=(Answer(201, "已追加 Granted: the budget after it", ref("PrivacyBudgetGranted")),),
    problems=(404, 409),
)
async def grant_privacy_budget(request: Request) -> Response:
    principal = caller(request)
    body, raw = await json_body(request)
    ctx = hub_ctx(request)
    holder = body.get("party") or budget.DATABUREAU
    return await creating(
        request,
        principal,
        raw,
        lambda s: budget.grant(ctx, s, principal, holder, float(body["epsilon"]), body["reason"]),
    )


routes = [
    shared_cases,
    shared_case,
    shared_aggregates,
    create_grant,
    list_grants,
    approve_grant,
    revoke_grant,
    list_unreadable,
    privacy_budget,
    grant_privacy_budget,
]
