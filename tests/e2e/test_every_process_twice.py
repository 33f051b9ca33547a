"""Issue 14 item 5: two of every process on one PostgreSQL, each kind SIGKILLed once under load.

2 `hub serve`, 2 `hub relay`, 2 `hub connector all` and 2 `hub scheduler` processes; a
portal posts applications to both APIs (each with its own Idempotency-Key, sent again to
the other API when an answer is lost); mid-stream the open deadlines of the cases so far
are moved into the past so the schedulers mark them overdue and escalate them. One process
of each kind is killed with SIGKILL while that goes on, and started again. Then: every
application is stored once (no accepted one lost, no repeat from a resent request), the
day's numbers run 1..N with no gap, every case reached its institution's webhook once in
effect, and each deadline was marked overdue and escalated once, its messages and audit
entries written once. Uses the machine's RabbitMQ under a prefix of its own (queue
arguments: no policy is written there).
"""

from __future__ import annotations

import threading
import time
import uuid
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from connectors.receiver import Receiver, ReceiverServer
from tests.support.api import SMALL_REGISTRY, application_body, issue_token
from tests.support.broker import (
    SECRET,
    allow_local_webhooks,
    delivery_settings,
    env_for,
    set_delivery,
    teardown,
    wait_for,
)
from tests.support.hub_processes import Processes
from tests.support.hubctx import make_hub
from tests.support.rabbit_nodes import free_port

pytestmark = [pytest.mark.rabbitmq, pytest.mark.postgres, pytest.mark.slow]

N = 600
RATE = 20.0
PARTIES = ("pm-a", "pm-b", "cm-x")


@pytest.fixture(autouse=True)
def _local_receivers(monkeypatch: pytest.MonkeyPatch) -> None:
    allow_local_webhooks(monkeypatch)


class Portal:
    """Posts N applications at a steady rate, alternating between the APIs; a request whose
    answer is lost goes again, with the same Idempotency-Key, to the other API."""

    def __init__(self, bases: list[str], token: str) -> None:
        self.bases = bases
        self.headers = {"Authorization": f"Bearer {token}"}
        self.accepted: list[str] = []
        self.resent = 0
        self.done = threading.Event()
        self.failure: str | None = None

    def run(self) -> None:
        started = time.monotonic()
        with httpx.Client(timeout=10) as client:
            for i in range(N):
                key = uuid.uuid4().hex
                for attempt in range(200):
                    base = self.bases[(i + attempt) % len(self.bases)]
                    try:
                        answer = client.post(
                            f"{base}/v1/applications",
                            json=application_body(),
                            headers={**self.headers, "Idempotency-Key": key},
                        )
                    except httpx.TransportError:
                        self.resent += 1
                        time.sleep(0.05)
                        continue
                    if answer.status_code >= 500:
                        self.resent += 1
                        time.sleep(0.05)
                        continue
                    if answer.status_code != 201:
                        self.failure = f"{answer.status_code} {answer.text[:300]}"
                        self.done.set()
                        return
                    self.accepted.append(answer.json()["application_no"])
                    break
                ahead = (i + 1) / RATE - (time.monotonic() - started)
                if ahead > 0:
                    time.sleep(ahead)
        self.done.set()


def _healthy(base: str) -> bool:
    try:
        return httpx.get(f"{base}/healthz", timeout=1).status_code == 200
    except httpx.TransportError:
        time.sleep(0.1)
        return False


