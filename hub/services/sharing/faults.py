"""Cases the data bureau's feed could not open (fault isolation, issue 11 item 5).

A ciphertext that no longer opens (damaged, copied from another row, or under a key that
was retired) must not take the feed down with it. Whoever builds records for the data
bureau catches the decryption error, calls `report`, and goes on without that case:
`report` counts it (`hub_shared_unreadable_total`), logs the application number (never
the ciphertext or the error text) and keeps one row per case and part for admins
(`GET /v1/admin/shared/unreadable`), with how often and when it was last met.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from prometheus_client import Counter
from sqlmodel import Session, col, select

from hub import jsonutil
from hub.logsafety import get_logger
from hub.store.models_privacy import SharedUnreadable

log = get_logger("hub.sharing")

UNREADABLE = Counter(
    "hub_shared_unreadable_total",
    "Case parts the data bureau's feed could not decrypt and skipped",
    ["part"],
)


@dataclass(frozen=True)
class Unreadable:
    """One part of one case that would not open."""

    application_no: str
    part: str  # "application.personal" or "case_event:<event id>"
    error: str  # the exception's class name


def report(session: Session, found: list[Unreadable], now: datetime) -> None:
    """Count, log and keep `found` (in the caller's transaction)."""
    for u in found:
        UNREADABLE.labels(part=u.part.split(":", 1)[0]).inc()
        log.error(
            "shared feed: case %s skipped, %s does not decrypt (%s)",
            u.application_no,
            u.part,
            u.error,
        )
        row = session.get(SharedUnreadable, (u.application_no, u.part))
        if row is None:
            row = SharedUnreadable(
                application_no=u.application_no,
                part=u.part,
                error=u.error,
                first_seen=now,
                last_seen=now,
            )
        else:
            row.last_seen, row.error, row.times = now, u.error, row.times + 1
        session.add(row)
    if found:
        session.flush()


def unreadable_list(session: Session) -> dict[str, Any]:
    """GET /v1/admin/shared/unreadable: what the feed skipped, most recent first."""
    rows = session.exec(
        select(SharedUnreadable).order_by(
            col(SharedUnreadable.last_seen).desc(), col(SharedUnreadable.application_no)
        )
    ).all()
    return {
        "unreadable": [
            {
                "application_no": r.application_no,
                "part": r.part,
                "error": r.error,
                "first_seen": jsonutil.rfc3339(r.first_seen),
                "last_seen": jsonutil.rfc3339(r.last_seen),
                "times": r.times,
            }
            for r in rows
        ]
    }
