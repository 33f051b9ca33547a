"""The hub's own web pages (`/web/`): home, public status, FAQ and the institution workbench.

Server-rendered with Jinja2 (autoescaped), Chinese first, English with `?lang=en` (kept in a
cookie). No scripts and no external assets: the CSP forbids both. Every action calls the
same service function as the API (`lifecycle.record_event`, `referrals.request`) after the
same schema check, so the same rules, 409s, outbox messages and audit entries apply.
Sessions and CSRF: `hub.web.session`.
"""

from __future__ import annotations

import hmac
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlmodel import Session, col, select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

import schemas
from hub import jsonutil
from hub.api.errors import HttpProblem
from hub.api.support import hub_ctx, read_body
from hub.domain.errors import DomainError, InvalidTransition, NotAllowed
from hub.domain.status import (
    EventType,
    ReferralKind,
    Status,
    next_status_for_event,
    status_for_referral_request,
)
from hub.ops import helpdesk
from hub.ops.casebook import overdue_view
from hub.services import accounts, intake, lifecycle, records, referrals
from hub.services.access import may_view
from hub.services.casework import canonical_no
from hub.services.errors import Conflict, Invalid, NotFound, ServiceError, Violation
from hub.services.idempotency import request_hash, run_idempotent
from hub.services.principal import Principal, Role
from hub.services.tokens import TokenCache
from hub.store.models import Application, Deadline, Institution
from hub.web.i18n import LANG_COOKIE, LANGS, Texts, choose
from hub.web.session import (
    COOKIE_PATH,
    LOGIN_COOKIE,
    LOGIN_SECONDS,
    PENDING_SECONDS,
    SESSION_COOKIE,
    SESSION_SECONDS,
    SessionSigner,
    WebSession,
    new_sid,
    principal_for,
)

T = TypeVar("T")
SH = ZoneInfo("Asia/Shanghai")
TEMPLATES = Path(__file__).resolve().parent.parent / "web" / "templates"
PAGE_SIZE = 50
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

#: The form field (hub.web.i18n.FIELD_NAMES) of each JSON pointer a schema or service names.
FIELD_OF_POINTER = {
    "/data/reason": "reason",
    "/data/remedies": "remedies",
    "/data/agreement/summary": "summary",
    "/data/agreement/amount": "amount",
    "/data/agreement": "summary",
    "/data/note": "note",
    "/data/willing": "willing",
    "/data/outcome": "outcome",
    "/note": "note",
    "/kind": "kind",
    "/target": "target",
}


def _when(value: Any) -> str:
    if not value:
        return ""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.astimezone(SH).strftime("%Y-%m-%d %H:%M")


def _plain(value: Any) -> str:
    if isinstance(value, dict | list):
        return jsonutil.dumps(value)
    if value is None:
        return ""
    return str(value)


_ENV = Environment(
    loader=FileSystemLoader(str(TEMPLATES)),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.filters["when"] = _when
_ENV.filters["plain"] = _plain


# ---------------------------------------------------------------------- plumbing


def _signer(request: Request) -> SessionSigner:
    signer: SessionSigner | None = getattr(request.app.state, "web_signer", None)
    if signer is None:
        signer = SessionSigner(hub_ctx(request).vault)
        request.app.state.web_signer = signer
    return signer


def _lang(request: Request) -> str:
    return choose(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE))


def _switch_url(request: Request, lang: str) -> str:
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    params.append(("lang", "zh" if lang == "en" else "en"))
    return f"{request.url.path}?{urlencode(params)}"


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def render(
    request: Request,
    template: str,
    status: int = 200,
    *,
    session: WebSession | None = None,
    **context: Any,
) -> HTMLResponse:
    lang = _lang(request)
    values: dict[str, Any] = {
        "t": Texts(lang),
        "signed_in": session is not None,
        "me": getattr(request.state, "me", None),
        "csrf": _signer(request).csrf_token(session) if session else "",
        "switch_url": _switch_url(request, lang),
        "flash": None,
        "error": None,
        "violations": [],
        "bad": set(),
        "form": {},
    }
    values.update(context)
    html = _ENV.get_template(template).render(**values)
    response = HTMLResponse(
        html,
        status_code=status,
        headers={**HEADERS, "Content-Language": "en" if lang == "en" else "zh-CN"},
    )
    if request.query_params.get("lang") in LANGS:
        response.set_cookie(
            LANG_COOKIE,
            lang,
            max_age=365 * 86400,
            path=COOKIE_PATH,
            httponly=True,
            samesite="lax",
            secure=_secure(request),
        )
    return response


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303, headers=HEADERS)


