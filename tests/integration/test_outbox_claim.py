"""The relay's claim reads the pending rows through their partial index (migration 0030),
so its cost does not grow with the rows already sent. Rows of about 2 KB, as a sealed
envelope makes them, 19,000 sent and 1,000 pending."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col

from hub.broker.relay import claim_query
from hub.store.db import Database
from hub.store.migrate import upgrade
from hub.store.models import OutboxMessage

AT = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def _row(n: int) -> dict[str, Any]:
    return {
        "message_id": f"m-{n}",
        "destination": "pm-a",
        "party_seq": n,
        "type": "t",
        "envelope": "x" * 1800,
        "occurred_at": AT,
        "created_at": AT,
        "attempts": 0,
    }


def test_the_claim_uses_the_pending_index_once_most_rows_are_sent(
    database_url: str, tmp_path: Path
) -> None:
    upgrade(database_url)
    db = Database(database_url)
    try:
        with db.transaction() as s:
            conn = s.connection()
            rows = [_row(n) for n in range(1, 20_001)]
            conn.execute(insert(OutboxMessage), rows)
        if database_url.startswith("postgresql"):
            # Statistics taken while every row was pending, then most sent: autovacuum's
            # ANALYZE lags a busy outbox (so it went in the delivery benchmark). SQLite has
            # no automatic ANALYZE and the hub runs none.
            with db.transaction() as s:
                s.connection().exec_driver_sql("ANALYZE outbox")
        with db.transaction() as s:
            conn = s.connection()
            conn.execute(
                update(OutboxMessage)
                .where(col(OutboxMessage.party_seq) <= 19_000)
                .values(sent_at=AT)
            )
        with db.transaction() as s:
            conn = s.connection()
            pg = conn.dialect.name == "postgresql"
            sql = str(
                claim_query(1000, skip_locked=pg).compile(
                    dialect=postgresql.dialect() if pg else sqlite.dialect(),
                    compile_kwargs={"literal_binds": True},
                )
            )
            explain = "EXPLAIN " if pg else "EXPLAIN QUERY PLAN "
            plan = "\n".join(str(r[-1]) for r in conn.exec_driver_sql(explain + sql))
            claimed = conn.exec_driver_sql(sql).all()
        # Without it PostgreSQL walked the primary key in id order over the 19,000 sent rows,
        # filtering each out. The index holds the pending rows alone, already in id order.
        assert "outbox_pkey" not in plan, plan
        assert "ix_outbox_pending" in plan, plan
        assert "Sort" not in plan and "TEMP B-TREE" not in plan, plan
        assert [r.party_seq for r in claimed] == list(range(19_001, 20_001))
    finally:
        db.dispose()


def test_dead_letters_and_the_relay_lag_are_found_without_reading_the_outbox(
    database_url: str,
) -> None:
    from hub.broker.metrics import _DEAD, _OLDEST

    upgrade(database_url)
    db = Database(database_url)
    try:
        with db.transaction() as s:
            s.connection().execute(insert(OutboxMessage), [_row(n) for n in range(1, 5_001)])
            s.connection().execute(
                update(OutboxMessage).where(col(OutboxMessage.party_seq) <= 4_990)
                .values(sent_at=AT)
            )
            s.connection().execute(
                update(OutboxMessage).where(col(OutboxMessage.party_seq).in_([7, 4_995]))
                .values(dead_at=AT, dead_reason="gone")
            )
        with db.transaction() as s:
            conn = s.connection()
            pg = conn.dialect.name == "postgresql"
            if pg:
                conn.exec_driver_sql("ANALYZE outbox")
            dialect = postgresql.dialect() if pg else sqlite.dialect()
            explain = "EXPLAIN " if pg else "EXPLAIN QUERY PLAN "

            def plan(query: Any) -> str:
                sql = str(query.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
                return "\n".join(str(r[-1]) for r in conn.exec_driver_sql(explain + sql))

            assert "ix_outbox_dead" in plan(_DEAD)
            assert "ix_outbox_pending" in plan(_OLDEST)
            assert conn.execute(_DEAD).scalar() == 1  # 4,995: dead before it was ever sent
            assert conn.execute(_OLDEST).scalar() is not None
    finally:
        db.dispose()


def _claim_plan(conn: Any) -> str:
    sql = str(
        claim_query(1000, skip_locked=True).compile(
            dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}
        )
    )
    return "\n".join(str(r[0]) for r in conn.exec_driver_sql("EXPLAIN " + sql))


def test_the_relay_gives_an_outbox_without_statistics_its_statistics(pg_url: str) -> None:
    """Planned without statistics (autovacuum off, or not yet round), the claim checked each
    row's case by walking every earlier pending row: 1.8-2.2k msg/s instead of 19-21k on a
    20,000-row backlog. With them it looks the case up by its number."""
    from hub.store.outbox import analyze_if_stale

    upgrade(pg_url)
    db = Database(pg_url)
    try:
        rows = [
            {**_row(n), "application_no": f"310000-20261123-{n:06d}-X"} for n in range(1, 5_001)
        ]
        with db.transaction() as s:
            s.connection().execute(insert(OutboxMessage), rows)
            # Counted in the statistics at commit, not up to 10 s later as a backend does.
            s.connection().exec_driver_sql("SELECT pg_stat_force_next_flush()")
        with db.engine.connect() as conn:
            # An ANALYZE rolled back (as in a transaction that fails) leaves none either.
            conn.exec_driver_sql("ANALYZE outbox")
            conn.rollback()
            assert "ix_outbox_application_no" not in _claim_plan(conn)
            conn.rollback()
            assert analyze_if_stale(conn) is True
            assert "Index Scan using ix_outbox_application_no on outbox earlier" in _claim_plan(
                conn
            )
            conn.rollback()
            assert analyze_if_stale(conn) is False  # fresh: nothing to do
            with db.transaction() as s:  # a third of the rows it saw changed: stale again
                s.connection().execute(
                    update(OutboxMessage).where(col(OutboxMessage.party_seq) <= 1_600)
                    .values(sent_at=AT)
                )
                s.connection().exec_driver_sql("SELECT pg_stat_force_next_flush()")
            assert analyze_if_stale(conn) is True
    finally:
        db.dispose()
