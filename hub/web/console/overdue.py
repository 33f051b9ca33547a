"""`/web/console/overdue`: the red-light board (红灯督办): every case of the person's
institutions past a deadline, the deadline, when it was due and how many working days late,
with a 催办 (dunning) button that calls `hub.services.dunning.dun`, as the API does."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hub.domain.errors import DomainError
from hub.ops import casebook, dunning
from hub.services.access import supervised_directory
from hub.services.casework import canonical_no
from hub.services.errors import Invalid, ServiceError
from hub.web import pages
from hub.web.console.common import (
    Operator,
    checked,
    console_page,
    form_action,
    page,
)

PAGE_SIZE = 100
FIELDS = {"/note": "note", "/application_no": "no"}


async def _board(request: Request, op: Operator, status: int = 200, **context: Any) -> Response:
    ctx = pages.ctx_of(request)
    institution = request.query_params.get("institution") or ""
    cursor = request.query_params.get("cursor") or ""
    live_only = request.query_params.get("live") == "1"

    def work(s: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        params = {
            "overdue": "true",
            "limit": str(PAGE_SIZE),
            "institution": institution,
            "cursor": cursor,
            "origin": "live" if live_only else "",
        }
        found = casebook.list_applications(ctx, s, op.principal, casebook.parse_query(params))
        return found, supervised_directory(ctx, s, op.principal)

    found, institutions = await pages.read(request, work)
    next_cursor = found["next_cursor"]
    rows = [
        {**item, "late": sorted(item["overdue"], key=lambda d: d["due_at"])}
        for item in found["items"]
    ]
    rows.sort(key=lambda r: -r["overdue_working_days"])  # the reddest first
    query = {"institution": institution, **({"live": "1"} if live_only else {})}
    return page(
        request,
        op,
        "console/overdue.html",
        status,
        rows=rows,
        institutions=institutions,
        institution_filter=institution,
        live_only=live_only,
        next_url=(
            "/web/console/overdue?" + urlencode({**query, "cursor": next_cursor})
            if next_cursor
            else None
        ),
        **context,
    )


@console_page()
async def board(request: Request, op: Operator) -> Response:
    t = pages.texts(request)
    flash = None
    if request.query_params.get("dunned"):
        flash = t("c_dunned", no=request.query_params["dunned"])
    return await _board(request, op, flash=flash)


@form_action()
async def press(request: Request, op: Operator, form: dict[str, str]) -> Response:
    """POST a 催办 for one case."""
    t = pages.texts(request)
    ctx = pages.ctx_of(request)
    note = form.get("note", "").strip()
    body: dict[str, Any] = {"note": note} if note else {}
    try:
        no = canonical_no(form.get("no", ""))
        checked("dunning", body)
        await pages.once(
            request,
            op.principal,
            form,
            f"dunning:{no}",
            body,
            lambda s: dunning.dun(ctx, s, op.principal, no, body),
        )
    except (ServiceError, DomainError) as exc:
        status, message, lines = pages.failure(t, exc, FIELDS)
        bad = pages.bad_fields(exc.errors, FIELDS) if isinstance(exc, Invalid) else set()
        return await _board(
            request, op, status, error=message, violations=lines, bad=bad, form=form
        )
    return pages.redirect(f"/web/console/overdue?{urlencode({'dunned': no})}")


routes = [
    Route("/web/console/overdue", board, methods=["GET"]),
    Route("/web/console/overdue", press, methods=["POST"]),
]
