"""The data bureau's interface (INTERFACE 9): masked cases, aggregates, consent grants."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hub.api.errors import HttpProblem
from hub.api.support import (
    authenticate,
    creating,
    hub_ctx,
    in_read,
    in_transaction,
    json_body,
    json_response,
)
from hub.services import sharing
from hub.services.casework import canonical_no
from hub.services.errors import Violation
from hub.services.principal import Role


def _bad(name: str, message: str) -> HttpProblem:
    return HttpProblem(422, f"{name}: {message}", [Violation(f"/query/{name}", message)])


def _int(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise _bad(name, f"须为 {low}-{high} 的整数 / integer {low}-{high}")
    return int(raw)


def _date(request: Request, name: str) -> date | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise _bad(name, "须为日期 YYYY-MM-DD / a date YYYY-MM-DD") from None


def _position(request: Request) -> sharing.Position:
    after = request.query_params.get("updated_after")
    updated_after = None
    if after:
        try:
            updated_after = datetime.fromisoformat(after.replace("Z", "+00:00").replace(" ", "+"))
        except ValueError:
            raise _bad("updated_after", "须为 RFC 3339 时间 / an RFC 3339 time") from None
        if updated_after.tzinfo is None:
            raise _bad("updated_after", "须带时区 / needs an offset")
    cursor = request.query_params.get("cursor") or None
    if cursor is not None and len(cursor) > 500:
        raise _bad("cursor", "游标无效 / bad cursor")
    limit = _int(request, "limit", 100, 1, sharing.MAX_PAGE)
    return sharing.Position(updated_after=updated_after, cursor=cursor, limit=limit)


async def shared_cases(request: Request) -> Response:
    principal = authenticate(request, Role.DATABUREAU)
    ctx = hub_ctx(request)
    pos = _position(request)
    grant_id = request.query_params.get("grant")
    if grant_id:
        # An unmasked read writes its audit entry in the same transaction.
        def granted(session: Session) -> dict[str, Any]:
            return sharing.granted_page(ctx, session, principal, grant_id, pos)

        return json_response(await in_transaction(request, granted))

    def masked(session: Session) -> dict[str, Any]:
        return sharing.masked_page(ctx, session, pos)

    return json_response(await in_read(request, masked))


async def shared_case(request: Request) -> Response:
    principal = authenticate(request, Role.DATABUREAU)
    ctx = hub_ctx(request)
    no = canonical_no(request.path_params["no"])
    grant_id = request.query_params.get("grant")
    if not grant_id:
        raise HttpProblem(
            403, "单件明细须凭授权 ?grant=ID / a single case needs a consent grant (?grant=ID)"
        )

    def work(session: Session) -> dict[str, Any]:
        return sharing.granted_case(ctx, session, principal, grant_id, no)

    return json_response(await in_transaction(request, work))


async def shared_aggregates(request: Request) -> Response:
    authenticate(request, Role.DATABUREAU, Role.ADMIN)
    ctx = hub_ctx(request)
    dims = sharing.parse_dims(request.query_params.get("by"))
    day_from, day_to = _date(request, "from"), _date(request, "to")
    if day_from and day_to and day_from > day_to:
        raise _bad("to", "to 早于 from / to before from")
    # The threshold may be raised, never lowered below the default.
    threshold = _int(
        request, "threshold", sharing.DEFAULT_THRESHOLD, sharing.DEFAULT_THRESHOLD, 1000
    )

    def work(session: Session) -> dict[str, Any]:
        return sharing.aggregates(ctx, session, dims, day_from, day_to, threshold)

    return json_response(await in_read(request, work))


async def create_grant(request: Request) -> Response:
    principal = authenticate(request, Role.ADMIN)
    body, raw = await json_body(request, "grant")
    ctx = hub_ctx(request)
    return await creating(
        request, principal, raw, lambda s: sharing.request_grant(ctx, s, principal, body)
    )


async def approve_grant(request: Request) -> Response:
    principal = authenticate(request, Role.ADMIN)
    ctx = hub_ctx(request)
    grant_id = request.path_params["id"]

    def work(session: Session) -> dict[str, Any]:
        return sharing.approve_grant(ctx, session, principal, grant_id)

    return json_response(await in_transaction(request, work))


async def list_grants(request: Request) -> Response:
    authenticate(request, Role.ADMIN, Role.DATABUREAU)
    ctx = hub_ctx(request)
    return json_response(await in_read(request, lambda s: sharing.list_grants(ctx, s)))


routes = [
    Route("/v1/shared/cases", shared_cases, methods=["GET"]),
    Route("/v1/shared/cases/{no}", shared_case, methods=["GET"]),
    Route("/v1/shared/aggregates", shared_aggregates, methods=["GET"]),
    Route("/v1/shared/grants", create_grant, methods=["POST"]),
    Route("/v1/shared/grants", list_grants, methods=["GET"]),
    Route("/v1/shared/grants/{id}/approve", approve_grant, methods=["POST"]),
]

openapi_operations: dict[str, dict[str, tuple[str, str | None, str]]] = {
    "/v1/shared/cases": {
        "get": (
            "脱敏办件 Masked case records (?updated_after=&cursor=&limit=; ?grant=ID: the "
            "granted fields in clear, in-scope cases only, audited)",
            None,
            "databureau",
        )
    },
    "/v1/shared/cases/{no}": {
        "get": (
            "授权明细 One case's granted fields (?grant=ID; 403 outside the scope), audited",
            None,
            "databureau",
        )
    },
    "/v1/shared/aggregates": {
        "get": (
            "统计 Aggregates (?by=month,district,category,outcome,channel&from=&to=&threshold=), "
            "small cells withheld with complementary suppression",
            None,
            "databureau, admin",
        )
    },
    "/v1/shared/grants": {
        "post": (
            "申请授权 Request a consent grant (approved by another admin)",
            "grant",
            "admin",
        ),
        "get": ("授权列表 List consent grants", None, "admin, databureau"),
    },
    "/v1/shared/grants/{id}/approve": {
        "post": ("批准授权 Approve a grant (never the requester)", None, "admin"),
    },
}
