"""How the relay holds the outbox rows it claimed until they are marked sent.

    Claims
    ├── LockedClaims     PostgreSQL, to a broker that confirms on storage (RabbitMQ):
    │                    a batch's rows stay locked (SKIP LOCKED) in its own transaction
    │                    until every publish in it is confirmed, then the batch is marked
    │                    and committed; several relays share the outbox
    └── ExclusiveClaims  SQLite, or a broker that confirms on delivery (the in-process
                         one): one relay; claims are reads that leave out the rows in
                         flight, and each confirmed row is marked as soon as it is
                         confirmed, many rows to a short write transaction

Either way nothing is marked before its confirm, so a crash or a lost connection only
sends rows again, and each such second copy goes out marked (`Batch.republished`, the
`x-hub-republished` header), so connectors ask their journal about it and about nothing
else: LockedClaims counts each row's sends in `outbox_sent` in a transaction committed
before the publish (a row counted before was published before, by this relay or one that
died); ExclusiveClaims, the one relay, marks what it let go itself (a nack, a lost
connection), what was pending when it started (a relay before it may have published it)
and a replayed dead letter (pending with a sent row).

The I/O thread calls `published`, `acked`, `failed` and `settled`; the
database threads `claim` and the mark jobs (`mark_batch`, `flush`).
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Connection, Engine

from hub.store.outbox_recorder import OutboxRecorder

#: One publish: message id, destination, type, body.
Publish = tuple[str, str, str, bytes]
#: A row as claimed (`outbox_sql.CLAIMED_COLUMNS`).
Row = tuple[Any, ...]

_numbers = itertools.count(1)


class Companion(Protocol):
    """Rows written in the same transaction as a mark (the embedded default's notice
    journal, `connectors.journal.BufferedJournal`): one write for both, on SQLite's one
    writer, instead of two."""

    def waiting(self) -> bool: ...
    def take(self) -> list[Any]: ...
    def write(self, conn: Connection, taken: list[Any], at: datetime) -> None: ...
    def written(self, taken: list[Any]) -> None: ...


@dataclass(eq=False)
class Batch:
    #: Outbox id -> message id of the rows to publish, in claim order.
    rows: dict[int, str] = field(default_factory=dict)
    #: Their publishes, in the same order.
    publishes: list[Publish] = field(default_factory=list)
    destinations: set[str] = field(default_factory=set)
    #: Rows for pull-feed parties: nothing to publish, marked with the batch.
    feed: list[int] = field(default_factory=list)
    claimed: int = 0
    #: LockedClaims: the transaction holding the rows' locks.
    conn: Connection | None = None
    number: int = field(default_factory=lambda: next(_numbers))
    outstanding: int = 0
    acked: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    #: Rows that may have been published before: their copies carry `x-hub-republished`.
    republished: set[int] = field(default_factory=set)


class Claims:
    """What both ways share: the claim itself, and counts of what was marked."""

    def __init__(
        self,
        recorder: OutboxRecorder,
        engine: Engine,
        read_engine: Engine,
        batch_size: int,
        prepare: Callable[[Batch, list[Row]], None],
        now: Callable[[], datetime],
    ) -> None:
        self.recorder = recorder
        self.engine = engine
        self.read_engine = read_engine
        self.batch_size = batch_size
        self.prepare = prepare
        self.now = now
        self.lock = threading.Lock()
        self.live: dict[int, Batch] = {}  # claimed and not yet marked or let go
        self.marked = 0  # rows marked sent: confirmed and pull-feed ones

    #: Whether a batch still counts as open once it is published (and until settled).
    holds_until_settled = True

    def claim(self) -> Batch | None:
        raise NotImplementedError

    def published(self, batch: Batch) -> None:
        """The I/O thread wrote the batch's publishes."""

    def acked(self, batch: Batch, oid: int) -> None:
        batch.acked.append(oid)

    def failed(self, batch: Batch, oid: int) -> None:
        batch.failed.append(oid)

    def mark_batch(self, batch: Batch) -> None:
        """Every publish of `batch` is confirmed or refused (a database thread)."""

    def flush(self) -> int:
        """Mark what is waiting to be marked (a database thread); answers how many rows."""
        return 0

    def flush_due(self) -> float | None:
        """Seconds until a flush is due (0: now), or None if nothing waits."""
        return None

    def abandon(self) -> None:
        """The connection is gone: mark what was confirmed, let the rest be claimed again."""

    def in_flight(self) -> int:
        """Rows claimed and not yet marked (or let go)."""
        with self.lock:
            return sum(len(b.rows) + len(b.feed) for b in self.live.values())


class LockedClaims(Claims):
    def claim(self) -> Batch | None:
        conn = self.engine.connect()
        try:
            conn.begin()
            rows = self.recorder.claim(conn, self.batch_size, lock=True)
        except BaseException:
            conn.close()
            raise
        if not rows:
            conn.rollback()
            conn.close()
            return None
        batch = Batch(conn=conn, claimed=len(rows))
        try:
            self.prepare(batch, rows)
            batch.republished = self._count_sends(list(batch.rows))
        except BaseException:
            conn.rollback()
            conn.close()
            raise
        with self.lock:
            self.live[batch.number] = batch
        return batch

    def _count_sends(self, ids: list[int]) -> set[int]:
        """Count the sends before publishing, committed apart from the claim (whose
        transaction holds the locks until the mark): the ids published before."""
        if not ids:
            return set()
        with self.engine.begin() as conn:
            return self.recorder.publishing(conn, ids, self.now())

    def mark_batch(self, batch: Batch) -> None:
        with self.lock:
            if self.live.pop(batch.number, None) is None:
                return  # settled already by abandon()
        self._commit(batch)

    def _commit(self, batch: Batch) -> None:
        assert batch.conn is not None
        ids = batch.acked + batch.feed
        try:
            # Published rows were counted before their publish; pull-feed rows only now.
            self.recorder.unpend_many(batch.conn, batch.acked)
            self.recorder.mark_sent(batch.conn, batch.feed, self.now())
            batch.conn.commit()
        finally:
            batch.conn.close()
        with self.lock:
            self.marked += len(ids)

    def abandon(self) -> None:
        with self.lock:
            batches = list(self.live.values())
            self.live.clear()
        for b in batches:
            self._commit(b)


