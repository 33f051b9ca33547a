"""Hand-offs (INTERFACE 7): referral requests, a court's or commission's list, and results."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from hub.api.declare import Answer, caller, operation, query, ref
from hub.api.support import choice_param, creating, hub_ctx, in_read, json_body, json_response
from hub.services import referrals
from hub.services.casework import canonical_no
from hub.services.principal import Role


@operation(
    "POST",
    "/v1/applications/{no}/referrals",
    "requestReferral",
    tag="referrals",
    summary="转介 Request judicial confirmation, arbitration or litigation",
    roles=(Role.INSTITUTION,),
    body="referral_request",
    idempotent=True,
    answers=(Answer(201, "已转介 Referred", ref("ReferralCreated")),),
    problems=(404, 409),
)
async def request_referral(request: Request) -> Response:
    principal = caller(request)
    no = canonical_no(request.path_params["no"])
    body, raw = await json_body(request)
    ctx = hub_ctx(request)
    return await creating(
        request, principal, raw, lambda s: referrals.request(ctx, s, principal, no, body)
    )


@operation(
    "GET",
    "/v1/referrals",
    "listReferrals",
    tag="referrals",
    summary="转介列表 Referrals addressed to the caller",
    roles=(Role.COURT, Role.ARBITRATION),
    params=(query("status", "只列出该状态 only this status", type="string"),),
    answers=(Answer(200, "转介 Referrals", ref("Referrals")),),
)
async def list_referrals(request: Request) -> Response:
    principal = caller(request)
    status = choice_param(request, "status", referrals.REFERRAL_STATUSES)

    def work(session: Session) -> dict[str, Any]:
        return {"referrals": referrals.list_for(session, principal, status)}

    return json_response(await in_read(request, work))


@operation(
    "POST",
    "/v1/referrals/{id}/result",
    "postReferralResult",
    tag="referrals",
    summary="转介结果 Post the result of a referral",
    roles=(Role.COURT, Role.ARBITRATION),
    body="referral_result",
    idempotent=True,
    answers=(Answer(200, "已记录 Recorded", ref("ReferralRecorded")),),
    problems=(404, 409),
)
async def post_result(request: Request) -> Response:
    principal = caller(request)
    referral_id = request.path_params["id"]
    body, raw = await json_body(request)
    ctx = hub_ctx(request)
    return await creating(
        request,
        principal,
        raw,
        lambda s: referrals.record_result(ctx, s, principal, referral_id, body),
        status=200,
    )


routes = [request_referral, list_referrals, post_result]