async def _form(request: Request) -> dict[str, str]:
    """An urlencoded form body (bounded); the first value of each field."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != "application/x-www-form-urlencoded":
        raise HttpProblem(415, "请使用表单提交 / use application/x-www-form-urlencoded")
    raw = await read_body(request)
    if len(raw) > MAX_FORM_BYTES:
        raise HttpProblem(413, f"表单超过 {MAX_FORM_BYTES} 字节 / form over {MAX_FORM_BYTES} bytes")
    try:
        pairs = parse_qsl(
            raw.decode("utf-8"), keep_blank_values=True, strict_parsing=False, max_num_fields=64
        )
    except (UnicodeDecodeError, ValueError):
        raise HttpProblem(400, "无法解析表单 / cannot parse the form") from None
    form: dict[str, str] = {}
    for key, value in pairs:
        form.setdefault(key, value)
    return form


async def _read(request: Request, work: Callable[[Session], T]) -> T:
    ctx = hub_ctx(request)

    def run() -> T:
        with ctx.db.read() as session:
            return work(session)

    return await run_in_threadpool(run)


async def _signed_in(request: Request) -> tuple[WebSession, Principal] | None:
    session = _signer(request).read_cookie(request.cookies.get(SESSION_COOKIE))
    if session is None:
        return None

    def work(s: Session) -> tuple[Principal, str] | None:
        principal = principal_for(s, session)
        return None if principal is None else (principal, accounts.display_name(s, principal))

    found = await _read(request, work)
    if found is None:
        return None
    principal, name = found
    # What the page header shows of who is signed in.
    request.state.me = {"role": principal.role.value, "name": name, "person": bool(principal.login)}
    return session, principal


def _to_login(request: Request) -> RedirectResponse:
    session = _signer(request).read_cookie(request.cookies.get(SESSION_COOKIE))
    if session is not None and session.kind == "pending":  # choose a password first
        return _redirect("/web/password")
    response = _redirect("/web/login?expired=1")
    response.delete_cookie(SESSION_COOKIE, path=COOKIE_PATH)
    return response


def _violations(t: Texts, errors: list[Violation] | list[Any]) -> list[str]:
    """One line per refused field: its name in Chinese and English, then the reason."""
    colon = "：" if t.lang == "zh" else ": "
    lines = []
    for e in errors:
        field = FIELD_OF_POINTER.get(e.pointer, e.pointer.strip("/"))
        lines.append(f"{t.field_name(field)}{colon}{e.message}")
    return lines


# ---------------------------------------------------------------------- public pages


async def home(request: Request) -> Response:
    signed = await _signed_in(request)
    return render(request, "home.html", session=signed[0] if signed else None)


async def status_form(request: Request) -> Response:
    return render(request, "status.html", form={"no": ""})


async def status_lookup(request: Request) -> Response:
    """POST, so the query code stays out of URLs, history and logs. Same rules as the API."""
    t = Texts(_lang(request))
    form = await _form(request)
    no_text, code = form.get("no", "").strip(), form.get("code", "").strip()
    shown = {"no": no_text}
    if not no_text or not code:
        return render(request, "status.html", 422, form=shown, error=t("missing_fields"))
    try:
        no = canonical_no(no_text)
    except Invalid:
        return render(request, "status.html", 422, form=shown, error=t("invalid_no"))
    ctx = hub_ctx(request)

    def work(session: Session) -> dict[str, Any] | None:
        app = session.get(Application, no)
        expected = intake.query_code_digest(ctx, no, code)
        # A wrong code answers exactly like an unknown number: nothing to probe.
        if app is None or not hmac.compare_digest(app.query_code_hash, expected):
            return None
        return records.public_status(session, app)

    result = await _read(request, work)
    if result is None:
        return render(request, "status.html", 404, form=shown, error=t("not_found"))
    return render(request, "status.html", form={"no": no}, result=result)


async def help_page(request: Request) -> Response:
    q = request.query_params.get("q", "")[: helpdesk.MAX_QUERY]
    found = await _read(request, lambda s: helpdesk.search(s, q, limit=20 if q else 100))
    return render(request, "help.html", q=q, results=found["results"])


# ---------------------------------------------------------------------- sign-in


def _login_page(request: Request, status: int = 200, **context: Any) -> Response:
    nonce = uuid.uuid4().hex
    response = render(
        request, "login.html", status, login_csrf=_signer(request).login_token(nonce), **context
    )
    response.set_cookie(
        LOGIN_COOKIE,
        nonce,
        max_age=LOGIN_SECONDS,
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )
    return response


def home_for(principal: Principal) -> str:
    """Where a person or system lands after signing in."""
    if principal.role is Role.INSTITUTION:
        return "/web/cases"
    return "/web/"


def _set_session(request: Request, response: Response, cookie: str, seconds: int) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        cookie,
        max_age=seconds,
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )
    response.delete_cookie(LOGIN_COOKIE, path=COOKIE_PATH)


async def login_form(request: Request) -> Response:
    t = Texts(_lang(request))
    signed = await _signed_in(request)
    if signed is not None:
        return _redirect(home_for(signed[1]))
    flash = None
    if request.query_params.get("out"):
        flash = t("signed_out")
    elif request.query_params.get("expired"):
        flash = t("session_expired")
    return _login_page(request, flash=flash, form={"login": ""})


async def _token_sign_in(request: Request, token: str) -> Response:
    t = Texts(_lang(request))
    cache: TokenCache = request.app.state.tokens
    principal = await run_in_threadpool(cache.authenticate, token)
    if principal is None:
        return _login_page(request, 401, error=t("bad_token"), form={"login": ""})
    if principal.role is not Role.INSTITUTION:
        return _login_page(request, 403, error=t("not_institution"), form={"login": ""})
    cookie, session = _signer(request).new_cookie("token", principal.token_id)
    ctx = hub_ctx(request)
    await run_in_threadpool(
        ctx.db.run,
        lambda s: accounts.record_web_session(ctx, s, principal, "web.signed_in", session.sid),
    )
    response = _redirect(home_for(principal))
    _set_session(request, response, cookie, SESSION_SECONDS)
    return response


def _locked_page(request: Request, seconds: int, login_name: str) -> Response:
    t = Texts(_lang(request))
    minutes = max(1, (seconds + 59) // 60)
    response = _login_page(
        request, 429, error=t("locked", minutes=minutes), form={"login": login_name}
    )
    response.headers["Retry-After"] = str(seconds)
    return response


async def login(request: Request) -> Response:
    t = Texts(_lang(request))
    form = await _form(request)
    signer = _signer(request)
    login_name = form.get("login", "").strip()[:64]
    shown = {"login": login_name}
    if not signer.login_ok(request.cookies.get(LOGIN_COOKIE), form.get("csrf")):
        return _login_page(request, 403, error=t("csrf"), form=shown)
    token = form.get("token", "").strip()
    password = form.get("password", "")
    if token and not login_name:
        return await _token_sign_in(request, token)
    missing = [
        Violation(pointer, "必填 / required")
        for pointer, value in (("/login", login_name), ("/password", password))
        if not value
    ]
    if missing:
        return _login_page(
            request,
            422,
            error=t("invalid"),
            violations=_violations(t, missing),
            bad={v.pointer.strip("/") for v in missing},
            form=shown,
        )
    ctx = hub_ctx(request)
    sid = new_sid()
    result = await run_in_threadpool(accounts.sign_in, ctx, login_name, password, sid)
    if result.outcome == "locked":
        return _locked_page(request, result.retry_after, login_name)
    if result.outcome == "disabled":
        return _login_page(request, 403, error=t("account_disabled"), form=shown)
    if result.outcome == "wrong" or result.principal is None:
        message = t("bad_password")
        if result.now_locked:
            message += " " + t("now_locked", minutes=accounts.LOCK_MINUTES)
        return _login_page(request, 401, error=message, form=shown)
    person = result.principal
    assert person.login is not None
    if result.outcome == "change_password":
        cookie, _ = signer.new_cookie("pending", person.login, result.epoch, sid=sid)
        response = _redirect("/web/password")
        _set_session(request, response, cookie, PENDING_SECONDS)
        return response
    cookie, _ = signer.new_cookie("person", person.login, result.epoch, sid=sid)
    response = _redirect(home_for(person))
    _set_session(request, response, cookie, SESSION_SECONDS)
    return response


async def _password_session(request: Request) -> tuple[WebSession, Principal, bool] | None:
    """The session that may set a password: a pending first sign-in, or a signed-in person
    (who must also give the current password: `True`)."""
    session = _signer(request).read_cookie(request.cookies.get(SESSION_COOKIE))
    if session is None or session.kind not in ("pending", "person"):
        return None
    if session.kind == "pending":
        found = await _read(
            request, lambda s: accounts.pending_person(s, session.ref, session.epoch)
        )
    else:
        found = await _read(
            request, lambda s: accounts.person_of_session(s, session.ref, session.epoch)
        )
    return (session, found, session.kind == "person") if found is not None else None


def _password_page(
    request: Request, session: WebSession, needs_current: bool, status: int = 200, **extra: Any
) -> Response:
    return render(
        request,
        "password.html",
        status,
        session=session,
        signed_in=session.kind == "person",
        needs_current=needs_current,
        min_length=accounts.MIN_PASSWORD,
        **extra,
    )


async def password_form(request: Request) -> Response:
    found = await _password_session(request)
    if found is None:
        return _to_login(request)
    session, _, needs_current = found
    return _password_page(request, session, needs_current)


async def change_password(request: Request) -> Response:
    found = await _password_session(request)
    if found is None:
        return _to_login(request)
    session, person, needs_current = found
    t = Texts(_lang(request))
    form = await _form(request)
    if not _signer(request).csrf_ok(session, form.get("csrf")):
        return _password_page(request, session, needs_current, 403, error=t("csrf"))
    ctx = hub_ctx(request)
    assert person.login is not None
    try:
        result = await run_in_threadpool(
            accounts.change_password,
            ctx,
            person.login,
            session.epoch,
            form.get("password", ""),
            form.get("repeat", ""),
            session.sid,
            form.get("current", "") if needs_current else None,
        )
    except Invalid as exc:
        return _password_page(
            request,
            session,
            needs_current,
            422,
            error=t("invalid"),
            violations=_violations(t, exc.errors),
            bad={e.pointer.strip("/") for e in exc.errors},
        )
    if result.outcome != "ok" or result.principal is None:
        return _to_login(request)
    cookie, _ = _signer(request).new_cookie("person", person.login, result.epoch, sid=session.sid)
    response = _redirect(home_for(result.principal))
    _set_session(request, response, cookie, SESSION_SECONDS)
    return response


async def logout(request: Request) -> Response:
    signed = await _signed_in(request)
    form = await _form(request)
    if signed is not None:
        session, principal = signed
        if not _signer(request).csrf_ok(session, form.get("csrf")):
            t = Texts(_lang(request))
            return render(request, "home.html", 403, session=session, error=t("csrf"))
        _signer(request).sign_out(session)
        ctx = hub_ctx(request)
        await run_in_threadpool(
            ctx.db.run,
            lambda s: accounts.record_web_session(ctx, s, principal, "web.signed_out", session.sid),
        )
    response = _redirect("/web/login?out=1")
    response.delete_cookie(SESSION_COOKIE, path=COOKIE_PATH)
    return response


# ---------------------------------------------------------------------- workbench


def _deadline_rows(deadlines: list[Deadline], now: datetime) -> list[dict[str, Any]]:
    late = {(d["deadline"], d["due_at"]): d for d in overdue_view(deadlines, now)}
    rows = []
    for d in deadlines:
        hit = late.get((d.kind, jsonutil.rfc3339(d.due_at)))
        rows.append(
            {
                "kind": d.kind,
                "due_at": d.due_at,
                "provisional": d.provisional,
                "overdue": hit is not None,
                "hours": hit["overdue_working_hours"] if hit else 0,
            }
        )
    return rows


async def case_list(request: Request) -> Response:
    signed = await _signed_in(request)
    if signed is None:
        return _to_login(request)
    session, principal = signed
    t = Texts(_lang(request))
    status = request.query_params.get("status") or ""
    if status not in {s.value for s in Status}:
        status = ""
    page_raw = request.query_params.get("page", "0")
    page = int(page_raw) if page_raw.isdigit() and len(page_raw) < 6 else 0
    ctx = hub_ctx(request)
    now = ctx.clock.now()

    def work(s: Session) -> dict[str, Any]:
        stmt = select(Application).where(Application.institution_id == principal.party)
        if status:
            stmt = stmt.where(Application.status == status)
        stmt = stmt.order_by(col(Application.updated_at).desc(), col(Application.no).desc())
        rows = list(s.exec(stmt.offset(page * PAGE_SIZE).limit(PAGE_SIZE + 1)).all())
        more = len(rows) > PAGE_SIZE
        rows = rows[:PAGE_SIZE]
        by_case: dict[str, list[Deadline]] = {}
        if rows:
            for d in s.exec(
                select(Deadline)
                .where(
                    col(Deadline.application_no).in_([r.no for r in rows]),
                    col(Deadline.met_at).is_(None),
                )
                .order_by(col(Deadline.due_at))
            ).all():
                by_case.setdefault(d.application_no, []).append(d)
        inst = s.get(Institution, principal.party)
        return {
            "institution_name": inst.name if inst else principal.party,
            "more": more,
            "items": [
                {
                    "application_no": r.no,
                    "status": r.status,
                    "category": r.category,
                    "received_at": r.received_at,
                    "deadlines": _deadline_rows(by_case.get(r.no, []), now),
                }
                for r in rows
            ],
        }

    found = await _read(request, work)

    def page_url(n: int) -> str:
        params = {"page": str(n), **({"status": status} if status else {})}
        return "/web/cases?" + urlencode(params)

    flash = None
    done = request.query_params.get("done")
    if done in {e.value for e in EventType}:
        flash = t("done", what=t.action(done))
    return render(
        request,
        "cases.html",
        session=session,
        flash=flash,
        status_filter=status,
        statuses=[s.value for s in Status],
        prev_url=page_url(page - 1) if page > 0 else None,
        next_url=page_url(page + 1) if found["more"] else None,
        institution_name=found["institution_name"],
        items=found["items"],
    )


def _allowed_actions(app: Application) -> tuple[list[str], list[str]]:
    current = Status(app.status)
    events = []
    for event in EventType:
        try:
            next_status_for_event(current, event, {"outcome": "success"})
        except (InvalidTransition, NotAllowed):
            continue
        events.append(event.value)
    kinds = []
    for kind in ReferralKind:
        try:
            status_for_referral_request(current, kind, app.arbitration_agreement)
        except (InvalidTransition, NotAllowed):
            continue
        kinds.append(kind.value)
    return events, kinds


async def _case_page(
    request: Request,
    session: WebSession,
    principal: Principal,
    no: str,
    status: int = 200,
    **context: Any,
) -> Response:
    ctx = hub_ctx(request)
    now = ctx.clock.now()

    def work(s: Session) -> dict[str, Any] | None:
        app = s.get(Application, no)
        # The API's own rule for who may see the whole record (an institution: its cases).
        if app is None or not may_view(ctx, s, principal, app):
            return None
        actions, kinds = _allowed_actions(app)
        return {
            "rec": records.full_record(ctx, s, app),
            "deadlines": _deadline_rows(records.open_deadlines(s, no), now),
            "actions": actions,
            "referral_kinds": kinds,
        }

    found = await _read(request, work)
    t = Texts(_lang(request))
    if found is None:
        return render(request, "home.html", 404, session=session, error=t("gone"))
    # Fresh ids per render: a double submit of one form repeats its id and is idempotent.
    event_ids = {name: str(uuid.uuid4()) for name in [*found["actions"], "referral"]}
    return render(
        request, "case.html", status, session=session, event_ids=event_ids, **found, **context
    )


def _case_no(request: Request) -> str | None:
    try:
        return canonical_no(request.path_params["no"])
    except Invalid:
        return None


async def case_detail(request: Request) -> Response:
    signed = await _signed_in(request)
    if signed is None:
        return _to_login(request)
    session, principal = signed
    t = Texts(_lang(request))
    no = _case_no(request)
    if no is None:
        return render(request, "home.html", 404, session=session, error=t("gone"))
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
    if kind == "closed":
        data["outcome"] = form.get("outcome", "")
        summary, amount = form.get("summary", "").strip(), form.get("amount", "").strip()
        if summary or amount:
            data["agreement"] = {"summary": summary, **({"amount": amount} if amount else {})}
        remedies = form.get("remedies", "").strip()
        if remedies:
            data["remedies"] = remedies
    note = form.get("note", "").strip()
    if note:
        data["note"] = note
    body: dict[str, Any] = {"event_id": form.get("event_id", ""), "type": kind}
    if data:
        body["data"] = data
    return body


def _failure(t: Texts, exc: Exception) -> tuple[int, str, list[str]]:
    """A refusal as (HTTP status, message, field lines), in the page's language."""
    if isinstance(exc, Conflict):
        if exc.current_status:
            return 409, t("conflict", status=t.status(exc.current_status)), []
        return 409, t.pick(exc.detail), []
    if isinstance(exc, NotFound):
        return 404, t("gone"), []
    if isinstance(exc, Invalid):
        return 422, t("invalid"), _violations(t, exc.errors)
    if isinstance(exc, InvalidTransition):
        return 409, t("conflict", status=t.status(str(exc.current))), []
    if isinstance(exc, ServiceError):
        return exc.status, t.pick(exc.detail), []
    return 422, t("invalid"), [str(exc)]


