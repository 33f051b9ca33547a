"""`hub relay`: publish outbox rows to RabbitMQ with asynchronous publisher confirms.

Two kinds of thread, as pika's documentation asks:

- the **I/O thread** owns the pika `SelectConnection` and its channel: it publishes, reads
  confirms and does nothing else (no database work, no blocking call);
- a small **database pool** (two threads) claims batches of outbox rows and marks them
  sent. A finished claim or mark is handed back to the I/O thread with
  `ioloop.add_callback_threadsafe`, the one pika call that is safe from another thread.

So the next batch is read while the last one is on the wire, and a batch is marked while
later ones are confirmed: the database and the broker work at the same time.

A *batch* is claimed from the pending rows (`outbox_pending`, joined to the outbox),
published without waiting (many messages in flight, several batches at once), and marked
sent when every publish in it is settled: acked rows leave `outbox_pending` and get an
`outbox_sent` row (`store.outbox.mark_sent`: two statements with one array parameter on
PostgreSQL), nacked or returned rows stay pending for the next claim. Nothing is marked
before the broker's ack, so a crash or a lost connection at any point only causes a
resend, and parties drop repeats by `message_id`. The relay publishes the sealed envelope
as stored: it never decrypts.

PostgreSQL: a batch is claimed with `SELECT ... FOR UPDATE OF outbox_pending SKIP LOCKED`
and its transaction stays open until the batch is marked, so several relays share the
outbox without publishing the same row twice; a dead connection rolls back and the rows go
to the next claim. SQLite: one relay; claims read beside the writer (WAL) and exclude the
ids in flight, and marks are short write transactions.

Per case and destination the order is kept: a row waits while an earlier row of the same
case for the same destination is unsent, so the party's queue receives them in order.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import logging
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from dataclasses import dataclass, field
from typing import Any

import pika
from pika.adapters.select_connection import SelectConnection
from pika.exceptions import AMQPConnectionError, AMQPError
from sqlalchemy import Connection, exists, or_, select

from hub.broker import metrics
from hub.broker.frames import PublishFrames
from hub.broker.reconnect import reconnecting
from hub.broker.topology import Topology
from hub.delivery.directory import Directory, Route
from hub.delivery.message import destination_of, framed_body, pack_facts
from hub.delivery.settings import DeliverySettings
from hub.services.context import HubContext
from hub.store.db import is_postgres, make_engine
from hub.store.models import OutboxMessage
from hub.store.outbox import P, analyze_if_stale, mark_sent
from hub.store.types import as_utc

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


def claim_sql(
    conn: Connection, limit: int, *, skip_locked: bool, exclude: frozenset[int] = frozenset()
) -> str:
    """`claim_query` as the driver's SQL text for `conn`, its values written in.

    The relay reads its claims through the driver (`exec_driver_sql`): no result types to
    apply to a thousand rows, CPU that the I/O thread's publishes need more.
    """
    key = (conn.dialect.name, limit, skip_locked)
    sql = None if exclude else _CLAIM_SQL.get(key)
    if sql is None:
        query = claim_query(limit, skip_locked=skip_locked, exclude=exclude)
        sql = str(query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
        if not exclude:
            _CLAIM_SQL[key] = sql
    return sql


_CLAIM_SQL: dict[tuple[str, int, bool], str] = {}


def claim_query(limit: int, *, skip_locked: bool, exclude: frozenset[int] = frozenset()) -> Any:
    """The next pending rows with their outbox columns (`_COLUMNS`), in outbox id order."""
    if not exclude:  # the usual case: built once (building it costs more than running it idle)
        return _claim_query(limit, skip_locked)
    return _build_claim_query(limit, skip_locked, exclude)


@functools.cache
def _claim_query(limit: int, skip_locked: bool) -> Any:
    return _build_claim_query(limit, skip_locked, frozenset())


def _build_claim_query(limit: int, skip_locked: bool, exclude: frozenset[int]) -> Any:
    earlier = P.alias("earlier")
    blocked_by_earlier = exists().where(
        earlier.c.application_no == P.c.application_no,
        earlier.c.destination == P.c.destination,
        earlier.c.outbox_id < P.c.outbox_id,
    )
    # One flat SELECT: the pending rows' primary key hands them over in id order, so
    # nothing is sorted, and each is locked as it is read; the outbox row comes by its key.
    rows = (
        select(*_COLUMNS)
        .select_from(P.join(T, T.c.id == P.c.outbox_id))
        .where(or_(P.c.application_no.is_(None), ~blocked_by_earlier))
        .order_by(P.c.outbox_id)
        .limit(limit)
    )
    if exclude:
        rows = rows.where(P.c.outbox_id.not_in(sorted(exclude)))
    if skip_locked:
        # The narrow pending rows are locked, not the outbox's: a lock writes to the row.
        rows = rows.with_for_update(skip_locked=True, of=P)
    return rows


_batch_numbers = itertools.count(1)


@dataclass(eq=False)
class Batch:
    conn: Connection | None
    #: Outbox id -> message id of the rows to publish, in claim order.
    rows: dict[int, str]
    #: Their publishes, encoded at claim time, in the same order.
    encoded: list[bytes] = field(default_factory=list)
    destinations: set[str] = field(default_factory=set)
    number: int = field(default_factory=lambda: next(_batch_numbers))
    outstanding: int = 0
    acked: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    #: Rows for pull-feed parties: nothing to publish, marked with the batch.
    marked_now: list[int] = field(default_factory=list)
    claimed: int = 0  # rows the claim returned


@dataclass
class RelayStats:
    published: int = 0
    confirmed: int = 0
    nacked: int = 0
    feed_marked: int = 0
    reconnects: int = 0


class _Connection(SelectConnection):
    """A `SelectConnection` the relay also writes publishes to, already encoded.

    The relay encodes its publishes itself (`frames.PublishFrames`) and hands the socket a
    batch as writes of about 64 KB: a few dozen system calls per thousand messages instead
    of three thousand, a large share of the relay's CPU on a small machine.
    """

    @property
    def body_max(self) -> int:
        """The largest body frame payload the broker accepts (negotiated frame_max - 8)."""
        return int(self._body_max_length)

    def write(self, encoded: list[bytes], piece: int = 65536) -> None:
        out: list[bytes] = []
        size = 0
        for data in encoded:
            out.append(data)
            size += len(data)
            if size >= piece:
                self._output_marshaled_frames([b"".join(out)])
                out, size = [], 0
        if out:
            self._output_marshaled_frames([b"".join(out)])


class Relay:
    def __init__(
        self,
        ctx: HubContext,
        settings: DeliverySettings,
        *,
        batch_size: int = 1000,
        # Three batches open (claimed, on the wire or being marked) keep the broker and
        # the database busy; six gave 17-18k msg/s instead of 20k here: each claim skips
        # the rows the others hold locked, and they all share the two cores.
        max_batches: int = 3,
        poll_interval: float = 0.01,
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
        # Its own pool: every open batch holds a connection (PostgreSQL), plus claims and lag.
        self.engine = make_engine(ctx.db.url, pool_size=max_batches + 2)
        # SQLite: claims and lag are reads, beside the writer rather than queued behind it.
        self.read_engine = (
            self.engine if self.postgres else make_engine(ctx.db.url, pool_size=2, reader=True)
        )
        self.batch_size = batch_size
        self.max_batches = max(1, max_batches)
        self.poll_interval = poll_interval
        self.on_idle = on_idle
        self.stats = RelayStats()
        self._stopping = threading.Event()
        self._connection: SelectConnection | None = None
        self._channel: Any = None
        self._frames: PublishFrames | None = None  # for the open channel
        self._declared: set[str] = set()
        self._declared_revision: int | None = None
        # Database pool and what it shares with the I/O thread (under _lock).
        # Claims (two at once on PostgreSQL while there is a backlog: SKIP LOCKED gives each
        # its own rows) and marks.
        self._max_claims = 2 if self.postgres else 1
        self._db = ThreadPoolExecutor(self._max_claims + 1, thread_name_prefix="relay-db")
        self._lock = threading.Lock()
        self._futures: set[Future[None]] = set()
        self._live: dict[int, Batch] = {}  # claimed and not yet marked or released
        self._in_flight: set[int] = set()  # SQLite: ids of live batches, kept out of claims
        self._lag_checked = 0.0
        self._statistics_checked = 0.0
        # I/O thread only.
        self._open = 0  # batches claimed (or being claimed) and not yet marked
        self._claims = 0  # claims running
        self._claims_submitted = 0  # serial number of the last claim submitted
        self._backlog = False  # the last claim came back full: more are likely waiting
        self._pending: dict[int, tuple[Batch, int]] = {}
        self._low_tag = 1
        self._next_tag = 0
        self._returned: set[str] = set()
        self._blocked = False
        self._pump_scheduled = False
        self._stop_when_idle = False
        self._fault = os.environ.get("HUB_RELAY_FAULT", "")

    # ---- lifecycle -------------------------------------------------------------------
    def run(self, *, until_idle: bool = False, max_seconds: float | None = None) -> RelayStats:
        """Run until `stop()` (or, with `until_idle`, until the outbox has nothing unsent)."""
        self._stop_when_idle = until_idle
        deadline = time.monotonic() + max_seconds if max_seconds else None
        try:
            for attempt in reconnecting("relay", self._stopping, deadline):
                with attempt:
                    if self._stopping.is_set():
                        break
                    if deadline and time.monotonic() > deadline:
                        break
                    self._session(deadline)
        finally:
            self._db.shutdown(wait=True)
            self.engine.dispose()
            if self.read_engine is not self.engine:
                self.read_engine.dispose()
        return self.stats

    def stop(self) -> None:
        """Thread-safe: ask the relay to finish the batches it has in flight, then close."""
        self._stopping.set()
        conn = self._connection
        if conn is not None:
            with contextlib.suppress(Exception):  # the loop may have ended already
                conn.ioloop.add_callback_threadsafe(self._begin_stop)

    def _begin_stop(self) -> None:
        if self._connection is not None:
            # Batches normally settle within milliseconds; never wait for ever.
            self._connection.ioloop.call_later(5.0, self._close)
        self._schedule_pump(0)

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

        conn = _Connection(
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
            self._connection = None
            self._channel = None
            self._frames = None
            self._abandon_batches()
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
        """The I/O loop ended: settle what the database pool still holds.

        Rows the broker confirmed (and pull-feed rows) are marked; the rest stay unsent and
        are claimed again, by this relay's next connection or another relay.
        """
        with self._lock:
            futures = list(self._futures)
        wait_futures(futures, timeout=60)
        with self._lock:
            batches = list(self._live.values())
            self._live.clear()
            self._in_flight.clear()
        for b in batches:
            try:
                self._mark(b, b.acked + b.marked_now, registered=False)
            except Exception:
                log.exception("could not settle an abandoned batch")
        self._open = 0
        self._claims = 0
        self._backlog = False
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

    # ---- channel (I/O thread) --------------------------------------------------------
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
        assert isinstance(self._connection, _Connection)
        self._frames = PublishFrames(
            channel.channel_number, self.topology.delivery_exchange, self._connection.body_max
        )
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

    # ---- pumping (I/O thread) --------------------------------------------------------
    def _schedule_pump(self, delay: float) -> None:
        if self._pump_scheduled or self._connection is None:
            return
        self._pump_scheduled = True
        self._connection.ioloop.call_later(delay, self._pump)

    def _pump(self) -> None:
        self._pump_scheduled = False
        if self._channel is None or not self._channel.is_open or self._frames is None:
            return
        if self._stopping.is_set():
            if self._open == 0 and self._claims == 0:
                self._close()
            return
        # A claim or a mark coming back pumps again.
        while (
            self._claims < (self._max_claims if self._backlog else 1)
            and self._open < self.max_batches
            and not self._blocked
        ):
            # A claim that finds nothing proves the outbox idle only if no batch was open
            # when it started: an unsent row of an open batch holds back later rows of its case.
            alone = self._open == 0
            self._claims += 1
            self._open += 1
            self._claims_submitted += 1
            self._submit(
                self._claim_job, self._connection, self._frames, alone, self._claims_submitted
            )

    def _submit(self, fn: Callable[..., None], *args: Any) -> None:
        future = self._db.submit(fn, *args)
        with self._lock:
            self._futures.add(future)

        def forget(f: Future[None]) -> None:
            with self._lock:
                self._futures.discard(f)

        future.add_done_callback(forget)

    @staticmethod
    def _to_io(conn: SelectConnection | None, callback: Callable[[], None]) -> None:
        """From a database thread: run `callback` on the I/O thread of `conn`."""
        if conn is None:
            return
        try:
            conn.ioloop.add_callback_threadsafe(callback)
        except Exception:  # that connection's loop is gone; _abandon_batches settles up
            log.debug("callback dropped with its connection", exc_info=True)

    def _on_claimed(
        self,
        conn: SelectConnection,
        batch: Batch | None,
        failed: bool,
        alone: bool,
        serial: int,
    ) -> None:
        if conn is not self._connection:
            return  # an old connection's claim: _abandon_batches released it
        self._claims -= 1
        self._backlog = batch is not None and batch.claimed >= self.batch_size
        if batch is None:
            self._open -= 1
            if failed:
                self._schedule_pump(max(0.5, self.poll_interval))
                return
            if self._open == 0 and not (alone and serial == self._claims_submitted):
                # Rows another claim held back may be free now: claim again at once.
                self._schedule_pump(0)
                return
            if self._open == 0:
                if self._stop_when_idle:
                    self._stopping.set()
                    self._close()
                    return
                if self.on_idle:
                    self.on_idle()
            self._schedule_pump(self.poll_interval)
            return
        self._pump()  # the next claim runs on a database thread while this batch goes out
        self._publish(batch)

    def _publish(self, batch: Batch) -> None:
        conn, channel = self._connection, self._channel
        if conn is None or channel is None or not channel.is_open:
            return  # the batch stays live and unmarked: _abandon_batches releases it
        if self.directory.watch.seen != self._declared_revision:
            # The registry changed: a party may now want another kind of queue (amqp).
            self._declared_revision = self.directory.watch.seen
            self._declared.clear()
        for destination in batch.destinations - self._declared:
            self._declare_party(destination)
        # Encoded by the claim, for this connection's channel (a claim of an earlier
        # connection never gets here), before any delivery tag is counted.
        encoded = batch.encoded
        for oid in batch.rows:
            self._next_tag += 1
            self._pending[self._next_tag] = (batch, oid)
        # The bytes `channel.basic_publish(delivery exchange, destination, msg.body,
        # msg.properties(), mandatory=True)` would write for each row, in one go.
        conn.write(encoded)
        batch.outstanding += len(encoded)
        self.stats.published += len(encoded)
        metrics.PUBLISHED.inc(len(encoded))
        if batch.outstanding == 0:
            self._settled(batch)

    def _on_return(self, _channel: Any, _method: Any, props: Any, body: bytes) -> None:
        # Unroutable (its queue vanished): not marked; its queue is declared again.
        self._returned.add(props.message_id)
        dest = destination_of(props, body)
        if dest:
            self._declared.discard(dest)

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
            if ack and batch.rows[oid] not in self._returned:
                batch.acked.append(oid)
            else:
                batch.failed.append(oid)
            if batch.outstanding == 0:
                finished.append(batch)
        for batch in finished:
            self._settled(batch)

    def _settled(self, batch: Batch) -> None:
        """Every publish of the batch is confirmed or refused: mark it, off this thread."""
        for oid in batch.failed:
            self._returned.discard(batch.rows[oid])
        self._submit(self._mark_job, self._connection, batch)

    def _on_marked(self, conn: SelectConnection, failed: bool) -> None:
        if conn is not self._connection:
            return
        self._open -= 1
        self._schedule_pump(self.poll_interval * 10 if failed else 0)

    # ---- database (pool threads) -----------------------------------------------------
    def _claim_job(
        self, conn: SelectConnection, frames: PublishFrames, alone: bool, serial: int
    ) -> None:
        batch: Batch | None = None
        failed = False
        try:
            self._keep_statistics()
            batch = self._claim(frames)
            self._observe_lag()
        except Exception:
            log.exception("claiming outbox rows failed; trying again shortly")
            failed = True
        self._to_io(
            conn, functools.partial(self._on_claimed, conn, batch, failed, alone, serial)
        )

    def _mark_job(self, conn: SelectConnection, batch: Batch) -> None:
        if self._fault == "exit-before-mark" and batch.acked:
            log.error("HUB_RELAY_FAULT=exit-before-mark: dying after the ack, before the mark")
            os._exit(17)
        failed = bool(batch.failed)
        try:
            self._mark(batch, batch.acked + batch.marked_now)
        except Exception:
            log.exception("marking %d rows sent failed; they go again", len(batch.acked))
            failed = True
        else:
            if batch.failed:
                log.warning(
                    "%d publishes not confirmed; they stay unsent and go again", len(batch.failed)
                )
        self._to_io(conn, functools.partial(self._on_marked, conn, failed))

    def _keep_statistics(self) -> None:
        """PostgreSQL: the claim is planned from the outbox's statistics (see
        `analyze_if_stale`); checked at most every 10 s, at no cost when they are fresh."""
        now = time.monotonic()
        if not self.postgres or now - self._statistics_checked < 10.0:
            return
        self._statistics_checked = now
        try:
            with self.engine.connect() as conn:
                if analyze_if_stale(conn):
                    log.info("outbox statistics were missing or stale: analyzed")
        except Exception as exc:
            log.warning("outbox statistics not refreshed: %s", exc)

    def _observe_lag(self) -> None:
        now = time.monotonic()
        if now - self._lag_checked < 1.0:
            return
        self._lag_checked = now
        try:
            metrics.RELAY_LAG.set(metrics.oldest_unsent_age(self.ctx, self.read_engine))
        except Exception as exc:
            log.debug("lag not measured: %s", exc)

    def _claim(self, frames: PublishFrames) -> Batch | None:
        if self.postgres:
            conn = self.engine.connect()
            try:
                conn.begin()
                sql = claim_sql(conn, self.batch_size, skip_locked=True)
                rows = conn.exec_driver_sql(sql).fetchall()
            except BaseException:
                conn.close()
                raise
            if not rows:
                conn.rollback()
                conn.close()
                return None
            batch = Batch(conn, {}, claimed=len(rows))
        else:
            # The ids in flight are read before the claim's snapshot starts, so a row whose
            # mark commits meanwhile is either excluded or seen as sent: never sent twice.
            with self._lock:
                in_flight = frozenset(self._in_flight)
            with self.read_engine.connect() as c:
                sql = claim_sql(c, self.batch_size, skip_locked=False, exclude=in_flight)
                rows = c.exec_driver_sql(sql).fetchall()
                c.rollback()
            if not rows:
                return None
            batch = Batch(None, {}, claimed=len(rows))
        pushed: dict[str, bool] = {}  # one registry look-up per destination, not per row
        publish = frames.publish
        encoded = batch.encoded
        # Columns in claim_query's order (_COLUMNS); the body is what Message.body is.
        for oid, message_id, destination, type_, application_no, envelope, deliver_by, seq in rows:
            if destination not in pushed:
                pushed[destination] = self.directory.party(destination).pushed
                if pushed[destination]:
                    batch.destinations.add(destination)
            if not pushed[destination]:
                batch.marked_now.append(oid)
                continue
            facts = pack_facts(destination, application_no, as_utc(deliver_by), seq, oid)
            batch.rows[oid] = message_id
            encoded.append(publish(message_id, destination, type_, framed_body(facts, envelope)))
        with self._lock:
            self._live[batch.number] = batch
            if not self.postgres:
                self._in_flight.update(r[0] for r in rows)
        return batch

    def _mark(self, batch: Batch, ids: list[int], *, registered: bool = True) -> None:
        """Mark `ids` sent and let the batch go (its PostgreSQL transaction ends here)."""
        if registered:
            with self._lock:
                if self._live.pop(batch.number, None) is None:
                    return  # already settled by _abandon_batches
        now = self.ctx.clock.now()
        try:
            if batch.conn is not None:
                try:
                    mark_sent(batch.conn, ids, now)
                    batch.conn.commit()
                finally:
                    batch.conn.close()
            elif ids:
                with self.engine.begin() as conn:
                    mark_sent(conn, ids, now)
        finally:
            if not self.postgres:
                with self._lock:
                    self._in_flight.difference_update(batch.rows)
                    self._in_flight.difference_update(batch.marked_now)
        with self._lock:
            self.stats.confirmed += len(batch.acked)
            self.stats.nacked += len(batch.failed)
            self.stats.feed_marked += len(batch.marked_now)
        metrics.CONFIRMED.inc(len(batch.acked))
        metrics.NACKED.inc(len(batch.failed))
        metrics.FEED_MARKED.inc(len(batch.marked_now))
