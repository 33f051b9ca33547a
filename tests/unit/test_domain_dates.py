"""Plausible dates (hub.domain.dates), answers in RFC 3339, bounded working-time sums."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import schemas
from hub import jsonutil
from hub.domain import calendar
from hub.domain.calendar_schedule import YearSchedule
from hub.domain.dates import BODY_DATES, DateBounds, Kind, problem

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
BOUNDS = DateBounds()


def _dates_in(node: Any, pointer: str = "") -> Iterator[str]:
    """Pointers of every `date` / `date-time` member of a self-contained schema."""
    if isinstance(node, dict):
        if node.get("format") in ("date", "date-time"):
            yield pointer
        for name, sub in (node.get("properties") or {}).items():
            yield from _dates_in(sub, f"{pointer}/{name}")
        for key in ("allOf", "anyOf", "oneOf"):
            for sub in node.get(key) or []:
                yield from _dates_in(sub, pointer)
        if isinstance(node.get("items"), dict):
            yield from _dates_in(node["items"], f"{pointer}/*")


def test_every_date_of_every_request_schema_has_a_range() -> None:
    for name in schemas.SCHEMA_NAMES:
        for pointer in set(_dates_in(schemas.schema_document(name))):
            if name in ("party", "attachment"):
                continue  # parts of the bodies below
            assert pointer in BODY_DATES.get(name, {}), f"{name} {pointer} has no range"


def test_ranges() -> None:
    assert problem(Kind.PAST_INSTANT, "2020-01-01T00:00:00+08:00", NOW, BOUNDS) is None
    assert problem(Kind.PAST_INSTANT, "2019-12-31T15:59:59Z", NOW, BOUNDS)
    assert problem(Kind.PAST_INSTANT, "2026-11-23T02:04:59Z", NOW, BOUNDS) is None  # skew
    assert problem(Kind.PAST_INSTANT, "2026-11-23T02:05:01Z", NOW, BOUNDS)
    assert problem(Kind.PAST_DAY, "2026-11-23", NOW, BOUNDS) is None
    assert problem(Kind.PAST_DAY, "2026-11-24", NOW, BOUNDS)
    assert problem(Kind.OCCURRENCE_DAY, "1990-01-01", NOW, BOUNDS) is None
    assert problem(Kind.OCCURRENCE_DAY, "0001-01-01", NOW, BOUNDS)
    assert problem(Kind.PERIOD_DAY, "2027-11-23", NOW, BOUNDS) is None
    assert problem(Kind.PERIOD_DAY, "2027-11-25", NOW, BOUNDS)
    assert problem(Kind.EXPIRY, "2026-11-23T02:00:00Z", NOW, BOUNDS)
    assert problem(Kind.EXPIRY, "2036-11-01T00:00:00Z", NOW, BOUNDS) is None
    assert problem(Kind.EXPIRY, "9999-12-31T00:00:00Z", NOW, BOUNDS)
    assert problem(Kind.PAST_DAY, "not a date", NOW, BOUNDS) is None  # the schema's part


def test_answers_carry_a_whole_minute_plus_eight_offset() -> None:
    # tzdata gives Asia/Shanghai local mean time before 1901 and summer time in 1986-1991
    for moment in (
        datetime(1, 1, 4, 23, 59, 59, tzinfo=calendar.SHANGHAI),
        datetime(1988, 7, 1, 12, 0, tzinfo=calendar.SHANGHAI),
        datetime(2026, 11, 23, 2, 0, tzinfo=UTC),
    ):
        text = jsonutil.rfc3339(moment)
        assert text.endswith("+08:00"), text
        assert datetime.fromisoformat(text) == moment
    assert jsonutil.rfc3339(datetime.max.replace(tzinfo=UTC)) == "9999-12-31T23:59:59Z"


class _Counting(calendar.WorkingCalendar):
    def __init__(self) -> None:
        super().__init__()
        self.looks = 0

    def schedule(self, year: int) -> YearSchedule | None:
        self.looks += 1
        return super().schedule(year)


def test_working_time_costs_a_bounded_number_of_steps_whatever_the_span() -> None:
    cal = _Counting()
    start, end = datetime(1, 1, 2, tzinfo=UTC), datetime(9999, 12, 30, tzinfo=UTC)
    hours = cal.working_hours_between(start, end)
    assert cal.looks <= 110  # one per year a schedule may exist for (2000-2100), not 10,000
    # the years outside 2000-2100 are weekdays: compare with a count by weeks
    days = (date(1999, 12, 27) - date(1, 1, 8)).days  # Monday to Monday
    assert days % 7 == 0
    outside, _ = cal.count(date(1, 1, 8), date(1999, 12, 27))
    assert outside == days // 7 * 5
    assert hours > outside * 24
    # adding working days walks at most the cap's days
    cal.looks = 0
    due, provisional = cal.add_working_days(datetime(2090, 1, 1, tzinfo=UTC), 3660)
    assert provisional and due.date() < date(2110, 1, 1)
    assert cal.looks < 3660 * 7 // 5 + 30
    assert (due - datetime(2090, 1, 1, tzinfo=UTC)) > timedelta(days=3660)
