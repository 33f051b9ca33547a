"""The institution workbench (机构工作台, `/web/cases`): the institution's cases, one case, and
the forms that act on it. Every form calls the service the API calls (`lifecycle.
record_event`, `referrals.request`, `documents.attachment`) after the same schema check, so
the same rules, 409s, outbox messages and audit entries apply. Each render carries fresh
ids, so a double submit is recorded once. Rejecting, returning and closing ask for a
confirmation first (they cannot be undone).
"""

from __future__ import annotations

import base64
import uuid
from typing import Any
from urllib.parse import quote, urlencode

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

import schemas
from hub.domain.errors import DomainError
from hub.domain.status import EventType
from hub.ops import casebook
from hub.services import case_view, disclosures, documents, lifecycle, referrals
from hub.services.casework import canonical_no
from hub.services.errors import Invalid, ServiceError
from hub.services.principal import Principal, Role
from hub.web import origin, pages, wording
from hub.web.session import WebSession

PAGE_SIZE = 50
#: Events that cannot be undone: the form asks "are you sure?" first.
CONFIRM_FIRST = frozenset({EventType.REJECTED, EventType.RETURNED, EventType.CLOSED})

#: The form field of each JSON pointer the event and referral schemas name.
FIELDS = {
    "/data/reason": "reason",
    "/data/remedies": "remedies",
    "/data/agreement/summary": "summary",
    "/data/agreement/amount": "amount",
    "/data/agreement": "summary",
    "/data/agreement/type": "agreement_type",
    "/data/reason_code": "reason_code",
    "/data/remedy_kinds": "remedy_kinds",
    "/data/note": "note",
    "/data/willing": "willing",
    "/data/outcome": "outcome",
    "/note": "note",
    "/kind": "kind",
    "/target": "target",
}


async def _institution(request: Request) -> tuple[WebSession, Principal] | Response:
    signed = await pages.signed_in(request)
    if signed is None:
        return pages.to_login(request)
    if signed[1].role is not Role.INSTITUTION:
        t = pages.texts(request)
        return pages.render(request, "home.html", 403, session=signed[0], error=t("not_yours"))
    return signed


async def case_list(request: Request) -> Response:
    signed = await _institution(request)
    if isinstance(signed, Response):
        return signed
    session, principal = signed
    t = pages.texts(request)
    status = request.query_params.get("status") or ""
    cursor = request.query_params.get("cursor") or ""
    params = {"status": status, "cursor": cursor, "limit": str(PAGE_SIZE), "order": "newest"}
    try:
        query = casebook.parse_query(params)
    except Invalid:
        query = casebook.parse_query({"limit": str(PAGE_SIZE), "order": "newest"})
        status = cursor = ""
    ctx = pages.ctx_of(request)
    found = await pages.read(
        request, lambda s: casebook.list_applications(ctx, s, principal, query)
    )
    next_cursor = found["next_cursor"]
    flash = None
    done = request.query_params.get("done")
    if done in {e.value for e in EventType}:
        flash = t("done", what=t.action(done))
    return pages.render(
        request,
        "cases.html",
        session=session,
        flash=flash,
        status_filter=status,
        statuses=casebook.STATUS_CHOICES,
        first_url="/web/cases?" + urlencode({"status": status}) if cursor else None,
        next_url=(
            "/web/cases?" + urlencode({"status": status, "cursor": next_cursor})
            if next_cursor
            else None
        ),
        items=found["items"],
    )


def _case_no(request: Request) -> str | None:
    try:
        return canonical_no(request.path_params["no"])
    except Invalid:
        return None


