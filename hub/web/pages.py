"""What every page module needs: templates, the response headers, forms, the signed-in person.

Pages are server-rendered with Jinja2 (autoescaped), Chinese first, English with `?lang=en`
(kept in a cookie). No scripts and no external assets: the CSP forbids both. A page module
translates HTTP into one service call (the same one the API makes) and back into a page; it
holds no rules and no SQL. Sessions and CSRF: `hub.web.session`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from hub import jsonutil
from hub.api.errors import HttpProblem
from hub.api.support import hub_ctx, read_body, run_idempotent
from hub.domain.calendar import SHANGHAI
from hub.domain.errors import DomainError, InvalidTransition
from hub.services import accounts
from hub.services.context import HubContext
from hub.services.errors import Conflict, Invalid, NotFound, ServiceError, Violation
from hub.services.idempotency import request_hash
from hub.services.principal import Principal, Role
from hub.store.unit_of_work import UnitOfWork
from hub.web.i18n import LANG_COOKIE, LANGS, Texts, choose
from hub.web.session import (
    COOKIE_PATH,
    LOGIN_COOKIE,
    SESSION_COOKIE,
    SessionSigner,
    WebSession,
    principal_for,
)
from schemas.text import unstorable

T = TypeVar("T")
TEMPLATES = Path(__file__).resolve().parent / "templates"
MAX_FORM_BYTES = 64 * 1024

HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def when(value: Any) -> str:
    """A moment as a clerk reads it: Shanghai date and time to the minute."""
    if not value:
        return ""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def money(value: Any) -> str:
    """CNY with thousands separators: 12,345.67."""
    try:
        return f"{Decimal(str(value)):,.2f}"
    except ArithmeticError:
        return str(value)


def _plain(value: Any) -> str:
    if isinstance(value, dict | list):
        return jsonutil.dumps(value)
    if value is None:
        return ""
    return str(value)


ENV = Environment(
    loader=FileSystemLoader(str(TEMPLATES)),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
ENV.filters["when"] = when
ENV.filters["money"] = money
ENV.filters["plain"] = _plain


# ---------------------------------------------------------------------- request plumbing


def ctx_of(request: Request) -> HubContext:
    return hub_ctx(request)


def signer(request: Request) -> SessionSigner:
    found: SessionSigner | None = getattr(request.app.state, "web_signer", None)
    if found is None:
        found = SessionSigner(hub_ctx(request).vault)
        request.app.state.web_signer = found
    return found


def lang(request: Request) -> str:
    return choose(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE))


def texts(request: Request) -> Texts:
    return Texts(lang(request))


def _switch_url(request: Request, current: str) -> str:
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    params.append(("lang", "zh" if current == "en" else "en"))
    return f"{request.url.path}?{urlencode(params)}"


def secure(request: Request) -> bool:
    return request.url.scheme == "https"


def render(
    request: Request,
    template: str,
    status: int = 200,
    *,
    session: WebSession | None = None,
    **context: Any,
) -> HTMLResponse:
    current = lang(request)
    values: dict[str, Any] = {
        "t": Texts(current),
        "signed_in": session is not None and session.kind != "pending",
        "me": getattr(request.state, "me", None),
        "path": request.url.path,
        "csrf": signer(request).csrf_token(session) if session else "",
        "switch_url": _switch_url(request, current),
        "flash": None,
        "error": None,
        "violations": [],
        "bad": set(),
        "form": {},
    }
    values.update(context)
    html = ENV.get_template(template).render(**values)
    response = HTMLResponse(
        html,
        status_code=status,
        headers={**HEADERS, "Content-Language": "en" if current == "en" else "zh-CN"},
    )
    if request.query_params.get("lang") in LANGS:
        response.set_cookie(
            LANG_COOKIE,
            current,
            max_age=365 * 86400,
            path=COOKIE_PATH,
            httponly=True,
            samesite="lax",
            secure=secure(request),
        )
    return response


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303, headers=HEADERS)


async def read_form(request: Request) -> dict[str, str]:
    """An urlencoded form body (bounded); the first value of each field."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != "application/x-www-form-urlencoded":
        raise HttpProblem(415, "请使用表单提交 / use application/x-www-form-urlencoded")
    raw = await read_body(request)
    if len(raw) > MAX_FORM_BYTES:
        raise HttpProblem(413, f"表单超过 {MAX_FORM_BYTES} 字节 / form over {MAX_FORM_BYTES} bytes")
    try:
        pairs = parse_qsl(
            raw.decode("utf-8"), keep_blank_values=True, strict_parsing=False, max_num_fields=200
        )
    except (UnicodeDecodeError, ValueError):
        raise HttpProblem(400, "无法解析表单 / cannot parse the form") from None
    _refuse_unstorable(pairs)
    form: dict[str, str] = {}
    for key, value in pairs:
        form.setdefault(key, value)
    return form


def _refuse_unstorable(pairs: list[tuple[str, str]]) -> None:
    """A NUL (`%00`) in a field cannot be stored: 422 before any page works with it."""
    found = unstorable([[key, value] for key, value in pairs])
    if found:
        index = int(found[0][0].split("/")[1])
        field = "".join(c if c.isprintable() else "?" for c in pairs[index][0])
        raise HttpProblem(
            422,
            f"{field}: {found[0][1]}",
            [Violation("/" + field.replace("~", "~0").replace("/", "~1"), found[0][1])],
        )


