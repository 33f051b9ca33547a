"""The outbox: messages owed to parties, written in the transaction of the change they report.

Each row is written with its `outbox_pending` row; the relay (or the in-process drain)
publishes the pending rows and marks them sent (`mark_sent`: the pending row goes, an
`outbox_sent` row records when). The pull feed reads a destination's rows by `party_seq`,
which is gap-free and in commit order per destination.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ARRAY, Connection, Integer, any_, bindparam, delete, func, insert, literal
from sqlalchemy import select as core_select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from hub import jsonutil
from hub.store.models import OutboxMessage, OutboxPending, OutboxSent
from hub.store.sequences import next_party_sequence
from hub.store.types import UTCDateTime
from hub.store.writes import buffer_of
from hub.vault import Vault


@dataclass(frozen=True)
class Envelope:
    """INTERFACE 8: what a party receives, whatever the channel."""

    message_id: str
    type: str
    application_no: str | None
    occurred_at: datetime
    data: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {
            "message_id": self.message_id,
            "type": self.type,
            "application_no": self.application_no,
            "occurred_at": jsonutil.rfc3339(self.occurred_at),
            "data": self.data,
        }


def enqueue(
    session: Session,
    vault: Vault,
    *,
    destination: str,
    type: str,
    application_no: str | None,
    data: dict[str, Any],
    occurred_at: datetime,
    deliver_by: datetime | None = None,
) -> str:
    """Write one message for `destination`; answers its message id."""
    message_id = str(uuid.uuid4())
    envelope = Envelope(message_id, type, application_no, occurred_at, data)
    row: dict[str, Any] = {
        "message_id": message_id,
        "destination": destination,
        "type": type,
        "application_no": application_no,
        "envelope": vault.seal_json(
            envelope.as_json(), table="outbox", field="envelope", record_id=message_id
        ),
        "occurred_at": occurred_at,
        "deliver_by": deliver_by,
        "created_at": occurred_at,
    }
    buffer = buffer_of(session)
    if buffer is not None:  # a batch: id and feed number are given when it is written
        buffer.add(OutboxMessage, row)
    else:
        row["party_seq"] = next_party_sequence(session, destination)
        conn = session.connection()
        written = conn.execute(insert(OutboxMessage), row)  # one row: its id comes back
        outbox_id = written.inserted_primary_key[0]  # type: ignore[index]
        conn.execute(insert(OutboxPending), [OutboxPending.row_for(outbox_id, row)])
    return message_id


P = OutboxPending.__table__  # type: ignore[attr-defined]
S = OutboxSent.__table__  # type: ignore[attr-defined]
_IDS = bindparam("ids", type_=ARRAY(Integer))
_UNPEND_PG = delete(P).where(P.c.outbox_id == any_(_IDS))
_SENT_PG = pg_insert(S).from_select(
    ["outbox_id", "sent_at", "attempts"],
    core_select(func.unnest(_IDS), bindparam("now", type_=UTCDateTime()), literal(1)),
)
_SENT_PG = _SENT_PG.on_conflict_do_update(
    index_elements=[S.c.outbox_id],
    set_={"sent_at": _SENT_PG.excluded.sent_at, "attempts": S.c.attempts + 1},
)
_SENT_SQLITE = sqlite_insert(S)
_SENT_SQLITE = _SENT_SQLITE.on_conflict_do_update(
    index_elements=[S.c.outbox_id],
    set_={"sent_at": _SENT_SQLITE.excluded.sent_at, "attempts": S.c.attempts + 1},
)


def mark_sent(conn: Connection, ids: list[int], now: datetime) -> None:
    """Rows `ids` are sent: no longer pending, sent at `now` (once more, if sent before).

    Two narrow writes per row instead of rewriting the outbox row: on PostgreSQL two
    statements for the batch, each with one array parameter.
    """
    if not ids:
        return
    if conn.dialect.name == "postgresql":
        # The mark need not wait for its own fsync: lost in a database crash, it only
        # sends these rows again, which parties drop by message_id (at least once on the
        # wire, once in effect). It saves the relay a disk flush per batch.
        conn.exec_driver_sql("SET LOCAL synchronous_commit = off")
        conn.execute(_UNPEND_PG, {"ids": ids})
        conn.execute(_SENT_PG, {"ids": ids, "now": now})
        return
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        conn.execute(delete(P).where(P.c.outbox_id.in_(chunk)))
        conn.execute(
            _SENT_SQLITE, [{"outbox_id": i, "sent_at": now, "attempts": 1} for i in chunk]
        )


def unsend(conn: Connection, row: OutboxMessage) -> None:
    """Make `row` pending again, as if never sent (a dead letter's replay)."""
    conn.execute(delete(S).where(S.c.outbox_id == row.id))
    conn.execute(delete(P).where(P.c.outbox_id == row.id))
    pending = OutboxPending.row_for(
        row.id, {"destination": row.destination, "application_no": row.application_no}
    )
    conn.execute(insert(P), [pending])


def unpend(conn: Connection, outbox_id: int) -> None:
    """`outbox_id` is no longer to send (it is dead)."""
    conn.execute(delete(P).where(P.c.outbox_id == outbox_id))


def open_envelope(vault: Vault, row: OutboxMessage) -> dict[str, Any]:
    value: dict[str, Any] = vault.open_json(
        row.envelope, table="outbox", field="envelope", record_id=row.message_id
    )
    return value


def read_feed(
    session: Session, vault: Vault, destination: str, after: int, limit: int
) -> tuple[list[dict[str, Any]], int]:
    """A destination's messages after `after`, in order; answers them and the next cursor."""
    rows = session.exec(
        select(OutboxMessage)
        .where(OutboxMessage.destination == destination, col(OutboxMessage.party_seq) > after)
        .order_by(col(OutboxMessage.party_seq))
        .limit(limit)
    ).all()
    messages = [open_envelope(vault, row) for row in rows]
    return messages, (rows[-1].party_seq if rows else after)


#: PostgreSQL's statistics of a table, and whether they are missing or out of date. The
#: claim (relay.claim_query) checks each pending row's case for an earlier pending message;
#: planned without statistics, that check walked every earlier pending row instead of
#: looking the case up: measured 1.8-2.2k msg/s instead of 19-21k with a 20,000-row backlog.
#: The pending rows change all the time (every send deletes one), so their statistics go
#: stale within seconds of a backlog building up.
_STALE_STATISTICS = """
SELECT NOT EXISTS (
         SELECT 1 FROM pg_stats WHERE schemaname = current_schema() AND tablename = %(name)s
       ) AND EXISTS (SELECT 1 FROM {table}),
       s.n_mod_since_analyze, c.reltuples
FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
WHERE s.relid = %(name)s::regclass
"""

#: What the claim reads, in the order to analyze them.
CLAIMED_TABLES = ("outbox_pending", "outbox")
#: Every send deletes a pending row: its dead rows are vacuumed with the statistics, or
#: with autovacuum off (as on this project's machines) the claim would read ever more of them.
_VACUUMED = frozenset({"outbox_pending"})


def analyze_if_stale(
    conn: Any,
    *,
    tables: tuple[str, ...] = CLAIMED_TABLES,
    changed_rows: int = 1000,
    changed_share: float = 0.1,
) -> bool:
    """ANALYZE each of `tables` never analyzed or much changed since (PostgreSQL); the
    pending rows are vacuumed too.

    Autovacuum does this where it runs; this covers databases where it is off or behind, as
    its own thresholds would (`changed_rows` + `changed_share` of the table). Answers whether
    it analyzed any. `conn` is a SQLAlchemy connection outside any other work's transaction.
    """
    analyzed = False
    for table in tables:
        if table not in CLAIMED_TABLES:
            raise ValueError(f"not an outbox table: {table}")
        row = conn.exec_driver_sql(
            _STALE_STATISTICS.format(table=table), {"name": table}
        ).first()
        # Column statistics, not reltuples, tell whether it was ever analyzed: an ANALYZE
        # rolled back keeps the row count it wrote in place but loses the statistics.
        if row is not None:
            never, changed, tuples = row
            if never or changed > changed_rows + changed_share * max(tuples, 0):
                if table in _VACUUMED:
                    conn.commit()
                    _vacuum_analyze(conn, table)
                else:
                    conn.exec_driver_sql(f"ANALYZE {table}")
                analyzed = True
        conn.commit()
    return analyzed


def _vacuum_analyze(conn: Any, table: str) -> None:
    # VACUUM runs outside a transaction; it takes no lock that claims or marks wait for.
    raw = conn.connection.driver_connection
    raw.autocommit = True
    try:
        raw.execute(f"VACUUM (ANALYZE) {table}")
    finally:
        raw.autocommit = False
