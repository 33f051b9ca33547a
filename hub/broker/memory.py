"""An in-process broker (`memory://`): the embedded default's transport.

Without `HUB_AMQP_URL` the hub runs the same relay and the same connector workers as with
RabbitMQ, over this broker instead of a network (as kombu runs one producer and consumer
over `memory://`). It does what the hub's topology asks of RabbitMQ, and no more:

- exchanges `direct`, `fanout`, `topic`, `headers` (binding arguments named `x-...` are
  ignored, as RabbitMQ ignores them) and the default exchange;
- queues with `x-delivery-limit` (a message returned more often is dead-lettered,
  reason `delivery_limit`), `x-dead-letter-exchange` (and its routing key), `x-message-ttl`
  and per-message `expiration` (an expired message is dead-lettered, reason `expired`,
  which is how the retry tiers hand messages back);
- policies (`set_policy`: delivery limit, dead-lettering, TTL) matched by pattern, under
  a queue's own arguments, as RabbitMQ applies them;
- consumers with a prefetch count; ack, nack with or without requeue, cancel; a closed
  channel's unacknowledged messages go back to their queues, counted as deliveries.

One difference matters: nothing here survives the process. So a publish is confirmed only
when the message has been settled for good (acknowledged by its last consumer, after any
retries and dead-lettering: copies published with the same `message_id` while it is in
flight count as the same message), not when it is stored. The relay keeps a row pending
until that confirm, so after a crash every message not yet settled is sent again, and the
hub's one durable store stays the outbox.

Connections look like the subset of pika's `SelectConnection` (the relay) and
`BlockingConnection` (the workers, topology declarations) that the hub uses.
"""

from __future__ import annotations

import heapq
import itertools
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pika
from pika.exceptions import ChannelClosedByBroker, UnroutableError

from hub.broker.policies import Policy, effective_arguments
from hub.logsafety import get_logger

log = get_logger("hub.broker.memory")


# ---- the loop a connection's callbacks run on -------------------------------------------
class Loop:
    """Callbacks and timers, run on the thread that runs the loop (`start` or `run_for`)."""

    def __init__(self) -> None:
        self._cv = threading.Condition()
        self._calls: deque[Callable[[], None]] = deque()
        self._timers: list[tuple[float, int, Callable[[], None]]] = []
        self._seq = itertools.count()
        self._running = False

    def add_callback_threadsafe(self, callback: Callable[[], None]) -> None:
        with self._cv:
            self._calls.append(callback)
            self._cv.notify()

    def call_later(self, delay: float, callback: Callable[[], None]) -> int:
        seq = next(self._seq)
        with self._cv:
            heapq.heappush(self._timers, (time.monotonic() + max(0.0, delay), seq, callback))
            self._cv.notify()
        return seq

    def run_for(self, seconds: float) -> None:
        """Run what is due, waiting up to `seconds` for more (at least one pass)."""
        end = time.monotonic() + max(0.0, seconds)
        while True:
            ran = self._run_due()
            now = time.monotonic()
            if now >= end or (ran and seconds == 0):
                return
            with self._cv:
                if self._calls:
                    continue
                wait = end - now
                if self._timers:
                    wait = min(wait, self._timers[0][0] - now)
                if wait > 0:
                    self._cv.wait(wait)

    def _run_due(self) -> bool:
        now = time.monotonic()
        with self._cv:
            due = list(self._calls)
            self._calls.clear()
            while self._timers and self._timers[0][0] <= now:
                due.append(heapq.heappop(self._timers)[2])
        for callback in due:
            callback()
        return bool(due)

    def start(self) -> None:
        self._running = True
        while self._running:
            self.run_for(0.5)

    def stop(self) -> None:
        self._running = False
        with self._cv:
            self._cv.notify()