def test_two_of_everything_each_killed_once_lose_nothing_and_act_once(
    pg_url: str, tmp_path: Path, amqp_url: str
) -> None:
    ctx = make_hub(pg_url, tmp_path, registry=SMALL_REGISTRY)
    token = issue_token(ctx, "portal", "portal")
    receiver = Receiver(SECRET)
    settings = delivery_settings(amqp_url)
    logs = tmp_path / "logs"
    logs.mkdir()
    env = env_for(settings, pg_url) | {
        "HUB_DATA_DIR": str(tmp_path),
        "HUB_SCHEDULER": "off",  # the schedulers are processes of their own here
        "HUB_BACKGROUND_OFF": "embedded,scheduler",
        "PYTHONUNBUFFERED": "1",
    }
    procs = Processes(env, logs)
    ports = [free_port(), free_port()]
    bases = [f"http://127.0.0.1:{p}" for p in ports]

    def serve(n: int) -> None:
        procs.start(f"api-{n}", "serve", "--host", "127.0.0.1", "--port", str(ports[n - 1]))
        assert wait_for(lambda: _healthy(bases[n - 1]), 60), procs.tail()

    try:
        with ReceiverServer(receiver) as server:
            for party in PARTIES:
                set_delivery(ctx, party, "webhook", server.url(party))
            procs.start("setup", "broker", "setup")
            assert procs.running["setup"].wait(60) == 0, procs.tail()
            for n in (1, 2):
                procs.start(f"relay-{n}", "relay")
                procs.start(f"connector-{n}", "connector", "all")
                procs.start(f"scheduler-{n}", "scheduler", "--interval", "0.5")
                serve(n)

            portal = Portal(bases, token)
            feeder = threading.Thread(target=portal.run, daemon=True)
            feeder.start()

            def accepted(at_least: int) -> bool:
                return len(portal.accepted) >= at_least or portal.done.is_set()

            assert wait_for(lambda: accepted(100), 90), procs.tail()
            procs.kill("api-1")
            serve(1)
            assert wait_for(lambda: accepted(200), 90), procs.tail()
            with ctx.db.engine.begin() as conn:  # the deadlines so far fall due long ago
                moved = conn.execute(
                    text(
                        "UPDATE deadline SET due_at = now() - interval '10 days' "
                        "WHERE met_at IS NULL AND institution_id IS NOT NULL"
                    )
                ).rowcount
            assert moved > 0
            time.sleep(0.3)  # a pass is acting on them
            procs.kill("scheduler-1")
            procs.start("scheduler-1", "scheduler", "--interval", "0.5")
            assert wait_for(lambda: accepted(300), 90), procs.tail()
            procs.kill("relay-1")
            procs.start("relay-1", "relay")
            assert wait_for(lambda: accepted(400), 90), procs.tail()
            procs.kill("connector-1")
            procs.start("connector-1", "connector", "all")
            assert not portal.done.is_set(), "the faults fell after the stream had ended"

            feeder.join(240)
            assert portal.done.is_set() and portal.failure is None, portal.failure

            def dispatched() -> list[str]:
                return [
                    e["application_no"]
                    for e in list(receiver.applied.values())
                    if e["type"] == "application.dispatched"
                ]

            assert wait_for(lambda: len(set(dispatched())) >= N, 120), (
                len(set(dispatched())),
                procs.tail(),
            )

            def acted() -> tuple[int, int]:
                with ctx.db.engine.connect() as conn:
                    row = conn.execute(
                        text(
                            "SELECT count(*) FILTER (WHERE overdue_at IS NULL), "
                            "count(*) FILTER (WHERE escalated_at IS NULL) FROM deadline "
                            "WHERE due_at < now() - interval '9 days'"
                        )
                    ).one()
                return int(row[0]), int(row[1])

            assert wait_for(lambda: acted() == (0, 0), 60), acted()
        # no accepted application lost, none stored twice, numbers gap-free
        assert len(portal.accepted) == N and len(set(portal.accepted)) == N
        with ctx.db.engine.connect() as conn:
            stored = [r[0] for r in conn.execute(text("SELECT no FROM application"))]
            counts = conn.execute(
                text(
                    "SELECT "
                    "(SELECT count(*) FROM deadline WHERE overdue_at IS NOT NULL), "
                    "(SELECT count(*) FROM deadline WHERE escalated_at IS NOT NULL), "
                    "(SELECT count(*) FROM audit_entry WHERE action = 'deadline.overdue'), "
                    "(SELECT count(*) FROM audit_entry WHERE action = 'deadline.escalated'), "
                    "(SELECT count(*) FROM outbox WHERE type = 'deadline.overdue'), "
                    "(SELECT count(*) FROM outbox WHERE type = 'deadline.escalated')"
                )
            ).one()
            twice = conn.execute(
                text(
                    "SELECT application_no, destination, count(*) FROM outbox "
                    "WHERE type = 'application.dispatched' GROUP BY 1, 2 HAVING count(*) > 1"
                )
            ).all()
            unsent = conn.execute(
                text(
                    "SELECT count(*) FROM outbox_pending "
                    "WHERE destination IN ('pm-a', 'pm-b', 'cm-x')"
                )
            ).scalar()
        assert sorted(stored) == sorted(portal.accepted)
        sequences = sorted(int(no.split("-")[2]) for no in stored)
        assert sequences == list(range(1, N + 1))
        overdue, escalated, audit_overdue, audit_escalated, out_overdue, out_escalated = counts
        assert overdue == moved and escalated == moved
        assert audit_overdue == overdue and audit_escalated == escalated
        assert out_overdue == 2 * overdue  # the institution and its unit, once each
        assert out_escalated == escalated
        assert twice == []
        assert unsent == 0
        # every case reached its institution once in effect (repeats dropped by message id)
        assert sorted(dispatched()) == sorted(portal.accepted)
        print(
            f"two of everything: {N} accepted ({portal.resent} requests sent again), "
            f"{moved} deadlines overdue and escalated once, {len(receiver.applied)} messages "
            f"delivered, {receiver.repeats} repeats"
        )
    finally:
        procs.stop_all()
        teardown(amqp_url, settings, list(PARTIES))
        ctx.db.dispose()