async def _guarded(
    request: Request,
) -> tuple[WebSession, Principal, str, dict[str, str]] | Response:
    """Signed in, a well-formed number, and the form's CSRF token matches the session."""
    signed = await _signed_in(request)
    if signed is None:
        return _to_login(request)
    session, principal = signed
    t = Texts(_lang(request))
    no = _case_no(request)
    if no is None:
        return render(request, "home.html", 404, session=session, error=t("gone"))
    form = await _form(request)
    if not _signer(request).csrf_ok(session, form.get("csrf")):
        return await _case_page(request, session, principal, no, 403, error=t("csrf"))
    return session, principal, no, form


async def post_event(request: Request) -> Response:
    guarded = await _guarded(request)
    if isinstance(guarded, Response):
        return guarded
    session, principal, no, form = guarded
    t = Texts(_lang(request))
    body = _event_body(form)
    errors = schemas.validate("institution_event", body)
    if errors:
        return await _case_page(
            request,
            session,
            principal,
            no,
            422,
            error=t("invalid"),
            violations=_violations(t, errors),
            form=form,
        )
    ctx = hub_ctx(request)

    try:  # like the API: run again if PostgreSQL broke a deadlock (Database.run)
        await run_in_threadpool(
            ctx.db.run, lambda s: lifecycle.record_event(ctx, s, principal, no, body)
        )
    except (ServiceError, DomainError) as exc:
        status, message, lines = _failure(t, exc)
        return await _case_page(
            request, session, principal, no, status, error=message, violations=lines, form=form
        )
    if body["type"] == EventType.RETURNED:  # the case has left this institution
        return _redirect(f"/web/cases?done={EventType.RETURNED.value}")
    return _redirect(f"/web/cases/{no}?done={body['type']}")


