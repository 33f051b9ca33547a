"""Numbers the operations side hands out: `PP-YYYYMMDD-NNNNNN-C` (complaints `TS`, work
orders `GD`): a prefix, the Asia/Shanghai date, the day's gap-free sequence (one
`ops_counter` row per name and day, taken inside the creating transaction), and an ISO 7064
MOD 11-2 check character over the 14 digits, as on application numbers."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import text
from sqlmodel import Session

from hub.domain.numbering import check_character

_NEXT = text("UPDATE ops_counter SET last = last + 1 WHERE name = :n AND day = :d RETURNING last")
_SEED = text(
    "INSERT INTO ops_counter (name, day, last) VALUES (:n, :d, 0) "
    "ON CONFLICT (name, day) DO NOTHING"
)
# ASCII digits only: `\d` would take full-width ones too.
_SHAPE = re.compile(r"^([A-Z]{2})-?([0-9]{8})-?([0-9]{6})-?([0-9X])$")


def next_number(session: Session, *, counter: str, prefix: str, day: date) -> str:
    params = {"n": counter, "d": day}
    value = session.execute(_NEXT, params).scalar()
    if value is None:
        session.execute(_SEED, params)
        value = session.execute(_NEXT, params).scalar_one()
    digits = f"{day:%Y%m%d}{int(value):06d}"
    return f"{prefix}-{digits[:8]}-{digits[8:]}-{check_character(digits)}"


def canonical_number(raw: str, prefix: str) -> str | None:
    """The number in canonical form, or None if it is not one of `prefix`'s (shape or check)."""
    m = _SHAPE.match(raw.strip().upper())
    if m is None or m.group(1) != prefix:
        return None
    if check_character(m.group(2) + m.group(3)) != m.group(4):
        return None
    return f"{prefix}-{m.group(2)}-{m.group(3)}-{m.group(4)}"
