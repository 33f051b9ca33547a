"""Signing in and out (INTERFACE 13): a person with a login and password (and, the first
time, a one-time password followed by their own), or an institution with its API token.
The rules (lockout, one-time passwords, sessions ending) are `hub.services.accounts`'."""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hub.api.support import client_address
from hub.api.token_cache import TokenCache
from hub.services import accounts, throttle, web_sessions
from hub.services.context import HubContext
from hub.services.errors import Invalid, Throttled, Violation
from hub.services.principal import Principal, Role
from hub.store.unit_of_work import UnitOfWork
from hub.web import pages
from hub.web.session import (
    COOKIE_PATH,
    LOGIN_COOKIE,
    LOGIN_SECONDS,
    PENDING_SECONDS,
    SESSION_COOKIE,
    SESSION_SECONDS,
    WebSession,
    new_sid,
)


def _login_page(request: Request, status: int = 200, **context: Any) -> Response:
    nonce = uuid.uuid4().hex
    response = pages.render(
        request,
        "login.html",
        status,
        login_csrf=pages.signer(request).login_token(nonce),
        **context,
    )
    response.set_cookie(
        LOGIN_COOKIE,
        nonce,
        max_age=LOGIN_SECONDS,
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=pages.secure(request),
    )
    return response


async def login_form(request: Request) -> Response:
    t = pages.texts(request)
    signed = await pages.signed_in(request)
    if signed is not None:
        return pages.redirect(pages.home_for(signed[1]))
    flash = None
    if request.query_params.get("out"):
        flash = t("signed_out")
    elif request.query_params.get("expired"):
        flash = t("session_expired")
    return _login_page(request, flash=flash, form={"login": ""})


async def _token_sign_in(
    request: Request, token: str, reservation: throttle.Reservation
) -> Response:
    t = pages.texts(request)
    cache: TokenCache = request.app.state.tokens
    principal = await run_in_threadpool(cache.authenticate, token)
    if principal is None:
        return _login_page(request, 401, error=t("bad_token"), form={"login": ""})
    if principal.role is not Role.INSTITUTION:  # a right token all the same: no wrong guess
        await pages.write(request, lambda s: throttle.settle(s, reservation, right=True))
        return _login_page(request, 403, error=t("not_institution"), form={"login": ""})
    cookie, session = pages.signer(request).new_cookie("token", principal.token_id)
    ctx = pages.ctx_of(request)

    def signed_in(s: UnitOfWork) -> None:  # the guess given back, the session and its entry
        throttle.settle(s, reservation, right=True)
        _opened(ctx, s, session)
        accounts.record_web_session(ctx, s, principal, "web.signed_in", session.sid)

    await pages.write(request, signed_in)
    response = pages.redirect(pages.home_for(principal))
    pages.set_session(request, response, cookie, SESSION_SECONDS)
    return response


def _opened(ctx: HubContext, s: UnitOfWork, session: WebSession) -> None:
    """The session recorded in the database, so that it can be ended everywhere."""
    web_sessions.opened(ctx, s, session.sid, session.kind, session.ref, session.expires)


