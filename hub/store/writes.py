"""The write buffer of a unit of work (`hub.store.unit_of_work`): rows collected while its
use cases run, then written at once.

Instead of one INSERT per row, the steps hand rows to the buffer, which writes them with one
executemany per table, gives each outbox row its id (taken from the database first, so that
its `outbox_pending` row goes in the same round trip) and its destination's next feed
number, adds the open-case counts to the institutions, the batch's cases to the
statistics' rollup (hub.store.stats_rollup) and its respondents to their tally
(hub.store.respondent_tally). Intake runs many applications in
one unit of work (group commit); a use case changing one case writes the same way.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from hub.store import respondent_tally, stats_late, stats_rollup
from hub.store.bulk import (
    Statement,
    bind_date,
    bind_timestamp,
    placeholder,
    run_together,
    write_rows,
)
from hub.store.models import (
    Application,
    AuditEntry,
    CaseEvent,
    Deadline,
    OutboxMessage,
    OutboxPending,
    PartyIndex,
    Referral,
)

#: Insert order: stable, so concurrent batches take row locks in the same order.
_TABLES: tuple[type[Any], ...] = (
    Application,
    Referral,
    PartyIndex,
    CaseEvent,
    Deadline,
    OutboxMessage,
    OutboxPending,
    AuditEntry,
)

#: Hand-written SQL in the driver's parameter style ({p}), run together by `store.bulk`.
_GIVE_BACK = "UPDATE day_sequence SET last = last - {p} WHERE region = {p} AND day = {p}"
# A day's counter the batch seeded and then gave every number back: as if never taken.
_DROP_UNUSED_DAY = "DELETE FROM day_sequence WHERE region = {p} AND day = {p} AND last = 0"
_ASSIGN = (
    "UPDATE institution SET open_cases = open_cases + {p}, last_assigned_at = {p} WHERE id = {p}"
)
# One statement for every destination of the batch: seeds a new party's counter at the
# count, adds to an existing one, and answers each party's new last number.
_ADD_PARTIES = (
    "INSERT INTO party_sequence (party, last) VALUES {values} ON CONFLICT (party) "
    "DO UPDATE SET last = party_sequence.last + excluded.last RETURNING party, last"
)
# Ids for the batch's outbox rows. PostgreSQL: from the table's own sequence, as the
# column default would take them. SQLite: the writer holds the database (BEGIN IMMEDIATE),
# so the next ids are simply those after the largest.
_OUTBOX_IDS_PG = (
    "SELECT nextval(pg_get_serial_sequence('outbox', 'id')) FROM generate_series(1, %s)"
)
_OUTBOX_LAST_ID_SQLITE = "SELECT coalesce(max(id), 0) FROM outbox"

_NAMES: dict[type[Any], str] = {m: m.__table__.name for m in _TABLES}


@dataclass(frozen=True)
class Mark:
    lengths: dict[type[Any], int]
    assigned: dict[str, int]
    last_assigned: dict[str, datetime]
    next_numbers: dict[tuple[str, Any], int]


class WriteBuffer:
    def __init__(self) -> None:
        self.rows: dict[type[Any], list[dict[str, Any]]] = defaultdict(list)
        self.assigned: dict[str, int] = defaultdict(int)
        self.last_assigned: dict[str, datetime] = {}
        #: Institution rows read once per batch by routing (state, visibility, load).
        self.live: dict[str, Any] = {}
        #: Day numbers taken as a block: (region, day) -> [next, last, first]; `expected` is
        #: how many applications of the batch are still to come (the size of the next block).
        self.numbers: dict[tuple[str, Any], list[int]] = {}
        self.expected = 1

    def pending(self) -> bool:
        """Is anything left to write?"""
        return bool(self.assigned or self.numbers or any(self.rows.values()))

    def pending_tables(self) -> frozenset[str]:
        """The tables a statement must not touch before the buffer is written: those it
        holds rows for, and those of the counters it will move. Not the institutions: their
        open-case counts are increments, added at write; routing, which reads the counts,
        adds `assigned` itself, and `routing.release` writes the buffer before it
        decrements (so a registry read during a batch does not write it early)."""
        names = {_NAMES[m] for m, rows in self.rows.items() if rows}
        if self.rows.get(Application):
            names |= {"stats_rollup", "stats_daily"}
        if self.rows.get(PartyIndex):
            names.add("respondent_tally")
        if self.rows.get(Deadline):  # the cases' late_since and counts (stats_late)
            names |= {"application", "stats_daily"}
        if self.rows.get(OutboxMessage):
            names.add("party_sequence")
        if self.numbers:
            names.add("day_sequence")
        return frozenset(names)

    def add(self, model: type[Any], row: dict[str, Any]) -> None:
        self.rows[model].append(row)

    def assign(self, institution_id: str, at: datetime) -> None:
        self.assigned[institution_id] += 1
        self.last_assigned[institution_id] = at

    def mark(self) -> Mark:
        """A point to roll back to if the next use case is refused part-way."""
        return Mark(
            {m: len(r) for m, r in self.rows.items()},
            dict(self.assigned),
            dict(self.last_assigned),
            {k: v[0] for k, v in self.numbers.items()},
        )

    def rollback_to(self, point: Mark) -> None:
        for model, rows in self.rows.items():
            del rows[point.lengths.get(model, 0) :]
        self.assigned = defaultdict(int, point.assigned)
        self.last_assigned = dict(point.last_assigned)
        for key, block in self.numbers.items():  # numbers not used go to the next case
            # A block first taken during the refused case goes back whole.
            block[0] = point.next_numbers.get(key, block[2])

    def flush(self, session: Session) -> None:
        """Write the batch: counters first (in a fixed lock order: day numbers, institutions
        by id, parties by name), then every table's rows; on PostgreSQL two round trips."""
        conn = session.connection()
        dialect = conn.dialect
        p = placeholder(dialect)
        counters: list[Statement] = []
        for (region, day), (next_number, last, _first) in self.numbers.items():
            if next_number <= last:  # numbers taken for cases that were refused: give back
                key = (region, bind_date(dialect, day))
                counters.append(Statement(_GIVE_BACK.format(p=p), [(last - next_number + 1, *key)]))
                counters.append(Statement(_DROP_UNUSED_DAY.format(p=p), [key]))
        self.numbers.clear()
        if self.assigned:
            counters.append(
                Statement(
                    _ASSIGN.format(p=p),
                    [
                        (self.assigned[i], bind_timestamp(dialect, self.last_assigned[i]), i)
                        for i in sorted(self.assigned)
                    ],
                )
            )
        outbox = self.rows.get(OutboxMessage, [])
        by_destination: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in outbox:
            by_destination[row["destination"]].append(row)
        parties = sorted(by_destination)
        if parties:
            counters.append(
                Statement(
                    _ADD_PARTIES.format(values=", ".join(f"({p}, {p})" for _ in parties)),
                    [tuple(v for d in parties for v in (d, len(by_destination[d])))],
                    returning=True,
                )
            )
        if outbox:
            counters.append(
                Statement(_OUTBOX_IDS_PG, [(len(outbox),)], returning=True)
                if dialect.name == "postgresql"
                else Statement(_OUTBOX_LAST_ID_SQLITE, [()], returning=True)
            )
        results = run_together(conn, counters)
        if outbox:
            taken = [int(r[0]) for r in results.pop()]
            if dialect.name == "postgresql":
                ids: list[int] = sorted(taken)
            else:
                ids = list(range(taken[0] + 1, taken[0] + 1 + len(outbox)))
            pending = self.rows[OutboxPending]
            for outbox_id, row in zip(ids, outbox, strict=True):
                row["id"] = outbox_id
                pending.append(OutboxPending.row_for(outbox_id, row))
        if parties:
            for party, top in results[-1]:
                rows = by_destination[party]
                first = int(top) - len(rows) + 1
                for offset, row in enumerate(rows):
                    row["party_seq"] = first + offset
        # the new cases' late_since from their deadlines (hub.store.stats_late)
        late, stored = stats_late.of_rows(
            self.rows.get(Application, []), self.rows.get(Deadline, [])
        )
        write_rows(conn, [(model, self.rows[model]) for model in _TABLES if self.rows.get(model)])
        if self.rows.get(Application):  # the batch's cases, one upsert per rollup key
            deltas: dict[stats_rollup.Key, int] = defaultdict(int)
            stats_rollup.add_rows(deltas, self.rows[Application])
            stats_rollup.write(conn, deltas, late)
        if self.rows.get(PartyIndex):  # the batch's respondents, one upsert per index
            respondent_tally.write(conn, self.rows[PartyIndex])
        if stored:  # deadlines of cases stored before
            stats_late.refresh(conn, stored)
        self.rows.clear()
        self.assigned.clear()
        self.last_assigned.clear()
        self.live.clear()  # read before these assignments: routing reads them again


__all__ = ["Mark", "WriteBuffer"]