# ---- the broker ------------------------------------------------------------------------
@dataclass(eq=False)
class _Msg:
    exchange: str
    routing_key: str
    properties: pika.BasicProperties
    body: bytes
    lineage: str | None = None
    returned: int = 0  # times handed out and given back (RabbitMQ's delivery count)
    expires_at: float | None = None


@dataclass(eq=False)
class _Consumer:
    channel: _Channel
    queue: _Queue
    tag: str
    callback: Callable[..., None]
    prefetch: int
    unacked: int = 0

    def has_room(self) -> bool:
        return self.channel.is_open and (self.prefetch == 0 or self.unacked < self.prefetch)


@dataclass(eq=False)
class _Queue:
    name: str
    #: In effect: the matching policy's keys under the queue's own arguments.
    arguments: dict[str, Any]
    declared: dict[str, Any] = field(default_factory=dict)
    ready: deque[_Msg] = field(default_factory=deque)
    consumers: list[_Consumer] = field(default_factory=list)
    turn: int = 0


@dataclass
class _Lineage:
    """A published message and its copies in flight; its publishers wait for them all."""

    live: int = 0
    waiters: list[Callable[[], None]] = field(default_factory=list)


@dataclass(frozen=True)
class _Binding:
    exchange: str
    queue: str
    routing_key: str
    arguments: tuple[tuple[str, Any], ...]


def _topic_matches(pattern: str, key: str) -> bool:
    regex = "^" + re.escape(pattern).replace(r"\#", ".*").replace(r"\*", "[^.]+") + "$"
    return re.match(regex, key) is not None