def _throttled_login(request: Request, exc: Throttled, shown: dict[str, str]) -> Response:
    t = pages.texts(request)
    minutes = max(1, -(-exc.retry_after // 60))
    response = _login_page(request, 429, error=t("throttled", minutes=minutes), form=shown)
    response.headers["Retry-After"] = str(exc.retry_after)
    return response


def _locked_page(request: Request, seconds: int, login_name: str) -> Response:
    t = pages.texts(request)
    minutes = max(1, (seconds + 59) // 60)
    response = _login_page(
        request, 429, error=t("locked", minutes=minutes), form={"login": login_name}
    )
    response.headers["Retry-After"] = str(seconds)
    return response


async def login(request: Request) -> Response:
    t = pages.texts(request)
    form = await pages.read_form(request)
    signer = pages.signer(request)
    login_name = form.get("login", "").strip()[:64]
    shown = {"login": login_name}
    if not signer.login_ok(request.cookies.get(LOGIN_COOKIE), form.get("csrf")):
        return _login_page(request, 403, error=t("csrf"), form=shown)
    token = form.get("token", "").strip()
    password = form.get("password", "")
    ctx = pages.ctx_of(request)
    address = client_address(request)
    # At most 20 sign-ins a minute per client; a refused one is a guess (INTERFACE 13, 18).
    # Counted in a transaction of its own, committed before the credential is checked.
    try:
        reservation = await pages.write(request, lambda s: throttle.reserve_signin(ctx, s, address))
    except Throttled as exc:
        return _throttled_login(request, exc, shown)
    if token and not login_name:
        return await _token_sign_in(request, token, reservation)
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
            violations=pages.violations(t, missing, {}),
            bad={v.pointer.strip("/") for v in missing},
            form=shown,
        )
    sid = new_sid()
    # The password is checked off the loop and outside any transaction (the hash is slow),
    # then what it came to is written in one unit of work.
    attempt = await run_in_threadpool(accounts.check_sign_in, ctx, login_name, password, sid)

    def record(s: UnitOfWork) -> tuple[accounts.SignIn, str]:
        result = accounts.record_sign_in(ctx, s, attempt)
        person = result.principal
        if result.outcome not in ("ok", "change_password") or person is None:
            return result, ""
        assert person.login is not None
        throttle.settle(s, reservation, right=True)  # a right password is no wrong guess
        kind = "pending" if result.outcome == "change_password" else "person"
        cookie, opened = signer.new_cookie(kind, person.login, result.epoch, sid=sid)
        _opened(ctx, s, opened)
        return result, cookie

    result, cookie = await pages.write(request, record)
    if result.outcome == "locked":
        return _locked_page(request, result.retry_after, login_name)
    if result.outcome == "disabled":
        return _login_page(request, 403, error=t("account_disabled"), form=shown)
    if result.outcome == "wrong" or result.principal is None:
        message = t("bad_password")
        if result.now_locked:
            message += " " + t("now_locked", minutes=accounts.LOCK_MINUTES)
        return _login_page(request, 401, error=message, form=shown)
    if result.outcome == "change_password":
        response = pages.redirect("/web/password")
        pages.set_session(request, response, cookie, PENDING_SECONDS)
        return response
    response = pages.redirect(pages.home_for(result.principal))
    pages.set_session(request, response, cookie, SESSION_SECONDS)
    return response


async def _password_session(request: Request) -> tuple[WebSession, Principal, bool] | None:
    """The session that may set a password: a pending first sign-in, or a signed-in person
    (who must also give the current password: `True`)."""
    session = pages.signer(request).read_cookie(request.cookies.get(SESSION_COOKIE))
    if session is None or session.kind not in ("pending", "person"):
        return None
    if session.kind == "pending":
        found = await pages.read(
            request, lambda s: accounts.pending_person(s, session.ref, session.epoch)
        )
    else:
        found = await pages.read(
            request, lambda s: accounts.person_of_session(s, session.ref, session.epoch)
        )
    return (session, found, session.kind == "person") if found is not None else None


def _password_page(
    request: Request, session: WebSession, needs_current: bool, status: int = 200, **extra: Any
) -> Response:
    return pages.render(
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
        return pages.to_login(request)
    session, _, needs_current = found
    return _password_page(request, session, needs_current)


async def change_password(request: Request) -> Response:
    found = await _password_session(request)
    if found is None:
        return pages.to_login(request)
    session, person, needs_current = found
    t = pages.texts(request)
    form = await pages.read_form(request)
    if not pages.signer(request).csrf_ok(session, form.get("csrf")):
        return _password_page(request, session, needs_current, 403, error=t("csrf"))
    ctx = pages.ctx_of(request)
    assert person.login is not None
    login = person.login
    try:
        digest = await run_in_threadpool(
            accounts.check_new_password,
            ctx,
            login,
            form.get("password", ""),
            form.get("repeat", ""),
            form.get("current", "") if needs_current else None,
        )
    except Invalid as exc:
        return _password_page(
            request,
            session,
            needs_current,
            422,
            error=t("invalid"),
            violations=pages.violations(t, exc.errors, {}),
            bad={e.pointer.strip("/") for e in exc.errors},
        )
    signer = pages.signer(request)

    def record(s: UnitOfWork) -> tuple[accounts.SignIn, str]:  # the password and the session
        result = accounts.set_password(ctx, s, login, session.epoch, digest, session.sid)
        if result.outcome != "ok" or result.principal is None:
            return result, ""
        cookie, opened = signer.new_cookie("person", login, result.epoch, sid=session.sid)
        _opened(ctx, s, opened)
        return result, cookie

    result, cookie = await pages.write(request, record)
    if result.outcome != "ok" or result.principal is None:
        return pages.to_login(request)
    response = pages.redirect(pages.home_for(result.principal))
    pages.set_session(request, response, cookie, SESSION_SECONDS)
    return response


async def logout(request: Request) -> Response:
    signed = await pages.signed_in(request)
    form = await pages.read_form(request)
    if signed is not None:
        session, principal = signed
        if not pages.signer(request).csrf_ok(session, form.get("csrf")):
            t = pages.texts(request)
            return pages.render(request, "home.html", 403, session=session, error=t("csrf"))
        ctx = pages.ctx_of(request)

        def sign_out(s: Session) -> None:  # ended for every process, with its audit entry
            web_sessions.ended(s, session.sid, ctx.clock.now())
            accounts.record_web_session(ctx, s, principal, "web.signed_out", session.sid)

        await run_in_threadpool(ctx.db.run, sign_out)
    response = pages.redirect("/web/login?out=1")
    response.delete_cookie(SESSION_COOKIE, path=COOKIE_PATH)
    return response


routes = [
    Route("/web/login", login_form, methods=["GET"]),
    Route("/web/login", login, methods=["POST"]),
    Route("/web/logout", logout, methods=["POST"]),
    Route("/web/password", password_form, methods=["GET"]),
    Route("/web/password", change_password, methods=["POST"]),
]
