"""Webhook delivery through the real RabbitMQ: retries, deadlines, refusals, isolation."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import col, select

from connectors.receiver import Receiver, ReceiverServer
from connectors.webhook import FakeTransport
from hub.delivery.settings import DeliverySettings
from hub.services.context import HubContext
from hub.store.models import Application, OutboxMessage
from tests.support.api import SMALL_REGISTRY
from tests.support.broker import (
    SECRET,
    Stack,
    allow_local_webhooks,
    delivery_settings,
    enqueue_many,
    set_delivery,
    submit_many,
    teardown,
    wait_for,
)
from tests.support.hubctx import make_hub

pytestmark = [pytest.mark.rabbitmq, pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _local_receivers(monkeypatch: pytest.MonkeyPatch) -> None:
    allow_local_webhooks(monkeypatch)  # receivers on http://127.0.0.1 in these tests


PARTIES = [
    *(f"institution:{i}" for i in ("pm-a", "pm-b", "cm-x", "court-310104")),
    "hub:notify",
    "portal:portal",
]


@pytest.fixture
def hub(
    pg_url: str, tmp_path: Path, broker_url: str | None
) -> Iterator[tuple[HubContext, DeliverySettings]]:
    ctx = make_hub(pg_url, tmp_path, registry=SMALL_REGISTRY)
    settings = delivery_settings(broker_url)
    try:
        yield ctx, settings
    finally:
        if broker_url:
            teardown(broker_url, settings, PARTIES)
        ctx.db.dispose()


def _dead(ctx: HubContext) -> list[OutboxMessage]:
    with ctx.db.read() as session:
        return list(
            session.exec(
                select(OutboxMessage)
                .where(col(OutboxMessage.dead_at).is_not(None))
                .order_by(col(OutboxMessage.id))  # the order they were written in
            )
        )


def test_down_then_up_is_delivered_after_retries(hub: tuple[HubContext, DeliverySettings]) -> None:
    ctx, settings = hub
    receiver = Receiver(SECRET)
    receiver.down = True
    with ReceiverServer(receiver) as server:
        set_delivery(ctx, "pm-a", "webhook", server.url("pm-a"))
        ids = enqueue_many(ctx, "pm-a", 20)
        with Stack(ctx, settings):
            assert wait_for(lambda: receiver.requests >= 40, 15), receiver.requests
            receiver.down = False
            assert wait_for(lambda: receiver.count() == 20, 20), receiver.count()
    assert set(receiver.applied) == set(ids)
    assert not _dead(ctx)


def test_down_past_deadline_dead_letters_and_flags_the_case(
    hub: tuple[HubContext, DeliverySettings],
) -> None:
    ctx, settings = hub
    receiver = Receiver(SECRET)
    receiver.down = True
    with ReceiverServer(receiver) as server:
        for party in ("pm-a", "pm-b", "cm-x"):
            set_delivery(ctx, party, "webhook", server.url(party))
        [no] = submit_many(ctx, 1, preferred_institution="pm-a")
        with ctx.db.transaction() as session:  # the deadline comes in 2 seconds
            row = session.exec(
                select(OutboxMessage).where(
                    OutboxMessage.application_no == no,
                    OutboxMessage.type == "application.dispatched",
                )
            ).one()
            row.deliver_by = ctx.clock.now() + timedelta(seconds=2)
            session.add(row)
        with Stack(ctx, settings):

            def flagged() -> bool:
                with ctx.db.read() as session:
                    app = session.get(Application, no)
                    return app is not None and app.status == "undeliverable"

            assert wait_for(flagged, 20)
    dead = _dead(ctx)
    # Offered to the next institution while the deadline allowed, then announced.
    assert {d.application_no for d in dead} == {no}
    assert dead[0].destination == "institution:pm-a" and "deadline" in (dead[0].dead_reason or "")
    assert {d.destination for d in dead} <= {f"institution:{i}" for i in ("pm-a", "pm-b", "cm-x")}
    assert len({d.destination for d in dead}) == len(dead)  # never offered twice to one
    assert receiver.count() == 0


def test_a_4xx_goes_to_dead_letter_at_once(hub: tuple[HubContext, DeliverySettings]) -> None:
    ctx, settings = hub
    receiver = Receiver(SECRET)
    ids = enqueue_many(ctx, "pm-a", 5)
    receiver.status_for = lambda mid, env: 422 if mid == ids[2] else None
    with ReceiverServer(receiver) as server:
        set_delivery(ctx, "pm-a", "webhook", server.url("pm-a"))
        with Stack(ctx, settings):
            assert wait_for(lambda: receiver.count() == 4 and len(_dead(ctx)) == 1, 15)
    [dead] = _dead(ctx)
    assert dead.message_id == ids[2] and "422" in (dead.dead_reason or "")
    assert receiver.requests == 5  # refused once, never retried


def test_a_bad_signature_is_refused_by_the_reference_receiver(
    hub: tuple[HubContext, DeliverySettings],
) -> None:
    ctx, settings = hub
    receiver = Receiver({"pm-a": "a-different-secret-0123456789"})
    with ReceiverServer(receiver) as server:
        set_delivery(ctx, "pm-a", "webhook", server.url("pm-a"))
        [mid] = enqueue_many(ctx, "pm-a", 1)
        with Stack(ctx, settings):
            assert wait_for(lambda: len(_dead(ctx)) == 1, 15)
    assert receiver.bad_signatures == 1 and receiver.count() == 0
    assert _dead(ctx)[0].message_id == mid and "401" in (_dead(ctx)[0].dead_reason or "")


def test_a_down_institution_does_not_delay_another(
    hub: tuple[HubContext, DeliverySettings],
) -> None:
    ctx, settings = hub
    hanging = Receiver(SECRET)
    healthy = Receiver(SECRET)

    def slow(mid: str, env: object) -> int:
        time.sleep(1.5)  # a hung endpoint: every request waits
        return 503

    hanging.status_for = slow
    with ReceiverServer(hanging) as bad, ReceiverServer(healthy) as good:
        set_delivery(ctx, "pm-a", "webhook", bad.url("pm-a"))
        set_delivery(ctx, "pm-b", "webhook", good.url("pm-b"))
        enqueue_many(ctx, "pm-a", 200)
        ids_b = enqueue_many(ctx, "pm-b", 200)
        with Stack(ctx, settings):
            started = time.monotonic()
            assert wait_for(lambda: healthy.count() == 200, 15)
            elapsed = time.monotonic() - started
    assert set(healthy.applied) == set(ids_b)
    assert elapsed < 10, elapsed


def test_a_poison_message_is_dead_lettered_after_the_limit_and_the_queue_flows(
    hub: tuple[HubContext, DeliverySettings],
) -> None:
    ctx, settings = hub
    set_delivery(ctx, "pm-a", "webhook", "http://127.0.0.1:9/hooks/pm-a")
    ids = enqueue_many(ctx, "pm-a", 50)
    poison = ids[0]
    delivered: set[str] = set()

    def respond(url: str, body: bytes, headers: dict[str, str]) -> int:
        if headers["X-Hub-Message-Id"] == poison:
            raise RuntimeError("connector bug on this message")
        delivered.add(headers["X-Hub-Message-Id"])
        return 200

    with Stack(ctx, settings, webhooks=FakeTransport(respond)):
        assert wait_for(lambda: len(delivered) == 49 and len(_dead(ctx)) == 1, 20)
    [dead] = _dead(ctx)
    assert dead.message_id == poison
    assert "delivery limit" in (dead.dead_reason or "")