async def _case_page(
    request: Request,
    session: WebSession,
    principal: Principal,
    no: str,
    status: int = 200,
    **context: Any,
) -> Response:
    ctx = pages.ctx_of(request)
    t = pages.texts(request)
    try:
        found, imported = await pages.read(
            request,
            lambda s: (case_view.workbench(ctx, s, principal, no), origin.sources(s, [no])),
        )
    except ServiceError:
        return pages.render(request, "home.html", 404, session=session, error=t("gone"))
    # Who read the personal data, before the page shows it (hub.services.disclosures).
    await pages.write(request, lambda s: disclosures.record_read(ctx, s, principal, no, via="web"))
    names = found["names"]
    timeline = [
        {
            **step,
            "who": wording.actor(t, step["actor"], names),
            "lines": wording.fields(t, step["data"], names),
        }
        for step in found["rec"]["timeline"]
    ]
    # Fresh ids per render: a double submit of one form repeats its id and is idempotent.
    event_ids = {name: str(uuid.uuid4()) for name in [*found["actions"], "referral"]}
    return pages.render(
        request,
        "case.html",
        status,
        session=session,
        event_ids=event_ids,
        timeline=timeline,
        imported_from=imported.get(no),
        **found,
        **context,
    )


async def case_detail(request: Request) -> Response:
    signed = await _institution(request)
    if isinstance(signed, Response):
        return signed
    session, principal = signed
    t = pages.texts(request)
    no = _case_no(request)
    if no is None:
        return pages.render(request, "home.html", 404, session=session, error=t("gone"))
    flash = None
    done = request.query_params.get("done")
    if done in {e.value for e in EventType} or done == "referral":
        flash = t("done", what=t.action(done))
    return await _case_page(request, session, principal, no, flash=flash)


def _event_body(form: dict[str, str]) -> dict[str, Any]:
    """The API's event body from the form's fields (INTERFACE 5)."""
    kind = form.get("type", "")
    data: dict[str, Any] = {}
    if kind == "respondent_contacted":
        data["willing"] = {"true": True, "false": False}.get(form.get("willing", ""))
    if kind in ("rejected", "returned"):
        data["reason"] = form.get("reason", "").strip()
        if form.get("reason_code"):
            data["reason_code"] = form["reason_code"]
    if kind == "closed":
        data["outcome"] = form.get("outcome", "")
        summary, amount = form.get("summary", "").strip(), form.get("amount", "").strip()
        agreement_type = form.get("agreement_type", "")
        if summary or amount or agreement_type:
            data["agreement"] = {
                "summary": summary,
                **({"amount": amount} if amount else {}),
                **({"type": agreement_type} if agreement_type else {}),
            }
        remedies = form.get("remedies", "").strip()
        if remedies:
            data["remedies"] = remedies
        chosen = [k.removeprefix("remedy_") for k in form if k.startswith("remedy_")]
        if chosen:
            data["remedy_kinds"] = sorted(chosen)
    note = form.get("note", "").strip()
    if note:
        data["note"] = note
    body: dict[str, Any] = {"event_id": form.get("event_id", ""), "type": kind}
    if data:
        body["data"] = data
    return body


async def _guarded(
    request: Request,
) -> tuple[WebSession, Principal, str, dict[str, str]] | Response:
    """Signed in, a well-formed number, and the form's CSRF token matches the session."""
    signed = await _institution(request)
    if isinstance(signed, Response):
        return signed
    session, principal = signed
    t = pages.texts(request)
    no = _case_no(request)
    if no is None:
        return pages.render(request, "home.html", 404, session=session, error=t("gone"))
    form = await pages.read_form(request)
    if not pages.signer(request).csrf_ok(session, form.get("csrf")):
        return await _case_page(request, session, principal, no, 403, error=t("csrf"))
    return session, principal, no, form


async def _refused(
    request: Request,
    session: WebSession,
    principal: Principal,
    no: str,
    form: dict[str, str],
    status: int,
    message: str,
    lines: list[str],
    bad: set[str] | None = None,
) -> Response:
    return await _case_page(
        request,
        session,
        principal,
        no,
        status,
        error=message,
        violations=lines,
        bad=bad or set(),
        form=form,
    )


