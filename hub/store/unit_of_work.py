"""The unit of work: one write transaction, its session and the rows it will write.

`Database.transaction()` and `Database.run()` hand one out; services receive it and never
open their own. It is a SQLModel `Session` (reads go through it as through any session)
that also carries the transaction's `WriteBuffer` (`hub.store.writes`).

Every write of the hub's case tables goes through the buffer (`emit`, `outbox.enqueue`,
`sequences.next_day_sequence`, `routing.assign`): group commit is how a unit of work always
writes, whether it takes in 64 applications or changes one case. The buffer is written

- at commit (before the ORM's own objects, which may refer to its rows);
- by `flush()`, which also flushes the ORM's objects;
- before any statement whose SQL names a table the buffer holds rows or counters for, so
  every read (and every ORM or Core write) in the transaction sees what it wrote. The
  institutions' open-case counts are the exception (`WriteBuffer.pending_tables`).

The last is decided on the SQL text just before it goes to the driver (a word match of the
table names: an accidental match only writes early). Reads of other tables (the
registry, idempotency records, the calendar) leave the buffer alone, which is what lets a
batch of applications be written with one executemany per table.

At commit it also refuses a case loaded in it (`hub.store.cases.load`) and changed but
never saved (`cases.UnsavedCase`): the change would otherwise be lost without a word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, event
from sqlmodel import Session

from hub.domain.calendar import REFERRAL_DEADLINE
from hub.store import cases, stats_late
from hub.store.models import Deadline
from hub.store.writes import Mark, WriteBuffer

#: The unit of work that owns each connection a write transaction holds.
_OWNERS: WeakKeyDictionary[Connection, UnitOfWork] = WeakKeyDictionary()


class UnitOfWork(Session):
    """A write transaction's session plus its write buffer."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.buffer = WriteBuffer()
        #: How many times the buffer was written so far (a mark is undone only before one).
        self.writes = 0
        self._writing = False

    def emit(self, model: type[Any], row: dict[str, Any]) -> None:
        """Write `row` into `model`'s table (at the latest at commit)."""
        self.buffer.add(model, row)

    def flush(self, objects: Sequence[Any] | None = None) -> None:
        """Write the buffered rows, then the ORM's pending objects."""
        self.write_buffer()
        super().flush(objects)

    def write_buffer(self) -> None:
        """Write what the buffer holds now (the ORM's objects stay pending)."""
        if self._writing or not self.buffer.pending():
            return
        self._writing = True
        try:
            self.buffer.flush(self)
            self.writes += 1
        finally:
            self._writing = False

    def mark(self) -> tuple[Mark, int]:
        """A point to forget what is buffered after it (a use case refused part-way)."""
        return self.buffer.mark(), self.writes

    def rollback_to(self, point: tuple[Mark, int]) -> bool:
        """Forget what was buffered since `point`. False when some of it was written
        meanwhile: only rolling back the whole transaction undoes it then."""
        mark, writes = point
        if writes != self.writes:
            return False
        self.buffer.rollback_to(mark)
        return True

    def _before_statement(self, sql: str) -> None:
        if self._writing:
            return
        names = self.buffer.pending_tables()
        if names and _names_pattern(names).search(sql):
            self.write_buffer()


def of(session: Session) -> UnitOfWork:
    """The unit of work `session` is: writes are made only inside one."""
    if not isinstance(session, UnitOfWork):
        raise TypeError("a write needs the caller's unit of work (Database.transaction())")
    return session


def emit(session: Session, model: type[Any], row: dict[str, Any]) -> None:
    """Write `row` into `model`'s table in the caller's unit of work."""
    of(session).emit(model, row)


@lru_cache(maxsize=256)
def _names_pattern(names: frozenset[str]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(sorted(names)) + r")\b", re.IGNORECASE)


@event.listens_for(UnitOfWork, "after_begin")
def _owns(session: Session, _transaction: Any, connection: Connection) -> None:
    assert isinstance(session, UnitOfWork)
    _OWNERS[connection] = session


@event.listens_for(UnitOfWork, "before_commit")
def _at_commit(session: Session) -> None:
    assert isinstance(session, UnitOfWork)
    # A loaded case changed and never saved: refuse to commit the rest without it (raised
    # here, the transaction rolls back).
    changed = cases.unsaved(session)
    if changed:
        raise cases.UnsavedCase(changed)
    session.write_buffer()


@event.listens_for(UnitOfWork, "after_flush")
def _deadlines_flushed(session: Session, _context: Any) -> None:
    """Deadlines written as ORM objects (added, met, counted again, deleted): their cases'
    `late_since` and late counts follow in the same transaction (hub.store.stats_late)."""
    nos = {
        o.application_no
        for o in (*session.new, *session.dirty, *session.deleted)
        if isinstance(o, Deadline) and o.kind != REFERRAL_DEADLINE
    }
    if nos:
        stats_late.refresh(session.connection(), nos)


def watch(engine: Engine) -> None:
    """Write a unit of work's buffer before any statement on `engine` that needs it."""

    @event.listens_for(engine, "before_cursor_execute")
    def _before(
        conn: Connection, _cursor: Any, sql: str, _params: Any, _context: Any, _many: bool
    ) -> None:
        owner = _OWNERS.get(conn)
        if owner is not None:
            owner._before_statement(sql)


__all__ = ["UnitOfWork", "emit", "of", "watch"]
