"""`hub relay`: publish outbox rows to the broker with publisher confirms.

Two kinds of thread, as pika's documentation asks:

- the **I/O thread** owns the connection (pika's `SelectConnection`, or the in-process
  broker's twin of it) and its channel: it publishes, reads confirms and does nothing
  else (no database work, no blocking call);
- a small **database pool** (two or three threads) claims batches of outbox rows and
  marks them sent. A finished claim or mark is handed back to the I/O thread with
  `ioloop.add_callback_threadsafe`, the one pika call that is safe from another thread.

So the next batch is read while the last one is on the wire, and rows are marked while
later ones are confirmed: the database and the broker work at the same time. How claimed
rows are held until marked is `relay_claims` (locked batches on PostgreSQL, exclusive
claims on SQLite and over the in-process broker). Nothing is marked before its confirm,
so a crash or a lost connection at any point only causes a resend, and parties drop repeats
by `message_id`; such a resend carries `x-hub-republished` (`relay_claims`), so the
connectors ask their journal about it before sending it on.
The relay publishes the sealed envelope as stored: it never decrypts.

Per case and destination the order is kept: a row waits while an earlier row of the same
case for the same destination is pending, so the party's queue receives them in order.
"""

from __future__ import annotations

import contextlib
import functools
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from dataclasses import dataclass
from typing import Any

import pika
from pika.exceptions import AMQPConnectionError, AMQPError

from hub.broker import metrics
from hub.broker.policies import PolicyError
from hub.broker.reconnect import reconnecting
from hub.broker.relay_claims import (
    Batch,
    Claims,
    Companion,
    ExclusiveClaims,
    LockedClaims,
    Row,
)
from hub.broker.topology import Topology
from hub.broker.transport import Transport, transport_for
from hub.delivery.directory import Directory, Route
from hub.delivery.message import REPUBLISHED, destination_of, framed_body, pack_facts
from hub.delivery.settings import DeliverySettings
from hub.logsafety import get_logger
from hub.services.context import HubContext
from hub.store.db import is_postgres, make_engine
from hub.store.outbox_recorder import recorder_for
from hub.store.types import as_utc

log = get_logger("hub.relay")

#: The headers of a copy of a row that may have been published before.
REPUBLISHED_HEADERS = {REPUBLISHED: 1}


