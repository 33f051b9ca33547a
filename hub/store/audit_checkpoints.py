"""The audit checkpoints' table and the reads they are made from (hub.services.audit_trail)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import BigInteger, bindparam, func, text
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.compiler import SQLCompiler
from sqlmodel import Session, col, select

from hub.store.models import AuditCheckpoint, AuditEntry


def committed_upto(session: Session) -> int:
    """The largest audit entry id below which every entry is committed, read in a short
    session of its own (the caller's read session: on PostgreSQL it takes a lock).

    PostgreSQL hands out ids from a sequence, so an entry with a smaller id may still be
    uncommitted when a larger one is visible. A SHARE lock on the table waits for every
    transaction writing to it and holds new writers back for as long as it takes to read
    the largest id (a few milliseconds; the lock ends with the session's transaction).
    SQLite's one writer commits ids in order."""
    if session.get_bind().dialect.name == "postgresql":
        conn = session.connection()
        conn.execute(text("SET LOCAL lock_timeout = '5s'"))
        conn.execute(text("LOCK TABLE audit_entry IN SHARE MODE"))
        found = conn.execute(text("SELECT coalesce(max(id), 0) FROM audit_entry")).scalar()
        return int(found or 0)
    largest = session.exec(select(func.max(AuditEntry.id))).one()
    return int(largest or 0)


def lock_writers(session: Session) -> None:
    """One checkpoint writer at a time (PostgreSQL; SQLite's writer lock does it)."""
    if session.get_bind().dialect.name == "postgresql":
        session.connection().execute(text("SELECT pg_advisory_xact_lock(hashtext('audit-cp'))"))


def last(session: Session) -> AuditCheckpoint | None:
    return session.exec(
        select(AuditCheckpoint).order_by(col(AuditCheckpoint.seq).desc()).limit(1)
    ).first()


def all_in_order(session: Session) -> list[AuditCheckpoint]:
    return list(session.exec(select(AuditCheckpoint).order_by(col(AuditCheckpoint.seq))).all())


_NO_LIMIT = 2**63 - 1  # the largest id either database can hold
_COMPILED: dict[tuple[str, int], SQLCompiler] = {}


def _entry_hashes(dialect: Dialect, batch: int) -> SQLCompiler:
    """(id, hash) of the entries after `:after` up to `:upto`, in id order, `batch` at a
    time: compiled once per database and batch size, run through the driver."""
    found = _COMPILED.get((dialect.name, batch))
    if found is None:
        id_ = col(AuditEntry.id)
        query = (
            select(id_, col(AuditEntry.hash))
            .where(
                id_ > bindparam("after", type_=BigInteger),
                id_ <= bindparam("upto", type_=BigInteger),
            )
            .order_by(id_)
            .limit(batch)
        )
        compiled = query.compile(dialect=dialect)
        assert isinstance(compiled, SQLCompiler)
        found = _COMPILED[(dialect.name, batch)] = compiled
    return found


def entry_hashes(
    session: Session, after: int, upto: int | None = None, batch: int = 5000
) -> Iterator[tuple[int, str]]:
    """(id, hash) of the entries with `after < id <= upto`, in id order, read in batches.

    Through the driver, without SQLAlchemy's row objects: a checkpoint reads every entry
    of its 30 s (15,000 at 500 applications/s), and in the hub's process the ORM read
    held the GIL beside intake for ~40 ms of CPU, the driver's ~15 ms."""
    conn = session.connection()
    compiled = _entry_hashes(conn.dialect, batch)
    sql, order = str(compiled), compiled.positiontup
    last_id = after
    while True:
        values: Any = compiled.construct_params(
            {"after": last_id, "upto": _NO_LIMIT if upto is None else upto}
        )
        params: Any = tuple(values[name] for name in order) if order else values
        rows = conn.exec_driver_sql(sql, params).fetchall()
        for entry_id, entry_hash in rows:
            yield int(entry_id), entry_hash
        if len(rows) < batch:
            return
        last_id = int(rows[-1][0])
