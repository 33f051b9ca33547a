"""Delivery without a broker (no HUB_AMQP_URL): the outbox drained in-process.

The same connectors as `hub connector` (signed webhooks, portal push, notices), the same
retry policy and deadlines, the same dead-letter recording; only the transport between
outbox and connector differs. Backoff state lives in memory: after a restart, pending
retries are simply tried again. One drain per database (SQLite's embedded default); with
several hub processes use the broker.

Cheap beside intake: on SQLite every write transaction queues on the one writer, so the
drain never writes per message. It claims with a read (beside the writer, WAL), and its
writes are batched: rows delivered (and pull-feed rows) are marked sent together, with the
notice connector's inbox rows, in one transaction at most every `flush_interval` seconds
(sooner when `flush_rows` are waiting). A row stays in flight, out of the next claim, until
that transaction has committed, so it is never delivered twice by this process; a crash
before it only means the row is delivered again (at least once, and parties drop repeats
by `message_id`).
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from connectors.notify import BufferedJournal, insert_inbox
from hub.broker import metrics
from hub.broker.relay import T, claim_query
from hub.broker.wiring import Connectors, build
from hub.delivery.directory import Directory, Route
from hub.delivery.message import Message
from hub.delivery.outcomes import Connector, Dead, Delivered, Outcome, Retry
from hub.delivery.settings import DeliverySettings
from hub.services.context import HubContext
from hub.services.delivery_failures import record_dead
from hub.store.outbox import mark_sent

log = logging.getLogger("hub.embedded")


@dataclass
class _Pending:
    attempt: int = 0
    due: float = 0.0
    deliver_by: datetime | None = None
    crashes: int = 0


class EmbeddedDelivery:
    def __init__(
        self,
        ctx: HubContext,
        settings: DeliverySettings | None = None,
        *,
        connectors: Connectors | None = None,
        directory: Directory | None = None,
        poll_interval: float = 0.05,
        batch_size: int = 500,
        flush_interval: float = 0.05,
        flush_rows: int = 500,
    ) -> None:
        self.ctx = ctx
        self.settings = settings or ctx.settings.delivery_settings()
        self.directory = directory or Directory(ctx, self.settings)
        self.connectors = connectors or build(ctx, self.settings, self.directory)
        self.poll_interval = poll_interval
        self.batch_size = batch_size
        self.flush_interval = flush_interval
        self.flush_rows = flush_rows
        # Notices sent are recorded in the drain's own batched transaction.
        self.journal = BufferedJournal(ctx)
        self.connectors.notify.journal = self.journal
        self._to_mark: list[int] = []  # delivered or pull-feed rows, not yet marked sent
        self._watermark: int | None = None  # rows above it were written after we started
        self._last_flush = time.monotonic()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._in_flight: set[int] = set()
        self._pending: dict[int, _Pending] = {}
        self._pools: dict[str, ThreadPoolExecutor] = {}
        self.delivered = 0

    # ---- lifecycle ----------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="hub-embedded-delivery", daemon=True)
        self._thread.start()
        log.info("embedded delivery started (no HUB_AMQP_URL)")

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        for pool in self._pools.values():
            pool.shutdown(wait=True, cancel_futures=True)
        self._pools.clear()
        try:
            self._flush()
        except Exception:
            log.exception("could not mark the last delivered rows; they are delivered again")
        self.connectors.close()

    def wake(self) -> None:
        """Something was enqueued: look now rather than at the next poll."""
        self._wake.set()

    def drain(self, timeout: float = 30.0) -> bool:
        """Tests and `hub demo`: run until nothing is deliverable now (True) or timeout."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            found = self._step()
            self._flush()
            if found == 0 and not self._busy():
                return True
            time.sleep(0.02)
        return False

    # ---- loop ---------------------------------------------------------------------------
    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                found = self._step()
            except Exception:
                log.exception("embedded delivery step failed; retrying")
                found = 0
            try:
                if self._flush_due():
                    self._flush()
            except Exception:
                log.exception("marking delivered rows failed; retrying")
            if not found:
                self._wake.wait(self._idle_wait())
                self._wake.clear()

    def _busy(self) -> bool:
        with self._lock:
            return bool(self._in_flight)

    def _flush_due(self) -> bool:
        with self._lock:
            waiting = len(self._to_mark)
        if waiting >= self.flush_rows:
            return True
        return time.monotonic() - self._last_flush >= self.flush_interval

    def _idle_wait(self) -> float:
        with self._lock:
            waiting = bool(self._to_mark)
        if not waiting:
            return self.poll_interval
        left = self.flush_interval - (time.monotonic() - self._last_flush)
        return max(0.001, min(self.poll_interval, left))

    def _flush(self) -> None:
        """One write transaction: mark every delivered row sent, record the notices sent."""
        self._last_flush = time.monotonic()
        with self._lock:
            ids, self._to_mark = self._to_mark, []
        inbox = self.journal.take()
        if not ids and not inbox:
            return
        try:
            with self.ctx.db.engine.begin() as conn:
                now = self.ctx.clock.now()
                mark_sent(conn, ids, now)
                insert_inbox(conn, inbox, now)
        except Exception:
            with self._lock:
                self._to_mark[:0] = ids
            self.journal.restore(inbox)
            raise
        with self._lock:  # only now may the next claim see them (as sent)
            self._in_flight.difference_update(ids)

    def _step(self) -> int:
        now = time.monotonic()
        with self._lock:
            excluded = set(self._in_flight)
            excluded |= {i for i, p in self._pending.items() if p.due > now}
        # A read, beside the writer: the in-flight ids were taken before its snapshot began,
        # so a row whose mark commits meanwhile is either excluded or seen as sent.
        with self.ctx.db.read_engine.connect() as conn:
            if self._watermark is None:
                self._watermark = int(conn.execute(select(func.max(T.c.id))).scalar() or 0)
            rows = conn.execute(
                claim_query(self.batch_size, skip_locked=False, exclude=frozenset(excluded))
            ).all()
            conn.rollback()
        if not rows:
            return 0
        feed: list[int] = []
        for r in rows:
            party = self.directory.party(r.destination)
            connector = self.connectors.for_route(party.route)
            if connector is None or party.route is Route.AMQP:
                feed.append(r.id)  # pull feed: the party reads it from GET /v1/feed
                continue
            with self._lock:
                p = self._pending.get(r.id, _Pending())
                self._in_flight.add(r.id)
            msg = Message(
                message_id=r.message_id,
                destination=r.destination,
                type=r.type,
                application_no=r.application_no,
                sealed=r.envelope,
                deliver_by=p.deliver_by or r.deliver_by,
                party_seq=r.party_seq,
                attempt=p.attempt,
                outbox_id=r.id,
            )
            if msg.attempt == 0 and r.id > self._watermark:
                self.journal.fresh(msg.message_id)
            self._pool(r.destination, connector).submit(self._deliver, connector, msg)
        if feed:
            with self._lock:
                self._in_flight.update(feed)
                self._to_mark.extend(feed)
            metrics.FEED_MARKED.inc(len(feed))
        return len(rows)

    def _pool(self, destination: str, connector: Connector) -> ThreadPoolExecutor:
        pool = self._pools.get(destination)
        if pool is None:
            workers = 1 if connector.ordered else self.settings.party_concurrency
            pool = ThreadPoolExecutor(workers, thread_name_prefix=f"deliver-{destination}")
            self._pools[destination] = pool
        return pool

    def _deliver(self, connector: Connector, msg: Message) -> None:
        oid = msg.outbox_id
        assert oid is not None
        try:
            outcome: Outcome = connector.handle(msg)
        except Exception as exc:
            log.exception("connector %s failed on %s", connector.name, msg.message_id)
            outcome = self._crashed(oid, msg, exc)
        self.journal.settled(msg.message_id)  # a next attempt reads what was recorded
        delivered = False
        try:
            delivered = self._settle(connector, oid, msg, outcome)
        except Exception:
            log.exception("could not record the outcome of %s", msg.message_id)
        finally:
            if not delivered:  # delivered rows stay in flight until their mark commits
                with self._lock:
                    self._in_flight.discard(oid)
                self._wake.set()

    def _crashed(self, oid: int, msg: Message, exc: BaseException) -> Outcome:
        with self._lock:
            p = self._pending.setdefault(oid, _Pending())
            p.crashes += 1
            crashes = p.crashes
        if crashes >= self.settings.delivery_limit:
            return Dead(
                f"delivery limit reached: the connector failed {crashes} times "
                f"({type(exc).__name__})"
            )
        return Retry(f"connector error {type(exc).__name__}", 0.5, msg.deliver_by)

    def _settle(self, connector: Connector, oid: int, msg: Message, outcome: Outcome) -> bool:
        """Record an outcome; True when the row is delivered (marked by the next flush)."""
        metrics.DELIVERIES.labels(connector.name, type(outcome).__name__.lower()).inc()
        if isinstance(outcome, Delivered):
            with self._lock:
                self._pending.pop(oid, None)
                self._to_mark.append(oid)
                self.delivered += 1
                many = len(self._to_mark) >= self.flush_rows
            if many:
                self._wake.set()
            return True
        if isinstance(outcome, Retry):
            with self._lock:
                p = self._pending.setdefault(oid, _Pending())
                p.attempt = msg.attempt + 1
                p.due = time.monotonic() + outcome.delay
                p.deliver_by = outcome.deliver_by or msg.deliver_by
        elif isinstance(outcome, Dead):
            record_dead(self.ctx, msg.message_id, outcome.reason, attempts=msg.attempt + 1)
            with self._lock:
                self._pending.pop(oid, None)
        else:  # Forward has no meaning without a broker
            record_dead(self.ctx, msg.message_id, f"cannot {type(outcome).__name__} embedded")
        return False


def start_for_server(ctx: HubContext, app: Any) -> Any:
    """`hub serve` / `hub demo`: metrics always; embedded delivery when there is no broker.

    With HUB_AMQP_URL the relay and connectors run as `hub relay` / `hub connector all`.
    """
    settings = ctx.settings.delivery_settings()
    metrics.install(ctx, settings)
    if settings.amqp_url:
        app.state.broker_probe = lambda: _probe(settings)
        return None
    delivery = EmbeddedDelivery(ctx, settings)
    delivery.start()
    app.state.embedded_delivery = delivery
    return delivery.stop


def _probe(settings: DeliverySettings) -> bool:
    import pika

    assert settings.amqp_url
    params = pika.URLParameters(settings.amqp_url)
    params.socket_timeout = 2
    params.connection_attempts = 1
    try:
        pika.BlockingConnection(params).close()
        return True
    except Exception:
        return False