class ExclusiveClaims(Claims):
    def __init__(
        self,
        *args: Any,
        settles_late: bool,
        mark_interval: float = 0.05,
        mark_rows: int = 1000,
        companion: Companion | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.companion = companion
        # A broker that confirms on delivery may hold a row for as long as its party is
        # down (retries up to its deadline): such a batch must not keep later claims waiting.
        self.holds_until_settled = not settles_late
        self.mark_interval = mark_interval
        self.mark_rows = mark_rows
        self._in_flight: set[int] = set()  # kept out of claims until marked or let go
        self._to_mark: list[int] = []
        self._first_waiting: float | None = None
        self._unsettled: dict[int, Batch] = {}  # oid -> batch, published, no confirm yet
        #: Rows this relay published and let go unmarked (a nack, a lost connection):
        #: published again, they are marked as republished.
        self._let_go: set[int] = set()
        #: The largest outbox id when this relay started: a row up to it still pending may
        #: have been published by a relay before this one (this relay is the only one).
        with self.read_engine.connect() as conn:
            self.watermark = self.recorder.last_outbox_id(conn)
            conn.rollback()

    def claim(self) -> Batch | None:
        # The ids in flight are read before the claim's snapshot starts, so a row whose
        # mark commits meanwhile is either excluded or seen as sent: never sent twice.
        with self.lock:
            exclude = frozenset(self._in_flight)
        with self.read_engine.connect() as conn:
            rows = self.recorder.claim(conn, self.batch_size, exclude=exclude)
            conn.rollback()
        if not rows:
            return None
        batch = Batch(claimed=len(rows))
        self.prepare(batch, rows)
        with self.lock:
            # Columns: outbox_sql.CLAIMED_COLUMNS, then SENT_BEFORE.
            batch.republished = {
                r[0] for r in rows if r[0] <= self.watermark or r[0] in self._let_go or r[-1]
            } & set(batch.rows)
            self._in_flight.update(r[0] for r in rows)
            self.live[batch.number] = batch
            self._wait(batch.feed)
        return batch

    def _wait(self, ids: list[int]) -> None:
        if ids:
            if not self._to_mark:
                self._first_waiting = time.monotonic()
            self._to_mark.extend(ids)

    def published(self, batch: Batch) -> None:
        with self.lock:
            for oid in batch.rows:
                self._unsettled[oid] = batch
            self._forget_if_done(batch)

    def acked(self, batch: Batch, oid: int) -> None:
        with self.lock:
            self._unsettled.pop(oid, None)
            batch.acked.append(oid)
            self._wait([oid])
            self._forget_if_done(batch)

    def failed(self, batch: Batch, oid: int) -> None:
        with self.lock:
            self._unsettled.pop(oid, None)
            batch.failed.append(oid)
            self._in_flight.discard(oid)  # claimed again by a later claim
            self._let_go.add(oid)
            self._forget_if_done(batch)

    def _forget_if_done(self, batch: Batch) -> None:
        if len(batch.acked) + len(batch.failed) >= len(batch.rows):
            self.live.pop(batch.number, None)

    def flush_due(self) -> float | None:
        with self.lock:
            if not self._to_mark:
                if self.companion is not None and self.companion.waiting():
                    return self.mark_interval
                return None
            if len(self._to_mark) >= self.mark_rows:
                return 0.0
            assert self._first_waiting is not None
            return max(0.0, self.mark_interval - (time.monotonic() - self._first_waiting))

    def flush(self) -> int:
        with self.lock:
            ids, self._to_mark = self._to_mark, []
            self._first_waiting = None
        taken = self.companion.take() if self.companion is not None else []
        if not ids and not taken:
            return 0
        try:
            with self.engine.begin() as conn:
                now = self.now()
                self.recorder.mark_sent(conn, ids, now)
                if taken:
                    assert self.companion is not None
                    self.companion.write(conn, taken, now)
        except BaseException:
            with self.lock:
                self._to_mark[:0] = ids
                self._first_waiting = time.monotonic()
            raise
        if taken:
            assert self.companion is not None
            self.companion.written(taken)
        with self.lock:  # only now may a claim see them (as sent)
            self._in_flight.difference_update(ids)
            self._let_go.difference_update(ids)
            self.marked += len(ids)
        return len(ids)

    def abandon(self) -> None:
        with self.lock:
            # What was confirmed (or is for the feed) is marked; the rest is claimable again,
            # and what of it was published goes out again marked as republished.
            self._let_go.update(self._in_flight.difference(self._to_mark))
            self._in_flight.intersection_update(self._to_mark)
            self._unsettled.clear()
            self.live.clear()
        self.flush()

    def in_flight(self) -> int:
        with self.lock:
            return len(self._in_flight)
