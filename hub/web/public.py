"""Pages for citizens: what the hub is, the public status of a case (进度查询), the FAQ."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hub.api.support import guarded_lookup
from hub.domain.numbering import example_number
from hub.ops import helpdesk
from hub.services import public_status
from hub.services.casework import canonical_no
from hub.services.errors import Invalid, NotFound, Throttled
from hub.web import pages


async def web_root(request: Request) -> Response:
    return pages.redirect("/web/")


async def home(request: Request) -> Response:
    signed = await pages.signed_in(request)
    return pages.render(request, "home.html", session=signed[0] if signed else None)


def _status_page(request: Request, status: int = 200, **context: Any) -> Response:
    ctx = pages.ctx_of(request)
    example = example_number(ctx.settings.region, ctx.clock.now())
    return pages.render(request, "status.html", status, example=example, **context)


async def status_form(request: Request) -> Response:
    return _status_page(request, form={"no": ""})


async def status_lookup(request: Request) -> Response:
    """POST, so the query code stays out of URLs, history and logs. Same rules as the API."""
    t = pages.texts(request)
    form = await pages.read_form(request)
    no_text, code = form.get("no", "").strip(), form.get("code", "").strip()
    shown = {"no": no_text}
    missing = {name for name, value in (("no", no_text), ("code", code)) if not value}
    if missing:
        return _status_page(request, 422, form=shown, error=t("missing_fields"), bad=missing)
    try:
        no = canonical_no(no_text)
    except Invalid:
        return _status_page(request, 422, form=shown, error=t("invalid_no"), bad={"no"})
    ctx = pages.ctx_of(request)
    try:  # throttled per client and number, as the API (INTERFACE 18)
        result = await guarded_lookup(request, no, lambda s: public_status.lookup(ctx, s, no, code))
    except NotFound:
        return _status_page(request, 404, form=shown, error=t("not_found"))
    except Throttled as exc:
        return _throttled(request, exc, shown)
    return _status_page(request, form={"no": no}, result=result)


def _throttled(request: Request, exc: Throttled, shown: dict[str, str]) -> Response:
    """429 with `Retry-After`, and a page that says how long to wait."""
    t = pages.texts(request)
    minutes = max(1, -(-exc.retry_after // 60))
    response = _status_page(request, 429, form=shown, error=t("throttled", minutes=minutes))
    response.headers["Retry-After"] = str(exc.retry_after)
    return response


async def help_page(request: Request) -> Response:
    q = request.query_params.get("q", "")[: helpdesk.MAX_QUERY]
    found = await pages.read(request, lambda s: helpdesk.search(s, q, limit=20 if q else 100))
    return pages.render(request, "help.html", q=q, results=found["results"])


routes = [
    Route("/web", web_root, methods=["GET"]),
    Route("/web/", home, methods=["GET"]),
    Route("/web/status", status_form, methods=["GET"]),
    Route("/web/status", status_lookup, methods=["POST"]),
    Route("/web/help", help_page, methods=["GET"]),
]
