"""`/web/console/complaints`: complaints about the person's institutions (content, never the
complainant's contact), repeats flagged, answered by the institution's unit; the same
`ops.complaints` functions as `GET /v1/complaints` and `POST /v1/complaints/{no}/answer`."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hub.ops import complaints
from hub.services.access import supervised_directory
from hub.services.principal import Role
from hub.web import pages
from hub.web.console.common import (
    Operator,
    act,
    console_page,
    form_action,
    page,
)

STATUSES = ("submitted", "answered")
FIELDS = {"/answer": "answer"}


async def _page(request: Request, op: Operator, status: int = 200, **context: Any) -> Response:
    ctx = pages.ctx_of(request)
    wanted = request.query_params.get("status") or ""
    wanted = wanted if wanted in STATUSES else ""

    def work(s: Session) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        found = complaints.list_for(ctx, s, op.principal, wanted or None)
        return found, supervised_directory(ctx, s, op.principal)

    items, institutions = await pages.read(request, work)
    names = {i["id"]: i["name"] for i in institutions}
    return page(
        request,
        op,
        "console/complaints.html",
        status,
        items=list(reversed(items)),  # the newest first
        names=names,
        statuses=STATUSES,
        status_filter=wanted,
        may_answer=op.principal.role is Role.UNIT,
        **context,
    )


@console_page()
async def listing(request: Request, op: Operator) -> Response:
    t = pages.texts(request)
    done = request.query_params.get("answered")
    return await _page(request, op, flash=t("c_complaint_answered", no=done) if done else None)


@form_action()
async def answer(request: Request, op: Operator, form: dict[str, str]) -> Response:
    ctx = pages.ctx_of(request)
    no = request.path_params["no"]
    body = {"answer": form.get("answer", "").strip()}
    refused = await act(
        request,
        op,
        form,
        f"complaint-answer:{no}",
        body,
        lambda s: complaints.answer(ctx, s, op.principal, no, body),
        FIELDS,
        _page,
    )
    return refused or pages.redirect(f"/web/console/complaints?{urlencode({'answered': no})}")


routes = [
    Route("/web/console/complaints", listing, methods=["GET"]),
    Route("/web/console/complaints/{no}/answer", answer, methods=["POST"]),
]
