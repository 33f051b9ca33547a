"""`hub serve` as a real process, driven over real HTTP, on SQLite and on PostgreSQL.

The operator's commands run as processes too: `hub db upgrade`, `hub registry load`,
`hub token issue` (which prints the token alone on stdout).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from hub.store.db import Database
from tests.support.api import (
    APPLICANT_ID,
    APPLICANT_NAME,
    SMALL_REGISTRY,
    application_body,
    number_is_valid,
)
from tests.support.broker import wait_for

HUB = str(Path(sys.executable).parent / "hub")
TOKEN = re.compile(r"om_[A-Za-z0-9_-]{20,}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_hub(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [HUB, *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, (args, done.stdout, done.stderr)
    return done


def issue_tokens(env: dict[str, str], parties: list[tuple[str, str]]) -> dict[str, str]:
    """`hub token issue` for each party, in parallel; checks the token is alone on stdout."""
    procs = {
        party: subprocess.Popen(
            [HUB, "token", "issue", "--role", role, "--party", party],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for role, party in parties
    }
    tokens = {}
    for party, proc in procs.items():
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        assert TOKEN.fullmatch(out.rstrip("\n")), repr(out)
        assert out.count("\n") == 1
        tokens[party] = out.strip()
    assert len(set(tokens.values())) == len(tokens)
    return tokens


@contextlib.contextmanager
def serving(env: dict[str, str], log_path: Path, *args: str, timeout: float = 30) -> Iterator[str]:
    """`hub serve` as its own process group on a free port, answering /healthz; its base
    URL. Stopped with SIGTERM to the group (workers included) when the block ends."""
    port = free_port()
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [HUB, "serve", "--host", "127.0.0.1", "--port", str(port), *args],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout
            while True:
                assert server.poll() is None, log_path.read_text()
                try:
                    if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, f"hub serve not up within {timeout:.0f} s"
                time.sleep(0.1)
            yield base
        finally:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGTERM)
                try:
                    server.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(server.pid, signal.SIGKILL)
                    server.wait(timeout=5)


@dataclass
class Served:
    base: str
    tokens: dict[str, str]
    env: dict[str, str]

    def h(self, party: str, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[party]}", **extra}


@pytest.fixture
def served(database_url: str, tmp_path: Path) -> Iterator[Served]:
    env = {
        **os.environ,
        "HUB_DATABASE_URL": database_url,
        "HUB_DATA_DIR": str(tmp_path),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("HUB_AMQP_URL", None)
    run_hub(env, "db", "upgrade")
    loaded = run_hub(env, "registry", "load", str(SMALL_REGISTRY))
    assert "6 added" in loaded.stdout, loaded.stdout
    tokens = issue_tokens(
        env, [("portal", "portal"), ("institution", "pm-a"), ("court", "court-310104")]
    )
    with serving(env, tmp_path / "serve.log") as base:
        yield Served(base, tokens, env)


def _event(c: httpx.Client, hub: Served, no: str, type_: str, data: Any = None) -> str:
    body: dict[str, Any] = {"event_id": str(uuid.uuid4()), "type": type_}
    if data is not None:
        body["data"] = data
    r = c.post(f"/v1/applications/{no}/events", json=body, headers=hub.h("pm-a"))
    assert r.status_code == 201, r.text
    return str(r.json()["status"])


def test_full_lifecycle_over_http(served: Served) -> None:
    hub = served
    with httpx.Client(base_url=hub.base, timeout=10) as c:
        ready = c.get("/readyz")
        assert ready.status_code == 200, ready.text
        assert ready.json()["checks"]["database"] == "ok"
        spec = c.get("/openapi.json")
        assert spec.status_code == 200
        paths = spec.json()["paths"]
        for path in (
            "/v1/applications",
            "/v1/applications/{no}/events",
            "/v1/feed",
            "/v1/status/{no}",
            "/v1/referrals/{id}/result",
        ):
            assert path in paths, path
        assert c.post("/v1/applications", json={}).status_code == 401

        body = application_body(preferred_institution="pm-a")
        key = {"Idempotency-Key": str(uuid.uuid4())}
        r = c.post("/v1/applications", json=body, headers=hub.h("portal", **key))
        assert r.status_code == 201, r.text
        again = c.post("/v1/applications", json=body, headers=hub.h("portal", **key))
        assert again.status_code == 201 and again.content == r.content
        answer = r.json()
        no, code = answer["application_no"], answer["query_code"]
        assert number_is_valid(no)
        assert answer["status"] == "dispatched"
        assert answer["institution"]["id"] == "pm-a"
        assert set(answer["deadlines"]) >= {"acknowledge_by", "respondent_contact_by", "decide_by"}

        feed = c.get("/v1/feed", params={"wait": 2}, headers=hub.h("pm-a")).json()
        assert [m["application_no"] for m in feed["messages"]] == [no]
        assert feed["messages"][0]["data"]["applicants"][0]["name"] == APPLICANT_NAME

        assert _event(c, hub, no, "received") == "received"
        assert _event(c, hub, no, "accepted") == "accepted"
        closed = {"outcome": "success", "agreement": {"summary": "退还会员费", "amount": "3000.00"}}
        assert _event(c, hub, no, "closed", closed) == "closed_success"

        r = c.post(
            f"/v1/applications/{no}/referrals",
            json={"kind": "judicial_confirmation"},
            headers=hub.h("pm-a"),
        )
        assert r.status_code == 201, r.text
        referral_id = r.json()["referral_id"]
        pending = c.get(
            "/v1/referrals", params={"status": "pending"}, headers=hub.h("court-310104")
        ).json()["referrals"]
        assert [p["referral_id"] for p in pending] == [referral_id]
        r = c.post(
            f"/v1/referrals/{referral_id}/result",
            json={
                "outcome": "confirmed",
                "case_no": "(2026)沪0104民特123号",
                "decided_on": "2026-11-23",
            },
            headers=hub.h("court-310104"),
        )
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "confirmed"

        record = c.get(f"/v1/applications/{no}", headers=hub.h("portal")).json()
        assert record["status"] == "confirmed"
        assert record["referrals"][0]["case_no"] == "(2026)沪0104民特123号"

        public = c.get(f"/v1/status/{no}", params={"code": code})
        assert public.status_code == 200
        assert public.json()["status"] == "confirmed"
        assert APPLICANT_NAME not in public.text and APPLICANT_ID not in public.text
        wrong = c.get(f"/v1/status/{no}", params={"code": "WRONG234"})
        assert wrong.status_code == 404
        assert wrong.headers["content-type"].startswith("application/problem+json")

    done = subprocess.run(
        [HUB, "audit", "verify"],
        env=hub.env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert ", 0 breaks" in done.stdout


def test_several_workers_number_gap_free_and_the_outbox_is_still_drained(
    sqlite_url: str, tmp_path: Path
) -> None:
    """`hub serve --workers 2` on SQLite without a broker: both processes take applications,
    numbers stay gap-free, and the embedded delivery (run once, by the supervising process)
    drains the outbox."""
    env = {**os.environ, "HUB_DATABASE_URL": sqlite_url, "HUB_DATA_DIR": str(tmp_path)}
    env.pop("HUB_AMQP_URL", None)
    env.pop("HUB_BACKGROUND_OFF", None)
    run_hub(env, "db", "upgrade")
    run_hub(env, "registry", "load", str(SMALL_REGISTRY))
    token = issue_tokens(env, [("portal", "portal")])["portal"]
    with serving(env, tmp_path / "serve.log", "--workers", "2", timeout=60) as base:
        headers = {"Authorization": f"Bearer {token}"}

        def submit(_: int) -> str:
            with httpx.Client(base_url=base, headers=headers, timeout=20) as c:
                r = c.post("/v1/applications", json=application_body())
                assert r.status_code == 201, r.text
                return str(r.json()["application_no"])

        with ThreadPoolExecutor(8) as pool:
            numbers = list(pool.map(submit, range(40)))
        assert sorted(int(n.split("-")[2]) for n in numbers) == list(range(1, 41))
        db = Database(sqlite_url)
        try:

            def drained() -> bool:
                with db.read() as s:
                    return (
                        s.connection()
                        .execute(text("SELECT count(*) FROM outbox_pending"))
                        .scalar_one()
                        == 0
                    )

            assert wait_for(drained, 30), "the outbox was not drained"
        finally:
            db.dispose()
