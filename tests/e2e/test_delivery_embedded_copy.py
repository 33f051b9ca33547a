"""The embedded default's webhooks ask its journal too: when the in-process relay's session
ends (its connection closed, a relay thread restarted by hub.supervision) the rows not yet
confirmed, still in a connector's hands, are claimed and published again while the first
copy is in flight; the BufferedJournal settles the copy without a second POST."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest

from connectors.webhook import FakeTransport
from hub.broker.embedded import EmbeddedDelivery
from tests.support.api import SMALL_REGISTRY
from tests.support.broker import (
    allow_local_webhooks,
    delivery_settings,
    enqueue_many,
    set_delivery,
    unsent,
    wait_for,
)
from tests.support.hubctx import make_hub


@pytest.fixture(autouse=True)
def _local(monkeypatch: pytest.MonkeyPatch) -> None:
    allow_local_webhooks(monkeypatch)


def test_a_relay_session_that_ends_in_process_posts_no_webhook_twice(
    sqlite_url: str, tmp_path: Path
) -> None:
    ctx = make_hub(sqlite_url, tmp_path, registry=SMALL_REGISTRY)
    settings = delivery_settings(None, party_concurrency=1)

    def slow_ok(url: str, body: bytes, headers: dict[str, str]) -> int:
        time.sleep(1.0)  # a party that answers in a second
        return 200

    fake = FakeTransport(respond=slow_ok)
    set_delivery(ctx, "pm-a", "webhook", "http://127.0.0.1:9/hooks/pm-a")
    ids = enqueue_many(ctx, "pm-a", 4)
    delivery = EmbeddedDelivery(ctx, settings, transport=fake)
    delivery.start()
    try:
        assert wait_for(lambda: len(fake.posted) >= 1, 10)
        conn = delivery.relay._connection  # the relay's session ends (no process crash)
        assert conn is not None
        conn.ioloop.add_callback_threadsafe(conn.close)
        assert wait_for(lambda: unsent(ctx) == 0, 30)
        time.sleep(3)
    finally:
        delivery.stop()
        ctx.db.dispose()
    posts = Counter(p.headers["X-Hub-Message-Id"] for p in fake.posted)
    assert set(posts) == set(ids)
    assert max(posts.values()) == 1, f"posted twice in one process: {dict(posts)}"
