"""Dead letters for operators (role admin): list with reasons, replay one or many."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hub.api.errors import HttpProblem
from hub.api.support import authenticate, hub_ctx, in_read, json_response, schemaless_body
from hub.services.delivery_failures import list_dead, replay
from hub.services.principal import Role


async def list_deadletters(request: Request) -> Response:
    authenticate(request, Role.ADMIN)
    q = request.query_params
    try:
        after = int(q.get("after") or 0)
        limit = min(max(int(q.get("limit") or 100), 1), 1000)
    except ValueError:
        raise HttpProblem(422, "after/limit 须为整数 / after and limit are integers") from None
    destination = q.get("destination")

    def work(session: Session) -> tuple[list[dict[str, Any]], int]:
        return list_dead(session, destination=destination, after=after, limit=limit)

    items, cursor = await in_read(request, work)
    return json_response({"deadletters": items, "next": str(cursor)})


async def replay_deadletters(request: Request) -> Response:
    """Body `{"message_ids": [...]}` or `{"destination": ID}` or `{"all": true}`."""
    principal = authenticate(request, Role.ADMIN)
    body, _raw = await schemaless_body(request)
    ids = body.get("message_ids") if isinstance(body, dict) else None
    destination = body.get("destination") if isinstance(body, dict) else None
    everything = bool(body.get("all")) if isinstance(body, dict) else False
    if ids is not None and not (isinstance(ids, list) and all(isinstance(i, str) for i in ids)):
        raise HttpProblem(422, "message_ids 须为字符串数组 / message_ids: array of strings")
    if not ids and not destination and not everything:
        raise HttpProblem(422, "须指定 message_ids、destination 或 all / say what to replay")
    ctx = hub_ctx(request)
    counts = await run_in_threadpool(
        replay, ctx, ids or None, destination=destination, actor=principal.party or "admin"
    )
    return json_response(counts)


async def replay_one(request: Request) -> Response:
    principal = authenticate(request, Role.ADMIN)
    ctx = hub_ctx(request)
    mid = request.path_params["message_id"]
    counts = await run_in_threadpool(replay, ctx, [mid], actor=principal.party or "admin")
    return json_response(counts)


routes = [
    Route("/v1/admin/deadletters", list_deadletters, methods=["GET"]),
    Route("/v1/admin/deadletters/replay", replay_deadletters, methods=["POST"]),
    Route("/v1/admin/deadletters/{message_id}/replay", replay_one, methods=["POST"]),
]
