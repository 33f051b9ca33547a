"""工作日 deadlines: holidays, adjusted workdays, Shanghai dates, provisional years."""

from datetime import UTC, date, datetime, timedelta

import chinese_calendar
import pytest

from hub.domain.calendar import (
    SHANGHAI,
    Deadline,
    add_working_days,
    deadlines_for_dispatch,
    is_working_day,
    working_hours_between,
)


def sh(y: int, m: int, d: int, hh: int = 0, mm: int = 0, ss: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=SHANGHAI)


def eod(y: int, m: int, d: int) -> datetime:
    return sh(y, m, d, 23, 59, 59)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 2, 13), True),  # Friday before the Spring Festival
        (date(2026, 2, 14), True),  # Saturday, adjusted workday
        (date(2026, 2, 15), False),  # Spring Festival 2026-02-15 .. 02-23
        (date(2026, 2, 17), False),
        (date(2026, 2, 23), False),  # Monday, still off
        (date(2026, 2, 24), True),
        (date(2026, 2, 28), True),  # Saturday, adjusted workday
        (date(2026, 3, 1), False),  # ordinary Sunday
        (date(2026, 9, 20), True),  # Sunday, adjusted workday for National Day
        (date(2026, 9, 25), False),  # Mid-autumn Festival (Friday)
        (date(2026, 10, 1), False),  # National Day 2026-10-01 .. 10-07
        (date(2026, 10, 7), False),
        (date(2026, 10, 8), True),  # per the State Council notice and chinese_calendar
        (date(2026, 10, 10), True),  # Saturday, adjusted workday
        (date(2026, 10, 11), False),
    ],
)
def test_known_2026_days(day: date, working: bool) -> None:
    assert is_working_day(day) == (working, False)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2027, 1, 1), True),  # a Friday; New Year's Day is unknown to the calendar
        (date(2027, 1, 2), False),
        (date(2027, 1, 3), False),
        (date(2027, 1, 4), True),
        (date(2003, 12, 31), True),  # before the calendar's first year
        (date(2099, 6, 6), False),  # Saturday
    ],
)
def test_unknown_years_are_weekdays_and_provisional(day: date, working: bool) -> None:
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(day)  # the premise: the package does not know it
    assert is_working_day(day) == (working, True)


def test_deadline_across_spring_festival() -> None:
    # Friday 2026-02-13: Sat 02-14 is a workday (1), 02-15..23 off, 02-24 (2), 02-25 (3)
    arrived = sh(2026, 2, 13, 10, 0)
    assert add_working_days(arrived, 1) == (eod(2026, 2, 14), False)
    assert add_working_days(arrived, 2) == (eod(2026, 2, 24), False)
    assert add_working_days(arrived, 3) == (eod(2026, 2, 25), False)


def test_arrival_on_a_holiday() -> None:
    arrived = sh(2026, 2, 17, 9, 0)  # 初一 off
    assert add_working_days(arrived, 1) == (eod(2026, 2, 24), False)
    assert add_working_days(arrived, 3) == (eod(2026, 2, 26), False)


def test_arrival_on_an_adjusted_workday() -> None:
    # Saturday 2026-02-14 is a workday, but the day of arrival itself is never counted
    assert add_working_days(sh(2026, 2, 14, 8, 0), 1) == (eod(2026, 2, 24), False)


def test_adjusted_saturday_counts_at_end_of_february() -> None:
    # Thu 02-26 -> Fri 02-27 (1), Sat 02-28 (2, adjusted), Mon 03-02 (3)
    arrived = sh(2026, 2, 26, 15, 0)
    assert add_working_days(arrived, 2)[0] == eod(2026, 2, 28)
    assert add_working_days(arrived, 3)[0] == eod(2026, 3, 2)


def test_national_day_with_adjusted_workdays() -> None:
    # Fri 09-18: Sat 09-19 off, Sun 09-20 workday (1), 09-21 (2), 09-22 (3)
    assert add_working_days(sh(2026, 9, 18, 12), 1)[0] == eod(2026, 9, 20)
    assert add_working_days(sh(2026, 9, 18, 12), 3)[0] == eod(2026, 9, 22)
    # Thu 09-24: Mid-autumn 09-25..27 off -> 09-28 (1), 09-30 (3)
    assert add_working_days(sh(2026, 9, 24, 12), 1)[0] == eod(2026, 9, 28)
    assert add_working_days(sh(2026, 9, 24, 12), 3)[0] == eod(2026, 9, 30)
    # Wed 09-30: 10-01..07 off -> Thu 10-08 (1), Fri 10-09 (2), Sat 10-10 (3, adjusted)
    arrived = sh(2026, 9, 30, 17, 0)
    assert add_working_days(arrived, 1) == (eod(2026, 10, 8), False)
    assert add_working_days(arrived, 3) == (eod(2026, 10, 10), False)
    assert add_working_days(arrived, 4) == (eod(2026, 10, 12), False)


def test_arrival_friday_late_evening() -> None:
    # Friday 2026-03-06 23:30 Shanghai: Friday is the arrival day, so Monday is day 1
    assert add_working_days(sh(2026, 3, 6, 23, 30), 1) == (eod(2026, 3, 9), False)


