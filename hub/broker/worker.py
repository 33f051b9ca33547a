"""`hub connector NAME`: consume party queues and hand each message to a connector.

One pika `BlockingConnection`, owned by the worker's thread. Connectors run in thread pools
(one pool per queue, so a party whose system hangs only ties up its own threads); their
outcomes come back to the connection's thread through `add_callback_threadsafe`, the one
pika call that is safe from other threads. Only that thread acks, nacks and publishes.

Outcomes: Delivered -> ack. Retry -> copy to the retry exchange (tier by delay, per-message
TTL with jitter), confirmed, then ack; for an ordered queue the same message is tried again
in place instead. Dead -> copy to the dead-letter exchange with the reason, confirmed, then
ack. Forward -> publish the copy, confirmed, then ack. A connector that raises -> nack with
requeue: the quorum queue counts deliveries and dead-letters the message after
`x-delivery-limit` (a poison message), while the rest of the queue keeps flowing.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pika

from hub.broker import metrics
from hub.broker.reconnect import reconnecting
from hub.broker.topology import RETRY_TIER, Topology, tier_name
from hub.broker.transport import Transport, transport_for
from hub.delivery.message import Delivery, Message
from hub.delivery.outcomes import Connector, Dead, Delivered, Forward, Outcome, Retry
from hub.delivery.settings import DeliverySettings
from hub.logsafety import bound, get_logger, message_facts

log = get_logger("hub.worker")


Handler = Callable[[Delivery], Outcome]


@dataclass
class Subscription:
    queue: str
    handler: Handler
    name: str
    ordered: bool = False
    concurrency: int = 8
    #: Declares the queue (idempotently) before the worker consumes it: a party's queue
    #: may not exist yet when the registry has just made it a pushed party.
    declare: Callable[[Any], None] | None = None


#: The subscriptions a worker should hold now: a fixed list, or asked again every
#: `follow_every` seconds (the registry changes while connectors run).
Plan = list[Subscription] | Callable[[], list[Subscription]]


def outbox_handler(connector: Connector) -> Handler:
    def handle(d: Delivery) -> Outcome:
        message = Message.from_delivery(d.routing_key, d.properties, d.body, d.redelivered)
        with bound(**message_facts(message)):
            return connector.handle(message)

    return handle


class Worker:
    def __init__(
        self,
        settings: DeliverySettings,
        subscriptions: Plan,
        *,
        prefetch: int | None = None,
        follow_every: float = 1.0,
        transport: Transport | None = None,
    ) -> None:
        self.settings = settings
        self.transport = transport or transport_for(settings)
        self.topology = Topology(settings)
        self.plan = subscriptions
        self.prefetch = prefetch or settings.prefetch
        self.follow_every = follow_every
        self._pools: dict[str, ThreadPoolExecutor] = {}
        #: queue -> (subscription, channel, consumer tag) of the current connection.
        self._consuming: dict[str, tuple[Subscription, Any, str]] = {}
        self._stopping = threading.Event()
        self._conn: Any = None
        self._publisher: Any = None
        self._unordered: Any = None
        self._generation = 0
        self.settled = 0

    @property
    def subscriptions(self) -> list[Subscription]:
        return list(self.plan) if isinstance(self.plan, list) else self.plan()

    def consuming(self) -> dict[str, str]:
        """Queue -> subscription name of what this worker consumes now (thread-safe read)."""
        return {q: sub.name for q, (sub, _, _) in list(self._consuming.items())}

    def _pool(self, sub: Subscription) -> ThreadPoolExecutor:
        pool = self._pools.get(sub.queue)
        if pool is None:
            pool = self._pools[sub.queue] = ThreadPoolExecutor(
                max_workers=1 if sub.ordered else sub.concurrency,
                thread_name_prefix=f"conn-{sub.name}",
            )
        return pool

    # ---- lifecycle --------------------------------------------------------------------
    def run(self, *, max_seconds: float | None = None) -> None:
        deadline = time.monotonic() + max_seconds if max_seconds else None
        try:
            for attempt in reconnecting("connector", self._stopping, deadline):
                with attempt:
                    if self._stopping.is_set():
                        break
                    self._session(deadline)
        finally:
            for pool in self._pools.values():
                pool.shutdown(wait=False, cancel_futures=True)

    def stop(self) -> None:
        """Thread-safe."""
        self._stopping.set()

    def _session(self, deadline: float | None) -> None:
        self._generation += 1
        generation = self._generation
        conn = self.transport.blocking_connection("connector")
        self._conn = conn
        self._consuming = {}
        try:
            self._publisher = conn.channel()
            self._publisher.confirm_delivery()
            self._unordered = conn.channel()
            self._unordered.basic_qos(prefetch_count=self.prefetch)
            self._follow(conn, generation, initial=True)
            log.info(
                "consuming %d queue(s) on %s", len(self._consuming), self.transport.description
            )
            followed = time.monotonic()
            while not self._stopping.is_set():
                if deadline and time.monotonic() > deadline:
                    self._stopping.set()
                    break
                conn.process_data_events(time_limit=0.2)
                if time.monotonic() - followed >= self.follow_every:
                    followed = time.monotonic()
                    self._follow(conn, generation)
        finally:
            self._conn = None
            self._consuming = {}
            if conn.is_open:
                try:
                    conn.close()
                except Exception:  # closing a broken connection: nothing to save
                    log.debug("close failed", exc_info=True)

    def _follow(self, conn: Any, generation: int, *, initial: bool = False) -> None:
        """Consume what the plan says now: new queues start, dropped ones are cancelled (the
        messages in hand still settle on their channel)."""
        wanted = {s.queue: s for s in self.subscriptions}
        for queue, (sub, channel, tag) in list(self._consuming.items()):
            if queue not in wanted or wanted[queue].name != sub.name:
                channel.basic_cancel(tag)
                del self._consuming[queue]
                log.info("stopped consuming %s (%s)", queue, sub.name)
        for queue, sub in wanted.items():
            if queue in self._consuming:
                continue
            if sub.declare is not None:
                declaring = conn.channel()
                sub.declare(declaring)
                declaring.close()
            if sub.ordered:
                channel = conn.channel()
                channel.basic_qos(prefetch_count=1)
            else:
                channel = self._unordered
            tag = f"{sub.name}:{sub.queue}:{generation}"
            channel.basic_consume(
                sub.queue, functools.partial(self._on_message, sub, generation), consumer_tag=tag
            )
            self._consuming[queue] = (sub, channel, tag)
            (log.debug if initial else log.info)("consuming %s (%s)", queue, sub.name)

    # ---- messages ---------------------------------------------------------------------
    def _on_message(
        self,
        sub: Subscription,
        generation: int,
        channel: Any,
        method: Any,
        props: Any,
        body: bytes,
    ) -> None:
        delivery = Delivery(method.routing_key, props, body, bool(method.redelivered))
        self._submit(sub, generation, channel, method.delivery_tag, delivery)

    def _submit(
        self, sub: Subscription, generation: int, channel: Any, tag: int, delivery: Delivery
    ) -> None:
        conn = self._conn
        if conn is None:
            return
        future = self._pool(sub).submit(sub.handler, delivery)

        def done(f: Future[Outcome]) -> None:
            try:
                conn.add_callback_threadsafe(
                    functools.partial(self._settle, sub, generation, channel, tag, delivery, f)
                )
            except Exception:  # connection gone: the broker redelivers the message
                log.debug("outcome dropped with its connection", exc_info=True)

        future.add_done_callback(done)

    def _settle(
        self,
        sub: Subscription,
        generation: int,
        channel: Any,
        tag: int,
        delivery: Delivery,
        future: Future[Outcome],
    ) -> None:
        if generation != self._generation or not channel.is_open:
            return  # an old connection's message: it is redelivered on the new one
        try:
            outcome = future.result()
        except Exception as exc:
            log.exception("connector %s failed on %s", sub.name, delivery.properties.message_id)
            metrics.DELIVERIES.labels(sub.name, "crashed").inc()
            channel.basic_nack(tag, requeue=True)
            self.settled += 1
            _ = exc
            return
        if isinstance(outcome, Delivered):
            channel.basic_ack(tag)
        elif isinstance(outcome, Retry):
            if sub.ordered:
                metrics.DELIVERIES.labels(sub.name, "retry").inc()
                assert self._conn is not None
                self._conn.call_later(
                    outcome.delay,
                    functools.partial(self._resubmit, sub, generation, channel, tag, delivery),
                )
                return
            self._publish_retry(delivery, outcome)
            channel.basic_ack(tag)
        elif isinstance(outcome, Dead):
            self._publish_dead(delivery, outcome.reason, sub.name)
            channel.basic_ack(tag)
        elif isinstance(outcome, Forward):
            self._publisher.basic_publish(
                outcome.exchange,
                outcome.routing_key,
                outcome.body,
                pika.BasicProperties(
                    message_id=delivery.properties.message_id,
                    type=delivery.properties.type,
                    content_type=outcome.content_type,
                    delivery_mode=pika.DeliveryMode.Persistent,
                    headers=outcome.headers,
                ),
                mandatory=True,
            )
            channel.basic_ack(tag)
        metrics.DELIVERIES.labels(sub.name, outcome_label(outcome)).inc()
        self.settled += 1

    def _resubmit(
        self, sub: Subscription, generation: int, channel: Any, tag: int, delivery: Delivery
    ) -> None:
        if generation == self._generation and channel.is_open and not self._stopping.is_set():
            headers = dict(delivery.properties.headers or {})
            headers["x-attempt"] = int(headers.get("x-attempt") or 0) + 1
            props = _copy_props(delivery.properties, headers)
            self._submit(
                sub,
                generation,
                channel,
                tag,
                Delivery(delivery.routing_key, props, delivery.body, True),
            )

    def _publish_retry(self, delivery: Delivery, outcome: Retry) -> None:
        tier = self.topology.tier_for(outcome.delay)
        headers = dict(delivery.properties.headers or {})
        headers["x-attempt"] = int(headers.get("x-attempt") or 0) + 1
        headers[RETRY_TIER] = tier_name(tier)
        headers["x-last-error"] = outcome.reason[:300]
        if outcome.deliver_by is not None and "x-deliver-by" not in headers:
            headers["x-deliver-by"] = outcome.deliver_by.isoformat()
        props = _copy_props(delivery.properties, headers)
        props.expiration = str(max(1, int(min(outcome.delay, tier) * 1000)))
        self._publisher.basic_publish(
            self.topology.retry_exchange,
            delivery.routing_key,
            delivery.body,
            props,
            mandatory=True,
        )

    def _publish_dead(self, delivery: Delivery, reason: str, connector: str) -> None:
        headers = dict(delivery.properties.headers or {})
        headers["x-hub-dead-reason"] = reason[:500]
        headers["x-hub-dead-attempts"] = int(headers.get("x-attempt") or 0) + 1
        headers["x-hub-dead-connector"] = connector
        props = _copy_props(delivery.properties, headers)
        self._publisher.basic_publish(
            self.topology.dead_exchange, delivery.routing_key, delivery.body, props
        )


def outcome_label(outcome: Outcome) -> str:
    """The metric's outcome: "delivered" only for what was sent."""
    if isinstance(outcome, Delivered) and not outcome.sent:
        return "skipped"
    return type(outcome).__name__.lower()


def _copy_props(p: Any, headers: dict[str, Any]) -> pika.BasicProperties:
    return pika.BasicProperties(
        message_id=p.message_id,
        type=p.type,
        content_type=p.content_type,
        delivery_mode=pika.DeliveryMode.Persistent,
        headers=headers,
        user_id=None,
        reply_to=p.reply_to,
        correlation_id=p.correlation_id,
    )
