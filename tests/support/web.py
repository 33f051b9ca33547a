"""Helpers for the web page tests: a browser-like client per user, form scraping."""

from __future__ import annotations

import re
from typing import Any

import httpx
from sqlalchemy import text
from starlette.testclient import TestClient

from tests.support.api import Api

_HIDDEN = re.compile(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)">')


def browser(api: Api) -> TestClient:
    """A client with its own cookie jar, over the same app as `api.client`."""
    return TestClient(api.client.app, follow_redirects=False)


def hidden_fields(html: str) -> dict[str, str]:
    return {k: v for k, v in _HIDDEN.findall(html)}


def form_chunk(html: str, action_suffix: str, type_: str | None = None) -> str:
    """The HTML of the first form posting to `...<action_suffix>` (and of that event type)."""
    for chunk in html.split("<form")[1:]:
        chunk = chunk.split("</form>")[0]
        if f'{action_suffix}"' not in chunk.split(">")[0]:
            continue
        if type_ is None or f'name="type" value="{type_}"' in chunk:
            return chunk
    raise AssertionError(f"no form {action_suffix} {type_} on the page")


def sign_in(api: Api, institution: str, client: TestClient | None = None) -> TestClient:
    c = client or browser(api)
    page = c.get("/web/login")
    assert page.status_code == 200, page.text
    csrf = hidden_fields(page.text)["csrf"]
    r = c.post("/web/login", data={"csrf": csrf, "token": api.token("institution", institution)})
    assert r.status_code == 303, r.text
    assert r.headers["location"] == "/web/cases"
    return c


def event_form(c: TestClient, no: str, type_: str) -> dict[str, str]:
    """The fields of the case page's form for one institution event, as rendered now."""
    page = c.get(f"/web/cases/{no}")
    assert page.status_code == 200, page.text
    return hidden_fields(form_chunk(page.text, "/events", type_))


def post_event(c: TestClient, no: str, fields: dict[str, str], **extra: Any) -> httpx.Response:
    return c.post(f"/web/cases/{no}/events", data={**fields, **extra})


def add_person(api: Api, login: str, role: str, party: str | None, name: str = "张三") -> str:
    """A person's account as `hub user add` makes it; answers the one-time password."""
    from hub.services import accounts

    with api.ctx.db.transaction() as s:
        return accounts.add_user(api.ctx, s, login=login, name=name, role=role, party=party)


def post_login(c: TestClient, login: str, password: str) -> httpx.Response:
    csrf = hidden_fields(c.get("/web/login").text)["csrf"]
    return c.post("/web/login", data={"csrf": csrf, "login": login, "password": password})


def person(
    api: Api, login: str, role: str, party: str | None, password: str = "晨光熹微-办案不拖-2026"
) -> TestClient:
    """A browser signed in as a new person who has set their own password."""
    otp = add_person(api, login, role, party)
    c = browser(api)
    r = post_login(c, login, otp)
    assert r.status_code == 303 and r.headers["location"] == "/web/password", r.text
    csrf = hidden_fields(c.get("/web/password").text)["csrf"]
    r = c.post("/web/password", data={"csrf": csrf, "password": password, "repeat": password})
    assert r.status_code == 303, r.text
    return c


def post_confirmed(c: TestClient, no: str, fields: dict[str, str], **extra: Any) -> httpx.Response:
    """Post an event that asks for a confirmation first (reject, return, close), check that
    the first answer is the confirmation page and changes nothing, then confirm it."""
    first = post_event(c, no, fields, **extra)
    if first.status_code != 200 or 'name="confirmed" value="yes"' not in first.text:
        return first  # refused before the confirmation (bad input, CSRF...)
    confirm = hidden_fields(form_chunk(first.text, "/events"))
    assert confirm["confirmed"] == "yes"
    return c.post(f"/web/cases/{no}/events", data=confirm)


def post_form(html: str, action: str, n: int = 0) -> dict[str, str]:
    """The hidden fields of the n-th form that posts to `action` exactly."""
    chunks = [
        c.split("</form>")[0]
        for c in html.split("<form")[1:]
        if f'method="post" action="{action}"' in c.split(">")[0]
    ]
    return hidden_fields(chunks[n])


def audit_logins(api: Api, action: str) -> list[str | None]:
    """The persons' logins on the audit entries of `action`, in the order written."""
    with api.ctx.db.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT actor_login FROM audit_entry WHERE action = :a ORDER BY id"),
            {"a": action},
        ).all()
    return [r[0] for r in rows]
