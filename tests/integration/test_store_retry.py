"""Database.run: a transaction PostgreSQL aborts to break a deadlock runs again."""

from __future__ import annotations

import threading

from sqlalchemy import text
from sqlmodel import Session

from hub.store.db import Database
from hub.store.migrate import upgrade


def test_a_real_deadlock_is_broken_and_both_transactions_complete(pg_url: str) -> None:
    upgrade(pg_url)
    db = Database(pg_url, pool_size=4)
    with db.transaction() as s:
        s.connection().execute(
            text("INSERT INTO party_sequence (party, last) VALUES ('a', 0), ('b', 0)")
        )
    both_hold_one = threading.Barrier(2, timeout=10)
    attempts = {"ab": 0, "ba": 0}
    errors: list[BaseException] = []

    def crossing(first: str, second: str) -> None:
        name = first + second

        def work(session: Session) -> None:
            attempts[name] += 1
            conn = session.connection()
            conn.execute(
                text("UPDATE party_sequence SET last = last + 1 WHERE party = :p"), {"p": first}
            )
            if attempts[name] == 1:
                both_hold_one.wait()  # each holds one row and reaches for the other's
            conn.execute(
                text("UPDATE party_sequence SET last = last + 1 WHERE party = :p"), {"p": second}
            )

        try:
            db.run(work)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=crossing, args=p) for p in (("a", "b"), ("b", "a"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert sorted(attempts.values()) == [1, 2]  # one was chosen as the victim and ran again
    with db.read() as s:
        rows = dict(s.connection().execute(text("SELECT party, last FROM party_sequence")).all())
    assert rows == {"a": 2, "b": 2}
    db.dispose()
