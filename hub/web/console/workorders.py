"""`/web/console/workorders` (工单, INTERFACE 14): the ledger of work orders with their
clocks and, for admins (the hotline), the answers, and forms to dispatch, answer and record
the callback; the same `ops.workorders` / `ops.workorder_ledger` functions as the API."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hub.ops import workorder_ledger, workorders
from hub.services.access import supervised_directory
from hub.services.errors import Invalid
from hub.web import pages
from hub.web.console.common import (
    Operator,
    act,
    console_page,
    form_action,
    page,
)

PAGE_SIZE = 50
FIELDS = {
    "/answer": "answer",
    "/institution": "institution",
    "/satisfied": "satisfied",
    "/note": "note",
}
ACTIONS = {
    "dispatch": ("workorder_dispatch", workorders.dispatch),
    "answer": ("workorder_answer", workorders.answer),
    "callback": ("workorder_callback", workorders.callback),
}


async def _page(request: Request, op: Operator, status: int = 200, **context: Any) -> Response:
    ctx = pages.ctx_of(request)
    q = request.query_params
    params = {k: q[k] for k in ("status", "type", "cursor") if q.get(k)}
    params["limit"] = str(PAGE_SIZE)
    try:
        query = workorder_ledger.parse_ledger_query(params)
    except Invalid:
        params = {"limit": str(PAGE_SIZE)}
        query = workorder_ledger.parse_ledger_query(params)

    def work(s: Session) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, str]]:
        found = workorder_ledger.ledger(ctx, s, op.principal, query)
        answers: dict[str, str] = {}
        if op.admin:  # the hotline reads the answers given
            for item in found["workorders"]:
                if item["status"] in ("answered", "closed"):
                    full = workorders.record(ctx, s, op.principal, item["workorder_no"])
                    answers[item["workorder_no"]] = full.get("answer") or ""
        return found, supervised_directory(ctx, s, op.principal, dispatchable=True), answers

    found, targets, answers = await pages.read(request, work)
    names = {i["id"]: i["name"] for i in targets}
    nxt = found["next_cursor"]
    return page(
        request,
        op,
        "console/workorders.html",
        status,
        items=found["workorders"],
        answers=answers,
        targets=targets,
        names=names,
        statuses=workorders.LEDGER_STATUSES,
        types=list(workorders.TYPE_TEXT),
        status_filter=params.get("status", ""),
        type_filter=params.get("type", ""),
        next_url=(
            "/web/console/workorders?"
            + urlencode({**{k: v for k, v in params.items() if k != "limit"}, "cursor": nxt})
            if nxt
            else None
        ),
        **context,
    )


@console_page()
async def ledger(request: Request, op: Operator) -> Response:
    t = pages.texts(request)
    no, what = request.query_params.get("no"), request.query_params.get("done")
    flash = None
    if no and what in ACTIONS:
        flash = t("c_wo_done", no=no, what=t(f"c_wo_{what}"))
    return await _page(request, op, flash=flash)


def _body(what: str, form: dict[str, str]) -> dict[str, Any]:
    if what == "dispatch":
        return {"institution": form.get("institution", "")}
    if what == "answer":
        return {"answer": form.get("answer", "").strip()}
    body: dict[str, Any] = {"satisfied": {"yes": True, "no": False}.get(form.get("satisfied", ""))}
    if body["satisfied"] is None:
        body.pop("satisfied")
    if form.get("note", "").strip():
        body["note"] = form["note"].strip()
    return body


@form_action(admin_only=True)
async def handle(request: Request, op: Operator, form: dict[str, str]) -> Response:
    """POST dispatch, answer or callback of one work order (admin: the hotline)."""
    what = request.path_params["what"]
    if what not in ACTIONS:
        return pages.redirect("/web/console/workorders")
    schema, service = ACTIONS[what]
    ctx = pages.ctx_of(request)
    no = request.path_params["no"]
    body = _body(what, form)
    refused = await act(
        request,
        op,
        {**form, "workorder_no": no},
        f"workorder-{what}:{no}",
        body,
        lambda s: service(ctx, s, op.principal, no, body),
        FIELDS,
        _page,
        schema=schema,
    )
    return refused or pages.redirect(
        f"/web/console/workorders?{urlencode({'no': no, 'done': what})}"
    )


routes = [
    Route("/web/console/workorders", ledger, methods=["GET"]),
    Route("/web/console/workorders/{no}/{what}", handle, methods=["POST"]),
]
