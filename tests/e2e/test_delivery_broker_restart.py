"""500 applications while the real broker is stopped and started mid-stream.

Every case reaches its institution's webhook; each message has one effect however often it
arrives. The broker is a node of the test's own (`tests.support.rabbit_nodes`), stopped and
started whole; the machine's shared broker is never touched.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import text

from connectors.receiver import Receiver, ReceiverServer
from tests.support.api import SMALL_REGISTRY
from tests.support.broker import (
    SECRET,
    Stack,
    allow_local_webhooks,
    delivery_settings,
    set_delivery,
    submit_many,
    wait_for,
)
from tests.support.hubctx import make_hub
from tests.support.rabbit_nodes import rabbit_nodes

pytestmark = [pytest.mark.rabbitmq, pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture(autouse=True)
def _local_receivers(monkeypatch: pytest.MonkeyPatch) -> None:
    allow_local_webhooks(monkeypatch)  # receivers on http://127.0.0.1 in these tests


N = 500


def test_every_case_is_delivered_once_in_effect_across_a_broker_restart(
    pg_url: str, tmp_path: Path
) -> None:
    ctx = make_hub(pg_url, tmp_path, registry=SMALL_REGISTRY)
    receiver = Receiver(SECRET)
    restarted = threading.Event()
    with rabbit_nodes(tmp_path / "rabbit", 1) as [node]:
        settings = replace(delivery_settings(node.url), heartbeat=5)

        def restart_midway() -> None:
            if not wait_for(lambda: receiver.count() >= 100, 60):
                return
            node.stop()
            time.sleep(2)
            node.start()
            node.await_startup()
            restarted.set()

        try:
            with ReceiverServer(receiver) as server:
                for party in ("pm-a", "pm-b", "cm-x"):
                    set_delivery(ctx, party, "webhook", server.url(party))
                with Stack(ctx, settings):
                    chaos = threading.Thread(target=restart_midway, daemon=True)
                    chaos.start()
                    numbers = submit_many(ctx, N)
                    chaos.join(180)
                    assert restarted.is_set()
                    dispatched = lambda: {  # noqa: E731
                        e["application_no"]
                        for e in list(receiver.applied.values())
                        if e["type"] == "application.dispatched"
                    }
                    assert wait_for(lambda: len(dispatched()) == N, 90), len(dispatched())
            assert dispatched() == set(numbers)
            # One effect per message: each message applied once, whatever the repeats.
            ids = list(receiver.applied)
            assert len(ids) == len(set(ids))
            with ctx.db.engine.connect() as conn:
                unsent = conn.execute(
                    text("SELECT COUNT(*) FROM outbox_pending WHERE destination <> 'notify'")
                ).scalar()
                dead = conn.execute(
                    text("SELECT COUNT(*) FROM outbox WHERE dead_at IS NOT NULL")
                ).scalar()
            assert unsent == 0 and dead == 0
        finally:
            ctx.db.dispose()
