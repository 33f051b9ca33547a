"""Plausible dates: every date and time the hub takes from outside lies in a bounded range.

A window application dated `0001-01-01` once gave deadlines in local mean time and made
working-time sums run for minutes (issue 12, item 1). So a date the hub is told is checked
against what can be true: an event of the hub's own work (a walk-in application taken, a
document signed for, a court's decision) lies between the platform's start
(`HUB_PLATFORM_START`, default 2020-01-01) and now (plus a small clock skew between the
sender's clock and ours); the day a dispute arose (`occurred_on`) may be older, back to
`HUB_EARLIEST_OCCURRENCE` (default 1990-01-01), never after today; the end of a period a
filter names may reach a year ahead (a year not over yet); an expiry lies after now and
within ten years.

Pure: the caller passes the current time and the bounds (`Settings.dates`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from typing import Any

from hub.domain.calendar import SHANGHAI


@dataclass(frozen=True)
class DateBounds:
    """The documented limits (README, Security): see the module's docstring."""

    platform_start: date = date(2020, 1, 1)
    earliest_occurrence: date = date(1990, 1, 1)
    clock_skew: timedelta = timedelta(minutes=5)
    #: how far ahead the end of a named period may lie
    period_ahead: timedelta = timedelta(days=366)
    #: how far ahead an expiry may lie
    expiry_ahead: timedelta = timedelta(days=3653)


class Kind(Enum):
    """What a date in a body stands for, hence its range."""

    PAST_INSTANT = "past_instant"  # a moment of the hub's work: platform start .. now
    PAST_DAY = "past_day"  # a day of the hub's work: platform start .. today
    OCCURRENCE_DAY = "occurrence_day"  # when a dispute arose: earliest occurrence .. today
    PERIOD_DAY = "period_day"  # a bound of a period asked about: platform start .. a year on
    EXPIRY = "expiry"  # after now, within ten years


#: The dates of each request body (schema name -> JSON pointer -> kind). A test checks that
#: every `date` and `date-time` of the schemas is listed here.
BODY_DATES: Mapping[str, Mapping[str, Kind]] = {
    "application": {"/received_at": Kind.PAST_INSTANT, "/occurred_on": Kind.OCCURRENCE_DAY},
    "document_receipt": {"/received_at": Kind.PAST_INSTANT},
    "referral_result": {"/decided_on": Kind.PAST_DAY},
    # history from another system: the same ranges as live (HUB_PLATFORM_START set earlier
    # for older history)
    "import_case": {
        "/received_at": Kind.PAST_INSTANT,
        "/occurred_on": Kind.OCCURRENCE_DAY,
        "/events/*/at": Kind.PAST_INSTANT,
        "/referrals/*/requested_at": Kind.PAST_INSTANT,
        "/referrals/*/decided_on": Kind.PAST_DAY,
    },
    "grant": {
        "/scope/from": Kind.PERIOD_DAY,
        "/scope/to": Kind.PERIOD_DAY,
        "/expiry": Kind.EXPIRY,
    },
}


def _instant(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None and moment.utcoffset() is not None else None


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def _shanghai_day(moment: datetime) -> date:
    return moment.astimezone(SHANGHAI).date()


def _range(kind: Kind, now: datetime, bounds: DateBounds) -> tuple[Any, Any]:
    start = datetime.combine(bounds.platform_start, datetime.min.time(), tzinfo=SHANGHAI)
    latest = now + bounds.clock_skew
    if kind is Kind.PAST_INSTANT:
        return start, latest
    if kind is Kind.PAST_DAY:
        return bounds.platform_start, _shanghai_day(latest)
    if kind is Kind.OCCURRENCE_DAY:
        return bounds.earliest_occurrence, _shanghai_day(latest)
    if kind is Kind.PERIOD_DAY:
        return bounds.platform_start, _shanghai_day(now + bounds.period_ahead)
    return now, now + bounds.expiry_ahead


def _shown(value: date | datetime) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


def problem(kind: Kind, value: Any, now: datetime, bounds: DateBounds) -> str | None:
    """Why `value` (the text of a date or time) is implausible for `kind`, or None.

    Text that is not a date at all is left to the schema (its `format`)."""
    if not isinstance(value, str):
        return None
    parsed: date | datetime | None = _day(value) if kind.name.endswith("DAY") else _instant(value)
    if parsed is None:
        return None
    first, last = _range(kind, now, bounds)
    if kind is Kind.EXPIRY:
        assert isinstance(parsed, datetime)
        if parsed <= now:
            return "须晚于当前时间 / must be in the future"
        if parsed > last:
            return f"不能晚于 {_shown(last)} / must not be after {_shown(last)}"
        return None
    if parsed < first:
        return f"不能早于 {_shown(first)} / must not be before {_shown(first)}"
    if parsed > last:
        if kind in (Kind.PAST_INSTANT, Kind.PAST_DAY, Kind.OCCURRENCE_DAY):
            return "不能晚于当前时间 / must not be in the future"
        return f"不能晚于 {_shown(last)} / must not be after {_shown(last)}"
    return None


def _found(node: Any, parts: list[str], here: str) -> Iterator[tuple[str, Any]]:
    """(pointer, value) of what `parts` names in `node`; `*` is every item of a list."""
    if not parts:
        yield here, node
        return
    head, rest = parts[0], parts[1:]
    if head == "*":
        if isinstance(node, list):
            for i, item in enumerate(node):
                yield from _found(item, rest, f"{here}/{i}")
    elif isinstance(node, dict) and head in node:
        yield from _found(node[head], rest, f"{here}/{head}")


def body_problems(
    schema: str, body: Any, now: datetime, bounds: DateBounds
) -> Iterator[tuple[str, str]]:
    """(pointer, message) for each implausible date of a request body of `schema`."""
    for path, kind in BODY_DATES.get(schema, {}).items():
        for pointer, value in _found(body, path.split("/")[1:], ""):
            message = problem(kind, value, now, bounds)
            if message:
                yield pointer, message


__all__ = ["BODY_DATES", "DateBounds", "Kind", "body_problems", "problem"]
