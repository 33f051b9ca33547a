"""`/web/console/alerts`: early warnings (Art. 21): a surge of one category in one district
against its own recent weeks, and several applications against one respondent within 30
days (a mass dispute), shown without revealing who; `ops.alerts.alerts`, as the API."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hub.ops import alerts
from hub.web import pages
from hub.web.console.common import Operator, console_page, page


@console_page()
async def warnings(request: Request, op: Operator) -> Response:
    ctx = pages.ctx_of(request)
    found = await pages.read(request, lambda s: alerts.alerts(ctx, s, op.principal))
    items = found["alerts"]
    return page(
        request,
        op,
        "console/alerts.html",
        surges=[a for a in items if a["type"] == "surge"],
        masses=[a for a in items if a["type"] == "same_respondent"],
        as_of=found["as_of"],
    )


routes = [Route("/web/console/alerts", warnings, methods=["GET"])]
