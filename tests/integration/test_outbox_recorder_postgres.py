"""The outbox recorder's contract on PostgreSQL (`outbox_recorder_contract`), and what only
PostgreSQL needs: statistics of the claimed tables."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Connection

from hub.store import outbox_sql
from hub.store.db import Database
from hub.store.models import OutboxSent
from hub.store.outbox_recorder import OutboxRecorder
from tests.conftest import create_pg_database, drop_pg_database
from tests.integration.outbox_recorder_contract import AT, OutboxRecorderContract, row, write

pytestmark = [pytest.mark.postgres]


class TestPostgresOutboxRecorder(OutboxRecorderContract):
    @pytest.fixture
    def url(self, pg_admin_url: str) -> Iterator[str]:
        url = create_pg_database(pg_admin_url)
        yield url
        drop_pg_database(pg_admin_url, url)

    def analyze(self, conn: Connection) -> None:
        # As the relay does (keep_statistics) when a backlog has changed them.
        conn.exec_driver_sql("ANALYZE outbox_pending")
        conn.exec_driver_sql("ANALYZE outbox")

    def assert_claim_reads_pending_rows_alone(self, plan: str) -> None:
        assert "Index Scan using outbox_pending_pkey on outbox_pending" in plan, plan
        assert "Index Scan using outbox_pkey on outbox" in plan, plan
        assert "Sort" not in plan and "Seq Scan" not in plan, plan

    def test_the_claimed_tables_get_statistics_when_missing_or_stale(
        self, db: Database, recorder: OutboxRecorder
    ) -> None:
        """Planned without statistics (autovacuum off, or not yet round), the claim of the
        old outbox layout checked each row's case by walking every earlier pending row:
        1.8-2.2k msg/s instead of 19-21k on a 20,000-row backlog. The pending rows' case
        index is found with or without them; the relay still keeps both tables analyzed,
        as autovacuum would, and vacuums the pending rows every send leaves dead."""
        rows = [row(n, f"310000-20261123-{n:06d}-X") for n in range(1, 5_001)]
        with db.transaction() as s:
            write(s.connection(), rows)
            # Counted in the statistics at commit, not up to 10 s later as a backend does.
            s.connection().exec_driver_sql("SELECT pg_stat_force_next_flush()")
        case_lookup = "Index Only Scan using ix_outbox_pending_case on outbox_pending earlier"

        def claim_plan(conn: Connection) -> str:
            sql = recorder.claim_sql(conn, 1000, lock=True)
            return "\n".join(str(r[0]) for r in conn.exec_driver_sql("EXPLAIN " + sql))

        with db.engine.connect() as conn:
            # An ANALYZE rolled back (as in a transaction that fails) leaves none either.
            conn.exec_driver_sql("ANALYZE outbox_pending")
            conn.exec_driver_sql("ANALYZE outbox")
            conn.rollback()
            assert case_lookup in claim_plan(conn)
            conn.rollback()
            assert recorder.keep_statistics(conn) is True
            assert case_lookup in claim_plan(conn)
            conn.rollback()
            assert recorder.keep_statistics(conn) is False  # fresh: nothing to do
            with db.transaction() as s:  # a third of the pending rows sent: stale again
                recorder.mark_sent(s.connection(), list(range(1, 1_601)), AT)
                s.connection().exec_driver_sql("SELECT pg_stat_force_next_flush()")
            assert recorder.keep_statistics(conn) is True
            # The sent rows' dead versions are vacuumed away with it (autovacuum is off here).
            conn.exec_driver_sql("SELECT pg_stat_clear_snapshot()")
            vacuumed, dead = conn.exec_driver_sql(
                "SELECT last_vacuum IS NOT NULL, n_dead_tup FROM pg_stat_user_tables "
                "WHERE relname = 'outbox_pending'"
            ).one()
            assert vacuumed and dead == 0
            conn.rollback()
            assert recorder.keep_statistics(conn) is False
        assert outbox_sql.CLAIMED_TABLES == ("outbox_pending", "outbox")

    def test_a_row_published_by_a_relay_that_died_is_counted_as_sent_before(
        self, db: Database, recorder: OutboxRecorder
    ) -> None:
        """LockedClaims counts a batch's sends, committed apart from the claim, before its
        publish. A relay killed after its publish and before its mark leaves its claim's
        transaction to roll back (the rows pending again) but the count committed: the next
        claim's count answers those rows as sent before, so their copies are marked; a row
        never published is not. The mark then only takes the rows off the pending list."""
        with db.transaction() as s:
            write(s.connection(), [row(n) for n in range(1, 6)])
        dying = db.engine.connect()
        dying.begin()
        first = [r[0] for r in recorder.claim(dying, 3, lock=True)]
        with db.engine.begin() as conn:
            assert recorder.publishing(conn, first, AT) == set()
        dying.rollback()  # killed between publish and mark: the locks go, the count stays
        dying.close()
        claim = db.engine.connect()
        claim.begin()
        again = [r[0] for r in recorder.claim(claim, 10, lock=True)]
        with db.engine.begin() as conn:
            before = recorder.publishing(conn, again, AT)
        recorder.unpend_many(claim, again)
        claim.commit()
        claim.close()
        assert first == [1, 2, 3] and again == [1, 2, 3, 4, 5] and before == {1, 2, 3}
        with db.read() as s:
            assert recorder.claim(s.connection(), 10) == []
            sent = {n: s.get(OutboxSent, n) for n in again}
            assert {n: x.attempts for n, x in sent.items() if x} == {1: 2, 2: 2, 3: 2, 4: 1, 5: 1}
