"""The outbox's read side, one recorder per database (the eventsourcing project's model).

    OutboxRecorder              claims, marks, dead letters, the feed, the notice inbox
    ├── SQLiteOutboxRecorder    one relay per database; claims exclude the rows in flight
    └── PostgresOutboxRecorder  several relays: claims lock rows (SKIP LOCKED) until marked

Every difference between the two databases on this side of the outbox is inside these two
classes, and every statement is named in `outbox_sql`. Callers pass a SQLAlchemy
`Connection` (in their transaction) and get plain rows back; `recorder_for` picks the class.
The contract both keep is `tests/integration/outbox_recorder_contract.py`, run per backend.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import Connection

from hub.store import outbox_sql as sql
from hub.store.models import OutboxPending


class OutboxRecorder(ABC):
    #: Claims lock their rows in a transaction held until they are marked, so that several
    #: relays can share the outbox; without it, one relay claims and remembers its own.
    locks_claims: ClassVar[bool]

    # ---- claims and marks (the relay) ----------------------------------------------------
    #: The claim's condition leaving out the ids in flight (`outbox_sql.NOT_IN_FLIGHT_*`).
    not_in_flight: ClassVar[Any]

    def claim_sql(self, conn: Connection, limit: int, *, lock: bool) -> str:
        """The claim as the driver's SQL text for `conn`, its values written in (compiled
        once): the relay reads claims through the driver, without SQLAlchemy's result
        types, CPU its publishes need more."""
        key = (conn.dialect.name, limit, lock)
        text = _CLAIM_TEXT.get(key)
        if text is None:
            query = sql.claim(limit, lock=lock and self.locks_claims)
            text = str(query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
            _CLAIM_TEXT[key] = text
        return text

    def claim(
        self,
        conn: Connection,
        limit: int,
        *,
        lock: bool = False,
        exclude: frozenset[int] | set[int] = frozenset(),
    ) -> list[tuple[Any, ...]]:
        """Up to `limit` rows to send (`outbox_sql.CLAIMED_COLUMNS`), in outbox id order,
        leaving out the ids in `exclude` (those a relay holds in flight)."""
        if not exclude:
            text = self.claim_sql(conn, limit, lock=lock)
            return [tuple(r) for r in conn.exec_driver_sql(text).fetchall()]
        query = sql.claim(limit, lock=lock and self.locks_claims, excluding=self.not_in_flight)
        rows = conn.execute(query, {"in_flight": self.ids_parameter(exclude)})
        return [tuple(r) for r in rows.all()]

    @staticmethod
    def ids_parameter(ids: frozenset[int] | set[int]) -> Any:
        return sorted(ids)

    @abstractmethod
    def mark_sent(self, conn: Connection, ids: list[int], now: datetime) -> None:
        """Rows `ids` are sent: no longer pending, sent at `now` (once more, if before)."""

    def publishing(self, conn: Connection, ids: list[int], now: datetime) -> set[int]:
        """A locking claim's rows are about to be published: each counts one more send (its
        own transaction, committed before the publish); answers the ids sent before."""
        raise NotImplementedError("only claims that lock write before publishing")

    def unpend_many(self, conn: Connection, ids: list[int]) -> None:
        """Rows `ids`, counted by `publishing`, are confirmed: no longer pending."""
        raise NotImplementedError("only claims that lock write before publishing")

    def unpend(self, conn: Connection, outbox_id: int) -> None:
        """The row is no longer to send (it is dead)."""
        conn.execute(sql.UNPEND, {"outbox_id": outbox_id})

    #: A replay's sent row (kept, or written if the row died before its mark).
    unsend_keep: ClassVar[Any]

    def unsend(
        self,
        conn: Connection,
        outbox_id: int,
        destination: str,
        application_no: str | None,
        now: datetime | None = None,
    ) -> None:
        """The row is to send again (a dead letter's replay). Its sent row stays (one is
        written if it had none), so the relay publishes it as republished and connectors
        ask their journal whether it was answered before (a dead letter may have been)."""
        at = now or datetime.now(UTC)
        conn.execute(self.unsend_keep, {"outbox_id": outbox_id, "now": at})
        conn.execute(sql.UNPEND, {"outbox_id": outbox_id})
        row = {"destination": destination, "application_no": application_no}
        conn.execute(sql.PEND, [OutboxPending.row_for(outbox_id, row)])

    def keep_statistics(self, conn: Connection) -> bool:
        """Give the claimed tables statistics if theirs are missing or stale; True if it did."""
        return False

    # ---- reads ---------------------------------------------------------------------------
    def read_feed(
        self, conn: Connection, destination: str, after: int, limit: int
    ) -> list[tuple[str, str, int]]:
        """(message_id, sealed envelope, party_seq) of a destination's rows after `after`."""
        rows = conn.execute(sql.FEED, {"destination": destination, "after": after, "limit": limit})
        return [(r.message_id, r.envelope, r.party_seq) for r in rows]

    def last_outbox_id(self, conn: Connection) -> int:
        return int(conn.execute(sql.LAST_OUTBOX_ID).scalar() or 0)

    def oldest_unsent(self, conn: Connection) -> datetime | None:
        value: datetime | None = conn.execute(sql.OLDEST_UNSENT).scalar()
        return value

    def dead_count(self, conn: Connection) -> int:
        return int(conn.execute(sql.DEAD_COUNT).scalar() or 0)

    def dead_letters(
        self,
        conn: Connection,
        *,
        destination: str | None = None,
        after: int = 0,
        limit: int = 100,
    ) -> list[Any]:
        """Unsettled dead letters (outbox rows, with `sent_attempts`), oldest first."""
        return list(conn.execute(sql.dead_letters(destination, after, limit)).all())

    # ---- the notice inbox (which notices went out) ---------------------------------------
    @abstractmethod
    def record_inbox(self, conn: Connection, keys: Iterable[tuple[str, str]], at: datetime) -> None:
        """Inbox rows for (consumer, key) pairs in one statement; those already there stay."""

    def inbox_found(self, conn: Connection, keys: list[tuple[str, str]]) -> set[tuple[str, str]]:
        if not keys:
            return set()
        wanted = {"consumers": sorted({c for c, _ in keys}), "keys": sorted({k for _, k in keys})}
        return {(c, k) for c, k in conn.execute(sql.INBOX_FOUND, wanted).all()} & set(keys)