async def post_event(request: Request) -> Response:
    guarded = await _guarded(request)
    if isinstance(guarded, Response):
        return guarded
    session, principal, no, form = guarded
    t = pages.texts(request)
    if form.get("back") == "yes":  # from the confirmation, to change what was typed
        return await _case_page(request, session, principal, no, form=form)
    body = _event_body(form)
    errors = schemas.validate("institution_event", body)
    if errors:
        lines = pages.violations(t, errors, FIELDS)
        bad = pages.bad_fields(errors, FIELDS)
        return await _refused(request, session, principal, no, form, 422, t("invalid"), lines, bad)
    if body["type"] in CONFIRM_FIRST and form.get("confirmed") != "yes":
        # Serious and final: show what will be recorded, and ask once more.
        return pages.render(
            request,
            "confirm_event.html",
            session=session,
            no=no,
            kind=body["type"],
            form=form,
            lines=wording.fields(t, body.get("data"), {}),
        )
    ctx = pages.ctx_of(request)
    try:  # like the API: run again if PostgreSQL broke a deadlock (Database.run)
        await pages.write(request, lambda s: lifecycle.record_event(ctx, s, principal, no, body))
    except (ServiceError, DomainError) as exc:
        status, message, lines = pages.failure(t, exc, FIELDS)
        bad = pages.bad_fields(exc.errors, FIELDS) if isinstance(exc, Invalid) else set()
        return await _refused(request, session, principal, no, form, status, message, lines, bad)
    if body["type"] == EventType.RETURNED:  # the case has left this institution
        return pages.redirect(f"/web/cases?done={EventType.RETURNED.value}")
    return pages.redirect(f"/web/cases/{no}?done={body['type']}")


async def post_referral(request: Request) -> Response:
    guarded = await _guarded(request)
    if isinstance(guarded, Response):
        return guarded
    session, principal, no, form = guarded
    t = pages.texts(request)
    body: dict[str, Any] = {"kind": form.get("kind", "")}
    for name in ("target", "note"):
        value = form.get(name, "").strip()
        if value:
            body[name] = value
    errors = schemas.validate("referral_request", body)
    if errors:
        lines = pages.violations(t, errors, FIELDS)
        bad = pages.bad_fields(errors, FIELDS)
        return await _refused(request, session, principal, no, form, 422, t("invalid"), lines, bad)
    ctx = pages.ctx_of(request)
    form = {**form, "nonce": form.get("event_id", "")}
    try:
        await pages.once(
            request,
            principal,
            form,
            f"referral:{no}",
            body,
            lambda s: referrals.request(ctx, s, principal, no, body),
        )
    except (ServiceError, DomainError) as exc:
        status, message, lines = pages.failure(t, exc, FIELDS)
        bad = pages.bad_fields(exc.errors, FIELDS) if isinstance(exc, Invalid) else set()
        return await _refused(request, session, principal, no, form, status, message, lines, bad)
    return pages.redirect(f"/web/cases/{no}?done=referral")


async def attachment(request: Request) -> Response:
    """An attachment of the case (INTERFACE 15), checked against its sha256 and audited."""
    signed = await _institution(request)
    if isinstance(signed, Response):
        return signed
    session, principal = signed
    t = pages.texts(request)
    no = _case_no(request)
    ctx = pages.ctx_of(request)

    def work(s: Session) -> documents.FileAnswer:
        app = case_view.viewable(ctx, s, principal, no or "")
        return documents.attachment(ctx, s, principal, app, request.path_params["index"])

    try:
        answer = await pages.write(request, work)
    except ServiceError:
        return pages.render(request, "home.html", 404, session=session, error=t("gone"))
    digest = base64.b64encode(bytes.fromhex(answer.sha256)).decode()
    return Response(
        answer.content,
        media_type=answer.media_type,
        headers={
            "content-disposition": f"attachment; filename*=UTF-8''{quote(answer.name)}",
            "x-content-type-options": "nosniff",
            "cache-control": "no-store",
            "repr-digest": f"sha-256=:{digest}:",
        },
    )


routes = [
    Route("/web/cases", case_list, methods=["GET"]),
    Route("/web/cases/{no}", case_detail, methods=["GET"]),
    Route("/web/cases/{no}/events", post_event, methods=["POST"]),
    Route("/web/cases/{no}/referrals", post_referral, methods=["POST"]),
    Route("/web/cases/{no}/attachments/{index}", attachment, methods=["GET"]),
]
