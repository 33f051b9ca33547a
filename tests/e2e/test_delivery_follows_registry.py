"""Connectors follow the registry without a restart (issue 14.3), through the real RabbitMQ:
a party made a webhook party on another node is consumed within seconds; a change to AMQP
or back to the pull feed takes effect the same way."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from connectors.receiver import Receiver, ReceiverServer
from hub.broker.topology import Topology
from hub.delivery.settings import DeliverySettings
from hub.services.context import HubContext
from tests.support import other_node
from tests.support.api import SMALL_REGISTRY
from tests.support.broker import (
    SECRET,
    Stack,
    allow_local_webhooks,
    delivery_settings,
    depth,
    drain,
    enqueue_many,
    teardown,
    unsent,
    wait_for,
)
from tests.support.hubctx import make_hub

pytestmark = [pytest.mark.rabbitmq, pytest.mark.postgres]
PARTIES = ["pm-a", "pm-b", "notify"]


@pytest.fixture(autouse=True)
def _local_receivers(monkeypatch: pytest.MonkeyPatch) -> None:
    allow_local_webhooks(monkeypatch)


@pytest.fixture
def hub(
    pg_url: str, tmp_path: Path, amqp_url: str
) -> Iterator[tuple[HubContext, DeliverySettings]]:
    ctx = make_hub(pg_url, tmp_path, registry=SMALL_REGISTRY)
    settings = delivery_settings(amqp_url)
    try:
        yield ctx, settings
    finally:
        teardown(amqp_url, settings, PARTIES)
        ctx.db.dispose()


def test_a_party_changed_on_another_node_is_served_its_new_way_within_seconds(
    hub: tuple[HubContext, DeliverySettings], pg_url: str, amqp_url: str
) -> None:
    ctx, settings = hub
    topo = Topology(settings)
    receiver = Receiver(SECRET)
    with ReceiverServer(receiver) as server, Stack(ctx, settings) as stack:
        assert topo.party_queue("pm-a") not in stack.worker.consuming()  # a feed party

        other_node.run(pg_url, "delivery", "pm-a", "webhook", server.url("pm-a"))
        changed = time.monotonic()
        assert wait_for(lambda: topo.party_queue("pm-a") in stack.worker.consuming(), 10)
        followed = time.monotonic() - changed
        ids = enqueue_many(ctx, "pm-a", 20)
        assert wait_for(lambda: receiver.count() == 20, 15), receiver.count()
        assert set(receiver.applied) == set(ids)
        assert followed < 5, followed

        other_node.run(pg_url, "delivery", "pm-a", "amqp")
        assert wait_for(
            lambda: stack.worker.consuming().get(topo.party_queue("pm-a")) == "amqp", 10
        )
        copies = enqueue_many(ctx, "pm-a", 5)
        got = drain(amqp_url, topo.out_queue("pm-a"), expect=5, timeout=15)
        assert sorted(json.loads(body)["message_id"] for _, body in got) == sorted(copies)

        other_node.run(pg_url, "delivery", "pm-a", "feed")
        time.sleep(1.5)  # the relay and the worker see it within about a second
        posted = receiver.requests
        enqueue_many(ctx, "pm-a", 5)
        assert wait_for(lambda: unsent(ctx) == 0, 10)  # marked for the feed, not published
        time.sleep(1.0)
    assert receiver.requests == posted
    assert depth(amqp_url, topo.party_queue("pm-a")) == 0
    assert depth(amqp_url, topo.out_queue("pm-a")) == 0
