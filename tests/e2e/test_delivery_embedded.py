"""No broker (the embedded default): the same outbox drained in-process into the same connectors."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from connectors.notify import FakeMailer, FakeSms
from connectors.receiver import Receiver, ReceiverServer
from hub.broker.embedded import EmbeddedDelivery
from hub.broker.wiring import build
from hub.delivery.directory import Directory
from hub.services.delivery_failures import replay
from hub.store.models import Application, OutboxMessage
from tests.support.api import SMALL_REGISTRY
from tests.support.broker import (
    SECRET,
    allow_local_webhooks,
    delivery_settings,
    set_delivery,
    submit_many,
    wait_for,
)
from tests.support.hubctx import make_hub


@pytest.fixture(autouse=True)
def _local_receivers(monkeypatch: pytest.MonkeyPatch) -> None:
    allow_local_webhooks(monkeypatch)  # receivers on http://127.0.0.1 in these tests


def test_embedded_delivers_webhooks_and_notices_and_flags_a_missed_deadline(
    sqlite_url: str, tmp_path: Path
) -> None:
    ctx = make_hub(sqlite_url, tmp_path, registry=SMALL_REGISTRY)
    settings = delivery_settings(None)
    sms, mail = FakeSms(), FakeMailer()
    receiver = Receiver(SECRET)
    with ReceiverServer(receiver) as server:
        set_delivery(ctx, "pm-a", "webhook", server.url("pm-a"))
        set_delivery(ctx, "pm-b", "webhook", "http://127.0.0.1:9/hooks/pm-b")  # nobody there
        directory = Directory(ctx, settings, check_every=0.2)
        connectors = build(ctx, settings, directory, sms=sms, mailer=mail)
        delivery = EmbeddedDelivery(
            ctx, settings, connectors=connectors, directory=directory, poll_interval=0.05
        )
        delivered = submit_many(ctx, 5, preferred_institution="pm-a")
        [stuck] = submit_many(ctx, 1, preferred_institution="pm-b")
        with ctx.db.transaction() as session:
            row = session.exec(
                select(OutboxMessage).where(
                    OutboxMessage.application_no == stuck,
                    OutboxMessage.type == "application.dispatched",
                )
            ).one()
            row.deliver_by = ctx.clock.now() - timedelta(seconds=1)  # already missed
            session.add(row)
        delivery.start()
        try:

            def stuck_flagged() -> bool:
                with ctx.db.read() as session:
                    app = session.get(Application, stuck)
                    return app is not None and app.status == "undeliverable"

            assert wait_for(lambda: receiver.count() >= 5 and stuck_flagged(), 20)
            assert wait_for(lambda: len(sms.sent) >= 6, 5)
        finally:
            delivery.stop()
    got = {
        e["application_no"]
        for e in receiver.applied.values()
        if e["type"] == "application.dispatched"
    }
    assert got == set(delivered)
    assert all(text.startswith("【解纷一件事】") for _, text in sms.sent)
    assert any("查询码" in text for _, text in sms.sent)
    # Its letter, replayed, dispatches the waiting case to that institution again.
    assert ctx.db.run(lambda s: replay(ctx, s, destination="pm-b"))["redispatched"] == 1
    ctx.db.dispose()
