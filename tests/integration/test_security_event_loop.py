"""The event loop is never blocked by database work (issue 12, item 1): while requests wait
on a slow database, `/healthz` answers at once."""

from __future__ import annotations

import secrets
import threading
import time

import httpx
import psycopg
import pytest

from tests.support.api import Api


def test_healthz_answers_while_token_lookups_wait_on_the_database(api: Api) -> None:
    url = str(api.ctx.db.engine.url.render_as_string(hide_password=False))
    if not url.startswith("postgresql"):
        pytest.skip("a table lock that holds readers back needs PostgreSQL")
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    answers: list[int] = []

    def unknown_token_request() -> None:  # an unseen token: its lookup reads api_token
        r = api.client.get(
            "/v1/applications?limit=1",
            headers={"Authorization": f"Bearer {secrets.token_urlsafe(24)}"},
        )
        answers.append(r.status_code)

    with psycopg.connect(dsn) as lock:
        lock.execute("LOCK TABLE api_token IN ACCESS EXCLUSIVE MODE")  # until rollback
        slow = [threading.Thread(target=unknown_token_request) for _ in range(3)]
        for t in slow:
            t.start()
        time.sleep(0.5)  # the three are waiting on the lock now
        health: list[httpx.Response] = []
        probe = threading.Thread(target=lambda: health.append(api.client.get("/healthz")))
        started = time.monotonic()
        probe.start()
        probe.join(timeout=5)
        took = time.monotonic() - started
        assert all(t.is_alive() for t in slow)  # still waiting on the database
        assert health and health[0].status_code == 200, "the event loop was blocked"
        assert took < 2.0
        lock.rollback()
    for t in slow:
        t.join(timeout=30)
    assert answers == [401, 401, 401]
