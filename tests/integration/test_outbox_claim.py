"""The relay's claim reads the pending rows (`outbox_pending`, migration 0050), so its cost
does not grow with the rows already sent. Outbox rows of about 2 KB, as a sealed envelope
makes them, 15,000 sent and 5,000 pending."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col

from hub.broker.relay import claim_query
from hub.store.db import Database
from hub.store.migrate import upgrade
from hub.store.models import OutboxMessage, OutboxPending, OutboxSent
from hub.store.outbox import mark_sent

AT = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def _row(n: int, case: str | None = None) -> dict[str, Any]:
    return {
        "id": n,
        "message_id": f"m-{n}",
        "destination": "pm-a",
        "party_seq": n,
        "type": "t",
        "application_no": case,
        "envelope": "x" * 1800,
        "occurred_at": AT,
        "created_at": AT,
    }


def _write(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Outbox rows as intake writes them: each with its pending row."""
    conn.execute(insert(OutboxMessage), rows)
    conn.execute(insert(OutboxPending), [OutboxPending.row_for(r["id"], r) for r in rows])


def _plan(conn: Connection, query: Any) -> str:
    pg = conn.dialect.name == "postgresql"
    dialect = postgresql.dialect() if pg else sqlite.dialect()
    sql = str(query.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    explain = "EXPLAIN " if pg else "EXPLAIN QUERY PLAN "
    return "\n".join(str(r[-1]) for r in conn.exec_driver_sql(explain + sql))


def test_the_claim_reads_the_pending_rows_alone_once_most_rows_are_sent(
    database_url: str,
) -> None:
    upgrade(database_url)
    db = Database(database_url)
    try:
        with db.transaction() as s:
            _write(s.connection(), [_row(n) for n in range(1, 20_001)])
        with db.transaction() as s:
            mark_sent(s.connection(), list(range(1, 15_001)), AT)
        with db.transaction() as s:
            conn = s.connection()
            pg = conn.dialect.name == "postgresql"
            if pg:  # as the relay does (analyze_if_stale) when a backlog has changed them
                conn.exec_driver_sql("ANALYZE outbox_pending")
                conn.exec_driver_sql("ANALYZE outbox")
            query = claim_query(1000, skip_locked=pg)
            plan = _plan(conn, query)
            claimed = conn.execute(query).all()
        # The 15,000 sent rows are not walked: the pending rows' key hands over the
        # pending rows alone, already in id order, and each finds its outbox row by key.
        if pg:
            assert "Index Scan using outbox_pending_pkey on outbox_pending" in plan, plan
            assert "Index Scan using outbox_pkey on outbox" in plan, plan
            assert "Sort" not in plan and "Seq Scan" not in plan, plan
        else:
            assert "SEARCH outbox USING INTEGER PRIMARY KEY" in plan, plan
            assert "TEMP B-TREE" not in plan, plan
        assert [r.party_seq for r in claimed] == list(range(15_001, 16_001))
    finally:
        db.dispose()


def test_a_row_waits_while_an_earlier_row_of_its_case_is_pending(database_url: str) -> None:
    upgrade(database_url)
    db = Database(database_url)
    try:
        with db.transaction() as s:
            # Case A: rows 1, 3; case B: row 2; row 4 has no case.
            _write(s.connection(), [_row(1, "A"), _row(2, "B"), _row(3, "A"), _row(4)])
        with db.transaction() as s:
            conn = s.connection()
            skip = conn.dialect.name == "postgresql"
            first = [r.id for r in conn.execute(claim_query(10, skip_locked=skip))]
        assert first == [1, 2, 4]  # 3 waits behind 1
        with db.transaction() as s:
            mark_sent(s.connection(), [1, 2, 4], AT)
        with db.transaction() as s:
            conn = s.connection()
            second = [r.id for r in conn.execute(claim_query(10, skip_locked=skip))]
            # A dead row is no longer pending and holds nothing back.
            conn.execute(delete(OutboxPending).where(col(OutboxPending.outbox_id) == 3))
            third = [r.id for r in conn.execute(claim_query(10, skip_locked=skip))]
        assert second == [3] and third == []
    finally:
        db.dispose()


def test_dead_letters_and_the_relay_lag_are_found_without_reading_the_outbox(
    database_url: str,
) -> None:
    from sqlalchemy import update

    from hub.broker.metrics import _DEAD, _OLDEST

    upgrade(database_url)
    db = Database(database_url)
    try:
        with db.transaction() as s:
            _write(s.connection(), [_row(n) for n in range(1, 5_001)])
            mark_sent(s.connection(), list(range(1, 4_991)), AT)
            s.connection().execute(
                update(OutboxMessage).where(col(OutboxMessage.party_seq).in_([7, 4_995]))
                .values(dead_at=AT, dead_reason="gone")
            )
            s.connection().execute(
                delete(OutboxPending).where(col(OutboxPending.outbox_id) == 4_995)
            )
        with db.transaction() as s:
            conn = s.connection()
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("ANALYZE outbox")
            assert "ix_outbox_dead" in _plan(conn, _DEAD)
            assert "outbox_pending" in _plan(conn, _OLDEST)
            # 7 was sent, then dead-lettered by its connector; 4,995 died before it was sent.
            assert conn.execute(_DEAD).scalar() == 2
            assert conn.execute(_OLDEST).scalar() == AT
            first = conn.execute(
                select(OutboxPending.outbox_id).order_by(col(OutboxPending.outbox_id)).limit(1)
            ).scalar()
            assert first == 4_991
    finally:
        db.dispose()


def _claim_plan(conn: Any) -> str:
    sql = str(
        claim_query(1000, skip_locked=True).compile(
            dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}
        )
    )
    return "\n".join(str(r[0]) for r in conn.exec_driver_sql("EXPLAIN " + sql))


