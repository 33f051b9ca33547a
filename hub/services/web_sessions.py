"""Web sessions (网页会话) in the database: a sign-out holds on every process and after a restart.

The `om_web` cookie (hub.web.session) proves a session id; the session itself is a
`web_session` row keyed by the SHA-256 of that id, with what it is for (`kind`: person,
pending or token; `ref`: the login or the token's row id) and its expiry. Signing in writes
the row (`opened`; choosing a password turns a pending session into a person's under the
same id), signing out ends it (`ended`), revoking a token ends all of the token's
(hub.services.tokens.revoke). Each request reads the row (`is_open`), so an ended session
is refused at once everywhere.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from sqlalchemy import update
from sqlmodel import Session, col

from hub.services.context import HubContext
from hub.store.models import WebSessionRecord
from hub.store.unit_of_work import UnitOfWork


def session_key(sid: str) -> str:
    return hashlib.sha256(b"om-web-session\x00" + sid.encode()).hexdigest()


def opened(
    ctx: HubContext, session: UnitOfWork, sid: str, kind: str, ref: str, expires: int
) -> None:
    """Record a session (`expires`: Unix seconds, as in the cookie); the same id again (a
    pending session whose person chose a password) takes the new kind and expiry."""
    until = datetime.fromtimestamp(expires, UTC)
    row = session.get(WebSessionRecord, session_key(sid))
    if row is None:
        row = WebSessionRecord(
            id=session_key(sid),
            kind=kind,
            ref=ref,
            created_at=ctx.clock.now(),
            expires_at=until,
        )
    elif row.ended_at is not None:
        return  # ended meanwhile: stays ended
    row.kind, row.ref, row.expires_at = kind, ref, until
    session.add(row)


def ended(session: Session, sid: str, at: datetime, reason: str = "signed out") -> None:
    """End a session, in the caller's transaction (with its audit entry)."""
    session.connection().execute(
        update(WebSessionRecord)
        .where(
            col(WebSessionRecord.id) == session_key(sid), col(WebSessionRecord.ended_at).is_(None)
        )
        .values(ended_at=at, end_reason=reason)
    )


def end_all_of_token(session: Session, token_id: str, at: datetime, reason: str) -> None:
    session.connection().execute(
        update(WebSessionRecord)
        .where(
            col(WebSessionRecord.kind) == "token",
            col(WebSessionRecord.ref) == token_id,
            col(WebSessionRecord.ended_at).is_(None),
        )
        .values(ended_at=at, end_reason=reason)
    )


def is_open(session: Session, sid: str, kind: str, ref: str, now: datetime) -> bool:
    row = session.get(WebSessionRecord, session_key(sid))
    return (
        row is not None
        and row.ended_at is None
        and row.expires_at > now
        and row.kind == kind
        and row.ref == ref
    )
