"""The contract every outbox recorder keeps (the eventsourcing project's
`ApplicationRecorderTestCase` is the model): one base class, subclassed per database in
`test_outbox_recorder_sqlite.py` and `test_outbox_recorder_postgres.py`.

A subclass gives the `url` fixture (a fresh database) and says how its claim is planned.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Connection, insert, select, update
from sqlmodel import col

from hub.store import outbox_sql
from hub.store.db import Database
from hub.store.migrate import upgrade
from hub.store.models import OutboxMessage, OutboxPending, OutboxSent
from hub.store.outbox_recorder import OutboxRecorder, recorder_for

AT = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def row(n: int, case: str | None = None, destination: str = "pm-a") -> dict[str, Any]:
    """An outbox row of about 2 KB, as a sealed envelope makes them."""
    return {
        "id": n,
        "message_id": f"m-{n}",
        "destination": destination,
        "party_seq": n,
        "type": "t",
        "application_no": case,
        "envelope": f"sealed-{n}-" + "x" * 1800,
        "occurred_at": AT,
        "created_at": AT + timedelta(seconds=n),
    }


def write(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Outbox rows as intake writes them: each with its pending row."""
    conn.execute(insert(OutboxMessage), rows)
    conn.execute(insert(OutboxPending), [OutboxPending.row_for(r["id"], r) for r in rows])


