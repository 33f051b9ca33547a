"""`/web/console/undeliverable`: the cases waiting for a unit that dispatches by hand
(`dispatch: manual`) and those nobody could take (待人工分派), each dispatched by hand to an
institution chosen from a list; the same `lifecycle.unit_dispatch` as the API."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hub.domain.errors import DomainError
from hub.ops import casebook
from hub.services import lifecycle
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
FIELDS = {"/institution": "institution", "/note": "note", "/application_no": "no"}


async def _list(request: Request, op: Operator, status: int = 200, **context: Any) -> Response:
    ctx = pages.ctx_of(request)
    cursor = request.query_params.get("cursor") or ""
    params = {"status": "undeliverable", "limit": str(PAGE_SIZE), "cursor": cursor}

    waiting_params = {"awaiting": "true", "limit": str(PAGE_SIZE)}

    def work(s: Any) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]:
        found = casebook.list_applications(ctx, s, op.principal, casebook.parse_query(params))
        queued = casebook.list_applications(
            ctx, s, op.principal, casebook.parse_query(waiting_params)
        )
        return found, queued, supervised_directory(ctx, s, op.principal, dispatchable=True)

    found, queued, targets = await pages.read(request, work)
    # New cases of units that dispatch by hand (dispatch: manual) first, then those nobody took.
    found = {**found, "items": [*([] if cursor else queued["items"]), *found["items"]]}
    rows = [  # each case offers the institutions that take its category in its district
        {
            **item,
            "targets": [
                i
                for i in targets
                if item["category"] in i["categories"] and item["district"] in i["districts"]
            ],
        }
        for item in found["items"]
    ]
    next_cursor = found["next_cursor"]
    return page(
        request,
        op,
        "console/undeliverable.html",
        status,
        rows=rows,
        next_url=(
            "/web/console/undeliverable?" + urlencode({"cursor": next_cursor})
            if next_cursor
            else None
        ),
        **context,
    )


@console_page()
async def waiting(request: Request, op: Operator) -> Response:
    t = pages.texts(request)
    done = request.query_params.get("dispatched")
    flash = t("c_dispatched", no=done) if done else None
    return await _list(request, op, flash=flash)


@form_action()
async def dispatch(request: Request, op: Operator, form: dict[str, str]) -> Response:
    t = pages.texts(request)
    ctx = pages.ctx_of(request)
    body: dict[str, Any] = {"institution": form.get("institution", "")}
    if form.get("note", "").strip():
        body["note"] = form["note"].strip()
    try:
        no = canonical_no(form.get("no", ""))
        if not body["institution"]:
            raise Invalid.at("/institution", "请选择机构 / choose an institution")
        checked("dispatch", body)
        await pages.once(
            request,
            op.principal,
            form,
            f"dispatch:{no}",
            body,
            lambda s: lifecycle.unit_dispatch(ctx, s, op.principal, no, body),
        )
    except (ServiceError, DomainError) as exc:
        status, message, lines = pages.failure(t, exc, FIELDS)
        bad = pages.bad_fields(exc.errors, FIELDS) if isinstance(exc, Invalid) else set()
        return await _list(request, op, status, error=message, violations=lines, bad=bad, form=form)
    return pages.redirect(f"/web/console/undeliverable?{urlencode({'dispatched': no})}")


routes = [
    Route("/web/console/undeliverable", waiting, methods=["GET"]),
    Route("/web/console/undeliverable", dispatch, methods=["POST"]),
]
