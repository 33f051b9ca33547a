"""audit: chains keyed with their own HMAC key; signed checkpoints

The audit chains were plain SHA-256: anyone able to write the table could rewrite a chain
and recompute it, and deleting the last entries of a chain left no trace. Each entry's hash
is now an HMAC-SHA256 with the audit key (HUB_AUDIT_KEY or the key file's `audit_key`), and
`audit_checkpoint` holds the signed checkpoints (hub.services.audit_trail).

The upgrade first checks the existing SHA-256 chains (it refuses to re-key a trail that is
already broken: run `hub audit verify` on the previous release and investigate), then
recomputes every chain with the key, in id order. The downgrade recomputes them with
SHA-256 and drops the checkpoints.

Revision ID: 0088
Revises: 0087
Create Date: 2026-12-02 12:00:00
"""
from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
import sqlmodel
from alembic import op

import hub.store.types

revision = "0088"
down_revision = "0087"
branch_labels = None
depends_on = None

GENESIS = "0" * 64
_COLUMNS = (
    "id, chain, at, actor_role, actor_party, action, application_no, detail, prev_hash, hash, "
    "actor_login"
)


# The audit body as hub.store.audit wrote it when this revision was made: a frozen copy of
# hub.jsonutil's encoder and time format, so that later changes there do not change it.
_CST = timezone(timedelta(hours=8))


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return _moment_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_default)


def _moment_text(moment: datetime) -> str:
    try:
        return moment.astimezone(_CST).isoformat(timespec="seconds")
    except OverflowError:  # within 8 h of datetime.max: said in UTC
        return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _rfc3339(value: Any) -> str:
    """As the audit trail writes `at`: China Standard Time, to the second."""
    moment = hub.store.types.as_utc(value)
    assert moment is not None
    return _moment_text(moment)


def _body(row: Any, prev: str) -> bytes:
    detail = row.detail
    if isinstance(detail, str):
        detail = json.loads(detail)
    fields = [
        row.chain,
        _rfc3339(row.at),
        row.actor_role,
        row.actor_party,
        row.action,
        row.application_no,
        detail,
        prev,
    ]
    if row.actor_login is not None:  # as hub.store.audit hashes it since 0100
        fields.append(row.actor_login)
    return _ENCODER.encode(fields).encode()


def _sha256(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def _keyed() -> Callable[[bytes], str]:
    from privacy.config import load_audit_key_from_env

    key = load_audit_key_from_env()
    return lambda body: hmac.new(key, body, hashlib.sha256).hexdigest()


def _rehash(check: Callable[[bytes], str], make: Callable[[bytes], str]) -> None:
    """Check every chain with `check`, then write it again with `make`."""
    conn = op.get_bind()
    rows = conn.execute(sa.text(f"SELECT {_COLUMNS} FROM audit_entry ORDER BY id")).all()
    heads: dict[str, str] = {}
    for row in rows:
        expected = heads.get(row.chain, GENESIS)
        if row.prev_hash != expected or check(_body(row, row.prev_hash)) != row.hash:
            raise RuntimeError(
                f"audit entry {row.id} of chain {row.chain} does not verify: the trail was "
                "changed before this upgrade; investigate (`hub audit verify`) before re-keying"
            )
        heads[row.chain] = row.hash
    heads = {}
    update = sa.text("UPDATE audit_entry SET prev_hash = :p, hash = :h WHERE id = :id")
    for row in rows:
        prev = heads.get(row.chain, GENESIS)
        new = make(_body(row, prev))
        conn.execute(update, {"p": prev, "h": new, "id": row.id})
        heads[row.chain] = new


def upgrade() -> None:
    op.create_table(
        "audit_checkpoint",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", hub.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("from_id", sa.Integer(), nullable=False),
        sa.Column("upto_id", sa.Integer(), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("digest", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("prev", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("key_id", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("signature", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    if op.get_bind().execute(sa.text("SELECT count(*) FROM audit_entry")).scalar():
        _rehash(_sha256, _keyed())


def downgrade() -> None:
    op.drop_table("audit_checkpoint")
    if op.get_bind().execute(sa.text("SELECT count(*) FROM audit_entry")).scalar():
        _rehash(_keyed(), _sha256)
