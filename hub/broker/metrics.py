"""Prometheus metrics of delivery, on the default registry (served at GET /metrics).

Queue depths are read at scrape time without the management plugin: a passive
`queue.declare` answers each queue's ready-message count.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from typing import Any

from prometheus_client import REGISTRY, Counter, Gauge
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from hub.broker.topology import Topology
from hub.delivery.settings import DeliverySettings
from hub.logsafety import get_logger
from hub.services.context import HubContext
from hub.store.outbox_recorder import recorder_for

log = get_logger("hub.broker.metrics")

PUBLISHED = Counter("hub_relay_published_total", "Outbox messages published by the relay")
CONFIRMED = Counter("hub_relay_confirmed_total", "Publishes the broker confirmed (ack)")
NACKED = Counter("hub_relay_nacked_total", "Publishes the broker refused (nack or return)")
FEED_MARKED = Counter("hub_relay_feed_marked_total", "Rows for pull-feed parties marked sent")
RELAY_LAG = Gauge("hub_relay_lag_seconds", "Age of the oldest unsent outbox row, seen by a relay")
DELIVERIES = Counter("hub_deliveries_total", "Connector outcomes", ["connector", "outcome"])
INBOUND = Counter("hub_inbound_total", "Inbound AMQP messages", ["outcome"])


def oldest_unsent_age(ctx: HubContext, engine: Any = None) -> float:
    engine = engine or ctx.db.read_engine  # SQLite: beside the writer
    with engine.connect() as conn:
        oldest = recorder_for(conn).oldest_unsent(conn)
        conn.rollback()
    if oldest is None:
        return 0.0
    return max(0.0, (ctx.clock.now() - oldest).total_seconds())


def dead_letters_waiting(ctx: HubContext) -> int:
    with ctx.db.read_engine.connect() as conn:
        count = recorder_for(conn).dead_count(conn)
        conn.rollback()
    return count


def queue_depths(
    settings: DeliverySettings, queues: Iterable[str], timeout: float = 3.0
) -> dict[str, int]:
    from hub.broker.transport import AmqpTransport

    depths: dict[str, int] = {}
    conn = AmqpTransport(settings).blocking_connection("metrics", timeout=timeout)
    try:
        for q in queues:
            ch = conn.channel()
            try:
                ok = ch.queue_declare(q, passive=True)
                depths[q] = int(ok.method.message_count)
                ch.close()
            except Exception:  # a missing queue closes the channel; skip it
                continue
    finally:
        conn.close()
    return depths


class DeliveryCollector(Collector):
    """Scrape-time figures: relay lag, dead letters, and (with a broker) queue depths."""

    def __init__(self, ctx: HubContext, settings: DeliverySettings) -> None:
        self.ctx = ctx
        self.settings = settings

    def collect(self) -> Iterator[Any]:
        lag = GaugeMetricFamily("hub_outbox_lag_seconds", "Age of the oldest unsent outbox row")
        dead = GaugeMetricFamily("hub_outbox_dead", "Dead-lettered outbox rows not replayed")
        try:
            lag.add_metric([], oldest_unsent_age(self.ctx))
            dead.add_metric([], float(dead_letters_waiting(self.ctx)))
        except Exception as exc:
            log.warning("outbox metrics unavailable: %s", exc)
        yield lag
        yield dead
        if not self.settings.amqp_url:
            return
        depth = GaugeMetricFamily(
            "hub_queue_messages", "Ready messages per queue", labels=["queue"]
        )
        try:
            from hub.delivery.directory import Directory

            topo = Topology(self.settings)
            parties, _ = Directory(self.ctx, self.settings).pushed_destinations()
            names = [topo.party_queue(p) for p in parties]
            names += [topo.dead_queue, topo.inbound_queue]
            names += [topo.retry_queue(t) for t in self.settings.retry_delays]
            for q, n in queue_depths(self.settings, names).items():
                depth.add_metric([q], n)
        except Exception as exc:
            log.warning("queue depths unavailable: %s", exc)
        yield depth


_installed: DeliveryCollector | None = None
_lock = threading.Lock()


def install(ctx: HubContext, settings: DeliverySettings | None = None) -> None:
    """Register the scrape-time collector once (call at app start-up); a later call (a new
    hub in the same process, as in tests) points it at that hub."""
    global _installed
    with _lock:
        settings = settings or ctx.settings.delivery_settings()
        if _installed is not None:  # one collector per process; it reports the latest hub
            _installed.ctx, _installed.settings = ctx, settings
            return
        _installed = DeliveryCollector(ctx, settings)
        REGISTRY.register(_installed)
