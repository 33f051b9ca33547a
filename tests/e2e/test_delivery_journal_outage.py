"""Webhooks over RabbitMQ ask the journal (connectors.journal) before each POST. While the
database is unreachable they post without asking (at least once) instead of failing: a
failure would be nacked, redelivered at once and dead-lettered past `x-delivery-limit`."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from connectors.journal import Journal, Key
from connectors.receiver import Receiver, ReceiverServer
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
    set_delivery,
    teardown,
    wait_for,
)
from tests.support.hubctx import make_hub

pytestmark = [pytest.mark.rabbitmq]
PARTIES = ["pm-a", "pm-b", "cm-x", "court-310104", "notify", "portal"]


@pytest.fixture
def rabbit_hub(
    pg_url: str, tmp_path: Path, amqp_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[HubContext, DeliverySettings]]:
    allow_local_webhooks(monkeypatch)
    ctx = make_hub(pg_url, tmp_path, registry=SMALL_REGISTRY)
    settings = delivery_settings(amqp_url)
    try:
        yield ctx, settings
    finally:
        teardown(amqp_url, settings, PARTIES)
        ctx.db.dispose()


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
    rabbit_hub: tuple[HubContext, DeliverySettings],
) -> None:
    ctx, settings = rabbit_hub
    receiver = Receiver(SECRET)
    with ReceiverServer(receiver) as server:
        set_delivery(ctx, "pm-a", "webhook", server.url("pm-a"))
        with Stack(ctx, settings) as stack:
            journal = _DownFor(ctx, 2.0)
            stack.connectors.webhook.journal = journal
            ids = enqueue_many(ctx, "pm-a", 20)
            assert wait_for(lambda: receiver.count() == 20, 15), receiver.count()
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
