"""Buffered writes: rows collected while a batch of use cases runs, then written at once.

Intake runs many applications in one transaction (group commit). Instead of one INSERT per
row, its steps hand rows to the session's `WriteBuffer`, which writes them with one
executemany per table, gives each outbox row its destination's next feed number, and adds
the open-case counts to the institutions. Outside a batch there is no buffer and every step
writes at once, so other use cases read back what they wrote in the same transaction.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import insert, text, update
from sqlmodel import Session, col

from hub.store.models import (
    AuditEntry,
    CaseEvent,
    Deadline,
    Institution,
    OutboxMessage,
    PartyIndex,
)

_KEY = "hub.write_buffer"

#: Insert order: stable, so concurrent batches take row locks in the same order.
_TABLES: tuple[type[Any], ...] = (PartyIndex, CaseEvent, Deadline, OutboxMessage, AuditEntry)

_ADD_PARTY = text("UPDATE party_sequence SET last = last + :n WHERE party = :party RETURNING last")
_SEED_PARTY = text(
    "INSERT INTO party_sequence (party, last) VALUES (:party, 0) ON CONFLICT (party) DO NOTHING"
)


class WriteBuffer:
    def __init__(self) -> None:
        self.rows: dict[type[Any], list[dict[str, Any]]] = defaultdict(list)
        self.assigned: dict[str, int] = defaultdict(int)
        self.last_assigned: dict[str, datetime] = {}
        #: Institution rows read once per batch by routing (state, visibility, load).
        self.live: dict[str, Any] = {}

    def add(self, model: type[Any], row: dict[str, Any]) -> None:
        self.rows[model].append(row)

    def assign(self, institution_id: str, at: datetime) -> None:
        self.assigned[institution_id] += 1
        self.last_assigned[institution_id] = at

    def mark(self) -> tuple[dict[type[Any], int], dict[str, int], dict[str, datetime]]:
        """A point to roll back to if the next use case fails before writing anything real."""
        return (
            {m: len(r) for m, r in self.rows.items()},
            dict(self.assigned),
            dict(self.last_assigned),
        )

    def rollback_to(
        self, point: tuple[dict[type[Any], int], dict[str, int], dict[str, datetime]]
    ) -> None:
        lengths, assigned, last = point
        for model, rows in self.rows.items():
            del rows[lengths.get(model, 0) :]
        self.assigned = defaultdict(int, assigned)
        self.last_assigned = last

    def flush(self, session: Session) -> None:
        conn = session.connection()
        for institution_id in sorted(self.assigned):
            conn.execute(
                update(Institution)
                .where(col(Institution.id) == institution_id)
                .values(
                    open_cases=col(Institution.open_cases) + self.assigned[institution_id],
                    last_assigned_at=self.last_assigned[institution_id],
                )
            )
        outbox = self.rows.get(OutboxMessage, [])
        by_destination: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in outbox:
            by_destination[row["destination"]].append(row)
        for destination in sorted(by_destination):
            rows = by_destination[destination]
            params = {"party": destination, "n": len(rows)}
            last = conn.execute(_ADD_PARTY, params).scalar()
            if last is None:
                conn.execute(_SEED_PARTY, {"party": destination})
                last = conn.execute(_ADD_PARTY, params).scalar_one()
            first = int(last) - len(rows) + 1
            for offset, row in enumerate(rows):
                row["party_seq"] = first + offset
        for model in _TABLES:
            if self.rows.get(model):
                conn.execute(insert(model), self.rows[model])
        self.rows.clear()
        self.assigned.clear()
        self.last_assigned.clear()


def buffer_of(session: Session) -> WriteBuffer | None:
    buffer: WriteBuffer | None = session.info.get(_KEY)
    return buffer


def start_buffer(session: Session) -> WriteBuffer:
    buffer = WriteBuffer()
    session.info[_KEY] = buffer
    return buffer


def end_buffer(session: Session) -> None:
    buffer = session.info.pop(_KEY, None)
    if buffer is not None:
        buffer.flush(session)


def emit(session: Session, model: type[Any], row: dict[str, Any]) -> None:
    """Write `row` into `model`'s table now, or with the batch when one is running."""
    buffer = buffer_of(session)
    if buffer is not None:
        buffer.add(model, row)
    else:
        session.connection().execute(insert(model), [row])


__all__ = ["WriteBuffer", "buffer_of", "emit", "end_buffer", "start_buffer"]
