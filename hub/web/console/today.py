"""`/web/console/`: today's questions, answered in numbers with a link each: new cases, late
ones, ones nobody could take, messages that failed to deliver, changes waiting for approval."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hub.ops import casebook, governance
from hub.services.delivery_failures import list_dead
from hub.web import pages
from hub.web.console.common import Operator, console_page, page

#: How far a count goes before the page says "200+".
COUNT_LIMIT = casebook.MAX_LIMIT


def _count(ctx: Any, s: Session, op: Operator, **query: str) -> dict[str, Any]:
    """A tile's number, and how many of the counted cases are imported history."""
    found = casebook.list_applications(
        ctx, s, op.principal, casebook.parse_query({**query, "limit": str(COUNT_LIMIT)})
    )
    n = len(found["items"])
    imported = sum(1 for i in found["items"] if i["imported_from"])
    return {"n": f"{n}+" if found["next_cursor"] else str(n), "imported": imported}


@console_page()
async def today(request: Request, op: Operator) -> Response:
    ctx = pages.ctx_of(request)

    def work(s: Session) -> list[dict[str, Any]]:
        tiles: list[dict[str, Any]] = [
            {"key": "c_new", **_count(ctx, s, op, status="dispatched"), "href": ""},
            {
                "key": "c_overdue",
                **_count(ctx, s, op, overdue="true"),
                "href": "/web/console/overdue",
            },
            {
                "key": "c_undeliverable",
                **_count(ctx, s, op, status="undeliverable"),
                "href": "/web/console/undeliverable",
            },
        ]
        if op.admin:
            dead, _ = list_dead(s, limit=COUNT_LIMIT + 1)
            n = len(dead)
            tiles.append(
                {
                    "key": "c_deadletters",
                    "n": f"{COUNT_LIMIT}+" if n > COUNT_LIMIT else str(n),
                    "href": "/web/console/deadletters",
                }
            )
        pending = governance.list_changes(s, op.principal, "pending")
        tiles.append(
            {"key": "c_pending_changes", "n": str(len(pending)), "href": "/web/console/registry"}
        )
        return tiles

    return page(request, op, "console/today.html", tiles=await pages.read(request, work))


routes = [Route("/web/console/", today, methods=["GET"])]
