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
        # filtering each out; SQLite reads (sent_at IS NULL, id) from either index.
        assert "outbox_pkey" not in plan, plan
        assert "SCAN outbox" not in plan, plan
        if pg:
            assert "ix_outbox_pending on outbox" in plan, plan
            assert "Sort" not in plan, plan  # the index gives the id order
        assert [r.party_seq for r in claimed] == list(range(19_001, 20_001))
    finally:
        db.dispose()
