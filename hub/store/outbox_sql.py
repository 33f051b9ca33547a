"""Named SQL of the outbox's read side: claims, marks, dead letters, the feed, the inbox.

Every statement the relay, the feed, the operators' dead-letter tools and the notice
journal run against the outbox tables is named here, once; `outbox_recorder` runs them, one
class per database, so no other module writes outbox SQL or asks which database it is on.
"""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import (
    ARRAY,
    Integer,
    all_,
    any_,
    bindparam,
    column,
    delete,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    true,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from hub.domain import destinations
from hub.store.models import InboxRecord, OutboxMessage, OutboxPending, OutboxSent
from hub.store.types import UTCDateTime

OUTBOX = OutboxMessage.__table__  # type: ignore[attr-defined]
PENDING = OutboxPending.__table__  # type: ignore[attr-defined]
SENT = OutboxSent.__table__  # type: ignore[attr-defined]
INBOX = InboxRecord.__table__  # type: ignore[attr-defined]

#: What a claim answers for each row, in this order.
CLAIMED_COLUMNS = (
    OUTBOX.c.id,
    OUTBOX.c.message_id,
    OUTBOX.c.destination,
    OUTBOX.c.type,
    OUTBOX.c.application_no,
    OUTBOX.c.envelope,
    OUTBOX.c.deliver_by,
    OUTBOX.c.party_seq,
)
#: After those, a claim without locks (one relay: SQLite, the in-process broker) answers
#: whether the row has a sent row: a pending row with one was sent before and is pending
#: again (a dead letter's replay keeps its sent row, `UNSEND_KEEP`), so its copy goes out
#: marked as republished. A locking claim learns the same from `PUBLISHING_PG` instead.
SENT_BEFORE = exists().where(SENT.c.outbox_id == PENDING.c.outbox_id).label("sent_before")


@functools.cache
def claim(limit: int, *, lock: bool, excluding: Any = None) -> Any:
    """The next pending rows with their outbox columns, in outbox id order; a row waits
    while an earlier row of its case for the same party is pending. With `lock`, each row
    is locked as it is read and rows locked by another claim are skipped. `excluding`: a
    condition on the pending row's id (the rows a relay holds in flight, as one bound
    value, so the statement is built and compiled once however many there are)."""
    return _build_claim(limit, lock, excluding)


#: SQLite: the ids in flight as one JSON array parameter `:in_flight`.
NOT_IN_FLIGHT_SQLITE = PENDING.c.outbox_id.not_in(
    select(column("value")).select_from(func.json_each(bindparam("in_flight")))
)
#: PostgreSQL: the ids in flight as one array parameter `:in_flight`.
NOT_IN_FLIGHT_PG = PENDING.c.outbox_id != all_(bindparam("in_flight", type_=ARRAY(Integer)))


def _build_claim(limit: int, lock: bool, excluding: Any) -> Any:
    earlier = PENDING.alias("earlier")
    blocked_by_earlier = exists().where(
        earlier.c.application_no == PENDING.c.application_no,
        earlier.c.destination == PENDING.c.destination,
        earlier.c.outbox_id < PENDING.c.outbox_id,
    )
    # One flat SELECT: the pending rows' primary key hands them over in id order, so
    # nothing is sorted, and each is locked as it is read; the outbox row comes by its key.
    columns = CLAIMED_COLUMNS if lock else (*CLAIMED_COLUMNS, SENT_BEFORE)
    rows = (
        select(*columns)
        .select_from(PENDING.join(OUTBOX, OUTBOX.c.id == PENDING.c.outbox_id))
        .where(or_(PENDING.c.application_no.is_(None), ~blocked_by_earlier))
        .order_by(PENDING.c.outbox_id)
        .limit(limit)
    )
    if excluding is not None:
        rows = rows.where(excluding)
    if lock:
        # The narrow pending rows are locked, not the outbox's: a lock writes to the row.
        rows = rows.with_for_update(skip_locked=True, of=PENDING)
    return rows


# ---- marks -------------------------------------------------------------------------------
_IDS = bindparam("ids", type_=ARRAY(Integer))
#: PostgreSQL: a batch's rows leave the pending table in one statement ...
UNPEND_MANY_PG = delete(PENDING).where(PENDING.c.outbox_id == any_(_IDS))
_sent_pg = pg_insert(SENT).from_select(
    ["outbox_id", "sent_at", "attempts"],
    select(func.unnest(_IDS), bindparam("now", type_=UTCDateTime()), literal(1)),
)
#: ... and get their sent rows in another (a row sent before counts one more send).
SENT_MANY_PG = _sent_pg.on_conflict_do_update(
    index_elements=[SENT.c.outbox_id],
    set_={"sent_at": _sent_pg.excluded.sent_at, "attempts": SENT.c.attempts + 1},
)
#: SQLite has no arrays: a batch's ids are one JSON array parameter `:ids`, read with
#: json_each, so a mark is two statements whatever its size (as on PostgreSQL), not one
#: parameter set per row through SQLAlchemy's type processors.
_IDS_SQLITE: Any = select(column("value")).select_from(func.json_each(bindparam("ids")))
UNPEND_MANY_SQLITE = delete(PENDING).where(PENDING.c.outbox_id.in_(_IDS_SQLITE))
_sent_sqlite = sqlite_insert(SENT).from_select(
    ["outbox_id", "sent_at", "attempts"],
    # WHERE true: SQLite would otherwise read the upsert's ON as a join's.
    _IDS_SQLITE.add_columns(bindparam("now", type_=UTCDateTime()), literal(1)).where(true()),
)
SENT_MANY_SQLITE = _sent_sqlite.on_conflict_do_update(
    index_elements=[SENT.c.outbox_id],
    set_={"sent_at": _sent_sqlite.excluded.sent_at, "attempts": SENT.c.attempts + 1},
)
#: PostgreSQL: a mark need not wait for its own fsync (lost in a crash, it only sends
#: those rows again, which parties drop by message id).
MARK_WITHOUT_FSYNC_PG = "SET LOCAL synchronous_commit = off"

#: PostgreSQL, a locking claim's rows just before they are published, committed on their
#: own before the first publish (the claim's transaction holds the locks until the mark):
#: each row's sent row counts one more send, and the count it answers says whether the row
#: was published before (a relay killed between publish and mark, a confirm that never
#: came, a replay). The upsert reads the latest committed row, not the claim's snapshot,
#: so a relay that died after its publish and before this claim's lock is always seen.
_publishing_pg = pg_insert(SENT).from_select(
    ["outbox_id", "sent_at", "attempts"],
    select(func.unnest(_IDS), bindparam("now", type_=UTCDateTime()), literal(1)),
)
PUBLISHING_PG = _publishing_pg.on_conflict_do_update(
    index_elements=[SENT.c.outbox_id],
    set_={"sent_at": _publishing_pg.excluded.sent_at, "attempts": SENT.c.attempts + 1},
).returning(SENT.c.outbox_id, SENT.c.attempts)

UNPEND = delete(PENDING).where(PENDING.c.outbox_id == bindparam("outbox_id"))
#: A replay keeps the row's sent row (one is written if the row died before its mark), so
#: the relay publishes the replayed copy as republished and connectors ask their journal.
UNSEND_KEEP_PG = (
    pg_insert(SENT)
    .values(
        outbox_id=bindparam("outbox_id"), sent_at=bindparam("now", type_=UTCDateTime()), attempts=1
    )
    .on_conflict_do_nothing()
)
UNSEND_KEEP_SQLITE = (
    sqlite_insert(SENT)
    .values(
        outbox_id=bindparam("outbox_id"), sent_at=bindparam("now", type_=UTCDateTime()), attempts=1
    )
    .on_conflict_do_nothing()
)
PEND = insert(PENDING)

# ---- the feed, the lag, dead letters --------------------------------------------------
FEED = (
    select(OUTBOX.c.message_id, OUTBOX.c.envelope, OUTBOX.c.party_seq)
    .where(OUTBOX.c.destination == bindparam("destination"))
    .where(OUTBOX.c.party_seq > bindparam("after"))
    .order_by(OUTBOX.c.party_seq)
    .limit(bindparam("limit"))
)
#: The largest outbox id (a relay's watermark when it starts).
LAST_OUTBOX_ID = select(func.max(OUTBOX.c.id))
#: The first pending row's age: rows are pending in id order, which is the order written.
OLDEST_UNSENT = select(OUTBOX.c.created_at).where(
    OUTBOX.c.id == select(func.min(PENDING.c.outbox_id)).scalar_subquery()
)
_UNSETTLED_DEAD = (OUTBOX.c.dead_at.is_not(None), OUTBOX.c.dead_resolved_at.is_(None))
#: Dead letters waiting for an operator, whether or not the relay had sent them first.
DEAD_COUNT = select(func.count()).select_from(OUTBOX).where(*_UNSETTLED_DEAD)


def dead_letters(destination: str | None, after: int, limit: int) -> Any:
    """Unsettled dead letters with the relay's sends of each, oldest first."""
    query = (
        select(OUTBOX, SENT.c.attempts.label("sent_attempts"))
        .select_from(OUTBOX.outerjoin(SENT, SENT.c.outbox_id == OUTBOX.c.id))
        .where(*_UNSETTLED_DEAD, OUTBOX.c.id > after)
    )
    if destination:  # `pm-a` or `institution:pm-a`
        query = query.where(OUTBOX.c.destination.in_(destinations.named(destination)))
    return query.order_by(OUTBOX.c.id).limit(limit)


# ---- the inbox of notices sent (the notify connector's journal) -------------------------
@functools.cache  # built once: the relay's marks write inbox rows in every flush
def inbox_insert_pg() -> Any:
    return pg_insert(INBOX).on_conflict_do_nothing()


@functools.cache
def inbox_insert_sqlite() -> Any:
    return sqlite_insert(INBOX).on_conflict_do_nothing()


#: Which (consumer, key) pairs are there: built once, with the lists as expanding
#: parameters (`consumers`, `keys`); webhooks ask it before every POST.
INBOX_FOUND = select(INBOX.c.consumer, INBOX.c.message_id).where(
    INBOX.c.consumer.in_(bindparam("consumers", expanding=True)),
    INBOX.c.message_id.in_(bindparam("keys", expanding=True)),
)


# ---- PostgreSQL statistics of the claimed tables --------------------------------------
#: Whether a table's statistics are missing or out of date. The claim checks each pending
#: row's case for an earlier pending message; planned without statistics, that check
#: walked every earlier pending row instead of looking the case up: measured 1.8-2.2k msg/s
#: instead of 19-21k with a 20,000-row backlog. The pending rows change all the time (every
#: send deletes one), so their statistics go stale within seconds of a backlog building up.
STALE_STATISTICS_PG = """
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
#: with autovacuum off (as on this project's machines) the claim would read ever more.
VACUUMED = frozenset({"outbox_pending"})
