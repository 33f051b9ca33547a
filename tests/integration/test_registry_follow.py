"""A registry change made on another node reaches this node's routing and delivery
directory within about a second, through the registry's revision (issue 14.3)."""

from __future__ import annotations

import time
from pathlib import Path

from hub.delivery.directory import Directory, Route
from hub.delivery.settings import DeliverySettings
from hub.services import routing
from hub.store import registry_revision
from tests.support import other_node
from tests.support.api import SMALL_REGISTRY
from tests.support.broker import wait_for
from tests.support.hubctx import make_hub


def _routed(ctx: object) -> str | None:
    with ctx.db.transaction() as session:  # type: ignore[attr-defined]
        return routing.route_new_case(
            session,
            category="neighbor",
            district="310104",
            preferred="pm-a",
            excluded=frozenset(),
        )


def test_a_change_on_another_node_reaches_routing_and_delivery_here(
    database_url: str, tmp_path: Path, monkeypatch: object
) -> None:
    ctx = make_hub(database_url, tmp_path, registry=SMALL_REGISTRY)
    try:
        directory = Directory(ctx, DeliverySettings(), check_every=0.2)
        assert directory.party("pm-a").route is Route.FEED
        assert _routed(ctx) == "pm-a"  # warms this process's routing cache
        with ctx.db.engine.connect() as conn:
            before = registry_revision.read(conn)

        other_node.run(database_url, "categories", "pm-a", "consumer")  # no neighbor
        changed = time.monotonic()
        assert wait_for(lambda: _routed(ctx) == "pm-b", 5)
        assert time.monotonic() - changed < 2.5

        monkeypatch.setenv("HUB_WEBHOOK_ALLOW_HTTP", "1")  # type: ignore[attr-defined]
        monkeypatch.setenv("HUB_WEBHOOK_ALLOW_PRIVATE", "1")  # type: ignore[attr-defined]
        other_node.run(database_url, "delivery", "pm-a", "webhook", "http://127.0.0.1:9/h")
        changed = time.monotonic()
        assert wait_for(lambda: directory.party("pm-a").route is Route.WEBHOOK, 5)
        assert time.monotonic() - changed < 1.5
        with ctx.db.engine.connect() as conn:
            assert registry_revision.read(conn) >= before + 2
    finally:
        ctx.db.dispose()


def test_cases_and_their_counts_do_not_move_the_revision(database_url: str, tmp_path: Path) -> None:
    """Dispatching a case updates its institution's load with plain SQL: the revision (and
    so every cache on every node) stays put."""
    from tests.support.broker import submit_many

    ctx = make_hub(database_url, tmp_path, registry=SMALL_REGISTRY)
    try:
        with ctx.db.engine.connect() as conn:
            before = registry_revision.read(conn)
        submit_many(ctx, 3)
        with ctx.db.engine.connect() as conn:
            assert registry_revision.read(conn) == before
    finally:
        ctx.db.dispose()
