"""Retention (保存期限): what the hub keeps only for a while, and its purge.

- Idempotency records (the sealed first answer of a creating POST): `HUB_IDEMPOTENCY_HOURS`
  (default 168, one week). A client repeating a request later than that makes a new one.
- Web sessions: a day after they expired (sign-in and sign-out stay in the audit trail).
- Throttle events (counted guesses and sign-ins): once no budget counts them (24 hours).
- The journal of what went out (`inbox` rows of `JOURNAL_CONSUMERS`: answered webhooks,
  notices sent): `HUB_INBOX_DAYS` (default 30), longer than any copy of a message waits in
  the broker. The inbound connector's repeat records are kept.

The purge runs with the scheduler (`hub scheduler`, or its thread in `hub serve`), at most
once per `PURGE_EVERY_SECONDS`, in the transaction the scheduler opens for it; it is one
indexed DELETE per kind, safe on several nodes.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete
from sqlmodel import col

from hub.config import RetentionSettings as RetentionSettings
from hub.services import throttle
from hub.services.context import HubContext
from hub.store.models import (
    JOURNAL_CONSUMERS,
    IdempotencyRecord,
    InboxRecord,
    WebSessionRecord,
)
from hub.store.unit_of_work import UnitOfWork

PURGE_EVERY_SECONDS = 600.0


def purge(
    ctx: HubContext, session: UnitOfWork, settings: RetentionSettings | None = None
) -> dict[str, int]:
    """Delete what is past its retention; answers how many rows of each kind went."""
    settings = settings or ctx.settings.retention
    now = ctx.clock.now()
    cutoff = now - timedelta(hours=settings.idempotency_hours)
    wall = datetime.now(UTC)  # web sessions expire on the wall clock (hub.web.session)
    conn = session.connection()
    answers = conn.execute(
        delete(IdempotencyRecord).where(col(IdempotencyRecord.created_at) < cutoff)
    )
    sessions = conn.execute(
        delete(WebSessionRecord).where(col(WebSessionRecord.expires_at) < wall - timedelta(days=1))
    )
    journal = conn.execute(
        delete(InboxRecord).where(
            col(InboxRecord.consumer).in_(JOURNAL_CONSUMERS),
            col(InboxRecord.processed_at) < now - timedelta(days=settings.inbox_days),
        )
    )
    return {
        "idempotency_records": int(answers.rowcount or 0),
        "journal_rows": int(journal.rowcount or 0),
        "web_sessions": int(sessions.rowcount or 0),
        "throttle_events": throttle.purge(ctx, session),
    }


class PeriodicPurge:
    """Says when `purge` is due: the last one is `every` seconds old (monotonic, per
    process). The scheduler runs it in a transaction of its own."""

    def __init__(self, every: float = PURGE_EVERY_SECONDS) -> None:
        self.every = every
        self._last = float("-inf")
        self._lock = threading.Lock()

    def due(self) -> bool:
        with self._lock:
            if time.monotonic() - self._last < self.every:
                return False
            self._last = time.monotonic()
        return True