async def post_referral(request: Request) -> Response:
    guarded = await _guarded(request)
    if isinstance(guarded, Response):
        return guarded
    session, principal, no, form = guarded
    t = Texts(_lang(request))
    body: dict[str, Any] = {"kind": form.get("kind", "")}
    for name in ("target", "note"):
        value = form.get(name, "").strip()
        if value:
            body[name] = value
    errors = schemas.validate("referral_request", body)
    try:
        nonce = str(uuid.UUID(form.get("event_id", "")))
    except ValueError:
        errors.append(schemas.FieldError("/event_id", "格式不正确 / invalid format"))
        nonce = ""
    if errors:
        return await _case_page(
            request,
            session,
            principal,
            no,
            422,
            error=t("invalid"),
            violations=_violations(t, errors),
            form=form,
        )
    ctx = hub_ctx(request)
    # Idempotent like the API's Idempotency-Key: the form's id is the key.
    key = f"web-referral:{nonce}"
    path = f"/v1/applications/{no}/referrals"
    digest = request_hash("POST", path, jsonutil.dumps(body).encode())

    try:
        await run_in_threadpool(
            run_idempotent,
            ctx,
            principal,
            key,
            digest,
            lambda s: referrals.request(ctx, s, principal, no, body),
        )
    except (ServiceError, DomainError) as exc:
        status, message, lines = _failure(t, exc)
        return await _case_page(
            request, session, principal, no, status, error=message, violations=lines, form=form
        )
    return _redirect(f"/web/cases/{no}?done=referral")


async def web_root(request: Request) -> Response:
    return _redirect("/web/")


routes = [
    Route("/web", web_root, methods=["GET"]),
    Route("/web/", home, methods=["GET"]),
    Route("/web/status", status_form, methods=["GET"]),
    Route("/web/status", status_lookup, methods=["POST"]),
    Route("/web/help", help_page, methods=["GET"]),
    Route("/web/login", login_form, methods=["GET"]),
    Route("/web/login", login, methods=["POST"]),
    Route("/web/logout", logout, methods=["POST"]),
    Route("/web/password", password_form, methods=["GET"]),
    Route("/web/password", change_password, methods=["POST"]),
    Route("/web/cases", case_list, methods=["GET"]),
    Route("/web/cases/{no}", case_detail, methods=["GET"]),
    Route("/web/cases/{no}/events", post_event, methods=["POST"]),
    Route("/web/cases/{no}/referrals", post_referral, methods=["POST"]),
]

__all__ = ["routes"]
