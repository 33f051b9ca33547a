"""Helpers for broker tests: a unique topology per test, outbox rows, queue reads, clean-up."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from typing import Any

import pika

from hub.broker.topology import Topology
from hub.delivery.settings import DeliverySettings
from hub.domain import destinations
from hub.services.context import HubContext
from hub.services.registry import seal_secret
from hub.store.models import Institution, OutboxPending
from hub.store.outbox import enqueue

SECRET = "test-secret-0123456789abcdef"


def unique_prefix() -> str:
    return f"t{uuid.uuid4().hex[:10]}"


def delivery_settings(amqp_url: str | None, **overrides: Any) -> DeliverySettings:
    """Settings of a test's own prefix. Over a broker the limits are queue arguments unless
    `limits="policy"` (with a `rabbitmqctl` of a node of the test's own): the hub may not
    write policies on the machine's shared broker. The in-process broker keeps policies."""
    base = DeliverySettings(
        amqp_url=amqp_url,
        limits="arguments" if amqp_url else "policy",
        prefix=unique_prefix(),
        delivery_limit=3,
        retry_delays=(0.2, 0.5, 1.0),
        backoff_base=0.1,
        webhook_timeout=2.0,
        heartbeat=10,
        blocked_connection_timeout=10.0,
    )
    return replace(base, **overrides)


def set_delivery(
    ctx: HubContext, inst_id: str, kind: str, url: str | None = None, secret: str | None = SECRET
) -> None:
    with ctx.db.transaction() as session:
        inst = session.get(Institution, inst_id)
        assert inst is not None, inst_id
        inst.delivery = {"kind": kind, **({"url": url} if url else {})}
        inst.delivery_secret = (
            seal_secret(ctx, inst_id, secret) if (secret and kind == "webhook") else None
        )
        session.add(inst)


def qualified(destination: str) -> str:
    """A test's bare party id as the outbox names it (hub.domain.destinations)."""
    if destinations.is_qualified(destination):
        return destination
    return destinations.NOTIFY if destination == "notify" else destinations.institution(destination)


def enqueue_many(
    ctx: HubContext,
    destination: str,
    n: int,
    *,
    type: str = "test.message",
    deliver_by: datetime | None = None,
    per_tx: int = 200,
    cases: int = 0,
) -> list[str]:
    """`n` outbox rows for `destination`; with `cases`, spread round-robin over that many
    case numbers (which the relay must deliver in order, case by case)."""
    ids: list[str] = []
    now = ctx.clock.now()
    for start in range(0, n, per_tx):
        with ctx.db.transaction() as session:
            for i in range(start, min(n, start + per_tx)):
                ids.append(
                    enqueue(
                        session,
                        ctx.vault,
                        destination=qualified(destination),
                        type=type,
                        application_no=f"case-{i % cases}" if cases else None,
                        data={"i": i, "text": "测试消息"},
                        occurred_at=now,
                        deliver_by=deliver_by,
                    )
                )
    return ids


def unsent(ctx: HubContext) -> int:
    from sqlmodel import func, select

    with ctx.db.read() as session:
        return int(session.exec(select(func.count()).select_from(OutboxPending)).one())


def connection(amqp_url: str) -> pika.BlockingConnection:
    return pika.BlockingConnection(pika.URLParameters(amqp_url))


def drain(
    amqp_url: str, queue: str, *, expect: int, timeout: float = 20.0
) -> list[tuple[Any, bytes]]:
    """Consume (and ack) up to `expect` messages from a queue, waiting at most `timeout`."""
    out: list[tuple[Any, bytes]] = []
    conn = connection(amqp_url)
    try:
        ch = conn.channel()
        ch.basic_qos(prefetch_count=1000)
        deadline = time.monotonic() + timeout
        for method, props, body in ch.consume(queue, inactivity_timeout=0.5):
            if method is not None:
                out.append((props, body))
                ch.basic_ack(method.delivery_tag)
            if len(out) >= expect or time.monotonic() > deadline:
                break
        ch.cancel()
    finally:
        conn.close()
    return out


def depth(amqp_url: str, queue: str) -> int:
    conn = connection(amqp_url)
    try:
        return int(conn.channel().queue_declare(queue, passive=True).method.message_count)
    finally:
        conn.close()


@contextmanager
def topology(amqp_url: str, settings: DeliverySettings, parties: list[str]) -> Iterator[Topology]:
    """Declare a test topology and delete it afterwards, whatever happens."""
    topo = Topology(settings)
    conn = connection(amqp_url)
    try:
        topo.declare(conn.channel(), parties, frozenset())
    finally:
        conn.close()
    try:
        yield topo
    finally:
        teardown(amqp_url, settings, parties)


def teardown(amqp_url: str, settings: DeliverySettings, parties: list[str]) -> None:
    for _ in range(30):
        try:
            conn = connection(amqp_url)
            break
        except pika.exceptions.AMQPConnectionError:
            time.sleep(1)
    else:
        return
    try:
        Topology(settings).teardown(conn.channel(), parties)
    finally:
        conn.close()


def allow_local_webhooks(monkeypatch: Any) -> None:
    """The reference receiver listens on http://127.0.0.1: allow http and loopback targets
    (production refuses both, `hub.services.webhook_targets`); child processes inherit it."""
    monkeypatch.setenv("HUB_WEBHOOK_ALLOW_HTTP", "1")
    monkeypatch.setenv("HUB_WEBHOOK_ALLOW_PRIVATE", "1")


def env_for(settings: DeliverySettings, database_url: str) -> dict[str, str]:
    """Environment for a `hub relay` / `hub connector` child with these settings."""
    import os

    env = dict(os.environ)
    env.update(
        {
            "HUB_DATABASE_URL": database_url,
            "HUB_AMQP_URL": settings.amqp_url or "",
            "HUB_AMQP_PREFIX": settings.prefix,
            "HUB_DELIVERY_LIMIT": str(settings.delivery_limit),
            "HUB_RETRY_DELAYS": ",".join(str(d) for d in settings.retry_delays),
            "HUB_BACKOFF_BASE": str(settings.backoff_base),
            "HUB_WEBHOOK_TIMEOUT": str(settings.webhook_timeout),
            "HUB_AMQP_LIMITS": settings.limits,
        }
    )
    return env


def wait_for(predicate: Any, timeout: float, interval: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())


class Stack:
    """Relay and every connector of one hub, each in its own thread, for a test: over the
    real RabbitMQ when `settings.amqp_url` is set, else over the in-process broker (the
    embedded default's transport), the same code either way."""

    def __init__(
        self,
        ctx: HubContext,
        settings: DeliverySettings,
        *,
        webhooks: Any = None,
        sms: Any = None,
        mailer: Any = None,
        relay_kwargs: dict[str, Any] | None = None,
        names: list[str] | None = None,
    ):
        import threading

        from hub.broker.relay import Relay
        from hub.broker.transport import transport_for
        from hub.broker.wiring import RegistryPlan, build
        from hub.broker.worker import Worker
        from hub.delivery.directory import Directory

        self.broker = transport_for(settings)
        self.directory = Directory(ctx, settings, check_every=0.5)
        self.connectors = build(
            ctx, settings, self.directory, transport=webhooks, sms=sms, mailer=mailer
        )
        self.relay = Relay(
            ctx,
            settings,
            transport=self.broker,
            directory=self.directory,
            **(relay_kwargs or {}),
        )
        if names is None:
            names = ["all"] if settings.amqp_url else ["webhook", "portal", "notify", "deadletters"]
        self.worker = Worker(
            settings,
            RegistryPlan(ctx, settings, names, self.connectors, self.directory),
            transport=self.broker,
        )
        self.threads = [
            threading.Thread(target=self.relay.run, daemon=True, name="test-relay"),
            threading.Thread(target=self.worker.run, daemon=True, name="test-worker"),
        ]

    def __enter__(self) -> Stack:
        # Topology first, so the worker finds its queues.
        self.relay.declare_topology()
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.relay.stop()
        self.worker.stop()
        for t in self.threads:
            t.join(15)
        self.connectors.close()
        close = getattr(self.broker, "close", None)
        if close is not None:
            close()


def submit_many(ctx: HubContext, n: int, **over: Any) -> list[str]:
    from hub.services import intake
    from hub.services.principal import Principal, Role
    from tests.support.api import application_body

    portal = Principal(Role.PORTAL, "portal", "test")
    body = application_body(**over)
    numbers = []
    for _ in range(n):
        with ctx.db.transaction() as session:
            numbers.append(intake.submit(ctx, session, portal, body)["application_no"])
    return numbers
