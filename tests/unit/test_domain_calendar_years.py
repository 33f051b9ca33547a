"""Years the package does not know: schedule files, their checks, and counting per year."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import chinese_calendar
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.domain.calendar import SHANGHAI, WorkingCalendar
from hub.domain.calendar_schedule import (
    ScheduleError,
    installed_schedule,
    parse_schedule,
)

CALENDAR_FILES = sorted((Path(__file__).parents[2] / "deploy" / "calendar").glob("*.yaml"))

#: A made-up schedule for a year the package does not know (not the State Council's).
TEST_2027 = {
    "year": 2027,
    "holidays": [["2027-01-01", "2027-01-03"], ["2027-02-06", "2027-02-12"], "2027-04-05"],
    "workdays": ["2027-02-20"],
}


def sh(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


def eod(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 23, 59, 59, tzinfo=SHANGHAI)


def test_every_shipped_file_agrees_with_the_installed_calendar() -> None:
    """Fails when chinese-calendar and a file here disagree about a year both know."""
    assert CALENDAR_FILES, "deploy/calendar holds the documented example"
    for path in CALENDAR_FILES:
        schedule = parse_schedule(yaml.safe_load(path.read_text("utf-8")))
        installed = installed_schedule(schedule.year)
        if installed is None:
            continue
        assert installed.differences(schedule) == [], path.name
        day = date(schedule.year, 1, 1)
        while day.year == schedule.year:  # and both agree with the package day by day
            assert schedule.is_working(day) == chinese_calendar.is_workday(day), day
            day += timedelta(days=1)


def test_a_disagreeing_file_is_seen() -> None:
    doc = yaml.safe_load(CALENDAR_FILES[0].read_text("utf-8"))
    doc["workdays"] = doc["workdays"][1:]  # one adjusted workday forgotten
    schedule = parse_schedule(doc)
    installed = installed_schedule(schedule.year)
    assert installed is not None
    assert installed.differences(schedule) == [date(2026, 1, 4)]


def test_installed_2026_has_248_working_days() -> None:
    schedule = installed_schedule(2026)
    assert schedule is not None and schedule.working_days == 248
    assert installed_schedule(2027) is None  # the premise of loading files


def test_a_loaded_year_is_no_longer_provisional() -> None:
    guessed = WorkingCalendar()
    known = guessed.with_schedule(parse_schedule(TEST_2027))
    assert guessed.is_working_day(date(2027, 1, 1)) == (True, True)
    assert known.is_working_day(date(2027, 1, 1)) == (False, False)
    assert known.is_working_day(date(2027, 2, 20)) == (True, False)  # adjusted Saturday
    # Thu 2026-12-31 10:00 + 1: 2027-01-01..03 off, so Monday 01-04
    assert guessed.add_working_days(sh(2026, 12, 31, 10), 1) == (eod(2027, 1, 1), True)
    assert known.add_working_days(sh(2026, 12, 31, 10), 1) == (eod(2027, 1, 4), False)
    assert known.source(2027) == "file" and known.source(2026) == "chinese-calendar"
    assert known.source(2028) == "weekdays"
    assert guessed.source(2027) == "weekdays"  # the original is left as it was


def test_installed_package_wins_over_a_file() -> None:
    doc = yaml.safe_load(CALENDAR_FILES[0].read_text("utf-8"))
    doc["holidays"] = []
    cal = WorkingCalendar().with_schedule(parse_schedule(doc))
    assert cal.is_working_day(date(2026, 10, 1)) == (False, False)


def _brute_count(cal: WorkingCalendar, first: date, end: date) -> tuple[int, bool]:
    total, guessed_any, day = 0, False, first
    while day < end:
        working, guessed = cal.is_working_day(day)
        total += working
        guessed_any = guessed_any or guessed
        day += timedelta(days=1)
    return total, guessed_any


_CAL = WorkingCalendar().with_schedule(parse_schedule(TEST_2027))
_DAYS = st.dates(min_value=date(2001, 1, 1), max_value=date(2031, 12, 31))


@settings(max_examples=300, deadline=None)
@given(_DAYS, st.integers(min_value=0, max_value=1200))
def test_counting_per_year_equals_counting_day_by_day(first: date, length: int) -> None:
    end = first + timedelta(days=length)
    assert _CAL.count(first, end) == _brute_count(_CAL, first, end)


@settings(max_examples=300, deadline=None)
@given(
    st.datetimes(min_value=datetime(2002, 1, 1), max_value=datetime(2030, 1, 1)),
    st.integers(min_value=0, max_value=900 * 24 * 60),
)
def test_working_hours_equal_the_day_by_day_sum(start_naive: datetime, minutes: int) -> None:
    start = start_naive.replace(tzinfo=SHANGHAI)
    end = start + timedelta(minutes=minutes)
    seconds, day = 0.0, start.date()
    while day <= end.date():
        if _CAL.is_working_day(day)[0]:
            lo = max(start, datetime.combine(day, datetime.min.time(), tzinfo=SHANGHAI))
            hi = min(end, datetime.combine(day + timedelta(days=1), datetime.min.time(), SHANGHAI))
            seconds += max(0.0, (hi - lo).total_seconds())
        day += timedelta(days=1)
    assert _CAL.working_hours_between(start, end) == pytest.approx(seconds / 3600.0)
    assert _CAL.working_hours_between(end, start) == pytest.approx(-seconds / 3600.0)


def test_far_apart_moments_are_counted_per_year() -> None:
    """A thousand years apart: one step per year, and the weekday count in closed form."""
    start, end = date(1001, 1, 1), date(2001, 1, 1)
    got, provisional = WorkingCalendar().count(start, end)
    assert provisional
    assert got == sum(
        1 for n in range((end - start).days) if (start + timedelta(days=n)).weekday() < 5
    )


def test_working_days_between_inverts_add_working_days() -> None:
    start = sh(2026, 12, 29, 15)
    for n in range(0, 30):
        due, _ = _CAL.add_working_days(start, n)
        assert _CAL.working_days_between(start, due) == n


def test_days_are_bounded() -> None:
    with pytest.raises(ValueError):
        WorkingCalendar().add_working_days(sh(2026, 3, 9), 100_000)


@pytest.mark.parametrize(
    ("change", "pointer"),
    [
        ({"year": 1999}, "/year"),
        ({"year": "2027"}, "/year"),
        ({"holidays": [["2027-02-30", "2027-03-01"]]}, "/holidays/0/0"),
        ({"holidays": [["2027-03-05", "2027-03-01"]]}, "/holidays/0"),
        ({"holidays": [["2027-01-01", "2027-01-03"], ["2027-01-03", "2027-01-04"]]}, "/holidays/1"),
        ({"holidays": [["2026-12-31", "2027-01-02"]]}, "/holidays/0/0"),
        ({"holidays": [["2027-01-01"]]}, "/holidays/0"),
        ({"holidays": "2027-01-01"}, "/holidays"),
        ({"workdays": ["2027-02-22"]}, "/workdays/0"),  # a Monday
        ({"workdays": ["2027-02-07"]}, "/workdays/0"),  # a Sunday inside the holiday
        ({"workdays": ["2027-02-20", "2027-02-20"]}, "/workdays/1"),
        ({"workdays": [20270220]}, "/workdays/0"),
        ({"extra": 1}, "/extra"),
    ],
)
def test_a_bad_schedule_names_its_field(change: dict, pointer: str) -> None:
    with pytest.raises(ScheduleError) as caught:
        parse_schedule({**TEST_2027, **change})
    assert pointer in [p for p, _ in caught.value.errors]
    assert all("/" in m for _, m in caught.value.errors)  # Chinese / English


def test_not_an_object() -> None:
    with pytest.raises(ScheduleError):
        parse_schedule(["2027"])


def test_document_round_trip() -> None:
    schedule = parse_schedule(TEST_2027)
    again = parse_schedule(schedule.as_document())
    assert again.same_days(schedule) and again.holidays == schedule.holidays


def test_working_hours_skip_days_off() -> None:
    cal = WorkingCalendar()
    # Friday 2026-03-06 23:00 + 2 h: 1 h of Friday, then Monday 01:00
    assert cal.add_working_hours(sh(2026, 3, 6, 23), 2) == (sh(2026, 3, 9, 1), False)
    # within a working day
    assert cal.add_working_hours(sh(2026, 3, 9, 9), 2) == (sh(2026, 3, 9, 11), False)
    # starting on a holiday: the clock starts with the next working day
    assert cal.add_working_hours(sh(2026, 10, 3, 15), 2) == (sh(2026, 10, 8, 2), False)
    # the adjusted Saturday 2026-10-10 counts
    assert cal.add_working_hours(sh(2026, 10, 9, 23), 3) == (sh(2026, 10, 10, 2), False)
    assert cal.add_working_hours(sh(2026, 12, 31, 23), 2)[1] is True


@settings(max_examples=200, deadline=None)
@given(
    st.datetimes(min_value=datetime(2003, 6, 1), max_value=datetime(2030, 1, 1)),
    st.integers(min_value=0, max_value=80 * 60),
)
def test_adding_working_hours_inverts_counting_them(start_naive: datetime, minutes: int) -> None:
    start = start_naive.replace(tzinfo=SHANGHAI)
    end, _ = _CAL.add_working_hours(start, minutes / 60)
    assert _CAL.working_hours_between(start, end) == pytest.approx(minutes / 60)
