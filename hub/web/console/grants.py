"""`/web/console/grants` (admin, the data-management office): consent grants for unmasked
data (Art. 23): create one (purpose, scope, Article 23 fields, expiry, approver), approve it
(another person than the requester: the service refuses the requester) and revoke it (it
stops working at once). `services.sharing.grants`, as `POST /v1/shared/grants` and its
`/approve`, `/revoke`."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hub import jsonutil
from hub.domain.calendar import SHANGHAI
from hub.services.sharing import grants
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

FIELDS = {
    "/purpose": "purpose",
    "/scope": "scope",
    "/scope/from": "from",
    "/scope/to": "to",
    "/scope/application_nos": "scope",
    "/fields": "fields",
    "/expiry": "expires_on",
    "/approver": "approver",
    "/grantee": "grantee",
    "/consent_reference": "consent_reference",
}
FIELDS.update({f"/fields/{i}": "fields" for i in range(50)})


def _expiry(text: str) -> str:
    """The end of the chosen Shanghai day as RFC 3339, or the text as typed when it is no
    date (the schema then names the field)."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        return text.strip() or "-"
    return jsonutil.rfc3339(datetime.combine(day, time(23, 59, 59), tzinfo=SHANGHAI))


def _body(pairs: list[tuple[str, str]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The API's grant body from the form, and what was typed (to show it again)."""
    one: dict[str, str] = {}
    many: dict[str, list[str]] = {}
    for key, value in pairs:
        one.setdefault(key, value)
        many.setdefault(key, []).append(value)
    scope: dict[str, Any] = {}
    for name in ("from", "to"):
        if one.get(name, "").strip():
            scope[name] = one[name].strip()
    for name in ("categories", "districts"):
        if many.get(name):
            scope[name] = many[name]
    body: dict[str, Any] = {
        "purpose": one.get("purpose", "").strip(),
        "scope": scope,
        "fields": many.get("fields", []),
        "expiry": _expiry(one.get("expires_on", "")),
        "approver": one.get("approver", "").strip(),
    }
    for name in ("grantee", "consent_reference"):
        if one.get(name, "").strip():
            body[name] = one[name].strip()
    typed: dict[str, Any] = {
        **one,
        "fields": many.get("fields", []),
        "categories": many.get("categories", []),
        "districts": many.get("districts", []),
    }
    return body, typed


async def _page(request: Request, op: Operator, status: int = 200, **context: Any) -> Response:
    ctx = pages.ctx_of(request)
    found = await pages.read(request, lambda s: grants.list_grants(ctx, s))
    form = context.pop("form", None) or {"fields": [], "categories": [], "districts": []}
    return page(
        request,
        op,
        "console/grants.html",
        status,
        grants=list(reversed(found["grants"])),
        grantable=list(grants.grantable_fields()),
        categories=list(CATEGORIES),
        districts=list(DISTRICTS),
        form=form,
        **context,
    )


@console_page(admin_only=True)
async def listing(request: Request, op: Operator) -> Response:
    t = pages.texts(request)
    done = request.query_params.get("done")
    flash = t(f"c_grant_{done}") if done in ("requested", "approved", "revoked") else None
    return await _page(request, op, flash=flash)


@console_page(admin_only=True)
async def create(request: Request, op: Operator) -> Response:
    pairs = await pages.read_multi(request)
    body, typed = _body(pairs)
    if not pages.signer(request).csrf_ok(op.session, typed.get("csrf")):
        return csrf_refused(request, op)
    ctx = pages.ctx_of(request)
    refused = await act(
        request,
        op,
        typed,
        "grant-request",
        body,
        lambda s: grants.request_grant(ctx, s, op.principal, body),
        FIELDS,
        _page,
        schema="grant",
    )
    return refused or pages.redirect("/web/console/grants?done=requested")


def _decision(approve: bool) -> Any:
    @form_action(admin_only=True)
    async def handler(request: Request, op: Operator, form: dict[str, str]) -> Response:
        ctx = pages.ctx_of(request)
        grant_id = request.path_params["id"]
        decide = grants.approve_grant if approve else grants.revoke_grant
        what = "approved" if approve else "revoked"
        refused = await act(
            request,
            op,
            form,
            f"grant-{what}:{grant_id}",
            {"id": grant_id},
            lambda s: decide(ctx, s, op.principal, grant_id),
            FIELDS,
            _page,
        )
        return refused or pages.redirect(f"/web/console/grants?done={what}")

    return handler


routes = [
    Route("/web/console/grants", listing, methods=["GET"]),
    Route("/web/console/grants", create, methods=["POST"]),
    Route("/web/console/grants/{id}/approve", _decision(True), methods=["POST"]),
    Route("/web/console/grants/{id}/revoke", _decision(False), methods=["POST"]),
]
