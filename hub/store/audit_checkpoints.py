"""The audit checkpoints' table and the reads they are made from (hub.services.audit_trail)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import func, text
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


def entry_hashes(
    session: Session, after: int, upto: int | None = None, batch: int = 5000
) -> Iterator[tuple[int, str]]:
    """(id, hash) of the entries with `after < id <= upto`, in id order, read in batches."""
    last_id = after
    while True:
        stmt = select(AuditEntry.id, AuditEntry.hash).where(col(AuditEntry.id) > last_id)
        if upto is not None:
            stmt = stmt.where(col(AuditEntry.id) <= upto)
        rows = session.exec(stmt.order_by(col(AuditEntry.id)).limit(batch)).all()
        for entry_id, entry_hash in rows:
            yield int(entry_id or 0), entry_hash
        if len(rows) < batch:
            return
        last_id = int(rows[-1][0] or 0)
