"""JSON that keeps Chinese text as-is and writes dates, times and decimals in RFC 3339 / strings."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return rfc3339(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_default)


def loads(text: str | bytes) -> Any:
    return json.loads(text)


def rfc3339(moment: datetime) -> str:
    """Times are answered in the hub's business zone, Asia/Shanghai (+08:00)."""
    return moment.astimezone(SHANGHAI).isoformat(timespec="seconds")
