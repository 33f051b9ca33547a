"""JSON that keeps Chinese text as-is and writes dates, times and decimals in RFC 3339 / strings."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from functools import lru_cache
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


#: One encoder for every call: `json.dumps` with options builds a new one each time, which
#: cost more than encoding the small values sealed and hashed per case.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_default)


def dumps(value: Any) -> str:
    return _ENCODER.encode(value)


def loads(text: str | bytes) -> Any:
    return json.loads(text)


#: China Standard Time. Asia/Shanghai has been +08:00 since 1991, but before 1901 tzdata
#: gives it local mean time (+08:05:43, not RFC 3339) and 1986-1991 summer time: answers
#: always carry the fixed whole-minute +08:00.
CST = timezone(timedelta(hours=8))


def rfc3339(moment: datetime) -> str:
    """Times are answered in the hub's business zone as RFC 3339 with +08:00."""
    return _rfc3339(moment)


@lru_cache(maxsize=1024)
def _rfc3339(moment: datetime) -> str:
    # Remembered: a case's step writes the same few moments (now, its deadlines) into its
    # events, envelopes, audit entry and answer, about fifteen times. Equal datetimes are
    # the same instant (or the same naive reading), so they always give the same text.
    try:
        return moment.astimezone(CST).isoformat(timespec="seconds")
    except OverflowError:  # within 8 h of datetime.max: say it in UTC
        return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