async def read_multi(request: Request) -> list[tuple[str, str]]:
    """Every (field, value) pair of a form whose fields repeat (checkbox lists)."""
    raw = await read_body(request)
    if len(raw) > MAX_FORM_BYTES:
        raise HttpProblem(413, f"表单超过 {MAX_FORM_BYTES} 字节 / form over {MAX_FORM_BYTES} bytes")
    try:
        pairs = parse_qsl(raw.decode("utf-8"), keep_blank_values=True, max_num_fields=200)
    except (UnicodeDecodeError, ValueError):
        raise HttpProblem(400, "无法解析表单 / cannot parse the form") from None
    _refuse_unstorable(pairs)
    return pairs


async def read(request: Request, work: Callable[[Session], T]) -> T:
    """Run `work` in a read-only session, off the event loop."""
    ctx = hub_ctx(request)

    def run() -> T:
        with ctx.db.read() as session:
            return work(session)

    return await run_in_threadpool(run)


async def write(request: Request, work: Callable[[UnitOfWork], T]) -> T:
    """Run `work` in one transaction (again after a PostgreSQL deadlock), off the loop."""
    ctx = hub_ctx(request)
    return await run_in_threadpool(ctx.db.run, work)


async def once(
    request: Request,
    principal: Principal,
    form: dict[str, str],
    action: str,
    body: dict[str, Any],
    work: Callable[[Session], dict[str, Any]],
) -> dict[str, Any]:
    """Run a page action once per rendered form, as the API's Idempotency-Key would: the
    form's fresh `nonce` is the key, so a double submit repeats the first answer."""
    nonce = form.get("nonce", "")
    if not (8 <= len(nonce) <= 64 and nonce.isascii() and nonce.replace("-", "").isalnum()):
        raise Invalid.at("/nonce", "表单已失效，请刷新页面 / the form has expired: reload it")
    ctx = hub_ctx(request)
    digest = request_hash("POST", f"web:{action}", jsonutil.dumps(body).encode())
    answer = await run_in_threadpool(
        run_idempotent, ctx, principal, f"web-{action}:{nonce}", digest, work, 200
    )
    result: dict[str, Any] = jsonutil.loads(answer.body)
    return result


# ---------------------------------------------------------------------- who is signed in


async def signed_in(request: Request) -> tuple[WebSession, Principal] | None:
    """The session and who it acts for, re-read from the database on every request."""
    session = signer(request).read_cookie(request.cookies.get(SESSION_COOKIE))
    if session is None:
        return None

    def work(s: Session) -> tuple[Principal, str] | None:
        principal = principal_for(s, session)
        return None if principal is None else (principal, accounts.display_name(s, principal))

    found = await read(request, work)
    if found is None:
        return None
    principal, name = found
    # What the page header shows of who is signed in.
    request.state.me = {
        "role": principal.role.value,
        "party": principal.party,
        "name": name,
        "person": bool(principal.login),
    }
    return session, principal


def to_login(request: Request) -> RedirectResponse:
    session = signer(request).read_cookie(request.cookies.get(SESSION_COOKIE))
    if session is not None and session.kind == "pending":  # choose a password first
        return redirect("/web/password")
    response = redirect("/web/login?expired=1")
    response.delete_cookie(SESSION_COOKIE, path=COOKIE_PATH)
    return response


def set_session(request: Request, response: Response, cookie: str, seconds: int) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        cookie,
        max_age=seconds,
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=secure(request),
    )
    response.delete_cookie(LOGIN_COOKIE, path=COOKIE_PATH)


def home_for(principal: Principal) -> str:
    """Where a person or system lands after signing in."""
    if principal.role is Role.INSTITUTION:
        return "/web/cases"
    if principal.role in (Role.UNIT, Role.ADMIN):
        return "/web/console/"
    return "/web/"


# ---------------------------------------------------------------------- refusals


def violations(t: Texts, errors: list[Violation] | list[Any], fields: dict[str, str]) -> list[str]:
    """One line per refused field: its name in Chinese and English, then the reason.

    `fields` maps a JSON pointer a schema or service names to the form field it came from.
    """
    colon = "：" if t.lang == "zh" else ": "
    lines = []
    for e in errors:
        field = fields.get(e.pointer, e.pointer.strip("/"))
        lines.append(f"{t.field_name(field)}{colon}{e.message}")
    return lines


def bad_fields(errors: list[Violation] | list[Any], fields: dict[str, str]) -> set[str]:
    """The form fields to mark `aria-invalid`."""
    return {fields.get(e.pointer, e.pointer.strip("/")) for e in errors}


def failure(
    t: Texts, exc: Exception, fields: dict[str, str] | None = None
) -> tuple[int, str, list[str]]:
    """A refusal as (HTTP status, message, field lines), in the page's language."""
    if isinstance(exc, Conflict):
        if exc.current_status:
            return 409, t("conflict", status=t.status(exc.current_status)), []
        return 409, t.pick(exc.detail), []
    if isinstance(exc, NotFound):
        return 404, t("gone"), []
    if isinstance(exc, Invalid):
        return 422, t("invalid"), violations(t, exc.errors, fields or {})
    if isinstance(exc, InvalidTransition):
        return 409, t("conflict", status=t.status(str(exc.current))), []
    if isinstance(exc, ServiceError):
        return exc.status, t.pick(exc.detail), []
    if isinstance(exc, DomainError):
        return 422, t("invalid"), [str(exc)]
    raise exc
