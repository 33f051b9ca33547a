"""`/web/console/deadletters` (admin): messages that failed to deliver, with the reason and
the attempts; replay one, or all of one destination (`delivery_failures.replay`, as the API)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hub.services.delivery_failures import list_dead, replay
from hub.web import pages
from hub.web.console.common import (
    Operator,
    console_page,
    form_action,
    page,
)
from schemas.text import ascii_int

PAGE_SIZE = 100


async def _list(request: Request, op: Operator, status: int = 200, **context: Any) -> Response:
    destination = (request.query_params.get("destination") or "")[:64]
    after_raw = request.query_params.get("after") or "0"
    after = ascii_int(after_raw) or 0

    def work(s: Session) -> tuple[list[dict[str, Any]], int]:
        return list_dead(s, destination=destination or None, after=after, limit=PAGE_SIZE)

    items, cursor = await pages.read(request, work)
    destinations = sorted({i["destination"] for i in items})
    next_url = None
    if len(items) == PAGE_SIZE:  # perhaps more: the next page starts after the last id
        next_url = "/web/console/deadletters?" + urlencode(
            {"destination": destination, "after": cursor}
        )
    return page(
        request,
        op,
        "console/deadletters.html",
        status,
        items=items,
        destinations=destinations,
        destination_filter=destination,
        next_url=next_url,
        **context,
    )


@console_page(admin_only=True)
async def letters(request: Request, op: Operator) -> Response:
    t = pages.texts(request)
    flash = None
    q = request.query_params
    if ascii_int(q.get("replayed") or "") is not None:
        flash = t(
            "c_replayed",
            replayed=q.get("replayed"),
            redispatched=q.get("redispatched", "0"),
            superseded=q.get("superseded", "0"),
        )
    return await _list(request, op, flash=flash)


@form_action(admin_only=True)
async def replay_letters(request: Request, op: Operator, form: dict[str, str]) -> Response:
    t = pages.texts(request)
    message_id = form.get("message_id", "").strip()
    destination = form.get("destination", "").strip()
    if not message_id and not destination:
        return await _list(request, op, 422, error=t("invalid"), violations=[t("c_replay_what")])
    ctx = pages.ctx_of(request)
    principal = op.principal
    counts = await pages.write(
        request,
        lambda s: replay(
            ctx,
            s,
            [message_id] if message_id else None,
            destination=None if message_id else destination,
            actor=principal.party or "admin",
            actor_login=principal.login,
        ),
    )
    shown = {k: counts[k] for k in ("replayed", "redispatched", "superseded")}
    return pages.redirect("/web/console/deadletters?" + urlencode(shown))


routes = [
    Route("/web/console/deadletters", letters, methods=["GET"]),
    Route("/web/console/deadletters/replay", replay_letters, methods=["POST"]),
]
