"""idempotency_record: answers sealed, purged by age

`idempotency_record.response` kept the whole first answer in clear, a 201's query code
and complaint codes among it. Answers are now sealed like every personal value (bound to
"<principal>|<key>", see hub.services.idempotency); this migration seals the rows written
in clear by earlier builds with the configured data key (HUB_KEYS / HUB_KEYS_FILE), and
indexes `created_at` for the retention purge. The downgrade opens them again.

Revision ID: 0085
Revises: 0060
Create Date: 2026-12-02 09:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0085"
down_revision = "0060"
branch_labels = None
depends_on = None

_TABLE, _FIELD = "idempotency_record", "response"


def _rows(sealed: bool) -> list[tuple[str, str, str]]:
    test = "LIKE 'v1.%'" if sealed else "NOT LIKE 'v1.%'"
    result = op.get_bind().execute(
        sa.text(f"SELECT principal, key, response FROM idempotency_record WHERE response {test}")
    )
    return [(r[0], r[1], r[2]) for r in result]


def _cipher():  # type: ignore[no-untyped-def]
    from privacy.config import load_field_cipher_from_env

    return load_field_cipher_from_env()


def _rewrite(rows: list[tuple[str, str, str]], convert) -> None:  # type: ignore[no-untyped-def]
    update = sa.text(
        "UPDATE idempotency_record SET response = :r WHERE principal = :p AND key = :k"
    )
    for principal, key, response in rows:
        op.get_bind().execute(
            update, {"r": convert(response, f"{principal}|{key}"), "p": principal, "k": key}
        )


def upgrade() -> None:
    op.create_index(
        "ix_idempotency_record_created_at", "idempotency_record", ["created_at"], unique=False
    )
    clear = _rows(sealed=False)
    if clear:
        cipher = _cipher()
        _rewrite(
            clear,
            lambda text, rid: cipher.encrypt_text(text, table=_TABLE, field=_FIELD, record_id=rid),
        )


def downgrade() -> None:
    sealed = _rows(sealed=True)
    if sealed:
        cipher = _cipher()
        _rewrite(
            sealed,
            lambda token, rid: cipher.decrypt_text(
                token, table=_TABLE, field=_FIELD, record_id=rid
            ),
        )
    op.drop_index("ix_idempotency_record_created_at", table_name="idempotency_record")
