"""Append-only audit trail (Art. 24), chained per chain (a case number, or a topic like
`registry`).

Each entry's `hash` is an HMAC-SHA256, with the audit key (`HUB_AUDIT_KEY`, its own key),
of its content and its predecessor's hash: an edited, deleted or reordered entry breaks the
chain and `hub audit verify` names where, and without the key nobody can recompute a chain
they rewrote. Entries removed at the end of a chain leave no break in it; signed
checkpoints catch those (hub.services.audit_trail). Entries carry ids and codes, never
personal data.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from hub import jsonutil
from hub.store.models import AuditEntry
from hub.store.unit_of_work import emit

GENESIS = "0" * 64

_key: bytes | None = None
_key_lock = threading.Lock()


def configure_key(key: bytes | None) -> None:
    """Set (or with None forget) the audit key; unset, it is read from the environment."""
    global _key
    with _key_lock:
        _key = key


def _audit_key() -> bytes:
    global _key
    if _key is None:
        from privacy.config import load_audit_key_from_env

        with _key_lock:
            if _key is None:
                _key = load_audit_key_from_env()
    return _key


def _digest(entry: Mapping[str, Any]) -> str:
    fields = [
        entry["chain"],
        jsonutil.rfc3339(entry["at"]),
        entry["actor_role"],
        entry["actor_party"],
        entry["action"],
        entry["application_no"],
        entry["detail"],
        entry["prev_hash"],
    ]
    if entry.get("actor_login") is not None:  # entries without a person hash as before 0100
        fields.append(entry["actor_login"])
    body = jsonutil.dumps(fields)
    return hmac.new(_audit_key(), body.encode(), hashlib.sha256).hexdigest()


def range_digest(entries: Iterable[tuple[int, str]]) -> tuple[int, str]:
    """(count, SHA-256) over the entries' ids and hashes in id order: what a checkpoint
    signs for the entries after the previous one. Any entry removed, added, moved or
    changed in the range changes it."""
    h = hashlib.sha256()
    n = 0
    rest = iter(entries)
    while chunk := list(islice(rest, 1000)):  # one update a thousand entries: same digest
        h.update("".join(f"{entry_id}:{entry_hash}\n" for entry_id, entry_hash in chunk).encode())
        n += len(chunk)
    return n, h.hexdigest()


def append(
    session: Session,
    *,
    chain: str,
    at: datetime,
    actor_role: str,
    actor_party: str | None,
    action: str,
    application_no: str | None = None,
    detail: dict[str, Any] | None = None,
    new_chain: bool = False,
    actor_login: str | None = None,
) -> dict[str, Any]:
    """Append to `chain`. Callers serialise appends to one chain (case row lock, or here).

    `actor_login` names the person (a web account) who acted for `actor_party`."""
    if new_chain:
        prev = GENESIS
    else:
        if session.get_bind().dialect.name == "postgresql":
            lock = text("SELECT pg_advisory_xact_lock(hashtext(:c))")
            session.connection().execute(lock, {"c": chain})
        last = session.exec(
            select(AuditEntry.hash)
            .where(AuditEntry.chain == chain)
            .order_by(col(AuditEntry.id).desc())
            .limit(1)
        ).first()
        prev = last or GENESIS
    entry: dict[str, Any] = {
        "chain": chain,
        "at": at,
        "actor_role": actor_role,
        "actor_party": actor_party,
        "actor_login": actor_login,
        "action": action,
        "application_no": application_no,
        "detail": detail,
        "prev_hash": prev,
    }
    entry["hash"] = _digest(entry)
    # A second append to this chain in the same unit of work reads the chain's last
    # entry, which writes the buffer first: it finds this entry as its predecessor.
    emit(session, AuditEntry, entry)
    return entry


@dataclass(frozen=True)
class ChainBreak:
    chain: str
    entry_id: int
    reason: str


def verify(
    session: Session, progress: Callable[[int], None] | None = None
) -> tuple[int, list[ChainBreak]]:
    """Walk every chain; answer the number of entries checked and every break found
    (`progress` hears the count every 1,000 entries)."""
    heads: dict[str, str] = {}
    breaks: list[ChainBreak] = []
    count = 0
    for entry in session.exec(select(AuditEntry).order_by(col(AuditEntry.id))):
        count += 1
        if progress is not None and count % 1000 == 0:
            progress(count)
        expected_prev = heads.get(entry.chain, GENESIS)
        if entry.prev_hash != expected_prev:
            breaks.append(ChainBreak(entry.chain, entry.id or 0, "predecessor missing or changed"))
        if _digest(entry.model_dump()) != entry.hash:
            breaks.append(ChainBreak(entry.chain, entry.id or 0, "entry content changed"))
        heads[entry.chain] = entry.hash
    return count, breaks
