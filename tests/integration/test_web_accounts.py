"""Personal accounts (INTERFACE 13) on SQLite and PostgreSQL: one-time password, own password
at the first sign-in, lockout after 5 wrong tries for 15 minutes (the same for a login that
does not exist), disabling ends sessions at once, actions audited with the person's login,
four-eyes comparing persons."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import text

from hub.clock import FakeClock
from hub.ops import governance
from hub.services import accounts
from hub.services.errors import Conflict, Forbidden, Invalid
from hub.services.principal import Principal, Role
from hub.store.models_accounts import WebUser
from tests.support.api import Api
from tests.support.web import (
    add_person,
    browser,
    event_form,
    hidden_fields,
    person,
    post_event,
    post_login,
)

OWN = "晨光熹微-办案不拖-2026"
_CSRF = re.compile(r'name="csrf" value="[^"]*"')


def same_page(a: str, b: str) -> bool:
    """Two renders of a page, each with its own fresh CSRF token."""
    return _CSRF.sub("", a) == _CSRF.sub("", b)


def clock(api: Api) -> FakeClock:
    assert isinstance(api.ctx.clock, FakeClock)
    return api.ctx.clock


def test_first_sign_in_sets_an_own_password(api: Api) -> None:
    otp = add_person(api, "Zhang.San", "unit", "sfj")
    assert len(otp) >= 10
    with api.ctx.db.read() as s:
        user = s.get(WebUser, "zhang.san")  # logins are case-insensitive
        assert user is not None
        stored = user.password_hash
    assert stored.startswith("$argon2id$") and otp not in stored

    c = browser(api)
    r = post_login(c, "zhang.san", otp)
    assert r.status_code == 303 and r.headers["location"] == "/web/password"
    # between the one-time password and an own one, nothing else opens
    elsewhere = c.get("/web/cases")
    assert elsewhere.status_code == 303 and elsewhere.headers["location"] == "/web/password"
    page = c.get("/web/password")
    assert page.status_code == 200 and '<label for="password">' in page.text
    csrf = hidden_fields(page.text)["csrf"]

    r = c.post("/web/password", data={"csrf": csrf, "password": "short", "repeat": "short"})
    assert r.status_code == 422
    assert "密码（Password）：至少 10 个字符 / at least 10 characters" in r.text
    assert 'id="password"' in r.text and 'aria-invalid="true"' in r.text
    r = c.post("/web/password", data={"csrf": csrf, "password": OWN, "repeat": OWN + "x"})
    assert r.status_code == 422 and "再次输入新密码（New password again）" in r.text
    r = c.post("/web/password", data={"csrf": "0" * 64, "password": OWN, "repeat": OWN})
    assert r.status_code == 403
    with api.ctx.db.read() as s:
        user = s.get(WebUser, "zhang.san")
        assert user is not None and user.must_change and user.password_hash == stored

    r = c.post("/web/password", data={"csrf": csrf, "password": OWN, "repeat": OWN})
    assert r.status_code == 303
    home = c.get(r.headers["location"])
    assert home.status_code == 200 and "当前登录：张三" in home.text

    # the one-time password is spent; the own one works
    assert post_login(browser(api), "zhang.san", otp).status_code == 401
    again = post_login(browser(api), "ZHANG.SAN ", OWN)
    assert again.status_code == 303 and again.headers["location"] != "/web/password"


def test_five_wrong_passwords_lock_the_login_for_fifteen_minutes(api: Api) -> None:
    person(api, "li.si", "unit", "sfj", OWN)

    def attempt(password: str) -> httpx.Response:
        return post_login(browser(api), "li.si", password)

    for n in range(1, 6):
        r = attempt(f"wrong-guess-{n}")
        assert r.status_code == 401, n
        assert 'value="li.si"' in r.text  # what was typed is kept
    assert "已锁定 15 分钟" in r.text  # the fifth says so
    r = attempt(OWN)  # the right password is refused while locked
    assert r.status_code == 429
    assert int(r.headers["retry-after"]) == 15 * 60
    assert "已被锁定" in r.text and "15 分钟后再试" in r.text

    clock(api).advance(timedelta(minutes=14, seconds=59))
    assert attempt(OWN).status_code == 429
    clock(api).advance(timedelta(seconds=2))
    assert attempt(OWN).status_code == 303

    # a success resets the count: four wrong, one right, four wrong is not a lock
    for _ in range(4):
        assert attempt("nope-nope-nope").status_code == 401
    assert attempt(OWN).status_code == 303
    for _ in range(4):
        assert attempt("nope-nope-nope").status_code == 401
    assert attempt(OWN).status_code == 303


def test_an_unknown_login_is_locked_alike(api: Api) -> None:
    person(api, "wang.wu", "unit", "sfj", OWN)
    known, unknown = browser(api), browser(api)
    answers = []
    for _ in range(6):
        a = post_login(known, "wang.wu", "not-the-password")
        b = post_login(unknown, "nobody.here", "not-the-password")
        answers.append((a.status_code, b.status_code))
        assert same_page(a.text.replace("wang.wu", "L"), b.text.replace("nobody.here", "L"))
    assert answers == [(401, 401)] * 5 + [(429, 429)]
    assert a.headers["retry-after"] == b.headers["retry-after"]


def test_disabling_ends_every_session_at_once(api: Api) -> None:
    first = person(api, "zhao.liu", "institution", "pm-a", OWN)
    second = browser(api)
    assert post_login(second, "zhao.liu", OWN).status_code == 303  # on another device
    for c in (first, second):
        assert c.get("/web/cases").status_code == 200
    with api.ctx.db.transaction() as s:
        accounts.disable_user(api.ctx, s, "zhao.liu", actor="ops")
    for c in (first, second):
        r = c.get("/web/cases")
        assert r.status_code == 303 and r.headers["location"].startswith("/web/login")
    r = post_login(browser(api), "zhao.liu", OWN)
    assert r.status_code == 403 and "该账号已停用" in r.text
    with pytest.raises(Conflict), api.ctx.db.transaction() as s:
        accounts.disable_user(api.ctx, s, "zhao.liu")
    # a new password from the operator does not bring a disabled account back
    with pytest.raises(Conflict), api.ctx.db.transaction() as s:
        accounts.reset_password(api.ctx, s, "zhao.liu")


def test_a_password_change_ends_the_other_sessions(api: Api) -> None:
    here = person(api, "qian.qi", "unit", "xbw", OWN)
    there = browser(api)
    assert post_login(there, "qian.qi", OWN).status_code == 303  # on another device
    csrf = hidden_fields(here.get("/web/password").text)["csrf"]
    newer = OWN + "-新"
    r = here.post(
        "/web/password",
        data={"csrf": csrf, "current": "wrong one!!", "password": newer, "repeat": newer},
    )
    assert r.status_code == 422 and "当前密码（Current password）" in r.text
    r = here.post(
        "/web/password", data={"csrf": csrf, "current": OWN, "password": newer, "repeat": newer}
    )
    assert r.status_code == 303
    assert here.get("/web/").status_code == 200 and "当前登录" in here.get("/web/").text
    assert "当前登录" not in there.get("/web/").text  # the other session has ended


def test_actions_are_audited_with_the_persons_login(api: Api) -> None:
    c = person(api, "sun.ba", "institution", "pm-a", OWN)
    no = api.submitted(preferred_institution="pm-a")["application_no"]
    assert post_event(c, no, event_form(c, no, "accepted")).status_code == 303
    with api.ctx.db.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT chain, action, actor_party, actor_login FROM audit_entry "
                "WHERE actor_login IS NOT NULL ORDER BY id"
            )
        ).all()
    trail = [tuple(r) for r in rows]
    assert ("web", "web.signed_in", "pm-a", "sun.ba") in trail
    assert (no, "event.accepted", "pm-a", "sun.ba") in trail
    # the chains still verify with the person in them
    from hub.store.audit import verify

    with api.ctx.db.read() as s:
        assert verify(s)[1] == []


def test_add_user_refuses_bad_input_and_writes_nothing(api: Api) -> None:
    cases = [
        ({"login": "a", "role": "unit", "party": "sfj"}, "/login"),
        ({"login": "ok.login", "role": "portal", "party": "portal"}, "/role"),
        ({"login": "ok.login", "role": "unit", "party": None}, "/party"),
        ({"login": "ok.login", "role": "unit", "party": "nope"}, "/party"),
        ({"login": "ok.login", "role": "institution", "party": "nope"}, "/party"),
    ]
    for fields, pointer in cases:
        with pytest.raises(Invalid) as caught, api.ctx.db.transaction() as s:
            accounts.add_user(api.ctx, s, name="某某", **fields)  # type: ignore[arg-type]
        assert [e.pointer for e in caught.value.errors] == [pointer]
    add_person(api, "ok.login", "admin", None)
    with pytest.raises(Conflict), api.ctx.db.transaction() as s:
        accounts.add_user(api.ctx, s, login="OK.login", name="某某", role="admin", party=None)
    with api.ctx.db.read() as s:
        assert [u["login"] for u in accounts.list_users(s)] == ["ok.login"]


def test_four_eyes_compares_persons(api: Api) -> None:
    ctx = api.ctx
    clerk = Principal(Role.UNIT, "sfj", "", "clerk.one")
    body = {"action": "hide", "institution": "pm-b", "reason": "暂停对外展示"}
    with ctx.db.transaction() as s:
        change = governance.request_change(ctx, s, clerk, body)
    same_person = Principal(Role.ADMIN, "sfj", "", "clerk.one")
    colleague = Principal(Role.ADMIN, "sfj", "", "admin.two")
    with pytest.raises(Forbidden), ctx.db.transaction() as s:
        governance.decide(ctx, s, same_person, change["id"], True, None)
    with ctx.db.transaction() as s:  # another admin of the same party may
        decided = governance.decide(ctx, s, colleague, change["id"], True, "同意")
    assert decided["status"] == "approved"
    with ctx.db.engine.connect() as conn:
        row = conn.execute(
            text("SELECT requested_by_login, decided_by_login FROM registry_change")
        ).one()
    assert tuple(row) == ("clerk.one", "admin.two")
