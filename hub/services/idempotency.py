"""Idempotency-Key (INTERFACE 1): a repeat returns the first answer; another body is 409.

The first answer is kept sealed (`idempotency_record.response` is ciphertext bound to its
caller and key, like every personal value): a 201 carries the applicant's query code. The
records are purged after `HUB_IDEMPOTENCY_HOURS` (168, one week; `hub.services.retention`):
a repeat later than that is a new request.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from hub import jsonutil
from hub.services.context import HubContext
from hub.services.errors import Conflict
from hub.services.principal import Principal
from hub.store.models import IdempotencyRecord
from hub.store.unit_of_work import UnitOfWork
from hub.vault import Vault

#: Where a sealed answer is bound: its table and field (the record is caller and key).
SEALED_TABLE, SEALED_FIELD = "idempotency_record", "response"


@dataclass(frozen=True)
class Answer:
    status: int
    body: str


def request_hash(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + body).hexdigest()


def record_id(principal_key: str, key: str) -> str:
    """The record a sealed answer is bound to (a principal key never holds `|`)."""
    return f"{principal_key}|{key}"


def replay(
    session: Session, vault: Vault, principal: Principal, key: str, digest: str
) -> Answer | None:
    record = session.get(IdempotencyRecord, (principal.key, key))
    if record is None:
        return None
    if record.request_hash != digest:
        raise Conflict(
            "同一幂等键对应了不同的请求内容 / Idempotency-Key reused with a different request"
        )
    body = vault.open_text(
        record.response,
        table=SEALED_TABLE,
        field=SEALED_FIELD,
        record_id=record_id(principal.key, key),
    )
    return Answer(record.status_code, body)


def remember(
    session: Session,
    vault: Vault,
    principal: Principal,
    key: str,
    digest: str,
    answer: Answer,
    at: datetime,
) -> None:
    sealed = vault.seal_text(
        answer.body, table=SEALED_TABLE, field=SEALED_FIELD, record_id=record_id(principal.key, key)
    )
    session.add(
        IdempotencyRecord(
            principal=principal.key,
            key=key,
            request_hash=digest,
            status_code=answer.status,
            response=sealed,
            created_at=at,
        )
    )


def answer_once(
    ctx: HubContext,
    session: UnitOfWork,
    principal: Principal,
    key: str | None,
    digest: str,
    work: Callable[[UnitOfWork], Any],
    status: int = 201,
) -> Answer:
    """Run a creating request in the caller's unit of work, answering the first answer for
    a repeated key and 409 for the key with another body. A concurrent request with the
    same key may win the race: the commit then fails (IntegrityError) and the entrypoint
    answers `winner` instead."""
    if key:
        prior = replay(session, ctx.vault, principal, key, digest)
        if prior is not None:
            return prior
    answer = Answer(status, jsonutil.dumps(work(session)))
    if key:
        remember(session, ctx.vault, principal, key, digest, answer, ctx.clock.now())
    return answer


def winner(ctx: HubContext, principal: Principal, key: str, digest: str) -> Answer:
    """What the concurrent request that won the race for `key` stored."""
    with ctx.db.read() as session:
        prior = replay(session, ctx.vault, principal, key, digest)
    if prior is None:
        raise Conflict("请求冲突，请重试 / concurrent conflict, retry")
    return prior
