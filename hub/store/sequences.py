"""Gap-free counters: the day's application sequence and each party's feed sequence.

Both are one row incremented inside the caller's transaction. The row lock is held to the
commit, so a rolled-back transaction gives its number back (no gap) and a second hub
process waits for the first (no duplicate). On SQLite `BEGIN IMMEDIATE` already serialises
writers; on PostgreSQL the UPDATE's row lock does.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Dialect
from sqlmodel import Session

from hub.store.bulk import Statement, bind_date, placeholder, run_together
from hub.store.unit_of_work import of
from hub.store.writes import WriteBuffer

_NEXT_PARTY = text("UPDATE party_sequence SET last = last + 1 WHERE party = :party RETURNING last")
_SEED_PARTY = text(
    "INSERT INTO party_sequence (party, last) VALUES (:party, 0) ON CONFLICT (party) DO NOTHING"
)


_TAKE_DAY_BLOCK = (
    "INSERT INTO day_sequence (region, day, last) VALUES ({p}, {p}, {p}) "
    "ON CONFLICT (region, day) DO UPDATE SET last = day_sequence.last + excluded.last "
    "RETURNING last"
)


def day_block_statement(dialect: Dialect, region: str, day: date, size: int) -> Statement:
    """Take `size` numbers of the day at once (seeding the day's counter if it is the
    first), as a statement to run with others (store.bulk); see `hold_day_block`."""
    return Statement(
        _TAKE_DAY_BLOCK.format(p=placeholder(dialect)),
        [(region, bind_date(dialect, day), size)],
        returning=True,
    )


def hold_day_block(buffer: WriteBuffer, region: str, day: date, size: int, rows: list[Any]) -> None:
    """Keep the block `day_block_statement` took for the batch's cases to number from."""
    last = int(rows[0][0])
    buffer.numbers[(region, day)] = [last - size + 1, last, last - size + 1]


def next_day_sequence(session: Session, region: str, day: date) -> int:
    """The next number of the day. Numbers are taken as a block with one UPDATE, as many as
    the unit of work expects to need (`WriteBuffer.expected`: one, or the rest of an intake
    batch), and the unused rest is given back when it writes (the row stays locked
    throughout, so the sequence remains gap-free)."""
    buffer = of(session).buffer
    block = buffer.numbers.get((region, day))
    if block is None or block[0] > block[1]:
        size = max(1, buffer.expected)
        last = _take(session, region, day, size)
        block = [last - size + 1, last, last - size + 1]
        buffer.numbers[(region, day)] = block
    number = block[0]
    block[0] += 1
    return number


def _take(session: Session, region: str, day: date, size: int) -> int:
    """The day's counter advanced by `size` (seeded if it is the day's first): its new last."""
    conn = session.connection()
    [rows] = run_together(conn, [day_block_statement(conn.dialect, region, day, size)])
    return int(rows[0][0])


def next_party_sequence(session: Session, party: str) -> int:
    value = session.connection().execute(_NEXT_PARTY, {"party": party}).scalar()
    if value is None:
        session.connection().execute(_SEED_PARTY, {"party": party})
        value = session.connection().execute(_NEXT_PARTY, {"party": party}).scalar_one()
    return int(value)
