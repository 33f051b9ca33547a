"""Credentials (issue 12, item 7): revoke, expire, last use; sign-out holds on every process."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import select
from starlette.testclient import TestClient

from hub import cli
from hub.api.app import create_app
from hub.api.token_cache import TokenCache
from hub.clock import FakeClock
from hub.services import tokens
from hub.services.errors import Invalid
from hub.services.tokens import list_tokens, token_hash
from hub.store.models import ApiToken
from tests.integration.conftest import Tokens, hub_on
from tests.support.api import Api, issue_token
from tests.support.web import browser, hidden_fields, sign_in


class Ticks:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def _id_of(api: Api, token: str) -> str:
    with api.ctx.db.read() as s:
        return s.exec(select(ApiToken.id).where(ApiToken.token_hash == token_hash(token))).one()


def test_a_revocation_reaches_every_process_within_30_seconds(api: Api) -> None:
    token = issue_token(api.ctx, "institution", "pm-a")
    ticks = Ticks()
    processes = [TokenCache(api.ctx, monotonic=ticks, flush_every=0) for _ in range(2)]
    assert all(p.authenticate(token) is not None for p in processes)  # both have it cached

    api.ctx.db.run(lambda s: tokens.revoke(api.ctx, s, _id_of(api, token), "leaked in a ticket"))
    ticks.t += 30.0
    assert all(p.authenticate(token) is None for p in processes)


def test_revoke_over_http_and_the_cli(
    api: Api,
    hub_db: tuple[str, Tokens],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    token = issue_token(api.ctx, "institution", "pm-b", "system of pm-b")
    headers = {"Authorization": f"Bearer {token}"}
    assert api.client.get("/v1/feed", headers=headers).status_code == 200
    token_id = _id_of(api, token)

    monkeypatch.setenv("HUB_DATABASE_URL", hub_db[0])
    assert cli.main(["token", "list"]) == 0
    listed = capsys.readouterr().out
    assert token_id in listed and "system of pm-b" in listed
    assert token not in listed and token_hash(token) not in listed

    assert cli.main(["token", "revoke", token_id[:8], "--reason", "leaked"]) == 0
    assert token_id in capsys.readouterr().out
    assert cli.main(["token", "revoke", "no-such-token"]) == 2
    assert cli.main(["token", "list"]) == 0
    assert token_id not in capsys.readouterr().out  # revoked ones only with --all
    assert cli.main(["token", "list", "--all"]) == 0
    row = next(line for line in capsys.readouterr().out.splitlines() if token_id in line)
    assert "revoked" in row

    fresh = hub_on(hub_db[0], Path(api.ctx.settings.data_dir))  # a process started now
    try:
        with TestClient(create_app(fresh)) as other:
            r = other.get("/v1/feed", headers=headers)
            assert r.status_code == 401 and r.headers["content-type"].startswith(
                "application/problem+json"
            )
    finally:
        fresh.db.dispose()
    with api.ctx.db.engine.connect() as conn:
        actions = conn.execute(
            text("SELECT action FROM audit_entry WHERE chain = 'tokens' ORDER BY id")
        ).scalars()
        assert list(actions)[-1] == "token.revoked"


def test_an_expiring_token_stops_at_its_expiry(api: Api) -> None:
    clock = api.ctx.clock
    assert isinstance(clock, FakeClock)
    token = issue_token(api.ctx, "portal", "kiosk", expires_days=1)
    cache = TokenCache(api.ctx, flush_every=0)
    assert cache.authenticate(token) is not None
    clock.advance(timedelta(days=1, seconds=1))
    assert cache.authenticate(token) is None  # refused from the cache too
    assert TokenCache(api.ctx, flush_every=0).authenticate(token) is None
    (view,) = [v for v in list_tokens(api.ctx, everything=True) if v.party == "kiosk"]
    assert view.state(clock.now()) == "expired"
    for days in (0, -3, tokens.MAX_EXPIRES_DAYS + 1):
        with pytest.raises(Invalid):
            issue_token(api.ctx, "portal", "kiosk", expires_days=days)


def test_the_last_use_is_recorded_to_the_minute(api: Api) -> None:
    clock = api.ctx.clock
    assert isinstance(clock, FakeClock)
    token = issue_token(api.ctx, "institution", "cm-x", "fresh")
    cache = TokenCache(api.ctx, flush_every=0)
    (before,) = [v for v in list_tokens(api.ctx) if v.label == "fresh"]
    assert before.last_used_at is None
    assert cache.authenticate(token) is not None
    assert cache.flush_usage() == 1
    (used,) = [v for v in list_tokens(api.ctx) if v.id == before.id]
    assert used.last_used_at == clock.now()
    clock.advance(timedelta(seconds=20))
    cache.authenticate(token)
    assert cache.flush_usage() == 0  # less than a minute later: no write
    clock.advance(timedelta(minutes=2))
    cache.authenticate(token)
    assert cache.flush_usage() == 1


def test_a_sign_out_holds_on_every_process_and_after_a_restart(
    api: Api, hub_db: tuple[str, Tokens]
) -> None:
    c = sign_in(api, "pm-a")
    kept = c.cookies.get("om_web")
    csrf = hidden_fields(c.get("/web/cases").text)["csrf"]

    other_ctx = hub_on(hub_db[0], Path(api.ctx.settings.data_dir))  # another process
    try:
        with TestClient(create_app(other_ctx), follow_redirects=False) as other:
            other.cookies.set("om_web", kept or "", path="/web")
            assert other.get("/web/cases").status_code == 200  # signed in everywhere

            assert c.post("/web/logout", data={"csrf": csrf}).status_code == 303
            assert other.get("/web/cases").status_code == 303  # and signed out everywhere
    finally:
        other_ctx.db.dispose()
    restarted = hub_on(hub_db[0], Path(api.ctx.settings.data_dir))
    try:
        with TestClient(create_app(restarted), follow_redirects=False) as again:
            again.cookies.set("om_web", kept or "", path="/web")
            assert again.get("/web/cases").headers["location"].startswith("/web/login")
    finally:
        restarted.db.dispose()
    with api.ctx.db.engine.connect() as conn:
        ended = conn.execute(text("SELECT ended_at, end_reason FROM web_session")).all()
    assert len(ended) == 1 and ended[0][0] is not None and ended[0][1] == "signed out"


def test_revoking_a_token_ends_its_web_sessions(api: Api) -> None:
    c = sign_in(api, "pm-b")
    assert c.get("/web/cases").status_code == 200
    gone = _id_of(api, api.token("institution", "pm-b"))
    api.ctx.db.run(lambda s: tokens.revoke(api.ctx, s, gone))
    assert c.get("/web/cases").status_code == 303
    with api.ctx.db.engine.connect() as conn:
        reasons = conn.execute(text("SELECT end_reason FROM web_session")).scalars().all()
    assert reasons == ["token revoked"]
    assert browser(api).get("/web/cases").status_code == 303