class MemoryBroker:
    """Exchanges, queues and bindings in memory; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._exchanges: dict[str, str] = {"": "direct"}
        self._queues: dict[str, _Queue] = {}
        self._bindings: set[_Binding] = set()
        self._policies: dict[str, Policy] = {}
        self._lineages: dict[str, _Lineage] = {}
        self._timers = Loop()
        self._timer_thread = threading.Thread(
            target=self._timers.start, name="memory-broker-timers", daemon=True
        )
        self._timer_thread.start()

    def close(self) -> None:
        self._timers.stop()

    # topology
    def declare_exchange(self, name: str, type_: str) -> None:
        with self._lock:
            self._exchanges.setdefault(name, type_)

    def declare_queue(self, name: str, arguments: dict[str, Any] | None, passive: bool) -> int:
        with self._lock:
            queue = self._queues.get(name)
            if queue is None:
                if passive:
                    raise ChannelClosedByBroker(404, f"NOT_FOUND - no queue '{name}'")
                declared = dict(arguments or {})
                queue = self._queues[name] = _Queue(
                    name,
                    effective_arguments(list(self._policies.values()), name, declared),
                    declared,
                )
            return len(queue.ready)

    def set_policy(self, policy: Policy) -> None:
        """As `rabbitmqctl set_policy`: it applies at once to the queues it matches."""
        with self._lock:
            self._policies[policy.name] = policy
            policies = list(self._policies.values())
            for queue in self._queues.values():
                queue.arguments = effective_arguments(policies, queue.name, queue.declared)

    def bind(self, queue: str, exchange: str, routing_key: str, arguments: Any) -> None:
        with self._lock:
            self._bindings.add(_binding(queue, exchange, routing_key, arguments))

    def unbind(self, queue: str, exchange: str, routing_key: str, arguments: Any) -> None:
        with self._lock:
            self._bindings.discard(_binding(queue, exchange, routing_key, arguments))

    def delete_queue(self, name: str) -> None:
        with self._lock:
            queue = self._queues.pop(name, None)
            self._bindings = {b for b in self._bindings if b.queue != name}
            for msg in queue.ready if queue else ():
                self._done(msg)

    def delete_exchange(self, name: str) -> None:
        with self._lock:
            self._exchanges.pop(name, None)
            self._bindings = {b for b in self._bindings if b.exchange != name}

    def depth(self, name: str) -> int:
        with self._lock:
            queue = self._queues.get(name)
            return len(queue.ready) if queue else 0

    # publishing
    def publish(
        self,
        exchange: str,
        routing_key: str,
        body: bytes,
        properties: pika.BasicProperties | None,
        *,
        settled: Callable[[], None] | None = None,
    ) -> tuple[bool, bool]:
        """Route a message. Answers whether a queue took it, and whether `settled` (the
        relay's confirm) will be called: once the message and every copy of it in flight
        are settled. An unroutable message with no copy in flight is the caller's to
        confirm (after its return, as RabbitMQ orders them)."""
        props = properties or pika.BasicProperties()
        with self._lock:
            queues = self._route(exchange, routing_key, props.headers or {})
            lineage_id = props.message_id
            lineage = self._lineages.get(lineage_id) if lineage_id else None
            if queues and lineage is None and settled is not None and lineage_id:
                lineage = self._lineages[lineage_id] = _Lineage()
            waiting = settled is not None and lineage is not None and lineage_id is not None
            if waiting:
                lineage.waiters.append(settled)  # type: ignore[union-attr,arg-type]
            for queue in queues:
                self._enqueue(
                    queue,
                    _Msg(
                        exchange,
                        routing_key,
                        props,
                        body,
                        lineage_id if lineage is not None else None,
                    ),
                )
        return bool(queues), waiting

    def _route(self, exchange: str, routing_key: str, headers: dict[str, Any]) -> list[_Queue]:
        if exchange == "":
            queue = self._queues.get(routing_key)
            return [queue] if queue else []
        kind = self._exchanges.get(exchange)
        if kind is None:
            return []
        names: list[str] = []
        for b in self._bindings:
            if b.exchange != exchange or b.queue in names:
                continue
            if (
                kind == "fanout"
                or (kind == "direct" and b.routing_key == routing_key)
                or (kind == "topic" and _topic_matches(b.routing_key, routing_key))
                or (kind == "headers" and _headers_match(dict(b.arguments), headers))
            ):
                names.append(b.queue)
        return [self._queues[n] for n in sorted(names) if n in self._queues]

    def _enqueue(self, queue: _Queue, msg: _Msg) -> None:
        if msg.lineage is not None:
            self._lineages[msg.lineage].live += 1
        ttls = []
        if "x-message-ttl" in queue.arguments:
            ttls.append(float(queue.arguments["x-message-ttl"]))
        if msg.properties.expiration is not None:
            ttls.append(float(msg.properties.expiration))
        if ttls:
            msg.expires_at = time.monotonic() + min(ttls) / 1000.0
            self._timers.call_later(min(ttls) / 1000.0, lambda: self._expire(queue, msg))
        queue.ready.append(msg)
        self._dispatch(queue)

    def _expire(self, queue: _Queue, msg: _Msg) -> None:
        with self._lock:
            if msg in queue.ready:
                queue.ready.remove(msg)
                self._dead_letter(queue, msg, "expired")

    def _dispatch(self, queue: _Queue) -> None:
        while queue.ready and queue.consumers:
            n = len(queue.consumers)
            consumer = None
            for i in range(n):
                candidate = queue.consumers[(queue.turn + i) % n]
                if candidate.has_room():
                    consumer = candidate
                    queue.turn = (queue.turn + i + 1) % n
                    break
            if consumer is None:
                return
            msg = queue.ready.popleft()
            consumer.unacked += 1
            consumer.channel.deliver(consumer, msg)

    # settling
    def ack(self, consumer: _Consumer, msg: _Msg) -> None:
        with self._lock:
            consumer.unacked -= 1
            self._done(msg)
            self._dispatch(consumer.queue)

    def nack(self, consumer: _Consumer, msg: _Msg, requeue: bool) -> None:
        with self._lock:
            consumer.unacked -= 1
            if requeue:
                self._give_back(consumer.queue, msg)
            else:
                self._dead_letter(consumer.queue, msg, "rejected")
            self._dispatch(consumer.queue)

    def _give_back(self, queue: _Queue, msg: _Msg) -> None:
        msg.returned += 1
        limit = queue.arguments.get("x-delivery-limit")
        if limit is not None and msg.returned > int(limit):
            self._dead_letter(queue, msg, "delivery_limit")
            return
        if queue.name in self._queues:
            queue.ready.appendleft(msg)
        else:
            self._done(msg)

    def _dead_letter(self, queue: _Queue, msg: _Msg, reason: str) -> None:
        exchange = queue.arguments.get("x-dead-letter-exchange")
        if exchange is not None:
            key = queue.arguments.get("x-dead-letter-routing-key") or msg.routing_key
            headers = dict(msg.properties.headers or {})
            deaths = list(headers.get("x-death") or [])
            deaths.insert(
                0,
                {
                    "reason": reason,
                    "queue": queue.name,
                    "count": 1,
                    "exchange": msg.exchange,
                    "routing-keys": [msg.routing_key],
                },
            )
            headers["x-death"] = deaths
            if msg.returned:
                headers["x-delivery-count"] = msg.returned
            props = _copy(msg.properties, headers=headers, expiration=None)
            for target in self._route(exchange, key, headers):
                self._enqueue(target, _Msg(exchange, key, props, msg.body, msg.lineage))
        self._done(msg)

    def _done(self, msg: _Msg) -> None:
        if msg.lineage is None:
            return
        lineage = self._lineages.get(msg.lineage)
        if lineage is None:
            return
        lineage.live -= 1
        if lineage.live <= 0:
            self._settle(msg.lineage)

    def _settle(self, lineage_id: str) -> None:
        lineage = self._lineages.pop(lineage_id, None)
        for waiter in lineage.waiters if lineage else ():
            waiter()

    # consumers
    def consume(self, consumer: _Consumer) -> None:
        with self._lock:
            consumer.queue.consumers.append(consumer)
            self._dispatch(consumer.queue)

    def cancel(self, consumer: _Consumer) -> None:
        with self._lock:
            if consumer in consumer.queue.consumers:
                consumer.queue.consumers.remove(consumer)

    def queue(self, name: str) -> _Queue:
        with self._lock:
            queue = self._queues.get(name)
            if queue is None:
                raise ChannelClosedByBroker(404, f"NOT_FOUND - no queue '{name}'")
            return queue

    def closed(self, consumers: list[_Consumer], unacked: list[tuple[_Consumer, _Msg]]) -> None:
        """A channel closed: its consumers go, its messages in hand go back to their queues."""
        with self._lock:
            for consumer in consumers:
                self.cancel(consumer)
            queues = set()
            for consumer, msg in unacked:
                consumer.unacked -= 1
                self._give_back(consumer.queue, msg)
                queues.add(consumer.queue)
            for queue in queues:
                self._dispatch(queue)


def _binding(queue: str, exchange: str, routing_key: str | None, arguments: Any) -> _Binding:
    return _Binding(exchange, queue, routing_key or "", tuple(sorted((arguments or {}).items())))


def _headers_match(arguments: dict[str, Any], headers: dict[str, Any]) -> bool:
    mode = str(arguments.get("x-match", "all"))
    with_x = mode.endswith("-with-x")
    wanted = {
        k: v for k, v in arguments.items() if k != "x-match" and (with_x or not k.startswith("x-"))
    }
    hits = [k in headers and (v is None or headers[k] == v) for k, v in wanted.items()]
    return any(hits) if mode.startswith("any") else all(hits)


def _copy(p: pika.BasicProperties, **changes: Any) -> pika.BasicProperties:
    fields = {
        name: getattr(p, name)
        for name in (
            "content_type",
            "content_encoding",
            "headers",
            "delivery_mode",
            "priority",
            "correlation_id",
            "reply_to",
            "expiration",
            "message_id",
            "timestamp",
            "type",
            "user_id",
            "app_id",
            "cluster_id",
        )
    }
    fields.update(changes)
    return pika.BasicProperties(**fields)


# ---- channels and connections ---------------------------------------------------------
class _Result:
    """What pika answers a declaration with, as far as the hub reads it."""

    def __init__(self, message_count: int = 0) -> None:
        self.method = pika.spec.Queue.DeclareOk(message_count=message_count)


class _Channel:
    def __init__(self, connection: Any, number: int) -> None:
        self.connection = connection
        self.broker: MemoryBroker = connection.broker
        self.channel_number = number
        self.is_open = True
        self._prefetch = 0
        self._next_tag = 0
        self._consumers: dict[str, _Consumer] = {}
        self._unacked: dict[int, tuple[_Consumer, _Msg]] = {}
        self._lock = threading.Lock()

    @property
    def is_closed(self) -> bool:
        return not self.is_open

    def _done(self, callback: Callable[..., None] | None, result: Any = None) -> Any:
        if callback is not None:
            self.connection.ioloop.add_callback_threadsafe(lambda: callback(result))
        return result

    def _check_open(self) -> None:
        if not self.is_open:
            raise pika.exceptions.ChannelWrongStateError("channel is closed")

    # topology
    def exchange_declare(
        self,
        exchange: str,
        exchange_type: str = "direct",
        *_: Any,
        callback: Any = None,
        **__: Any,
    ) -> Any:
        self.broker.declare_exchange(exchange, str(exchange_type))
        return self._done(callback)

    def queue_declare(
        self,
        queue: str,
        passive: bool = False,
        *_: Any,
        arguments: Any = None,
        callback: Any = None,
        **__: Any,
    ) -> Any:
        count = self.broker.declare_queue(queue, arguments, passive)
        return self._done(callback, _Result(count))

    def queue_bind(
        self,
        queue: str,
        exchange: str,
        routing_key: str | None = None,
        arguments: Any = None,
        callback: Any = None,
    ) -> Any:
        self.broker.bind(queue, exchange, routing_key or "", arguments)
        return self._done(callback)

    def queue_unbind(
        self,
        queue: str,
        exchange: str | None = None,
        routing_key: str | None = None,
        arguments: Any = None,
        callback: Any = None,
    ) -> Any:
        self.broker.unbind(queue, exchange or "", routing_key or "", arguments)
        return self._done(callback)

    def queue_delete(self, queue: str, *_: Any, callback: Any = None, **__: Any) -> Any:
        self.broker.delete_queue(queue)
        return self._done(callback)

    def exchange_delete(
        self, exchange: str | None = None, *_: Any, callback: Any = None, **__: Any
    ) -> Any:
        self.broker.delete_exchange(exchange or "")
        return self._done(callback)

    # consuming
    def basic_qos(
        self,
        prefetch_size: int = 0,
        prefetch_count: int = 0,
        *_: Any,
        callback: Any = None,
        **__: Any,
    ) -> Any:
        self._prefetch = prefetch_count
        return self._done(callback)

    def basic_consume(
        self,
        queue: str,
        on_message_callback: Callable[..., None],
        auto_ack: bool = False,
        exclusive: bool = False,
        consumer_tag: str | None = None,
        arguments: Any = None,
        callback: Any = None,
    ) -> str:
        self._check_open()
        tag = consumer_tag or f"ctag-{id(self)}-{len(self._consumers) + 1}"
        consumer = _Consumer(
            self, self.broker.queue(queue), tag, on_message_callback, self._prefetch
        )
        self._consumers[tag] = consumer
        self.broker.consume(consumer)
        self._done(callback)
        return tag

    def basic_cancel(self, consumer_tag: str = "", callback: Any = None) -> Any:
        consumer = self._consumers.pop(consumer_tag, None)
        if consumer is not None:
            self.broker.cancel(consumer)
        return self._done(callback)

    def deliver(self, consumer: _Consumer, msg: _Msg) -> None:
        """From the broker (under its lock): hand `msg` to `consumer` on its loop."""
        with self._lock:
            self._next_tag += 1
            tag = self._next_tag
            self._unacked[tag] = (consumer, msg)
        method = pika.spec.Basic.Deliver(
            consumer_tag=consumer.tag,
            delivery_tag=tag,
            redelivered=msg.returned > 0,
            exchange=msg.exchange,
            routing_key=msg.routing_key,
        )
        self.connection.ioloop.add_callback_threadsafe(
            lambda: consumer.callback(self, method, msg.properties, msg.body)
        )

    def _take(self, delivery_tag: int, multiple: bool) -> list[tuple[_Consumer, _Msg]]:
        with self._lock:
            tags = [t for t in self._unacked if t <= delivery_tag] if multiple else [delivery_tag]
            return [self._unacked.pop(t) for t in tags if t in self._unacked]

    def basic_ack(self, delivery_tag: int = 0, multiple: bool = False) -> None:
        self._check_open()
        for consumer, msg in self._take(delivery_tag, multiple):
            self.broker.ack(consumer, msg)

    def basic_nack(
        self, delivery_tag: int = 0, multiple: bool = False, requeue: bool = True
    ) -> None:
        self._check_open()
        for consumer, msg in self._take(delivery_tag, multiple):
            self.broker.nack(consumer, msg, requeue)

    def basic_reject(self, delivery_tag: int = 0, requeue: bool = True) -> None:
        self.basic_nack(delivery_tag, False, requeue)

    def close(self, *_: Any, **__: Any) -> None:
        if not self.is_open:
            return
        self.is_open = False
        with self._lock:
            unacked = list(self._unacked.values())
            self._unacked.clear()
        consumers = list(self._consumers.values())
        self._consumers.clear()
        self.broker.closed(consumers, unacked)


class MemoryBlockingChannel(_Channel):
    """pika's `BlockingChannel`, as the workers use it."""

    def __init__(self, connection: Any, number: int) -> None:
        super().__init__(connection, number)
        self._confirming = False

    def confirm_delivery(self) -> None:
        self._confirming = True

    def basic_publish(
        self,
        exchange: str,
        routing_key: str,
        body: bytes,
        properties: pika.BasicProperties | None = None,
        mandatory: bool = False,
    ) -> None:
        self._check_open()
        routed, _ = self.broker.publish(exchange, routing_key, body, properties)
        if mandatory and not routed and self._confirming:
            raise UnroutableError([])


class MemoryAsyncChannel(_Channel):
    """pika's asynchronous `Channel`, as the relay uses it: confirms come when settled."""

    def __init__(self, connection: Any, number: int) -> None:
        super().__init__(connection, number)
        self._on_confirm: Callable[[Any], None] | None = None
        self._on_return: list[Callable[..., None]] = []
        self._on_close: list[Callable[..., None]] = []
        self._published = 0

    def confirm_delivery(
        self, ack_nack_callback: Callable[[Any], None], callback: Any = None
    ) -> None:
        self._on_confirm = ack_nack_callback
        self._done(callback, pika.frame.Method(self.channel_number, pika.spec.Confirm.SelectOk()))

    def add_on_return_callback(self, callback: Callable[..., None]) -> None:
        self._on_return.append(callback)

    def add_on_close_callback(self, callback: Callable[..., None]) -> None:
        self._on_close.append(callback)

    def basic_publish(
        self,
        exchange: str,
        routing_key: str,
        body: bytes,
        properties: pika.BasicProperties | None = None,
        mandatory: bool = False,
    ) -> None:
        self._check_open()
        self._published += 1
        tag = self._published
        loop = self.connection.ioloop

        def confirm() -> None:
            if self._on_confirm is not None and self.is_open:
                ack = pika.spec.Basic.Ack(delivery_tag=tag, multiple=False)
                self._on_confirm(pika.frame.Method(self.channel_number, ack))

        settled = None
        if self._on_confirm is not None:

            def settled() -> None:
                loop.add_callback_threadsafe(confirm)

        routed, waiting = self.broker.publish(
            exchange, routing_key, body, properties, settled=settled
        )
        if not routed and mandatory:
            method = pika.spec.Basic.Return(312, "NO_ROUTE", exchange, routing_key)
            props = properties or pika.BasicProperties()
            for callback in self._on_return:
                loop.add_callback_threadsafe(lambda cb=callback: cb(self, method, props, body))
        if settled is not None and not waiting:
            loop.add_callback_threadsafe(confirm)

    def close(self, *_: Any, **__: Any) -> None:
        was_open = self.is_open
        super().close()
        if was_open:
            for callback in self._on_close:
                self.connection.ioloop.add_callback_threadsafe(
                    lambda cb=callback: cb(self, pika.exceptions.ChannelClosedByClient(200, "OK"))
                )


class MemoryBlockingConnection:
    """pika's `BlockingConnection`, as the workers and the topology declarations use it."""

    def __init__(self, broker: MemoryBroker) -> None:
        self.broker = broker
        self.ioloop = Loop()
        self.is_open = True
        self._channels: list[_Channel] = []

    @property
    def is_closed(self) -> bool:
        return not self.is_open

    def channel(self) -> MemoryBlockingChannel:
        ch = MemoryBlockingChannel(self, len(self._channels) + 1)
        self._channels.append(ch)
        return ch

    def process_data_events(self, time_limit: float = 0) -> None:
        self.ioloop.run_for(time_limit or 0)

    def add_callback_threadsafe(self, callback: Callable[[], None]) -> None:
        if not self.is_open:
            raise pika.exceptions.ConnectionWrongStateError("connection is closed")
        self.ioloop.add_callback_threadsafe(callback)

    def call_later(self, delay: float, callback: Callable[[], None]) -> int:
        return self.ioloop.call_later(delay, callback)

    def close(self, *_: Any, **__: Any) -> None:
        if not self.is_open:
            return
        self.is_open = False
        for ch in self._channels:
            ch.close()


class MemoryAsyncConnection:
    """pika's `SelectConnection`, as the relay uses it; its loop runs on `ioloop.start()`."""

    def __init__(
        self,
        broker: MemoryBroker,
        on_open_callback: Callable[[Any], None],
        on_open_error_callback: Callable[[Any, BaseException], None] | None = None,
        on_close_callback: Callable[[Any, BaseException], None] | None = None,
    ) -> None:
        self.broker = broker
        self.ioloop = Loop()
        self.is_open = True
        self._on_close = on_close_callback
        self._channels: list[MemoryAsyncChannel] = []
        self.ioloop.add_callback_threadsafe(lambda: on_open_callback(self))

    @property
    def is_closed(self) -> bool:
        return not self.is_open

    def add_on_connection_blocked_callback(self, _callback: Any) -> None:
        pass  # memory is never blocked by a resource alarm

    def add_on_connection_unblocked_callback(self, _callback: Any) -> None:
        pass

    def channel(self, on_open_callback: Callable[[Any], None]) -> MemoryAsyncChannel:
        ch = MemoryAsyncChannel(self, len(self._channels) + 1)
        self._channels.append(ch)
        self.ioloop.add_callback_threadsafe(lambda: on_open_callback(ch))
        return ch

    def close(self, *_: Any, **__: Any) -> None:
        if not self.is_open:
            return
        self.is_open = False
        for ch in self._channels:
            ch.close()
        if self._on_close is not None:
            on_close = self._on_close
            reason = pika.exceptions.ConnectionClosedByClient(200, "Normal shutdown")
            self.ioloop.add_callback_threadsafe(lambda: on_close(self, reason))
