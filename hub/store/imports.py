"""The store's side of the import of historical cases (INTERFACE 12): the look-ups a batch
of lines needs before it is numbered, the day numbers it takes, and the open-case counts.

Each look-up is one statement for the whole batch. Day numbers are taken as blocks through
the write buffer's own counters (`WriteBuffer.numbers`), so `next_day_sequence` hands them
out and the buffer gives back what the batch did not use, as for intake.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from hub.store.bulk import Statement, bind_date, placeholder, run_together
from hub.store.models import Application, Institution
from hub.store.sequences import hold_day_block
from hub.store.unit_of_work import of

# A day's counter moved past the highest number kept from the source (if higher), then a
# block of `count` numbers after it: the hub's numbers follow the highest the day has.
_TAKE_AFTER_KEPT = (
    "INSERT INTO day_sequence (region, day, last) VALUES ({p}, {p}, {p}) "
    "ON CONFLICT (region, day) DO UPDATE SET last = "
    "(CASE WHEN day_sequence.last > {p} THEN day_sequence.last ELSE {p} END) + {p} "
    "RETURNING last"
)
# The same for days without kept numbers (PostgreSQL), all of a batch's days at once.
_TAKE_BLOCKS_PG = (
    "INSERT INTO day_sequence (region, day, last) "
    "SELECT * FROM unnest(%s::text[], %s::date[], %s::int[]) "
    "ON CONFLICT (region, day) DO UPDATE SET last = day_sequence.last + excluded.last "
    "RETURNING region, day, last"
)
_ADD_OPEN = "UPDATE institution SET open_cases = open_cases + {p} WHERE id = {p}"


@dataclass(frozen=True)
class Registered:
    """An institution as the import checks it: it exists (in any state) and its kind."""

    id: str
    kind: str
    unit: str


def registered(session: Session) -> dict[str, Registered]:
    rows = session.exec(select(Institution.id, Institution.kind, Institution.unit_id)).all()
    return {i: Registered(i, k, u) for i, k, u in rows}


def imported_before(
    session: Session, source: str, source_nos: Iterable[str]
) -> dict[str, tuple[str, str | None]]:
    """Cases of `source` already in the hub among `source_nos`: source_no -> (no, digest)."""
    wanted = sorted(set(source_nos))
    if not wanted:
        return {}
    rows = session.exec(
        select(Application.source_no, Application.no, Application.source_hash).where(
            Application.source == source, col(Application.source_no).in_(wanted)
        )
    ).all()
    return {s: (n, h) for s, n, h in rows if s is not None}


def numbers_taken(session: Session, nos: Iterable[str]) -> set[str]:
    wanted = sorted(set(nos))
    if not wanted:
        return set()
    return set(session.exec(select(Application.no).where(col(Application.no).in_(wanted))).all())


def take_day_numbers(session: Session, days: dict[tuple[str, date], tuple[int, int]]) -> None:
    """For each (region, day): (highest kept sequence, how many numbers the hub gives).
    One round trip; days in a fixed order, so concurrent importers lock them alike."""
    conn = session.connection()
    p = placeholder(conn.dialect)
    keys = sorted(days)
    buffer = of(session).buffer
    if conn.dialect.name == "postgresql" and not any(kept for kept, _ in days.values()):
        # No kept numbers (the usual file): every day's block in one statement, in the
        # same key order.
        rows = conn.exec_driver_sql(
            _TAKE_BLOCKS_PG,
            ([r for r, _ in keys], [d for _, d in keys], [days[k][1] for k in keys]),
        ).all()
        taken = {(region, day): last for region, day, last in rows}
        for key in keys:
            hold_day_block(buffer, key[0], key[1], days[key][1], [(taken[key],)])
        return
    statements = [
        Statement(
            _TAKE_AFTER_KEPT.format(p=p),
            [(region, bind_date(conn.dialect, day), kept + count, kept, kept, count)],
            returning=True,
        )
        for region, day in keys
        for kept, count in [days[(region, day)]]
    ]
    for (region, day), rows in zip(keys, run_together(conn, statements), strict=True):
        hold_day_block(buffer, region, day, days[(region, day)][1], rows)


def add_open_cases(session: Session, counts: dict[str, int]) -> None:
    """Imported cases still open count towards their institution's load (routing capacity);
    unlike a dispatch, the last assignment time is left alone (they are not new)."""
    if not counts:
        return
    conn = session.connection()
    p = placeholder(conn.dialect)
    run_together(conn, [Statement(_ADD_OPEN.format(p=p), [(counts[i], i) for i in sorted(counts)])])


#: The tables an import writes, analyzed after it: PostgreSQL's autovacuum may be off or
#: slow to notice, and SQLite plans without statistics until it is told to gather them.
IMPORTED_TABLES = (
    "application",
    "case_event",
    "deadline",
    "party_index",
    "referral",
    "respondent_tally",
)


def analyze_imported(engine: Engine) -> None:
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT")
        for table in IMPORTED_TABLES:
            conn.exec_driver_sql(f"ANALYZE {table}")