_CLAIM_TEXT: dict[tuple[str, int, bool], str] = {}


class SQLiteOutboxRecorder(OutboxRecorder):
    locks_claims = False
    not_in_flight = sql.NOT_IN_FLIGHT_SQLITE
    unsend_keep = sql.UNSEND_KEEP_SQLITE

    @staticmethod
    def ids_parameter(ids: frozenset[int] | set[int]) -> Any:
        return json.dumps(sorted(ids))

    def mark_sent(self, conn: Connection, ids: list[int], now: datetime) -> None:
        if not ids:
            return
        listed = json.dumps(ids)
        conn.execute(sql.UNPEND_MANY_SQLITE, {"ids": listed})
        conn.execute(sql.SENT_MANY_SQLITE, {"ids": listed, "now": now})

    def record_inbox(self, conn: Connection, keys: Iterable[tuple[str, str]], at: datetime) -> None:
        rows = [{"consumer": c, "message_id": k, "processed_at": at} for c, k in keys]
        if rows:
            conn.execute(sql.inbox_insert_sqlite(), rows)


class PostgresOutboxRecorder(OutboxRecorder):
    locks_claims = True
    not_in_flight = sql.NOT_IN_FLIGHT_PG
    unsend_keep = sql.UNSEND_KEEP_PG

    def publishing(self, conn: Connection, ids: list[int], now: datetime) -> set[int]:
        """One statement for the batch; the commit need not wait for its fsync (a count lost
        in a crash of the database costs a repeat, as a lost journal record does)."""
        if not ids:
            return set()
        conn.exec_driver_sql(sql.MARK_WITHOUT_FSYNC_PG)
        rows = conn.execute(sql.PUBLISHING_PG, {"ids": ids, "now": now}).all()
        return {int(oid) for oid, attempts in rows if attempts > 1}

    def unpend_many(self, conn: Connection, ids: list[int]) -> None:
        if ids:
            conn.exec_driver_sql(sql.MARK_WITHOUT_FSYNC_PG)
            conn.execute(sql.UNPEND_MANY_PG, {"ids": ids})

    def mark_sent(self, conn: Connection, ids: list[int], now: datetime) -> None:
        """Two statements for the whole batch, each with one array parameter; the commit
        need not wait for its fsync."""
        if not ids:
            return
        conn.exec_driver_sql(sql.MARK_WITHOUT_FSYNC_PG)
        conn.execute(sql.UNPEND_MANY_PG, {"ids": ids})
        conn.execute(sql.SENT_MANY_PG, {"ids": ids, "now": now})

    def record_inbox(self, conn: Connection, keys: Iterable[tuple[str, str]], at: datetime) -> None:
        rows = [{"consumer": c, "message_id": k, "processed_at": at} for c, k in keys]
        if rows:  # a record lost in a crash of the database costs a repeat, not a message
            conn.exec_driver_sql(sql.MARK_WITHOUT_FSYNC_PG)
            conn.execute(sql.inbox_insert_pg(), rows)

    def keep_statistics(
        self, conn: Connection, *, changed_rows: int = 1000, changed_share: float = 0.1
    ) -> bool:
        """ANALYZE each claimed table never analyzed or much changed since (autovacuum's
        own thresholds: `changed_rows` + `changed_share` of the table); the pending rows are
        vacuumed too. `conn` must be outside any other work's transaction."""
        analyzed = False
        for table in sql.CLAIMED_TABLES:
            row = conn.exec_driver_sql(
                sql.STALE_STATISTICS_PG.format(table=table), {"name": table}
            ).first()
            # Column statistics, not reltuples, tell whether it was ever analyzed: an
            # ANALYZE rolled back keeps the row count it wrote but loses the statistics.
            if row is not None:
                never, changed, tuples = row
                if never or changed > changed_rows + changed_share * max(tuples, 0):
                    if table in sql.VACUUMED:
                        conn.commit()
                        _vacuum_analyze(conn, table)
                    else:
                        conn.exec_driver_sql(f"ANALYZE {table}")
                    analyzed = True
            conn.commit()
        return analyzed


def _vacuum_analyze(conn: Connection, table: str) -> None:
    # VACUUM runs outside a transaction; it takes no lock that claims or marks wait for.
    raw = conn.connection.driver_connection
    raw.autocommit = True  # type: ignore[union-attr]
    try:
        raw.execute(f"VACUUM (ANALYZE) {table}")  # type: ignore[union-attr]
    finally:
        raw.autocommit = False  # type: ignore[union-attr]


_RECORDERS: dict[str, OutboxRecorder] = {
    "sqlite": SQLiteOutboxRecorder(),
    "postgresql": PostgresOutboxRecorder(),
}


def recorder_for(conn_or_engine: Any) -> OutboxRecorder:
    """The recorder of the database a connection, session or engine is on."""
    bind = conn_or_engine
    if hasattr(bind, "get_bind"):  # a Session
        bind = bind.get_bind()
    return _RECORDERS[bind.dialect.name]