class RelayConnectionLost(AMQPError):  # type: ignore[misc]  # pika ships no types
    """The broker connection closed under a running relay; it reconnects."""


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
        transport: Transport | None = None,
        batch_size: int = 1000,
        # Three batches open (claimed, on the wire or being marked) keep the broker and
        # the database busy; six gave 17-18k msg/s instead of 20k here: each claim skips
        # the rows the others hold locked, and they all share the two cores.
        max_batches: int = 3,
        # Over a broker that confirms on delivery: rows published and not yet delivered.
        max_unsettled: int = 50_000,
        poll_interval: float = 0.01,
        directory: Directory | None = None,
        on_idle: Callable[[], None] | None = None,
        companion: Companion | None = None,
    ) -> None:
        self.ctx = ctx
        self.settings = settings
        self.transport = transport or transport_for(settings)
        self.topology = Topology(settings)
        self.directory = directory or Directory(ctx, settings)
        postgres = is_postgres(ctx.db.engine)
        # Its own pool: every open batch holds a connection (PostgreSQL), plus claims and lag.
        self.engine = make_engine(ctx.db.url, pool_size=max_batches + 2)
        # SQLite: claims and lag are reads, beside the writer rather than queued behind it.
        self.read_engine = (
            self.engine if postgres else make_engine(ctx.db.url, pool_size=2, reader=True)
        )
        self.recorder = recorder_for(self.engine)
        shared = (
            self.recorder,
            self.engine,
            self.read_engine,
            batch_size,
            self._prepare,
            ctx.clock.now,
        )
        self.claims: Claims
        if self.recorder.locks_claims and not self.transport.settles_late:
            self.claims = LockedClaims(*shared)
        else:
            self.claims = ExclusiveClaims(
                *shared, settles_late=self.transport.settles_late, companion=companion
            )
        self.locked = isinstance(self.claims, LockedClaims)
        self.batch_size = batch_size
        self.max_batches = max(1, max_batches)
        self.max_unsettled = max_unsettled
        self.poll_interval = poll_interval
        self.on_idle = on_idle
        self.stats = RelayStats()
        self._stopping = threading.Event()
        self._connection: Any = None  # the opening (AMQP) or open connection
        self._channel: Any = None
        self._declared: set[str] = set()
        self._policies_applied = False
        self._declared_revision: int | None = None
        # Claims (two at once on PostgreSQL while there is a backlog: SKIP LOCKED gives each
        # its own rows) and marks.
        self._max_claims = 2 if self.locked else 1
        self._db = ThreadPoolExecutor(self._max_claims + 1, thread_name_prefix="relay-db")
        self._lock = threading.Lock()
        self._futures: set[Future[None]] = set()
        self._lag_checked = 0.0
        self._statistics_checked = 0.0
        # I/O thread only.
        self._open = 0  # batches claimed (or being claimed) and not yet let go
        self._claims_running = 0
        self._claims_submitted = 0  # serial number of the last claim submitted
        self._backlog = False  # the last claim came back full: more are likely waiting
        self._pending: dict[int, tuple[Batch, int]] = {}  # delivery tag -> batch, row
        self._low_tag = 1
        self._next_tag = 0
        self._returned: set[str] = set()
        self._blocked = False
        self._pump_scheduled = False
        self._flush_scheduled = False
        self._flushing = False
        self._stop_when_idle = False

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
            # Publishes normally settle within milliseconds; never wait for ever.
            self._connection.ioloop.call_later(5.0, self._close)
        self._schedule_pump(0)

    def _session(self, deadline: float | None) -> None:
        self.declare_topology()
        failure: list[BaseException] = []

        def on_open_error(conn: Any, exc: BaseException) -> None:
            failure.append(exc if isinstance(exc, BaseException) else AMQPConnectionError(str(exc)))
            conn.ioloop.stop()

        def on_closed(conn: Any, reason: BaseException) -> None:
            if not self._stopping.is_set():
                failure.append(RelayConnectionLost(str(reason)))
            conn.ioloop.stop()

        opening = self.transport.async_connection(self._on_open, on_open_error, on_closed, "relay")
        self._connection = opening
        if deadline:
            opening.ioloop.call_later(max(0.0, deadline - time.monotonic()), self._deadline_reached)
        try:
            opening.ioloop.start()
        finally:
            self._connection = None
            self._channel = None
            self._abandon()
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
        else:
            conn.ioloop.stop()

    def _abandon(self) -> None:
        """The I/O loop ended: settle what the database pool still holds. Rows the broker
        confirmed (and pull-feed rows) are marked; the rest stay pending and are claimed
        again, by this relay's next connection or another relay."""
        with self._lock:
            futures = list(self._futures)
        wait_futures(futures, timeout=60)
        try:
            self.claims.abandon()
        except Exception:
            log.exception("could not mark the rows confirmed before the connection closed")
        self._open = 0
        self._claims_running = 0
        self._backlog = False
        self._pending.clear()
        self._returned.clear()
        self._low_tag = 1
        self._next_tag = 0
        self._pump_scheduled = False
        self._flush_scheduled = False
        self._flushing = False

    def declare_topology(self) -> None:
        """The exchanges, the retry tiers and a queue for every pushed party (idempotent)."""
        parties, amqp = self.directory.pushed_destinations()
        writer = self.transport.policy_writer()
        if writer is not None and not self._policies_applied:  # else `hub broker setup` did
            try:
                self.topology.apply_policies(writer)
                self._policies_applied = True
            except PolicyError as exc:
                log.warning("policies not written (%s); as `hub broker setup` left them", exc)
        conn = self.transport.blocking_connection("relay-setup")
        try:
            self.topology.declare(conn.channel(), parties, amqp)
        finally:
            conn.close()
        self._declared = set(parties)
        self._declared_revision = self.directory.watch.seen

    def _declare_party(self, party: str) -> None:
        conn = self.transport.blocking_connection("relay-setup")
        try:
            info = self.directory.party(party)
            self.topology.declare_party(conn.channel(), party, amqp_out=info.route is Route.AMQP)
        finally:
            conn.close()
        self._declared.add(party)

    # ---- channel (I/O thread) --------------------------------------------------------
    def _on_open(self, conn: Any) -> None:
        self._connection = conn
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
        channel.add_on_close_callback(self._on_channel_closed)
        channel.add_on_return_callback(self._on_return)
        channel.confirm_delivery(ack_nack_callback=self._on_confirm, callback=self._on_confirm_ok)
        self._channel = channel

    def _on_channel_closed(self, _channel: Any, reason: BaseException) -> None:
        if not self._stopping.is_set():
            log.warning("relay channel closed: %s", reason)
        if self._connection is not None and self._connection.is_open:
            self._connection.close()

    def _on_confirm_ok(self, _frame: Any) -> None:
        log.info("relay connected to %s; publishing with confirms", self.transport.description)
        self._schedule_pump(0)

    # ---- pumping (I/O thread) --------------------------------------------------------
    def _schedule_pump(self, delay: float) -> None:
        if self._pump_scheduled or self._connection is None:
            return
        self._pump_scheduled = True
        self._connection.ioloop.call_later(delay, self._pump)

    def _idle(self) -> bool:
        return self._open == 0 and not self._pending and self.claims.in_flight() == 0

    def _pump(self) -> None:
        self._pump_scheduled = False
        if self._channel is None or not self._channel.is_open:
            return
        self._schedule_flush()
        if self._stopping.is_set():
            if self._open == 0 and self._claims_running == 0 and not self._pending:
                self._flush_then_close()
            return
        # A claim or a mark coming back pumps again.
        while (
            self._claims_running < (self._max_claims if self._backlog else 1)
            and self._open < self.max_batches
            and len(self._pending) < self.max_unsettled
            and not self._blocked
        ):
            # A claim that finds nothing proves the outbox idle only if nothing was in
            # flight when it started: an unsent row in flight holds back later rows of its case.
            alone = self._idle()
            self._claims_running += 1
            self._open += 1
            self._claims_submitted += 1
            self._submit(self._claim_job, self._connection, alone, self._claims_submitted)

    def _submit(self, fn: Callable[..., None], *args: Any) -> None:
        future = self._db.submit(fn, *args)
        with self._lock:
            self._futures.add(future)

        def forget(f: Future[None]) -> None:
            with self._lock:
                self._futures.discard(f)

        future.add_done_callback(forget)

    @staticmethod
    def _to_io(conn: Any, callback: Callable[[], None]) -> None:
        """From a database thread: run `callback` on the I/O thread of `conn`."""
        if conn is None:
            return
        try:
            conn.ioloop.add_callback_threadsafe(callback)
        except Exception:  # that connection's loop is gone; _abandon settles up
            log.debug("callback dropped with its connection", exc_info=True)

    def _on_claimed(
        self, conn: Any, batch: Batch | None, failed: bool, alone: bool, serial: int
    ) -> None:
        if conn is not self._connection:
            return  # an old connection's claim: _abandon released it
        self._claims_running -= 1
        self._backlog = batch is not None and batch.claimed >= self.batch_size
        if batch is None:
            self._open -= 1
            if failed:
                self._schedule_pump(max(0.5, self.poll_interval))
                return
            # Nothing to claim proves the outbox idle only if nothing was in flight when
            # the claim started (a row in flight holds back later rows of its case), and
            # no other claim started since; a mark coming back pumps again at once.
            if alone and serial == self._claims_submitted and self._idle():
                if self._stop_when_idle:
                    self._stopping.set()
                    self._flush_then_close()
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
            return  # the batch stays unmarked: _abandon releases it
        if self.directory.watch.seen != self._declared_revision:
            # The registry changed: a party may now want another kind of queue (amqp).
            self._declared_revision = self.directory.watch.seen
            self._declared.clear()
        for destination in batch.destinations - self._declared:
            self._declare_party(destination)
        exchange = self.topology.delivery_exchange
        persistent = pika.DeliveryMode.Persistent
        again = batch.republished
        for (oid, _), (message_id, destination, type_, body) in zip(
            batch.rows.items(), batch.publishes, strict=True
        ):
            self._next_tag += 1
            self._pending[self._next_tag] = (batch, oid)
            channel.basic_publish(
                exchange,
                destination,
                body,
                pika.BasicProperties(
                    message_id=message_id,
                    type=type_,
                    delivery_mode=persistent,
                    # Only a copy that may have gone out before carries a header (its
                    # connector asks its journal); a first publish carries none.
                    headers=REPUBLISHED_HEADERS if oid in again else None,
                ),
                mandatory=True,
            )
        count = len(batch.publishes)
        batch.outstanding += count
        self.stats.published += count
        metrics.PUBLISHED.inc(count)
        self.claims.published(batch)
        if not self.claims.holds_until_settled:
            self._batch_done()
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
                self.claims.acked(batch, oid)
                self.stats.confirmed += 1
                metrics.CONFIRMED.inc()
            else:
                self._returned.discard(batch.rows[oid])
                self.claims.failed(batch, oid)
                self.stats.nacked += 1
                metrics.NACKED.inc()
            if batch.outstanding == 0:
                finished.append(batch)
        for batch in finished:
            self._settled(batch)
        self._schedule_flush()

    def _settled(self, batch: Batch) -> None:
        """Every publish of the batch is confirmed or refused."""
        if batch.failed:
            log.warning("%d publishes not confirmed; they go again", len(batch.failed))
        if self.locked:
            self._submit(self._mark_job, self._connection, batch)
        elif self.claims.holds_until_settled:
            self._batch_done()

    def _batch_done(self) -> None:
        self._open -= 1
        self._schedule_pump(0)

    def _schedule_flush(self) -> None:
        """Exclusive claims: mark the confirmed rows together, at most every few ms."""
        if self._flush_scheduled or self._flushing or self._connection is None:
            return
        due = self.claims.flush_due()
        if due is None:
            return
        self._flush_scheduled = True
        self._connection.ioloop.call_later(due, self._start_flush)

    def _start_flush(self) -> None:
        self._flush_scheduled = False
        if self._flushing or self._connection is None:
            return
        self._flushing = True
        self._submit(self._flush_job, self._connection)

    def _on_flushed(self, conn: Any, failed: bool) -> None:
        if conn is not self._connection:
            return
        self._flushing = False
        if failed:
            self._connection.ioloop.call_later(max(0.5, self.poll_interval), self._start_flush)
            return
        self._schedule_pump(0)

    def _flush_then_close(self) -> None:
        """Stopping: mark what waits to be marked (its end pumps, which comes back here)."""
        if self._flushing:
            return
        if self.claims.flush_due() is None:
            self._close()
            return
        self._start_flush()

    def _on_marked(self, conn: Any, failed: bool) -> None:
        if conn is not self._connection:
            return
        self._open -= 1
        self._schedule_pump(self.poll_interval * 10 if failed else 0)

    # ---- database (pool threads) -----------------------------------------------------
    def _claim_job(self, conn: Any, alone: bool, serial: int) -> None:
        batch: Batch | None = None
        failed = False
        try:
            self._keep_statistics()
            batch = self.claims.claim()
            self._observe_lag()
        except Exception:
            log.exception("claiming outbox rows failed; trying again shortly")
            failed = True
        self._to_io(conn, functools.partial(self._on_claimed, conn, batch, failed, alone, serial))

    def _mark_job(self, conn: Any, batch: Batch) -> None:
        failed = bool(batch.failed)
        try:
            self.claims.mark_batch(batch)
        except Exception:
            log.exception("marking %d rows sent failed; they go again", len(batch.acked))
            failed = True
        self._to_io(conn, functools.partial(self._on_marked, conn, failed))

    def _flush_job(self, conn: Any) -> None:
        failed = False
        try:
            self.claims.flush()
        except Exception:
            log.exception("marking confirmed rows sent failed; trying again")
            failed = True
        self._to_io(conn, functools.partial(self._on_flushed, conn, failed))

    def _prepare(self, batch: Batch, rows: list[Row]) -> None:
        """A database thread: the claimed rows' publishes (pull-feed rows only marked)."""
        pushed: dict[str, bool] = {}  # one registry look-up per destination, not per row
        publishes = batch.publishes
        # Columns in claim order (outbox_sql.CLAIMED_COLUMNS); the body is Message.body.
        # (A claim without locks answers one more column, SENT_BEFORE, read by the claims.)
        for (
            oid,
            message_id,
            destination,
            type_,
            application_no,
            envelope,
            deliver_by,
            seq,
            *_,
        ) in rows:
            if destination not in pushed:
                pushed[destination] = self.directory.party(destination).pushed
                if pushed[destination]:
                    batch.destinations.add(destination)
            if not pushed[destination]:
                batch.feed.append(oid)
                continue
            facts = pack_facts(destination, application_no, as_utc(deliver_by), seq, oid)
            batch.rows[oid] = message_id
            publishes.append((message_id, destination, type_, framed_body(facts, envelope)))
        if batch.feed:
            self.stats.feed_marked += len(batch.feed)
            metrics.FEED_MARKED.inc(len(batch.feed))

    def _keep_statistics(self) -> None:
        """PostgreSQL: the claim is planned from the outbox's statistics
        (`OutboxRecorder.keep_statistics`); checked at most every 10 s."""
        now = time.monotonic()
        if now - self._statistics_checked < 10.0:
            return
        self._statistics_checked = now
        try:
            with self.engine.connect() as conn:
                if self.recorder.keep_statistics(conn):
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