def test_arrival_date_is_taken_in_shanghai() -> None:
    # Thu 2026-03-05 16:30 UTC is Fri 00:30 in Shanghai: day 1 is Monday, not Friday
    assert add_working_days(datetime(2026, 3, 5, 16, 30, tzinfo=UTC), 1)[0] == eod(2026, 3, 9)
    # Thu 2026-03-05 15:30 UTC is Thu 23:30 in Shanghai: day 1 is Friday
    assert add_working_days(datetime(2026, 3, 5, 15, 30, tzinfo=UTC), 1)[0] == eod(2026, 3, 6)


def test_deadline_is_end_of_day_plus_eight() -> None:
    due, _ = add_working_days(datetime(2026, 3, 5, 2, 0, tzinfo=UTC), 1)
    assert due.isoformat() == "2026-03-06T23:59:59+08:00"


def test_into_2027_is_provisional() -> None:
    arrived = sh(2026, 12, 30, 10)
    # Thu 12-31 is known (1); 2027-01-01 Fri counted as a weekday (2); Mon 01-04 (3)
    assert add_working_days(arrived, 1) == (eod(2026, 12, 31), False)
    assert add_working_days(arrived, 2) == (eod(2027, 1, 1), True)
    assert add_working_days(arrived, 3) == (eod(2027, 1, 4), True)


def test_weekend_skip_into_2027_is_provisional() -> None:
    # Thu 12-31 arrival; the only day counted, 2027-01-01, is a guess
    assert add_working_days(sh(2026, 12, 31, 9), 1) == (eod(2027, 1, 1), True)


def test_wholly_in_unknown_year() -> None:
    assert add_working_days(sh(2027, 3, 5, 9), 1) == (eod(2027, 3, 8), True)
    assert add_working_days(sh(2030, 10, 1, 9), 3) == (eod(2030, 10, 4), True)


def test_zero_and_negative_days() -> None:
    assert add_working_days(sh(2026, 3, 7, 9), 0) == (eod(2026, 3, 7), False)
    with pytest.raises(ValueError):
        add_working_days(sh(2026, 3, 7, 9), -1)


def test_naive_datetime_rejected() -> None:
    with pytest.raises(ValueError):
        add_working_days(datetime(2026, 3, 6, 12), 1)


def test_every_start_in_2026_counts_exactly_n_working_days() -> None:
    """Cross-check against chinese_calendar directly, for every day of 2026."""
    day = date(2026, 1, 1)
    while day <= date(2026, 12, 20):
        for n in (1, 3, 5):
            due, provisional = add_working_days(sh(day.year, day.month, day.day, 12), n)
            assert not provisional
            assert chinese_calendar.is_workday(due.date())
            counted = chinese_calendar.get_workdays(day + timedelta(days=1), due.date())
            assert len(counted) == n
        day += timedelta(days=1)


def test_deadlines_for_dispatch() -> None:
    got = deadlines_for_dispatch(sh(2026, 2, 13, 10, 0))
    assert got == [
        Deadline("acknowledge_by", eod(2026, 2, 14), False, 1),
        Deadline("respondent_contact_by", eod(2026, 2, 25), False, 3),
        Deadline("decide_by", eod(2026, 2, 25), False, 3),
    ]
    custom = deadlines_for_dispatch(sh(2026, 12, 29, 10, 0), decide_days=5)
    assert [(d.kind, d.due_at, d.provisional) for d in custom] == [
        ("acknowledge_by", eod(2026, 12, 30), False),
        ("respondent_contact_by", eod(2027, 1, 1), True),
        ("decide_by", eod(2027, 1, 5), True),
    ]


def test_deadline_is_frozen() -> None:
    d = Deadline("acknowledge_by", eod(2026, 3, 9), False)
    with pytest.raises(AttributeError):
        d.kind = "x"  # type: ignore[misc]


# --- working_hours_between -------------------------------------------------------------


def test_hours_within_one_working_day() -> None:
    assert working_hours_between(sh(2026, 3, 9, 9), sh(2026, 3, 9, 17, 30)) == 8.5


def test_hours_over_a_weekend() -> None:
    # Fri 12:00 -> Mon 12:00: 12 h of Friday + 12 h of Monday
    assert working_hours_between(sh(2026, 3, 6, 12), sh(2026, 3, 9, 12)) == 24.0


def test_hours_across_spring_festival() -> None:
    # Fri 02-13 00:00 -> Tue 02-24 06:00: Fri 24 + Sat(adjusted) 24 + Tue 6
    assert working_hours_between(sh(2026, 2, 13), sh(2026, 2, 24, 6)) == 54.0


def test_hours_on_holidays_only_are_zero() -> None:
    assert working_hours_between(sh(2026, 10, 1, 8), sh(2026, 10, 7, 20)) == 0.0


def test_hours_use_shanghai_days_for_utc_input() -> None:
    # Fri 2026-03-06 20:00 Shanghai (12:00Z) -> Sat 10:00 Shanghai (02:00Z): 4 h of Friday
    start = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)
    end = datetime(2026, 3, 7, 2, 0, tzinfo=UTC)
    assert working_hours_between(start, end) == 4.0


def test_hours_provisional_year_counts_weekdays() -> None:
    # Thu 2026-12-31 12:00 -> Mon 2027-01-04 12:00: 12 + 24 (Fri, guessed) + 12
    assert working_hours_between(sh(2026, 12, 31, 12), sh(2027, 1, 4, 12)) == 48.0


def test_hours_empty_and_reversed() -> None:
    t = sh(2026, 3, 9, 9)
    assert working_hours_between(t, t) == 0.0
    assert working_hours_between(sh(2026, 3, 9, 17), t) == -8.0
