"""The outbox relay against the real RabbitMQ: confirms, several relays, crashes, cut links."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pika
import pytest

from connectors.receiver import Receiver, ReceiverServer
from hub.broker.relay import Relay
from hub.broker.topology import Topology
from hub.delivery.message import Message
from hub.delivery.settings import DeliverySettings
from hub.services.context import HubContext
from tests.support.api import SMALL_REGISTRY
from tests.support.broker import (
    SECRET,
    Stack,
    allow_local_webhooks,
    delivery_settings,
    depth,
    drain,
    enqueue_many,
    env_for,
    set_delivery,
    teardown,
    unsent,
    wait_for,
)
from tests.support.hubctx import make_hub
from tests.support.tcpproxy import TcpProxy

pytestmark = [pytest.mark.rabbitmq]


@pytest.fixture(autouse=True)
def _local_receivers(monkeypatch: pytest.MonkeyPatch) -> None:
    allow_local_webhooks(monkeypatch)  # receivers on http://127.0.0.1 in these tests


PARTIES = ["institution:pm-a", "institution:pm-b", "hub:notify"]


@pytest.fixture
def hub(
    database_url: str, tmp_path: Path, amqp_url: str
) -> Iterator[tuple[HubContext, DeliverySettings, str]]:
    ctx = make_hub(database_url, tmp_path, registry=SMALL_REGISTRY)
    settings = delivery_settings(amqp_url)
    set_delivery(ctx, "pm-a", "webhook", "http://127.0.0.1:9/hooks/pm-a")
    try:
        yield ctx, settings, database_url
    finally:
        teardown(amqp_url, settings, PARTIES)
        ctx.db.dispose()


def _message_ids(amqp_url: str, queue: str, expect: int) -> list[str]:
    return [props.message_id for props, _ in drain(amqp_url, queue, expect=expect, timeout=10)]


def test_relay_publishes_with_confirms_and_marks_every_row(
    hub: tuple[HubContext, DeliverySettings, str], amqp_url: str
) -> None:
    ctx, settings, _ = hub
    ids = enqueue_many(ctx, "pm-a", 1500)
    feed_ids = enqueue_many(ctx, "pm-b", 10)  # a pull-feed party: marked, not published
    stats = Relay(ctx, settings).run(until_idle=True, max_seconds=60)
    assert stats.confirmed == 1500 and stats.feed_marked == 10 and stats.nacked == 0
    assert unsent(ctx) == 0
    got = _message_ids(amqp_url, Topology(settings).party_queue("pm-a"), 1500)
    assert sorted(got) == sorted(ids)
    assert feed_ids


def test_a_published_message_carries_its_row_as_a_connector_reads_it(
    hub: tuple[HubContext, DeliverySettings, str], amqp_url: str
) -> None:
    """The relay encodes each row as it reads it; a connector's `Message.from_delivery`
    gives back every fact of the row and its sealed envelope, with no headers table."""
    from datetime import UTC, datetime

    from sqlmodel import select

    from hub.store.models import OutboxMessage, OutboxSent

    ctx, settings, _ = hub
    due = datetime(2026, 12, 4, 1, 30, tzinfo=UTC)
    # Started first: on SQLite a row pending when the one relay starts may have been
    # published by a relay before it, and goes out marked `x-hub-republished`.
    relay = Relay(ctx, settings)
    [message_id] = enqueue_many(ctx, "pm-a", 1, deliver_by=due, cases=1)
    relay.run(until_idle=True, max_seconds=60)
    [(props, body)] = drain(amqp_url, Topology(settings).party_queue("pm-a"), expect=1)
    with ctx.db.read() as session:
        row = session.exec(
            select(OutboxMessage).where(OutboxMessage.message_id == message_id)
        ).one()
        sent = session.get(OutboxSent, row.id)
    assert props.headers is None and props.content_type is None
    assert Message.from_delivery("institution:pm-a", props, body) == Message(
        message_id=row.message_id,
        destination="institution:pm-a",
        type=row.type,
        application_no=row.application_no,
        sealed=row.envelope,
        deliver_by=due,
        party_seq=row.party_seq,
        outbox_id=row.id,
    )
    assert sent is not None and sent.attempts == 1 and unsent(ctx) == 0


def test_topology_is_declared_idempotently_and_matches_the_definitions(
    hub: tuple[HubContext, DeliverySettings, str], amqp_url: str
) -> None:
    _, settings, _ = hub
    topo = Topology(settings)
    conn = pika.BlockingConnection(pika.URLParameters(amqp_url))
    try:
        for _ in range(2):  # a second declaration with the same arguments is a no-op
            topo.declare(conn.channel(), PARTIES)
        doc = topo.definitions(PARTIES)
        ch = conn.channel()
        for q in doc["queues"]:  # declaring from the definitions document fits exactly
            ch.queue_declare(q["name"], durable=True, arguments=q["arguments"])
        assert {q["name"] for q in doc["queues"]} >= {topo.party_queue(p) for p in PARTIES}
        party_q = next(q for q in doc["queues"] if q["name"] == topo.party_queue("pm-a"))
        assert party_q["arguments"]["x-dead-letter-strategy"] == "at-least-once"
        assert party_q["arguments"]["x-overflow"] == "reject-publish"
        assert party_q["arguments"]["x-queue-type"] == "quorum"
    finally:
        conn.close()


@pytest.mark.postgres
def test_several_relays_share_the_outbox_without_publishing_a_row_twice(
    pg_url: str, tmp_path: Path, amqp_url: str
) -> None:
    ctx = make_hub(pg_url, tmp_path, registry=SMALL_REGISTRY)
    settings = delivery_settings(amqp_url)
    set_delivery(ctx, "pm-a", "webhook", "http://127.0.0.1:9/hooks/pm-a")
    try:
        ids = enqueue_many(ctx, "pm-a", 3000, per_tx=1000)
        relays = [Relay(ctx, settings, batch_size=200) for _ in range(3)]
        threads = [
            threading.Thread(target=r.run, kwargs={"until_idle": True, "max_seconds": 60})
            for r in relays
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(90)
        assert unsent(ctx) == 0
        assert sum(r.stats.confirmed for r in relays) == 3000
        assert sum(1 for r in relays if r.stats.confirmed) >= 2  # they really shared
        queue = Topology(settings).party_queue("pm-a")
        got = _message_ids(amqp_url, queue, 3000)
        assert len(got) == 3000 and set(got) == set(ids) and depth(amqp_url, queue) == 0
    finally:
        teardown(amqp_url, settings, PARTIES)
        ctx.db.dispose()


@pytest.mark.postgres
def test_concurrent_claims_publish_each_row_once_and_each_case_in_order(
    pg_url: str, tmp_path: Path, amqp_url: str
) -> None:
    """Small batches keep two claims running at once (SKIP LOCKED); a row waits while an
    earlier row of its case is unsent, so each case still reaches the queue in order."""
    ctx = make_hub(pg_url, tmp_path, registry=SMALL_REGISTRY)
    settings = delivery_settings(amqp_url)
    set_delivery(ctx, "pm-a", "webhook", "http://127.0.0.1:9/hooks/pm-a")
    try:
        ids = enqueue_many(ctx, "pm-a", 2000, per_tx=1000, cases=7)
        relay = Relay(ctx, settings, batch_size=50)
        stats = relay.run(until_idle=True, max_seconds=90)
        assert stats.confirmed == 2000 and unsent(ctx) == 0
        got = drain(amqp_url, Topology(settings).party_queue("pm-a"), expect=2000)
        assert sorted(p.message_id for p, _ in got) == sorted(ids)  # each once
        by_case: dict[str, list[int]] = {}
        for props, body in got:
            msg = Message.from_delivery("", props, body)
            assert msg.application_no is not None and msg.party_seq is not None
            by_case.setdefault(msg.application_no, []).append(msg.party_seq)
        assert len(by_case) == 7
        assert all(seqs == sorted(seqs) for seqs in by_case.values())
    finally:
        teardown(amqp_url, settings, PARTIES)
        ctx.db.dispose()


def test_a_relay_killed_between_publish_and_mark_resends_and_no_copy_is_posted_twice(
    hub: tuple[HubContext, DeliverySettings, str], amqp_url: str
) -> None:
    """The killed relay's rows are published again; the webhook connector posts the first
    copy of each and settles the other from the journal (connectors.journal)."""
    ctx, settings, url = hub
    ids = enqueue_many(ctx, "pm-a", 200)
    env = env_for(settings, url)
    child = subprocess.run(
        [sys.executable, "-m", "tests.support.faulty_relay"],
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert child.returncode == 17, child.stderr[-2000:]
    assert unsent(ctx) == 200  # published and confirmed, never marked
    queue = Topology(settings).party_queue("pm-a")
    assert wait_for(lambda: depth(amqp_url, queue) > 0, 5)
    first = depth(amqp_url, queue)
    receiver = Receiver(SECRET)
    with ReceiverServer(receiver) as server:
        set_delivery(ctx, "pm-a", "webhook", server.url("pm-a"))
        with Stack(ctx, settings) as stack:
            assert wait_for(
                lambda: (
                    unsent(ctx) == 0
                    and receiver.count() == 200
                    and stack.worker.settled >= 200 + first
                ),
                30,
            ), (receiver.count(), stack.worker.settled, first)
            assert depth(amqp_url, queue) == 0
    assert set(receiver.applied) == set(ids)
    assert receiver.repeats == 0 and receiver.requests == 200  # no copy was posted


def test_a_cut_connection_mid_run_reconnects_and_finishes(
    hub: tuple[HubContext, DeliverySettings, str], amqp_url: str
) -> None:
    ctx, settings, _ = hub
    ids = enqueue_many(ctx, "pm-a", 4000, per_tx=1000)
    parsed = pika.URLParameters(amqp_url)
    with TcpProxy(parsed.port) as proxy:
        via_proxy = replace(settings, amqp_url=f"amqp://guest:guest@127.0.0.1:{proxy.port}/%2F")
        relay = Relay(ctx, via_proxy, batch_size=100, max_batches=2)
        t = threading.Thread(target=relay.run, kwargs={"until_idle": True, "max_seconds": 60})
        t.start()
        assert wait_for(lambda: relay.stats.confirmed >= 500, 20)
        assert proxy.cut() >= 1
        t.join(60)
    assert not t.is_alive()
    assert relay.stats.reconnects >= 1
    assert unsent(ctx) == 0
    queue = Topology(settings).party_queue("pm-a")
    got = _message_ids(amqp_url, queue, depth(amqp_url, queue))
    assert set(got) == set(ids)  # all there; a few may be there twice (unconfirmed at the cut)
