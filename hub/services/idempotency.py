"""Idempotency-Key (INTERFACE 1): a repeat returns the first answer; another body is 409."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from hub import jsonutil
from hub.services.context import HubContext
from hub.services.errors import Conflict
from hub.services.principal import Principal
from hub.store.models import IdempotencyRecord


@dataclass(frozen=True)
class Answer:
    status: int
    body: str


def request_hash(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + body).hexdigest()


def replay(session: Session, principal: Principal, key: str, digest: str) -> Answer | None:
    record = session.get(IdempotencyRecord, (principal.key, key))
    if record is None:
        return None
    if record.request_hash != digest:
        raise Conflict(
            "同一幂等键对应了不同的请求内容 / Idempotency-Key reused with a different request"
        )
    return Answer(record.status_code, record.response)


def remember(
    session: Session, principal: Principal, key: str, digest: str, answer: Answer, at: datetime
) -> None:
    session.add(
        IdempotencyRecord(
            principal=principal.key,
            key=key,
            request_hash=digest,
            status_code=answer.status,
            response=answer.body,
            created_at=at,
        )
    )


def run_idempotent(
    ctx: HubContext,
    principal: Principal,
    key: str | None,
    digest: str,
    work: Callable[[Session], Any],
    status: int = 201,
) -> Answer:
    """Run a creating request in one transaction (again after a PostgreSQL deadlock),
    answering the first answer for a repeated key and 409 for the key with another body."""

    def attempt(session: Session) -> Answer:
        if key:
            prior = replay(session, principal, key, digest)
            if prior is not None:
                return prior
        answer = Answer(status, jsonutil.dumps(work(session)))
        if key:
            remember(session, principal, key, digest, answer, ctx.clock.now())
        return answer

    try:
        return ctx.db.run(attempt)
    except IntegrityError:
        if not key:
            raise
    # A concurrent request with the same key won the race: answer what it stored.
    with ctx.db.read() as session:
        prior = replay(session, principal, key, digest)
    if prior is None:
        raise Conflict("请求冲突，请重试 / concurrent conflict, retry")
    return prior