def plan(conn: Connection, query: Any) -> str:
    sql = str(query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    explain = "EXPLAIN " if conn.dialect.name == "postgresql" else "EXPLAIN QUERY PLAN "
    return "\n".join(str(r[-1]) for r in conn.exec_driver_sql(explain + sql))


class OutboxRecorderContract(ABC):
    @pytest.fixture
    def db(self, url: str) -> Iterator[Database]:
        upgrade(url)
        database = Database(url)
        try:
            yield database
        finally:
            database.dispose()

    @pytest.fixture
    def recorder(self, db: Database) -> OutboxRecorder:
        return recorder_for(db.engine)

    @abstractmethod
    def assert_claim_reads_pending_rows_alone(self, plan: str) -> None:
        """The claim's plan walks the pending rows' key, not the rows already sent."""

    def analyze(self, conn: Connection) -> None:  # noqa: B027 - most databases need nothing
        """Give the planner what it has in production (PostgreSQL: statistics)."""

    # ---- claims ---------------------------------------------------------------------------
    def test_the_claim_reads_the_pending_rows_alone_once_most_rows_are_sent(
        self, db: Database, recorder: OutboxRecorder
    ) -> None:
        with db.transaction() as s:
            write(s.connection(), [row(n) for n in range(1, 20_001)])
        with db.transaction() as s:
            recorder.mark_sent(s.connection(), list(range(1, 15_001)), AT)
        with db.transaction() as s:
            conn = s.connection()
            self.analyze(conn)
            query = outbox_sql.claim(1000, lock=recorder.locks_claims)
            self.assert_claim_reads_pending_rows_alone(plan(conn, query))
            claimed = recorder.claim(conn, 1000, lock=True)
        assert [r[7] for r in claimed] == list(range(15_001, 16_001))  # party_seq, in order
        assert claimed[0][:3] == (15_001, "m-15001", "pm-a")

    def test_a_row_waits_while_an_earlier_row_of_its_case_is_pending(
        self, db: Database, recorder: OutboxRecorder
    ) -> None:
        with db.transaction() as s:
            # Case A: rows 1, 3; case B: row 2; row 4 has no case.
            write(s.connection(), [row(1, "A"), row(2, "B"), row(3, "A"), row(4)])
        with db.transaction() as s:
            first = [r[0] for r in recorder.claim(s.connection(), 10)]
        assert first == [1, 2, 4]  # 3 waits behind 1
        with db.transaction() as s:
            recorder.mark_sent(s.connection(), [1, 2, 4], AT)
        with db.transaction() as s:
            conn = s.connection()
            second = [r[0] for r in recorder.claim(conn, 10)]
            recorder.unpend(conn, 3)  # dead: no longer pending, holds nothing back
            third = [r[0] for r in recorder.claim(conn, 10)]
        assert second == [3] and third == []

    def test_a_claim_leaves_out_the_rows_it_is_told_are_in_flight(
        self, db: Database, recorder: OutboxRecorder
    ) -> None:
        with db.transaction() as s:
            write(s.connection(), [row(n) for n in range(1, 12_001)])
        with db.read() as s:
            got = [r[0] for r in recorder.claim(s.connection(), 5, exclude=frozenset({1, 3}))]
            # However many are in flight (a party down for a day), one bound value.
            many = frozenset(range(1, 11_001)) - {77}
            after = [r[0] for r in recorder.claim(s.connection(), 3, exclude=many)]
        assert got == [2, 4, 5, 6, 7]
        assert after == [77, 11_001, 11_002]

    def test_locked_claims_share_the_outbox_without_a_row_twice(
        self, db: Database, recorder: OutboxRecorder
    ) -> None:
        """Two claims at once, each in its own open transaction: where claims lock (several
        relays), each gets rows of its own; where they do not, the second gets the same rows
        and only one relay may run, remembering what it holds."""
        with db.transaction() as s:
            write(s.connection(), [row(n) for n in range(1, 101)])
        # Where claims do not lock, they are reads beside the writer (SQLite's one writer
        # takes its lock at BEGIN).
        engine = db.engine if recorder.locks_claims else db.read_engine
        one, two = engine.connect(), engine.connect()
        try:
            one.begin()
            two.begin()
            first = {r[0] for r in recorder.claim(one, 60, lock=True)}
            second = {r[0] for r in recorder.claim(two, 60, lock=True)}
        finally:
            one.rollback()
            two.rollback()
            one.close()
            two.close()
        if recorder.locks_claims:
            assert not first & second and first | second == set(range(1, 101))
        else:
            assert first == second == set(range(1, 61))

    # ---- marks ----------------------------------------------------------------------------
    def test_a_mark_counts_each_send_and_a_replay_makes_the_row_pending_again(
        self, db: Database, recorder: OutboxRecorder
    ) -> None:
        with db.transaction() as s:
            write(s.connection(), [row(1, "A"), row(2, "A")])
        with db.transaction() as s:
            recorder.mark_sent(s.connection(), [1], AT)
        later = AT + timedelta(minutes=5)
        with db.transaction() as s:  # a resend after a lost confirm counts once more
            recorder.mark_sent(s.connection(), [1], later)
            recorder.mark_sent(s.connection(), [], later)  # nothing: no error
        with db.read() as s:
            sent = s.get(OutboxSent, 1)
            assert sent is not None and sent.attempts == 2 and sent.sent_at == later
            assert s.get(OutboxPending, 1) is None and s.get(OutboxPending, 2) is not None
        with db.transaction() as s:
            recorder.unsend(s.connection(), 1, "pm-a", "A", later)
        with db.read() as s:  # the sent row stays: the replayed copy goes out as republished
            sent = s.get(OutboxSent, 1)
            assert sent is not None and sent.attempts == 2
            assert [r[0] for r in recorder.claim(s.connection(), 10)] == [1]  # 2 waits again

    def test_a_claim_without_locks_says_which_pending_rows_were_sent_before(
        self, db: Database, recorder: OutboxRecorder
    ) -> None:
        """The one relay's claim (SQLite, the in-process broker) answers SENT_BEFORE: a
        replayed dead letter is pending with a sent row, and goes out as republished; so
        does a row that died before its mark (the replay writes it a sent row)."""
        with db.transaction() as s:
            write(s.connection(), [row(1), row(2), row(3)])
        with db.transaction() as s:
            recorder.mark_sent(s.connection(), [1], AT)
            recorder.unsend(s.connection(), 1, "pm-a", None, AT)
            recorder.unpend(s.connection(), 3)  # dead before its mark
            recorder.unsend(s.connection(), 3, "pm-a", None, AT)
        with db.read() as s:
            rows = recorder.claim(s.connection(), 10)
        assert [(r[0], bool(r[-1])) for r in rows] == [(1, True), (2, False), (3, True)]
        assert len(rows[0]) == len(outbox_sql.CLAIMED_COLUMNS) + 1

    def test_many_rows_are_marked_in_one_call(self, db: Database, recorder: OutboxRecorder) -> None:
        with db.transaction() as s:
            write(s.connection(), [row(n) for n in range(1, 12_001)])
        with db.transaction() as s:
            recorder.mark_sent(s.connection(), list(range(1, 12_001)), AT)
        with db.read() as s:
            assert recorder.claim(s.connection(), 10) == []
            assert recorder.oldest_unsent(s.connection()) is None

    # ---- dead letters and the lag ---------------------------------------------------------
    def test_dead_letters_and_the_lag_are_found_without_reading_the_outbox(
        self, db: Database, recorder: OutboxRecorder
    ) -> None:
        with db.transaction() as s:
            conn = s.connection()
            write(conn, [row(n) for n in range(1, 5_001)])
            recorder.mark_sent(conn, list(range(1, 4_991)), AT)
            conn.execute(
                update(OutboxMessage)
                .where(col(OutboxMessage.party_seq).in_([7, 4_995, 4_996]))
                .values(dead_at=AT, dead_reason="gone", dead_attempts=3)
            )
            conn.execute(  # settled by a replay: no longer waiting for an operator
                update(OutboxMessage)
                .where(col(OutboxMessage.id) == 4_996)
                .values(dead_resolved_at=AT, dead_resolution="superseded: moved on")
            )
            recorder.unpend(conn, 4_995)
            recorder.unpend(conn, 4_996)
        with db.transaction() as s:
            conn = s.connection()
            self.analyze(conn)
            assert "ix_outbox_dead" in plan(conn, outbox_sql.DEAD_COUNT)
            assert "outbox_pending" in plan(conn, outbox_sql.OLDEST_UNSENT)
            # 7 was sent, then dead-lettered by its connector; 4,995 died before it was sent.
            assert recorder.dead_count(conn) == 2
            assert recorder.oldest_unsent(conn) == AT + timedelta(seconds=4_991)
            letters = recorder.dead_letters(conn)
            assert [(r.id, r.dead_attempts, r.sent_attempts) for r in letters] == [
                (7, 3, 1),
                (4_995, 3, None),
            ]
            assert [r.id for r in recorder.dead_letters(conn, after=7)] == [4_995]
            assert recorder.dead_letters(conn, destination="pm-b") == []

    # ---- the feed -------------------------------------------------------------------------
    def test_the_feed_pages_a_destinations_rows_in_order(
        self, db: Database, recorder: OutboxRecorder
    ) -> None:
        with db.transaction() as s:
            rows = [row(n, destination="x" if n % 2 else "y") for n in range(1, 21)]
            for r in rows:
                r["party_seq"] = (r["id"] + 1) // 2
            write(s.connection(), rows)
            recorder.mark_sent(s.connection(), [1, 2, 3], AT)  # sent or not, the feed has it
        with db.read() as s:
            conn = s.connection()
            first = recorder.read_feed(conn, "x", 0, 4)
            rest = recorder.read_feed(conn, "x", first[-1][2], 100)
            assert recorder.read_feed(conn, "x", 10, 100) == []
        assert [seq for _, _, seq in first] == [1, 2, 3, 4]
        assert [seq for _, _, seq in rest] == [5, 6, 7, 8, 9, 10]
        assert first[0][:2] == ("m-1", rows[0]["envelope"])

    def test_feed_numbers_of_two_writers_at_once_never_interleave(self, db: Database) -> None:
        """Two transactions write to one destination at the same time: each takes its
        numbers under the destination's counter lock, so one's all come before the other's
        and a reader that has seen number N never later finds a smaller one commit."""
        from hub.services.feed import read_feed  # noqa: F401  (the reader the API uses)
        from hub.store.sequences import next_party_sequence

        per_writer = 300
        start = threading.Barrier(2)
        errors: list[BaseException] = []

        def writer(tag: str, base: int) -> None:
            try:
                start.wait()
                with db.transaction() as s:
                    conn = s.connection()
                    for i in range(per_writer):
                        r = row(base + i, case=tag, destination="shared")
                        r["party_seq"] = next_party_sequence(s, "shared")
                        write(conn, [r])
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [
            threading.Thread(target=writer, args=("A", 1)),
            threading.Thread(target=writer, args=("B", 10_001)),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert not errors, errors
        with db.read() as s:
            got = (
                s.connection()
                .execute(
                    select(OutboxMessage.application_no, OutboxMessage.party_seq)
                    .where(OutboxMessage.destination == "shared")
                    .order_by(col(OutboxMessage.party_seq))
                )
                .all()
            )
        a = [seq for case, seq in got if case == "A"]
        b = [seq for case, seq in got if case == "B"]
        assert len(a) == len(b) == per_writer
        assert [seq for _, seq in got] == list(range(1, 2 * per_writer + 1))  # no gap
        assert max(a) < min(b) or max(b) < min(a)

    # ---- the notice inbox ------------------------------------------------------------------
    def test_inbox_rows_are_recorded_once_and_found(
        self, db: Database, recorder: OutboxRecorder
    ) -> None:
        keys = [("notify.sms", "m-1:0"), ("notify.mail", "m-1:0")]
        with db.transaction() as s:
            recorder.record_inbox(s.connection(), keys, AT)
        with db.transaction() as s:  # again, with one more: the first two stay as they are
            recorder.record_inbox(s.connection(), [*keys, ("notify.sms", "m-2:0")], AT)
            recorder.record_inbox(s.connection(), [], AT)
        with db.read() as s:
            found = recorder.inbox_found(
                s.connection(), [*keys, ("notify.sms", "m-2:0"), ("notify.sms", "m-3:0")]
            )
        assert found == {*keys, ("notify.sms", "m-2:0")}
