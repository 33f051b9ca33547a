"""The journal of what went out (the `inbox` table): a connector asks it before an effect
leaves the hub and tells it after, so a copy of a message that was already answered is
settled without a second POST, SMS or e-mail.

Delivery is at least once (INTERFACE 8): a broker redelivers what a connector had answered
but not yet acknowledged when its connection broke (a node stopped, a process killed), a
relay killed between a confirm and its mark publishes a row again, and in process a relay
session that ends makes the rows a connector still holds claimable again. Without the journal
every such copy reached the party once more (up to 131 of 1,376 messages in the cluster
test, issue 14). With it, a copy comes twice only if the process died between the answer
and the record (one message per connector thread at most).

On PostgreSQL the record commits without waiting for its fsync: a record lost in a crash of
the database costs one repeat, which the contract allows, not a lost message.
"""

from __future__ import annotations

import threading
from datetime import datetime

from sqlalchemy import Connection

from hub.delivery.message import Message
from hub.logsafety import get_logger
from hub.services.context import HubContext
from hub.store.outbox_recorder import recorder_for

log = get_logger("hub.journal")

#: (consumer, key): ("webhook" or "portal", message id), ("notify.sms" or "notify.mail",
#: "<message id>:<recipient n>").
Key = tuple[str, str]


class Journal:
    """Which effects went out (inbox rows), so a retry or a redelivered copy does not send
    the same thing twice.

    This one writes at once: one transaction per message, all its recipients together,
    committed before the connector answers (the broker worker acks only after that).
    """

    def __init__(self, ctx: HubContext) -> None:
        self.ctx = ctx

    def done(self, keys: list[Key], message: Message | None = None) -> set[Key]:
        if not keys:
            return set()
        with self.ctx.db.read_engine.connect() as conn:
            found = recorder_for(conn).inbox_found(conn, keys)
            conn.rollback()
        return found

    def record(self, keys: list[Key]) -> None:
        if keys:
            with self.ctx.db.engine.begin() as conn:
                recorder_for(conn).record_inbox(conn, keys, self.ctx.clock.now())

    def close(self) -> None:
        """Write what is still kept in memory (nothing here: each record is written at once)."""


class BufferedJournal(Journal):
    """For the embedded default, where every write queues for SQLite's one writer: rows are
    kept in memory and written in the relay's next mark, one transaction for many messages
    (`take`, `write`; `restore` if that transaction failed). Until then `done` answers from
    memory, so a retry in this process still skips what was sent. A crash before the write
    loses only the record, not the message: the notice is sent again with the same
    `client_ref` / Message-ID (at least once, as everywhere on the wire).

    `watermark` is the largest outbox id when this process started: no other process can
    have sent a notice of a later row, so `done` reads the database only for earlier ones.
    """

    def __init__(self, ctx: HubContext, watermark: int | None = None) -> None:
        super().__init__(ctx)
        self.watermark = watermark
        self._lock = threading.Lock()
        self._unwritten: set[Key] = set()

    def done(self, keys: list[Key], message: Message | None = None) -> set[Key]:
        with self._lock:
            mine = set(keys) & self._unwritten
        rest = [k for k in keys if k not in mine]
        later = (
            message is not None
            and message.outbox_id is not None
            and self.watermark is not None
            and message.outbox_id > self.watermark
        )
        return mine if later or not rest else mine | super().done(rest)

    def record(self, keys: list[Key]) -> None:
        with self._lock:
            self._unwritten.update(keys)

    def waiting(self) -> bool:
        with self._lock:
            return bool(self._unwritten)

    def take(self) -> list[Key]:
        with self._lock:
            return list(self._unwritten)

    def write(self, conn: Connection, keys: list[Key], at: datetime) -> None:
        recorder_for(conn).record_inbox(conn, keys, at)

    def written(self, keys: list[Key]) -> None:
        with self._lock:
            self._unwritten.difference_update(keys)


class FlushingJournal(BufferedJournal):
    """For connectors over RabbitMQ: what went out is kept in memory and written every
    `every` seconds, many messages to one transaction, by a thread of its own, so a webhook's
    delivery thread pays a set insert instead of a transaction (that transaction doubled the
    connector's CPU: 1.0-1.1 -> 2.3-2.8 ms an application). `done` answers from memory,
    then from the database: another process may have answered. A record lost with the
    process (at most `every` seconds of them) costs a repeat, which the contract allows."""

    def __init__(self, ctx: HubContext, every: float = 0.05) -> None:
        super().__init__(ctx)
        self.every = every
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="journal-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stopping.wait(self.every):
            self.flush()

    def flush(self) -> None:
        taken = self.take()
        if not taken:
            return
        try:
            with self.ctx.db.engine.begin() as conn:
                self.write(conn, taken, self.ctx.clock.now())
        except Exception:  # kept in memory: written on the next turn
            log.warning("journal write failed; retried on the next turn", exc_info=True)
            return
        self.written(taken)

    def close(self) -> None:
        """Write what is left, then stop the writer."""
        self._stopping.set()
        self._thread.join(5)
        self.flush()
