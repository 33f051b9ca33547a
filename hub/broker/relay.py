"""`hub relay`: publish outbox rows to RabbitMQ with asynchronous publisher confirms.

One pika `SelectConnection` per relay, driven from its own thread (pika is not thread-safe:
other threads only ever call `stop()`, which goes through `add_callback_threadsafe`).

A *batch* is claimed from the outbox, published without waiting (many messages in flight,
several batches at once), and marked sent when every publish in it is settled: acked rows
get `sent_at`, nacked or returned rows stay unsent for the next claim. Nothing is marked
before the broker's ack, so a crash or a lost connection at any point only causes a resend,
and parties drop repeats by `message_id`.

PostgreSQL: a batch is claimed with `SELECT ... FOR UPDATE SKIP LOCKED` and its transaction
stays open until the batch is settled, so several relays share the outbox without
publishing the same row twice; a dead connection rolls back and the rows go to the next
claim. SQLite: one relay, short transactions, in-flight ids excluded from the next claim.

Per case and destination the order is kept: a row waits while an earlier row of the same
case for the same destination is unsent, so the party's queue receives them in order.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pika
from pika.adapters.select_connection import SelectConnection
from pika.exceptions import AMQPConnectionError, AMQPError
from sqlalchemy import Connection, exists, or_, select
from tenacity import Retrying, retry_if_exception_type, stop_after_delay, wait_exponential_jitter

from hub.broker import metrics
from hub.broker.message import Message
from hub.broker.routes import Directory, Route
from hub.broker.settings import DeliverySettings
from hub.broker.topology import Topology
from hub.services.context import HubContext
from hub.store.db import is_postgres, make_engine
from hub.store.models import OutboxMessage

log = logging.getLogger("hub.relay")

T = OutboxMessage.__table__  # type: ignore[attr-defined]
_COLUMNS = (
    T.c.id,
    T.c.message_id,
    T.c.destination,
    T.c.type,
    T.c.application_no,
    T.c.envelope,
    T.c.deliver_by,
    T.c.party_seq,
)


class RelayConnectionLost(AMQPError):
    """The broker connection closed under a running relay; it reconnects."""


def claim_query(limit: int, *, skip_locked: bool, exclude: frozenset[int] = frozenset()) -> Any:
    """The next unsent rows; ids are chosen (and locked) first, so only integers are sorted."""
    earlier = T.alias("earlier")
    blocked_by_earlier = exists().where(
        earlier.c.application_no == T.c.application_no,
        earlier.c.destination == T.c.destination,
        earlier.c.sent_at.is_(None),
        earlier.c.dead_at.is_(None),
        earlier.c.id < T.c.id,
    )
    ids = (
        select(T.c.id)
        .where(
            T.c.sent_at.is_(None),
            T.c.dead_at.is_(None),
            or_(T.c.application_no.is_(None), ~blocked_by_earlier),
        )
        .order_by(T.c.id)
        .limit(limit)
    )
    if exclude:
        ids = ids.where(T.c.id.not_in(sorted(exclude)))
    if skip_locked:
        ids = ids.with_for_update(skip_locked=True, of=T)
    return select(*_COLUMNS).where(T.c.id.in_(ids.scalar_subquery())).order_by(T.c.id)


def mark_sent(conn: Connection, ids: list[int], now: Any) -> None:
    if ids:
        conn.execute(
            T.update().where(T.c.id.in_(ids)).values(sent_at=now, attempts=T.c.attempts + 1)
        )


@dataclass
class Batch:
    conn: Connection | None
    rows: dict[int, Message]
    outstanding: int = 0
    acked: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    marked_now: list[int] = field(default_factory=list)


@dataclass
class RelayStats:
    published: int = 0
    confirmed: int = 0
    nacked: int = 0
    feed_marked: int = 0
    reconnects: int = 0


class Relay:
    def __init__(
        self,
        ctx: HubContext,
        settings: DeliverySettings,
        *,
        batch_size: int = 500,
        max_batches: int = 4,
        poll_interval: float = 0.05,
        directory: Directory | None = None,
        on_idle: Callable[[], None] | None = None,
    ) -> None:
        if not settings.amqp_url:
            raise ValueError("the relay needs HUB_AMQP_URL (without it, delivery is embedded)")
        self.ctx = ctx
        self.settings = settings
        self.topology = Topology(settings)
        self.directory = directory or Directory(ctx, settings)
        self.postgres = is_postgres(ctx.db.engine)
        # Its own pool: every open batch holds a connection, plus one for marks and lag.
        self.engine = make_engine(ctx.db.url, pool_size=max_batches + 2)
        self.batch_size = batch_size
        self.max_batches = max_batches if self.postgres else min(max_batches, 4)
        self.poll_interval = poll_interval
        self.on_idle = on_idle
        self.stats = RelayStats()
        self._stopping = threading.Event()
        self._connection: SelectConnection | None = None
        self._channel: Any = None
        self._declared: set[str] = set()
        self._batches: list[Batch] = []
        self._pending: dict[int, tuple[Batch, int]] = {}
        self._low_tag = 1
        self._next_tag = 0
        self._returned: set[str] = set()
        self._blocked = False
        self._pump_scheduled = False
        self._lag_checked = 0.0
        self._stop_when_idle = False
        self._fault = os.environ.get("HUB_RELAY_FAULT", "")

    # ---- lifecycle -------------------------------------------------------------------
    def run(self, *, until_idle: bool = False, max_seconds: float | None = None) -> RelayStats:
        """Run until `stop()` (or, with `until_idle`, until the outbox has nothing unsent)."""
        self._stop_when_idle = until_idle
        deadline = time.monotonic() + max_seconds if max_seconds else None
        retrying = Retrying(
            retry=retry_if_exception_type((AMQPError, OSError)),
            wait=wait_exponential_jitter(multiplier=0.2, max=10.0, jitter=0.5),
            stop=stop_after_delay(max_seconds)
            if max_seconds
            else (lambda _s: self._stopping.is_set()),
            reraise=True,
            before_sleep=lambda rs: log.warning(
                "relay connection lost (%s); reconnecting",
                rs.outcome.exception() if rs.outcome else "?",
            ),
        )
        for attempt in retrying:
            with attempt:
                if self._stopping.is_set():
                    break
                if deadline and time.monotonic() > deadline:
                    break
                self._session(deadline)
        self.engine.dispose()
        return self.stats

    def stop(self) -> None:
        """Thread-safe: ask the relay to finish its batches and close."""
        self._stopping.set()
        conn = self._connection
        if conn is not None:
            with contextlib.suppress(Exception):  # the loop may have ended already
                conn.ioloop.add_callback_threadsafe(self._close)

    def _params(self) -> pika.URLParameters:
        assert self.settings.amqp_url
        params = pika.URLParameters(self.settings.amqp_url)
        params.heartbeat = self.settings.heartbeat
        params.blocked_connection_timeout = self.settings.blocked_connection_timeout
        params.connection_attempts = 1
        params.socket_timeout = 5
        params.client_properties = {"connection_name": f"hub-relay-{os.getpid()}"}
        return params

    def _session(self, deadline: float | None) -> None:
        self._declare_topology()
        failure: list[BaseException] = []

        def on_open_error(_conn: Any, exc: BaseException) -> None:
            failure.append(exc if isinstance(exc, BaseException) else AMQPConnectionError(str(exc)))
            _conn.ioloop.stop()

        def on_closed(_conn: Any, reason: BaseException) -> None:
            if not self._stopping.is_set():
                failure.append(RelayConnectionLost(str(reason)))
            _conn.ioloop.stop()

        conn = SelectConnection(
            self._params(),
            on_open_callback=self._on_open,
            on_open_error_callback=on_open_error,
            on_close_callback=on_closed,
        )
        self._connection = conn
        if deadline:
            conn.ioloop.call_later(max(0.0, deadline - time.monotonic()), self._deadline_reached)
        try:
            conn.ioloop.start()
        finally:
            self._abandon_batches()
            self._connection = None
            self._channel = None
        if failure and not self._stopping.is_set():
            self.stats.reconnects += 1
            raise failure[0]

    def _deadline_reached(self) -> None:
        self._stopping.set()
        self._close()

    def _close(self) -> None:
        conn = self._connection
        if conn is None:
            return
        if conn.is_open:
            conn.close()
        elif conn.is_closed:
            conn.ioloop.stop()

    def _abandon_batches(self) -> None:
        """Connection gone: unconfirmed rows stay unsent and are claimed again."""
        for b in self._batches:
            if b.conn is not None:
                try:
                    if b.marked_now:  # feed rows need no broker: keep them
                        mark_sent(b.conn, b.marked_now, self.ctx.clock.now())
                    b.conn.commit()
                except Exception:
                    log.exception("could not settle an abandoned batch")
                finally:
                    b.conn.close()
        self._batches.clear()
        self._pending.clear()
        self._returned.clear()
        self._low_tag = 1
        self._next_tag = 0
        self._pump_scheduled = False

    def _declare_topology(self) -> None:
        parties, amqp = self.directory.pushed_destinations()
        conn = pika.BlockingConnection(self._params())
        try:
            self.topology.declare(conn.channel(), parties, amqp)
        finally:
            conn.close()
        self._declared = set(parties)

    def _declare_party(self, party: str) -> None:
        conn = pika.BlockingConnection(self._params())
        try:
            info = self.directory.party(party)
            self.topology.declare_party(conn.channel(), party, amqp_out=info.route is Route.AMQP)
        finally:
            conn.close()
        self._declared.add(party)

    # ---- channel -----------------------------------------------------------------------
    def _on_open(self, conn: SelectConnection) -> None:
        conn.add_on_connection_blocked_callback(self._on_blocked)
        conn.add_on_connection_unblocked_callback(self._on_unblocked)
        conn.channel(on_open_callback=self._on_channel)

    def _on_blocked(self, *_: Any) -> None:
        log.warning("broker blocked the relay's connection (resource alarm)")
        self._blocked = True

    def _on_unblocked(self, *_: Any) -> None:
        self._blocked = False
        self._schedule_pump(0)

    def _on_channel(self, channel: Any) -> None:
        self._channel = channel
        channel.add_on_close_callback(self._on_channel_closed)
        channel.add_on_return_callback(self._on_return)
        channel.confirm_delivery(ack_nack_callback=self._on_confirm, callback=self._on_confirm_ok)

    def _on_channel_closed(self, _channel: Any, reason: BaseException) -> None:
        log.warning("relay channel closed: %s", reason)
        if self._connection is not None and self._connection.is_open:
            self._connection.close()

    def _on_confirm_ok(self, _frame: Any) -> None:
        log.info("relay connected; publishing with confirms")
        self._schedule_pump(0)

    # ---- pumping -----------------------------------------------------------------------
    def _schedule_pump(self, delay: float) -> None:
        if self._pump_scheduled or self._connection is None:
            return
        self._pump_scheduled = True
        self._connection.ioloop.call_later(delay, self._pump)

    def _pump(self) -> None:
        self._pump_scheduled = False
        if self._channel is None or not self._channel.is_open:
            return
        if self._stopping.is_set():
            if not self._batches:
                self._close()
            return
        claimed_any = False
        # One batch per tick: the ioloop writes it out and reads confirms before the next
        # claim, so the database and the broker work at the same time.
        if len(self._batches) < self.max_batches and not self._blocked:
            batch = self._claim()
            if batch is not None:
                claimed_any = True
                self._publish(batch)
        self._observe_lag()
        if not claimed_any and not self._batches:
            if self._stop_when_idle:
                self._stopping.set()
                self._close()
                return
            if self.on_idle:
                self.on_idle()
        if claimed_any:
            self._schedule_pump(0)
        else:
            self._schedule_pump(self.poll_interval)

    def _observe_lag(self) -> None:
        now = time.monotonic()
        if now - self._lag_checked < 1.0:
            return
        self._lag_checked = now
        try:
            metrics.RELAY_LAG.set(metrics.oldest_unsent_age(self.ctx, self.engine))
        except Exception as exc:
            log.debug("lag not measured: %s", exc)

    def _claim(self) -> Batch | None:
        engine = self.engine
        if self.postgres:
            conn = engine.connect()
            conn.begin()
            rows = conn.execute(claim_query(self.batch_size, skip_locked=True)).all()
            if not rows:
                conn.rollback()
                conn.close()
                return None
            batch = Batch(conn, {})
        else:
            in_flight = frozenset(i for b in self._batches for i in b.rows)
            with engine.connect() as c:
                rows = c.execute(
                    claim_query(self.batch_size, skip_locked=False, exclude=in_flight)
                ).all()
                c.rollback()
            if not rows:
                return None
            batch = Batch(None, {})
        for r in rows:
            batch.rows[r.id] = Message(
                message_id=r.message_id,
                destination=r.destination,
                type=r.type,
                application_no=r.application_no,
                sealed=r.envelope,
                deliver_by=r.deliver_by,
                party_seq=r.party_seq,
                outbox_id=r.id,
            )
        return batch

    def _publish(self, batch: Batch) -> None:
        self._batches.append(batch)
        channel = self._channel
        for oid, msg in batch.rows.items():
            party = self.directory.party(msg.destination)
            if not party.pushed:
                batch.marked_now.append(oid)
                continue
            if msg.destination not in self._declared:
                self._declare_party(msg.destination)
            self._next_tag += 1
            self._pending[self._next_tag] = (batch, oid)
            batch.outstanding += 1
            channel.basic_publish(
                self.topology.delivery_exchange,
                msg.destination,
                msg.body,
                msg.properties(),
                mandatory=True,
            )
        self.stats.published += batch.outstanding
        metrics.PUBLISHED.inc(batch.outstanding)
        if batch.outstanding == 0:
            self._finish(batch)

    def _on_return(self, _channel: Any, _method: Any, props: Any, _body: bytes) -> None:
        # Unroutable (its queue vanished): not marked; its queue is declared again.
        self._returned.add(props.message_id)
        dest = (props.headers or {}).get("x-destination")
        if dest:
            self._declared.discard(dest.decode() if isinstance(dest, bytes) else dest)

    def _on_confirm(self, frame: Any) -> None:
        method = frame.method
        ack = isinstance(method, pika.spec.Basic.Ack)
        tag = method.delivery_tag
        if method.multiple:
            tags = [t for t in range(self._low_tag, tag + 1) if t in self._pending]
            self._low_tag = tag + 1
        else:
            tags = [tag] if tag in self._pending else []
            if tag == self._low_tag:
                self._low_tag += 1
        finished: list[Batch] = []
        for t in tags:
            batch, oid = self._pending.pop(t)
            batch.outstanding -= 1
            if ack and batch.rows[oid].message_id not in self._returned:
                batch.acked.append(oid)
            else:
                batch.failed.append(oid)
            if batch.outstanding == 0:
                finished.append(batch)
        for batch in finished:
            self._finish(batch)

    def _finish(self, batch: Batch) -> None:
        if self._fault == "exit-before-mark" and batch.acked:
            log.error("HUB_RELAY_FAULT=exit-before-mark: dying after the ack, before the mark")
            os._exit(17)
        now = self.ctx.clock.now()
        ids = batch.acked + batch.marked_now
        if batch.conn is not None:
            try:
                mark_sent(batch.conn, ids, now)
                batch.conn.commit()
            finally:
                batch.conn.close()
        else:
            with self.engine.begin() as conn:
                mark_sent(conn, ids, now)
        for oid in batch.failed:
            self._returned.discard(batch.rows[oid].message_id)
        self.stats.confirmed += len(batch.acked)
        self.stats.nacked += len(batch.failed)
        self.stats.feed_marked += len(batch.marked_now)
        metrics.CONFIRMED.inc(len(batch.acked))
        metrics.NACKED.inc(len(batch.failed))
        metrics.FEED_MARKED.inc(len(batch.marked_now))
        if batch.failed:
            log.warning(
                "%d publishes not confirmed; they stay unsent and go again", len(batch.failed)
            )
        self._batches.remove(batch)
        self._schedule_pump(0 if not batch.failed else self.poll_interval * 10)


def run_relay(
    ctx: HubContext, settings: DeliverySettings | None = None, **kwargs: Any
) -> RelayStats:
    return Relay(ctx, settings or DeliverySettings.from_env(), **kwargs).run()
