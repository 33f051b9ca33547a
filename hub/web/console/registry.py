"""`/web/console/registry`: registry changes under four eyes (Art. 17, 20). A unit asks to
add an institution under itself, or to suspend, resume, close, show, hide or update one of
its own; an admin other than
the requester approves or rejects (`ops.governance`, as the API: the service refuses the
requester with 403); an institution's history shows every version it had."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hub.domain.errors import DomainError
from hub.domain.routing import MEDIATION_KINDS
from hub.ops import governance
from hub.services.access import supervised_directory
from hub.services.errors import ServiceError
from hub.services.principal import Role
from hub.web import pages
from hub.web.console.common import (
    Operator,
    act,
    console_page,
    csrf_refused,
    form_action,
    page,
)
from schemas.codes import CATEGORIES, DISTRICTS
from schemas.text import ascii_int

#: The changes a page may request.
ACTIONS = ("add", "suspend", "resume", "close", "show", "hide", "update")
#: Kinds of institution a unit may add from the page (those that receive cases).
ADD_KINDS = tuple(sorted(str(k) for k in MEDIATION_KINDS))
#: Fields an `update` may carry from the page.
UPDATE_FIELDS = ("name", "phone", "address", "capacity", "mediators")
FIELDS = {
    "/action": "action",
    "/institution": "institution",
    "/reason": "reason",
    "/note": "note",
    "/data": "data",
    **{f"/data/{k}": k for k in (*UPDATE_FIELDS, "categories", "districts")},
    "/data/kind": "kind_of_body",
}
FIELDS.update({f"/data/{k}/{i}": k for k in ("categories", "districts") for i in range(50)})


async def _page(request: Request, op: Operator, status: int = 200, **context: Any) -> Response:
    ctx = pages.ctx_of(request)

    def work(s: Session) -> dict[str, Any]:
        changes = governance.list_changes(s, op.principal, None)
        return {
            "pending": [c for c in changes if c["status"] == "pending"],
            "decided": [c for c in reversed(changes) if c["status"] != "pending"][:20],
            "institutions": supervised_directory(ctx, s, op.principal),
        }

    found = await pages.read(request, work)
    names = {i["id"]: i["name"] for i in found["institutions"]}
    return page(
        request,
        op,
        "console/registry.html",
        status,
        names=names,
        actions=ACTIONS,
        update_fields=UPDATE_FIELDS,
        add_kinds=ADD_KINDS,
        categories=list(CATEGORIES),
        districts=list(DISTRICTS),
        may_request=op.principal.role is Role.UNIT,
        **found,
        **context,
    )


@console_page()
async def changes(request: Request, op: Operator) -> Response:
    t = pages.texts(request)
    done = request.query_params.get("done")
    flash = t(f"c_change_{done}") if done in ("requested", "approved", "rejected") else None
    return await _page(request, op, flash=flash)


def _change_body(
    form: dict[str, str], many: dict[str, list[str]], unit: str | None
) -> dict[str, Any]:
    """The API's change body from the form; `add` names a new institution (pull-feed
    delivery: a webhook's URL and secret go through `POST /v1/registry/changes`)."""
    action = form.get("action", "")
    body: dict[str, Any] = {
        "action": action,
        "institution": form.get("new_id" if action == "add" else "institution", "").strip(),
        "reason": form.get("reason", "").strip(),
    }
    data: dict[str, Any] = {}
    for name in UPDATE_FIELDS:
        value = form.get(name, "").strip()
        if value:
            number = ascii_int(value) if name in ("capacity", "mediators") else None
            data[name] = value if number is None else number  # else the schema refuses it
    if action == "add":
        data["unit"] = unit  # a unit adds under itself only
        data["kind"] = form.get("kind", "")
        data["categories"] = many.get("categories", [])
        data["districts"] = many.get("districts", [])
        data["delivery"] = {"kind": "feed"}
    if action in ("add", "update"):
        body["data"] = data
    return body


@console_page()
async def request_change(request: Request, op: Operator) -> Response:
    pairs = await pages.read_multi(request)
    form: dict[str, Any] = {}
    many: dict[str, list[str]] = {}
    for key, value in pairs:
        form.setdefault(key, value)
        many.setdefault(key, []).append(value)
    if not pages.signer(request).csrf_ok(op.session, form.get("csrf")):
        return csrf_refused(request, op)
    ctx = pages.ctx_of(request)
    body = _change_body(form, many, op.principal.party)
    shown = {
        **form,
        "categories": many.get("categories", []),
        "districts": many.get("districts", []),
    }
    refused = await act(
        request,
        op,
        shown,
        "registry-change",
        body,
        lambda s: governance.request_change(ctx, s, op.principal, body),
        FIELDS,
        _page,
        schema="registry_change",
    )
    return refused or pages.redirect("/web/console/registry?done=requested")


@form_action(admin_only=True)
async def decide(request: Request, op: Operator, form: dict[str, str]) -> Response:
    ctx = pages.ctx_of(request)
    change_id = request.path_params["id"]
    approve = form.get("decision") == "approve"
    note = form.get("note", "").strip() or None
    body = {"id": change_id, "approve": approve, "note": note}
    refused = await act(
        request,
        op,
        form,
        f"registry-decision:{change_id}",
        body,
        lambda s: governance.decide(ctx, s, op.principal, change_id, approve, note),
        FIELDS,
        _page,
    )
    done = "approved" if approve else "rejected"
    return refused or pages.redirect(f"/web/console/registry?{urlencode({'done': done})}")


@console_page()
async def history(request: Request, op: Operator) -> Response:
    ctx = pages.ctx_of(request)
    t = pages.texts(request)
    inst_id = request.path_params["id"]
    try:  # history is recorded on first need (a write), as the API's
        found = await pages.write(
            request, lambda s: governance.history(ctx, s, op.principal, inst_id)
        )
    except (ServiceError, DomainError):
        return page(request, op, "console/message.html", 404, error=t("c_no_institution"))
    return page(request, op, "console/history.html", versions=found["versions"], inst_id=inst_id)


routes = [
    Route("/web/console/registry", changes, methods=["GET"]),
    Route("/web/console/registry", request_change, methods=["POST"]),
    Route("/web/console/registry/changes/{id}", decide, methods=["POST"]),
    Route("/web/console/registry/institutions/{id}", history, methods=["GET"]),
]
