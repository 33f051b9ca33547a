"""What every console page shares: who may open it, its form checks, the menu.

A console page is for a signed-in person of role `unit` or `admin` (API-token sessions are
institutions' and go to the workbench). What a page shows is what the services let that
person see: a unit its own institutions, the justice bureau (`sfj`) and `admin` all
(`hub.services.access`). Every form carries the session's CSRF token and a fresh `nonce`,
so a double submit is recorded once (`pages.once`).
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

import schemas
from hub.domain.errors import DomainError
from hub.services.access import sees_everything
from hub.services.errors import Invalid, ServiceError, Violation
from hub.services.principal import Principal, Role
from hub.web import pages
from hub.web.session import WebSession

#: The console's menu: (path, text key, who may open it: "all" or "admin").
MENU: tuple[tuple[str, str, str], ...] = (
    ("/web/console/", "c_today", "all"),
    ("/web/console/overdue", "c_overdue", "all"),
    ("/web/console/undeliverable", "c_undeliverable", "all"),
    ("/web/console/deadletters", "c_deadletters", "admin"),
    ("/web/console/registry", "c_registry", "all"),
    ("/web/console/complaints", "c_complaints", "all"),
    ("/web/console/workorders", "c_workorders", "all"),
    ("/web/console/stats", "c_stats", "all"),
    ("/web/console/alerts", "c_alerts", "all"),
    ("/web/console/help", "c_help", "all"),
    ("/web/console/grants", "c_grants", "admin"),
)


@dataclass(frozen=True)
class Operator:
    """The signed-in person a console page acts for."""

    session: WebSession
    principal: Principal
    everything: bool  # the justice bureau or an admin: every institution

    @property
    def admin(self) -> bool:
        return self.principal.role is Role.ADMIN


def menu(op: Operator) -> list[tuple[str, str]]:
    return [(path, key) for path, key, who in MENU if who == "all" or op.admin]


async def operator(request: Request, *, admin_only: bool = False) -> Operator | Response:
    """The person, or the answer to give instead (sign in first; 403 for anyone else)."""
    signed = await pages.signed_in(request)
    if signed is None:
        return pages.to_login(request)
    session, principal = signed
    if principal.role not in (Role.UNIT, Role.ADMIN) or (
        admin_only and principal.role is not Role.ADMIN
    ):
        t = pages.texts(request)
        return pages.render(request, "home.html", 403, session=session, error=t("not_yours"))
    return Operator(session, principal, sees_everything(pages.ctx_of(request), principal))


Handler = Callable[[Request], Awaitable[Response]]
PageHandler = Callable[[Request, Operator], Awaitable[Response]]
FormHandler = Callable[[Request, Operator, dict[str, str]], Awaitable[Response]]


def console_page(*, admin_only: bool = False) -> Callable[[PageHandler], Handler]:
    """A page for the signed-in operator: others are sent to sign in, or answered 403."""

    def wrap(handler: PageHandler) -> Handler:
        @functools.wraps(handler)
        async def run(request: Request) -> Response:
            op = await operator(request, admin_only=admin_only)
            if isinstance(op, Response):
                return op
            return await handler(request, op)

        return run

    return wrap


def form_action(*, admin_only: bool = False) -> Callable[[FormHandler], Handler]:
    """A form's POST for the signed-in operator, with this session's CSRF token only."""

    def wrap(handler: FormHandler) -> Handler:
        @functools.wraps(handler)
        async def run(request: Request) -> Response:
            op = await operator(request, admin_only=admin_only)
            if isinstance(op, Response):
                return op
            form = await posted(request, op)
            if form is None:
                return csrf_refused(request, op)
            return await handler(request, op, form)

        return run

    return wrap


def page(
    request: Request, op: Operator, template: str, status: int = 200, **context: Any
) -> Response:
    """A console page: the menu, a fresh nonce for its forms, the person's scope."""
    return pages.render(
        request,
        template,
        status,
        session=op.session,
        console_menu=menu(op),
        nonce=uuid.uuid4().hex,
        op=op,
        **context,
    )


async def posted(request: Request, op: Operator) -> dict[str, str] | None:
    """The form, or None when its CSRF token is not this session's."""
    form = await pages.read_form(request)
    if not pages.signer(request).csrf_ok(op.session, form.get("csrf")):
        return None
    return form


def csrf_refused(request: Request, op: Operator) -> Response:
    t = pages.texts(request)
    return page(request, op, "console/message.html", 403, error=t("csrf"))


def checked(schema: str, body: dict[str, Any]) -> None:
    """The API's schema check of a body built from a form; Invalid names every field."""
    errors = schemas.validate(schema, body)
    if errors:
        raise Invalid([Violation(e.pointer, e.message) for e in errors])


Rerender = Callable[..., Awaitable[Response]]


async def act(
    request: Request,
    op: Operator,
    form: dict[str, str],
    action: str,
    body: dict[str, Any],
    work: Callable[[Session], dict[str, Any]],
    fields: dict[str, str],
    rerender: Rerender,
    schema: str | None = None,
) -> Response | None:
    """Check `body` against the API's schema, run `work` once per form (its nonce), and
    answer None when done, or the page again with the refusal: each field named in Chinese
    and English, nothing changed, what was typed kept."""
    t = pages.texts(request)
    try:
        if schema:
            checked(schema, body)
        await pages.once(request, op.principal, form, action, body, work)
    except (ServiceError, DomainError) as exc:
        status, message, lines = pages.failure(t, exc, fields)
        bad = pages.bad_fields(exc.errors, fields) if isinstance(exc, Invalid) else set()
        return await rerender(
            request, op, status, error=message, violations=lines, bad=bad, form=form
        )
    return None
