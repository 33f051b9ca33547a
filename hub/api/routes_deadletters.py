"""Dead letters for operators (role admin): list with reasons, replay one or many."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from hub.api.declare import Answer, caller, operation, query, ref
from hub.api.errors import HttpProblem
from hub.api.support import hub_ctx, in_read, in_transaction, json_body, json_response
from hub.services.delivery_failures import list_dead, replay
from hub.services.errors import Violation
from hub.services.principal import Role

REPLAY_BODY: dict[str, Any] = {
    "type": "object",
    "description": "What to replay: some messages by id, one party's letters, or all of them",
    "properties": {
        "message_ids": {"type": "array", "items": {"type": "string"}},
        "destination": {"type": "string"},
        "all": {"type": "boolean"},
    },
}


@operation(
    "GET",
    "/v1/admin/deadletters",
    "listDeadLetters",
    tag="delivery",
    summary="死信 Dead letters with their reasons",
    roles=(Role.ADMIN,),
    params=(
        query("destination", "只列出该当事方 one party only", type="string"),
        query("after", "游标 the `next` of the previous page", type="integer", minimum=0),
        query("limit", "条数 at most", type="integer"),
    ),
    answers=(Answer(200, "死信 Dead letters", ref("DeadLetters")),),
)
async def list_deadletters(request: Request) -> Response:
    q = request.query_params
    after = int(q.get("after") or 0)  # declared integers, checked by the route
    limit = min(max(int(q.get("limit") or 100), 1), 1000)
    destination = q.get("destination")

    def work(session: Session) -> tuple[list[dict[str, Any]], int]:
        return list_dead(session, destination=destination, after=after, limit=limit)

    items, cursor = await in_read(request, work)
    return json_response({"deadletters": items, "next": str(cursor)})


@operation(
    "POST",
    "/v1/admin/deadletters/replay",
    "replayDeadLetters",
    tag="delivery",
    summary="重发死信 Replay dead letters",
    roles=(Role.ADMIN,),
    body=REPLAY_BODY,
    body_required=False,
    answers=(Answer(200, "重发结果 What was replayed", ref("ReplayCounts")),),
)
async def replay_deadletters(request: Request) -> Response:
    principal = caller(request)
    body, _raw = await json_body(request)
    ids = body.get("message_ids")
    destination = body.get("destination")
    everything = bool(body.get("all"))
    if not ids and not destination and not everything:
        raise HttpProblem(
            422,
            "须指定 message_ids、destination 或 all / say what to replay",
            [Violation("/message_ids", "须指定要重发的死信 / say what to replay")],
        )
    ctx = hub_ctx(request)
    counts = await in_transaction(
        request,
        lambda s: replay(
            ctx, s, ids or None, destination=destination, actor=principal.party or "admin"
        ),
    )
    return json_response(counts)


@operation(
    "POST",
    "/v1/admin/deadletters/{message_id}/replay",
    "replayDeadLetter",
    tag="delivery",
    summary="重发一条死信 Replay one dead letter",
    roles=(Role.ADMIN,),
    answers=(Answer(200, "重发结果 What was replayed", ref("ReplayCounts")),),
)
async def replay_one(request: Request) -> Response:
    principal = caller(request)
    ctx = hub_ctx(request)
    mid = request.path_params["message_id"]
    counts = await in_transaction(
        request, lambda s: replay(ctx, s, [mid], actor=principal.party or "admin")
    )
    return json_response(counts)


routes = [list_deadletters, replay_deadletters, replay_one]
