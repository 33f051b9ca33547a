"""The throttle's counted events (`throttle_event`): recent times, record, forget, purge."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, text
from sqlmodel import Session, col, select

from hub.domain.throttle import Budget
from hub.store.models_ops import ThrottleEvent


def lock_client(session: Session, client: str) -> None:
    """Serialise one client's reservations (PostgreSQL; SQLite has one writer anyway), so
    concurrent guesses cannot all read the same count."""
    if session.get_bind().dialect.name == "postgresql":
        session.connection().execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:c))"), {"c": "throttle:" + client}
        )


def recent(
    session: Session,
    client: str,
    kind: str,
    now: datetime,
    budget: Budget,
    *,
    subject: str | None = None,
) -> list[datetime]:
    """The times of the client's last `budget.limit` events of `kind` inside the window
    (about `subject` only, when given): all `Budget.wait` needs."""
    stmt = select(ThrottleEvent.at).where(
        ThrottleEvent.client == client,
        ThrottleEvent.kind == kind,
        col(ThrottleEvent.at) > now - budget.window,
    )
    if subject is not None:
        stmt = stmt.where(ThrottleEvent.subject == subject)
    stmt = stmt.order_by(col(ThrottleEvent.at).desc()).limit(budget.limit)
    return list(session.exec(stmt).all())


def record(
    session: Session, client: str, kind: str, at: datetime, subject: str | None
) -> int | None:
    result = session.connection().execute(
        insert(ThrottleEvent).values(client=client, kind=kind, subject=subject, at=at)
    )
    key = result.inserted_primary_key
    return int(key[0]) if key and key[0] is not None else None


def forget(session: Session, event_id: int) -> None:
    session.connection().execute(delete(ThrottleEvent).where(col(ThrottleEvent.id) == event_id))


def purge(session: Session, before: datetime) -> int:
    result = session.connection().execute(
        delete(ThrottleEvent).where(col(ThrottleEvent.at) < before)
    )
    return int(result.rowcount or 0)
