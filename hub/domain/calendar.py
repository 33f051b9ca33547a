"""Working days (工作日) on the Chinese holiday calendar, in Asia/Shanghai time.

`chinese_calendar` knows the official holidays and adjusted weekend workdays (调休) of the
years it ships data for; for any other year a day counts as working if it is Monday to
Friday, and the answer is flagged *provisional*. Nothing here raises for unknown years.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import chinese_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")

_END_OF_DAY = time(23, 59, 59)


@dataclass(frozen=True)
class Deadline:
    """A named deadline (e.g. ``acknowledge_by``) and whether the calendar was guessed."""

    kind: str
    due_at: datetime
    provisional: bool


@lru_cache(maxsize=4096)
def is_working_day(day: date) -> tuple[bool, bool]:
    """Answer ``(working, provisional)`` for a calendar date."""
    try:
        return bool(chinese_calendar.is_workday(day)), False
    except NotImplementedError:
        return day.weekday() < 5, True


def _shanghai_date(moment: datetime) -> date:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("an aware datetime is required")
    return moment.astimezone(SHANGHAI).date()


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=SHANGHAI)


def add_working_days(start: datetime, days: int) -> tuple[datetime, bool]:
    """23:59:59 Asia/Shanghai of the `days`-th working day after `start`'s Shanghai date.

    The start day itself is never counted (as for periods under the Civil Procedure Law).
    The flag is true if any day looked at lay outside the calendar's known years.
    ``days == 0`` answers the end of the start day.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    day = _shanghai_date(start)
    provisional = False
    remaining = days
    while remaining:
        day += timedelta(days=1)
        working, guessed = is_working_day(day)
        provisional = provisional or guessed
        if working:
            remaining -= 1
    return datetime.combine(day, _END_OF_DAY, tzinfo=SHANGHAI), provisional


def deadlines_for_dispatch(dispatched_at: datetime, decide_days: int = 3) -> list[Deadline]:
    """The deadlines a case gets when it reaches an institution (INTERFACE 6)."""
    result = []
    for kind, days in (
        ("acknowledge_by", 1),
        ("respondent_contact_by", 3),
        ("decide_by", decide_days),
    ):
        due_at, provisional = add_working_days(dispatched_at, days)
        result.append(Deadline(kind=kind, due_at=due_at, provisional=provisional))
    return result


def working_hours_between(start: datetime, end: datetime) -> float:
    """Hours of working days (24 h each) elapsed from `start` to `end`.

    Partial days count in proportion, on Shanghai days; negative if `end` is before `start`.
    """
    if end < start:
        return -working_hours_between(end, start)
    first, last = _shanghai_date(start), _shanghai_date(end)
    seconds = 0.0
    day = first
    while day <= last:
        if is_working_day(day)[0]:
            lo = max(start, _day_start(day))
            hi = min(end, _day_start(day + timedelta(days=1)))
            seconds += max(0.0, (hi - lo).total_seconds())
        day += timedelta(days=1)
    return seconds / 3600.0


__all__ = [
    "SHANGHAI",
    "Deadline",
    "add_working_days",
    "deadlines_for_dispatch",
    "is_working_day",
    "working_hours_between",
]
