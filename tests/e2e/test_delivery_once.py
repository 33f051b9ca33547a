"""Each message answered once (issue 14.1), through the real RabbitMQ.

A message a party answered 2xx is not sent again, except after a crash between that answer
and the ack; a retry passes through one retry tier per attempt.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from connectors.journal import Journal, Key
from connectors.receiver import Receiver, ReceiverServer
from hub.broker.relay import Relay
from hub.broker.topology import Topology
from hub.delivery.message import Message
from hub.delivery.settings import DeliverySettings
from hub.services.context import HubContext
from hub.store.models import OutboxMessage
from tests.support.api import SMALL_REGISTRY
from tests.support.broker import (
    SECRET,
    Stack,
    allow_local_webhooks,
    delivery_settings,
    enqueue_many,
    env_for,
    qualified,
    set_delivery,
    teardown,
    unsent,
    wait_for,
)
from tests.support.hubctx import make_hub

pytestmark = [pytest.mark.rabbitmq]
PARTIES = ["pm-a", "pm-b", "cm-x", "court-310104", "notify", "portal"]


@pytest.fixture(autouse=True)
def _local_receivers(monkeypatch: pytest.MonkeyPatch) -> None:
    allow_local_webhooks(monkeypatch)  # receivers on http://127.0.0.1 in these tests


class Counting:
    """Answers each message `failures` times 503, then 200; counts every POST and 2xx."""

    def __init__(self, failures: int, delay: float = 0.0) -> None:
        self.failures = failures
        self.delay = delay
        self.posts: Counter[str] = Counter()
        self.ok: Counter[str] = Counter()
        self.lock = threading.Lock()

    def __call__(self, mid: str, _envelope: object) -> int:
        if self.delay:
            time.sleep(self.delay)
        with self.lock:
            self.posts[mid] += 1
            if self.posts[mid] <= self.failures:
                return 503
            self.ok[mid] += 1
        return 200


@pytest.fixture
def hub(
    database_url: str, tmp_path: Path, broker_url: str | None
) -> Iterator[tuple[HubContext, DeliverySettings, str]]:
    ctx = make_hub(database_url, tmp_path, registry=SMALL_REGISTRY)
    settings = delivery_settings(broker_url)
    try:
        yield ctx, settings, database_url
    finally:
        if broker_url:
            teardown(broker_url, settings, PARTIES)
        ctx.db.dispose()


@pytest.fixture
def rabbit_hub(
    pg_url: str, tmp_path: Path, amqp_url: str
) -> Iterator[tuple[HubContext, DeliverySettings, str]]:
    ctx = make_hub(pg_url, tmp_path, registry=SMALL_REGISTRY)
    settings = delivery_settings(amqp_url)
    try:
        yield ctx, settings, pg_url
    finally:
        teardown(amqp_url, settings, PARTIES)
        ctx.db.dispose()


def test_503_503_200_is_three_posts_and_one_answer(
    hub: tuple[HubContext, DeliverySettings, str],
) -> None:
    ctx, settings, _ = hub
    counting = Counting(failures=2)
    receiver = Receiver(SECRET)
    receiver.status_for = lambda mid, env: None if counting(mid, env) == 200 else 503
    with ReceiverServer(receiver) as server:
        set_delivery(ctx, "pm-a", "webhook", server.url("pm-a"))
        ids = enqueue_many(ctx, "pm-a", 30)
        with Stack(ctx, settings):
            assert wait_for(lambda: receiver.count() == 30, 30), receiver.count()
            # Copies, if any, come back from every retry tier within its longest TTL.
            time.sleep(max(settings.retry_delays) * 2.5)
    assert set(receiver.applied) == set(ids)
    assert dict(counting.posts) == {mid: 3 for mid in ids}
    assert dict(counting.ok) == {mid: 1 for mid in ids}
    assert receiver.repeats == 0


@pytest.mark.slow
def test_a_connector_killed_mid_batch_repeats_at_most_the_messages_in_flight(
    rabbit_hub: tuple[HubContext, DeliverySettings, str],
) -> None:
    """SIGKILL of `hub connector webhook` while a batch is being posted: a second connector
    takes over; only messages the first had in hand (answered, not yet acked) come twice."""
    ctx, settings, url = rabbit_hub
    counting = Counting(failures=0, delay=0.01)
    receiver = Receiver(SECRET)
    receiver.status_for = lambda mid, env: None if counting(mid, env) == 200 else 503
    prefetch = 16
    with ReceiverServer(receiver) as server:
        set_delivery(ctx, "pm-a", "webhook", server.url("pm-a"))
        ids = enqueue_many(ctx, "pm-a", 600)
        Relay(ctx, settings).run(until_idle=True, max_seconds=60)
        assert unsent(ctx) == 0
        env = env_for(settings, url) | {"HUB_PREFETCH": str(prefetch)}
        command = [sys.executable, "-m", "hub.cli", "connector", "webhook"]
        first = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
        try:
            assert wait_for(lambda: receiver.count() >= 150, 30), receiver.count()
            os.kill(first.pid, signal.SIGKILL)
            first.wait(10)
            at_kill = receiver.count()
            second = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
            try:
                assert wait_for(lambda: receiver.count() == 600, 60), receiver.count()
                time.sleep(max(settings.retry_delays) * 2.5)
            finally:
                second.terminate()
                second.wait(15)
        finally:
            if first.poll() is None:
                first.kill()
    assert set(receiver.applied) == set(ids) and at_kill < 600
    repeated = [mid for mid, n in counting.ok.items() if n > 1]
    assert all(counting.ok[mid] == 2 for mid in repeated)  # at most one repeat each
    assert len(repeated) <= prefetch  # only what the killed connector held


def test_a_copy_the_relay_publishes_again_is_not_posted_twice(
    rabbit_hub: tuple[HubContext, DeliverySettings, str],
) -> None:
    """A relay killed between a confirm and its mark publishes its rows again: the copies
    reach the connector with new delivery tags and no redelivered flag, but marked
    `x-hub-republished` (the relay counted each row's send in `outbox_sent` before its
    publish, and a row counted before goes out marked). The journal of what was answered
    (connectors.journal), asked about marked copies only, settles them without a second
    POST."""
    ctx, settings, _ = rabbit_hub
    receiver = Receiver(SECRET)
    with ReceiverServer(receiver) as server:
        set_delivery(ctx, "pm-a", "webhook", server.url("pm-a"))
        ids = enqueue_many(ctx, "pm-a", 40)
        with Stack(ctx, settings) as stack:
            assert wait_for(lambda: receiver.count() == 40, 30), receiver.count()
            assert wait_for(lambda: unsent(ctx) == 0, 10)
            settled = stack.worker.settled
            pend_again(ctx, "pm-a")
            assert wait_for(lambda: stack.worker.settled >= settled + 40, 30), (
                stack.worker.settled - settled,
                stack.relay.stats,
            )
            assert wait_for(lambda: unsent(ctx) == 0, 10)
    assert set(receiver.applied) == set(ids)
    assert receiver.repeats == 0
    assert receiver.requests == 40


def pend_again(ctx: HubContext, party: str) -> None:
    """What a relay killed between its publish and its mark leaves: the rows pending again,
    their sends counted (the count is committed before the publish, the mark only takes
    them off the pending list)."""
    with ctx.db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO outbox_pending (outbox_id, destination, application_no)"
                " SELECT id, destination, application_no FROM outbox"
                " WHERE destination = :party"
            ),
            {"party": qualified(party)},
        )


class _DownFor(Journal):
    """The real journal, whose database is unreachable for the first `seconds`."""

    def __init__(self, ctx: HubContext, seconds: float) -> None:
        super().__init__(ctx)
        self.until = time.monotonic() + seconds
        self.raised = 0
        self.lock = threading.Lock()

    def done(self, keys: list[Key], message: Message | None = None) -> set[Key]:
        if time.monotonic() < self.until:
            with self.lock:
                self.raised += 1
            raise OperationalError("SELECT", {}, Exception("connection refused"))
        return super().done(keys, message)


def test_a_database_blip_does_not_dead_letter_webhooks(
    rabbit_hub: tuple[HubContext, DeliverySettings, str],
) -> None:
    """While the database cannot be read, webhooks post a copy without asking the journal
    (at least once) instead of failing: a failure would be nacked, redelivered at once and
    dead-lettered past `x-delivery-limit`. (Only copies that may have been answered ask
    it: here the relay publishes the 20 rows again, as after a kill before its mark.)"""
    ctx, settings, _ = rabbit_hub
    receiver = Receiver(SECRET)
    with ReceiverServer(receiver) as server:
        set_delivery(ctx, "pm-a", "webhook", server.url("pm-a"))
        with Stack(ctx, settings) as stack:
            ids = enqueue_many(ctx, "pm-a", 20)
            assert wait_for(lambda: receiver.count() == 20, 15), receiver.count()
            assert wait_for(lambda: unsent(ctx) == 0, 10)
            settled = stack.worker.settled
            journal = _DownFor(ctx, 2.0)
            stack.connectors.webhook.journal = journal
            pend_again(ctx, "pm-a")
            assert wait_for(lambda: stack.worker.settled >= settled + 20, 15)
            time.sleep(2)
        with ctx.db.read() as s:
            dead = s.exec(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.dead_at.is_not(None))  # type: ignore[union-attr]
            ).one()[0]
    assert journal.raised > 0  # the blip was seen
    assert dead == 0, f"{dead} of 20 webhooks dead-lettered by a 2 s database blip"
    assert set(receiver.applied) == set(ids)


def test_declaring_the_topology_mends_tier_bindings_of_the_earlier_version(
    amqp_url: str,
) -> None:
    """Bindings on `x-retry-tier` (matched by every message) are removed by `declare`, so
    a retry copy lands in its own tier only, on a broker set up by the earlier version."""
    import pika

    from hub.broker.topology import LEGACY_RETRY_TIER, RETRY_TIER, tier_name
    from tests.support.broker import connection, depth

    settings = delivery_settings(amqp_url)
    topo = Topology(settings)
    conn = connection(amqp_url)
    try:
        ch = conn.channel()
        topo.declare(ch, ["pm-a"])
        for t in settings.retry_delays:  # what the earlier version bound
            ch.queue_bind(
                topo.retry_queue(t),
                topo.retry_exchange,
                arguments={"x-match": "all", LEGACY_RETRY_TIER: tier_name(t)},
            )
        topo.declare(ch, ["pm-a"])
        longest = max(settings.retry_delays)
        ch.confirm_delivery()
        ch.basic_publish(
            topo.retry_exchange,
            "pm-a",
            b"x",
            pika.BasicProperties(
                headers={RETRY_TIER: tier_name(longest)}, expiration="60000", delivery_mode=2
            ),
            mandatory=True,
        )
    finally:
        conn.close()
    try:
        assert wait_for(lambda: depth(amqp_url, topo.retry_queue(longest)) == 1, 5)
        assert [depth(amqp_url, topo.retry_queue(t)) for t in settings.retry_delays] == [
            1 if t == longest else 0 for t in settings.retry_delays
        ]
    finally:
        teardown(amqp_url, settings, ["pm-a"])
