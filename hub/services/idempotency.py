"""Idempotency-Key (INTERFACE 1): a repeat returns the first answer; another body is 409."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

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
