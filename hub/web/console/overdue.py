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
from hub.web import origin, pages
from hub.web.console.common import (
    Operator,
    checked,
    console_page,
    form_action,
    page,
)

PAGE_SIZE = 100
#: With imported history left out, how many pages of the list one answer reads at most to
#: fill its own page (an import of old cases may put hundreds of them first).
LIVE_SCAN_PAGES = 20
FIELDS = {"/note": "note", "/application_no": "no"}


async def _board(request: Request, op: Operator, status: int = 200, **context: Any) -> Response:
    ctx = pages.ctx_of(request)
    institution = request.query_params.get("institution") or ""
    cursor = request.query_params.get("cursor") or ""
    live_only = request.query_params.get("live") == "1"

    def work(
        s: Any,
    ) -> tuple[list[dict[str, Any]], str | None, dict[str, str], list[dict[str, Any]]]:
        items: list[dict[str, Any]] = []
        imported: dict[str, str] = {}
        after: str | None = cursor
        for _ in range(LIVE_SCAN_PAGES if live_only else 1):
            params = {
                "overdue": "true",
                "limit": str(PAGE_SIZE),
                "institution": institution,
                "cursor": after or "",
            }
            found = casebook.list_applications(ctx, s, op.principal, casebook.parse_query(params))
            got = found["items"]
            imported.update(origin.sources(s, (i["application_no"] for i in got)))
            if live_only:
                got = [i for i in got if i["application_no"] not in imported]
            items.extend(got)
            after = found["next_cursor"]
            if not after or len(items) >= PAGE_SIZE:
                break
        return items, after, imported, supervised_directory(ctx, s, op.principal)

    items, next_cursor, imported, institutions = await pages.read(request, work)
    rows = []
    for item in items:
        late = sorted(item["overdue"], key=lambda d: d["due_at"])
        no = item["application_no"]
        rows.append({**item, "late": late, "imported_from": imported.get(no)})
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
