"""Hand-offs (INTERFACE 7): referral requests, a court's or commission's list, and results."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hub.api.support import (
    authenticate,
    choice_param,
    creating,
    hub_ctx,
    in_read,
    json_body,
    json_response,
)
from hub.services import referrals
from hub.services.casework import canonical_no
from hub.services.principal import Role


async def request_referral(request: Request) -> Response:
    principal = authenticate(request, Role.INSTITUTION)
    no = canonical_no(request.path_params["no"])
    body, raw = await json_body(request, "referral_request")
    ctx = hub_ctx(request)
    return await creating(
        request, principal, raw, lambda s: referrals.request(ctx, s, principal, no, body)
    )


async def list_referrals(request: Request) -> Response:
    principal = authenticate(request, Role.COURT, Role.ARBITRATION)
    status = choice_param(request, "status", referrals.REFERRAL_STATUSES)

    def work(session: Session) -> dict[str, Any]:
        return {"referrals": referrals.list_for(session, principal, status)}

    return json_response(await in_read(request, work))


async def post_result(request: Request) -> Response:
    principal = authenticate(request, Role.COURT, Role.ARBITRATION)
    referral_id = request.path_params["id"]
    body, raw = await json_body(request, "referral_result")
    ctx = hub_ctx(request)
    return await creating(
        request,
        principal,
        raw,
        lambda s: referrals.record_result(ctx, s, principal, referral_id, body),
        status=200,
    )


routes = [
    Route("/v1/applications/{no}/referrals", request_referral, methods=["POST"]),
    Route("/v1/referrals", list_referrals, methods=["GET"]),
    Route("/v1/referrals/{id}/result", post_result, methods=["POST"]),
]