def test_the_relay_gives_the_claimed_tables_statistics_when_missing_or_stale(
    pg_url: str,
) -> None:
    """Planned without statistics (autovacuum off, or not yet round), the claim of the old
    outbox layout checked each row's case by walking every earlier pending row: 1.8-2.2k
    msg/s instead of 19-21k on a 20,000-row backlog. The pending rows' case index is found
    with or without them; the relay still keeps both tables analyzed, as autovacuum would."""
    from hub.store.outbox import analyze_if_stale

    upgrade(pg_url)
    db = Database(pg_url)
    try:
        rows = [_row(n, f"310000-20261123-{n:06d}-X") for n in range(1, 5_001)]
        with db.transaction() as s:
            _write(s.connection(), rows)
            # Counted in the statistics at commit, not up to 10 s later as a backend does.
            s.connection().exec_driver_sql("SELECT pg_stat_force_next_flush()")
        case_lookup = "Index Only Scan using ix_outbox_pending_case on outbox_pending earlier"
        with db.engine.connect() as conn:
            # An ANALYZE rolled back (as in a transaction that fails) leaves none either.
            conn.exec_driver_sql("ANALYZE outbox_pending")
            conn.exec_driver_sql("ANALYZE outbox")
            conn.rollback()
            assert case_lookup in _claim_plan(conn)
            conn.rollback()
            assert analyze_if_stale(conn) is True
            assert case_lookup in _claim_plan(conn)
            conn.rollback()
            assert analyze_if_stale(conn) is False  # fresh: nothing to do
            with db.transaction() as s:  # a third of the pending rows sent: stale again
                mark_sent(s.connection(), list(range(1, 1_601)), AT)
                s.connection().exec_driver_sql("SELECT pg_stat_force_next_flush()")
            assert analyze_if_stale(conn, tables=("outbox_pending",)) is True
            # The sent rows' dead versions are vacuumed away with it (autovacuum is off here).
            conn.exec_driver_sql("SELECT pg_stat_clear_snapshot()")
            vacuumed, dead = conn.exec_driver_sql(
                "SELECT last_vacuum IS NOT NULL, n_dead_tup FROM pg_stat_user_tables "
                "WHERE relname = 'outbox_pending'"
            ).one()
            assert vacuumed and dead == 0
            conn.rollback()
            assert analyze_if_stale(conn) is False
    finally:
        db.dispose()


def test_migration_0050_keeps_what_was_sent_and_what_is_still_to_send(
    database_url: str,
) -> None:
    """Rows of the old layout: unsent ones become pending, sent ones keep their time and
    attempts, dead ones are neither; downgrading gives the old columns back."""
    from sqlalchemy import text

    from hub.store.migrate import alembic_config

    upgrade(database_url, "0040")
    db = Database(database_url)
    try:
        with db.engine.begin() as conn:
            for n, sent, attempts, dead in (
                (1, "2026-11-23 02:00:00", 2, None),
                (2, None, 0, None),
                (3, None, 1, "2026-11-23 03:00:00"),
            ):
                conn.execute(
                    text(
                        "INSERT INTO outbox (id, message_id, destination, party_seq, type, "
                        "application_no, envelope, occurred_at, created_at, sent_at, attempts, "
                        "dead_at) VALUES (:n, :m, 'pm-a', :n, 't', 'A', 'x', :at, :at, "
                        ":sent, :attempts, :dead)"
                    ),
                    {"n": n, "m": f"m-{n}", "at": "2026-11-23 01:00:00", "sent": sent,
                     "attempts": attempts, "dead": dead},
                )
        db.dispose()
        upgrade(database_url)
        with db.engine.connect() as conn:
            pending = conn.execute(text("SELECT outbox_id, application_no FROM outbox_pending"))
            sent = conn.execute(text("SELECT outbox_id, attempts FROM outbox_sent")).all()
            assert pending.all() == [(2, "A")]
            assert sent == [(1, 2)]
        with db.read() as s:
            stored = s.get(OutboxSent, 1)
            assert stored is not None
            assert stored.sent_at == datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
        db.dispose()
        from alembic import command

        command.downgrade(alembic_config(database_url), "0040")
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT id, sent_at IS NOT NULL, attempts FROM outbox "
                                     "ORDER BY id")).all()
        assert [tuple(r) for r in rows] == [(1, True, 2), (2, False, 0), (3, False, 0)]
    finally:
        db.dispose()
