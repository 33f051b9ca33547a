"""Delivery without RabbitMQ (the embedded default, no `HUB_AMQP_URL`).

The same relay and the same connector workers as `hub relay` and `hub connector all`, in
threads of `hub serve`, over the in-process broker (`hub.broker.memory`) instead of a
network: the same topology, retry tiers, delivery limit and dead-lettering, the same
settling of each outcome. Only durability differs, and the outbox makes up for it: a row
stays pending until its message is settled for good (delivered, or recorded dead), so a
crash or a restart sends again whatever was in flight, and parties drop repeats by
`message_id`. One process per database drains it (SQLite's embedded default); with several
hub processes use RabbitMQ.

What differs from the broker layout is only what is cheaper in one process: marks and the
notice journal's rows go to SQLite's one writer together, many rows a transaction
(`relay_claims.ExclusiveClaims`); parties whose delivery kind is `amqp` read their feed.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any

from sqlalchemy import func, select

from connectors.journal import BufferedJournal
from hub.broker import metrics
from hub.broker.relay import Relay
from hub.broker.transport import MemoryTransport, broker_reachable
from hub.broker.wiring import Connectors, RegistryPlan, build
from hub.broker.worker import Worker
from hub.delivery.directory import Directory
from hub.delivery.settings import DeliverySettings
from hub.logsafety import get_logger
from hub.services.context import HubContext
from hub.store.models import OutboxMessage
from hub.supervision import Supervised

log = get_logger("hub.embedded")

#: The connectors that run in-process: every one whose counterpart needs no broker.
CONNECTORS = ["webhook", "portal", "notify", "deadletters"]


def _last_outbox_id(ctx: HubContext) -> int:
    with ctx.db.read_engine.connect() as conn:
        value = conn.execute(select(func.max(OutboxMessage.id))).scalar()
        conn.rollback()
    return int(value or 0)


class EmbeddedDelivery:
    def __init__(
        self,
        ctx: HubContext,
        settings: DeliverySettings | None = None,
        *,
        connectors: Connectors | None = None,
        directory: Directory | None = None,
        **build_options: Any,
    ) -> None:
        self.ctx = ctx
        self.settings = replace(settings or ctx.settings.delivery_settings(), amqp_url=None)
        self.transport = MemoryTransport()
        self.directory = directory or Directory(ctx, self.settings)
        self.journal = BufferedJournal(ctx, watermark=_last_outbox_id(ctx))
        self.connectors = connectors or build(
            ctx, self.settings, self.directory, journal=self.journal, **build_options
        )
        self.connectors.notify.journal = self.journal
        self.relay = self._new_relay()
        self.worker = self._new_worker()
        self._threads: list[Supervised] = []
        self._stopping = threading.Event()

    def _new_relay(self) -> Relay:
        return Relay(
            self.ctx,
            self.settings,
            transport=self.transport,
            directory=self.directory,
            companion=self.journal,
            poll_interval=0.05,
        )

    def _new_worker(self) -> Worker:
        plan = RegistryPlan(self.ctx, self.settings, CONNECTORS, self.connectors, self.directory)
        return Worker(self.settings, plan, transport=self.transport)

    def _run_relay(self) -> None:
        """One run of the relay; a run after a death gets a fresh relay (a run's end shuts
        its pools). Pending rows stay in the outbox, so nothing is lost in between."""
        if self._runs["relay"]:
            self.relay = self._new_relay()
        self._runs["relay"] += 1
        if not self._stopping.is_set():
            self.relay.run()

    def _run_worker(self) -> None:
        if self._runs["worker"]:
            self.worker = self._new_worker()
        self._runs["worker"] += 1
        if not self._stopping.is_set():
            self.worker.run()

    def start(self) -> None:
        if self._threads:
            return
        self.relay.declare_topology()  # before the worker looks for its queues
        self._runs = {"relay": 0, "worker": 0}
        self._threads = [  # each restarted if it dies (hub.supervision)
            Supervised("hub-embedded-relay", self._run_relay, self._stopping).start(),
            Supervised("hub-embedded-connectors", self._run_worker, self._stopping).start(),
        ]
        log.info("embedded delivery started (no HUB_AMQP_URL): relay and connectors in-process")

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        self.relay.stop()
        self.worker.stop()
        for t in self._threads:
            t.join(timeout)
        self._threads = []
        self.connectors.close()
        self.transport.close()


def start_for_server(ctx: HubContext, app: Any) -> Any:
    """`hub serve` / `hub demo`: metrics always; embedded delivery when there is no broker.

    With HUB_AMQP_URL the relay and connectors run as `hub relay` / `hub connector all`.
    """
    settings = ctx.settings.delivery_settings()
    metrics.install(ctx, settings)
    if settings.amqp_url:
        app.state.broker_probe = lambda: broker_reachable(settings)
        return None
    delivery = EmbeddedDelivery(ctx, settings)
    delivery.start()
    app.state.embedded_delivery = delivery
    return delivery.stop
