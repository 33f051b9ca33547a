"""The pull feed (INTERFACE 8): a party's own messages in order, with long polling."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from hub.api.declare import ANY_ROLE, Answer, caller, operation, query, ref
from hub.api.errors import HttpProblem
from hub.api.support import hub_ctx, in_read, json_response
from hub.services.errors import Violation
from hub.services.feed import read_feed
from schemas.text import ascii_int, integer_message

POLL_INTERVAL = 0.2


def _int_param(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    value = ascii_int(raw)
    if value is None or not low <= value <= high:
        raise HttpProblem(
            422,
            f"{name} 须为 {low}-{high} 的整数 / {name} must be an integer {low}-{high}",
            [Violation(f"/query/{name}", integer_message(low, high))],
        )
    return value


@operation(
    "GET",
    "/v1/feed",
    "readFeed",
    tag="delivery",
    summary="拉取消息 Pull feed: the caller's messages in order (long poll)",
    roles=ANY_ROLE,
    params=(
        query("after", "游标 the `next` of the previous page", type="integer", minimum=0),
        query("limit", "条数 messages at most", type="integer", minimum=1, maximum=1000),
        query("wait", "长轮询秒数 seconds to wait for a message", type="integer", minimum=0),
    ),
    answers=(Answer(200, "消息 Messages", ref("Feed")),),
)
async def feed(request: Request) -> Response:
    principal = caller(request)
    ctx = hub_ctx(request)
    after = _int_param(request, "after", 0, 0, 2**62)
    limit = _int_param(request, "limit", 100, 1, 1000)
    wait = _int_param(request, "wait", 0, 0, ctx.settings.feed_max_wait_seconds)
    destination = principal.destination

    def work(session: Session) -> tuple[list[dict[str, Any]], int]:
        return read_feed(ctx, session, destination, after, limit)

    deadline = time.monotonic() + wait
    messages, cursor = await in_read(request, work)
    while not messages and time.monotonic() < deadline:
        if await request.is_disconnected():
            break
        await asyncio.sleep(POLL_INTERVAL)
        messages, cursor = await in_read(request, work)
    return json_response({"messages": messages, "next": str(cursor)})


routes = [feed]
