"""Working days (工作日) on the Chinese holiday calendar, in Asia/Shanghai time.

A year's holidays and adjusted weekend workdays (调休) come from the installed
`chinese-calendar` package, or from a schedule file an operator loaded for a year the
package does not know yet (`hub calendar load`, INTERFACE 16). For any other year a day
counts as working if it is Monday to Friday, and the answer is flagged *provisional*.
Nothing here raises for unknown years.

Counting is per year, not per day: a year's schedule keeps how many working days precede
each of its days, and a year nobody knows counts its weekdays in closed form, so the working
time between two moments costs one step per calendar year they span within the years a
schedule can exist for (2000-2100), and one step for all the years outside, however far
apart. Adding working days or hours walks day by day, capped at `MAX_WORKING_DAYS`.

`WorkingCalendar` is immutable; the process's current one is swapped whole by `install()`
when a schedule is loaded, so a reader never sees half a year.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hub.domain.calendar_schedule import FIRST_YEAR, LAST_YEAR, YearSchedule, installed_schedule

SHANGHAI = ZoneInfo("Asia/Shanghai")

_END_OF_DAY = time(23, 59, 59)

#: Schedules exist (installed or loaded) only for these years; the years outside are counted
#: as weekdays in closed form, so `count` takes at most one step per knowable year (about
#: 100) whatever the span.
_KNOWABLE_START, _KNOWABLE_END = date(FIRST_YEAR, 1, 1), date(LAST_YEAR + 1, 1, 1)

#: The most working days one deadline may count: a bound, not a business rule.
MAX_WORKING_DAYS = 3660

#: The court's or commission's clock to answer a referral.
REFERRAL_DEADLINE = "referral_answer_by"

#: What each deadline waits for, as the phrase notices use (Chinese, English).
DEADLINE_ACTIONS: dict[str, tuple[str, str]] = {
    "acknowledge_by": ("签收", "acknowledge the case"),
    "respondent_contact_by": ("联系被申请人", "contact the respondent"),
    "decide_by": ("作出受理决定", "decide to accept or reject"),
    REFERRAL_DEADLINE: ("答复转介", "answer the referral"),
}


@dataclass(frozen=True)
class Deadline:
    """A named deadline (e.g. ``acknowledge_by``) and whether the calendar was guessed.

    `working_days` is how many working days it counts from the arrival; kept with the
    deadline so that it can be counted again when a provisional year becomes known.
    """

    kind: str
    due_at: datetime
    provisional: bool
    working_days: int = 0


def _shanghai_date(moment: datetime) -> date:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("an aware datetime is required")
    return moment.astimezone(SHANGHAI).date()


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=SHANGHAI)


def _weekdays(first: date, end: date) -> int:
    """Mondays to Fridays in [first, end), in closed form."""
    n = (end - first).days
    if n <= 0:
        return 0
    weeks, rest = divmod(n, 7)
    start = first.weekday()
    return weeks * 5 + sum(1 for i in range(rest) if (start + i) % 7 < 5)


class WorkingCalendar:
    """The working days of every year: installed package, loaded files, else weekdays."""

    def __init__(self, loaded: Mapping[int, YearSchedule] | None = None) -> None:
        self._loaded = dict(loaded or {})

    def with_schedule(self, schedule: YearSchedule) -> WorkingCalendar:
        """A calendar that also knows `schedule`'s year (this one is left unchanged)."""
        return WorkingCalendar({**self._loaded, schedule.year: schedule})

    @property
    def loaded(self) -> Mapping[int, YearSchedule]:
        return dict(self._loaded)

    def schedule(self, year: int) -> YearSchedule | None:
        """The year's schedule: the installed package's first, then a loaded file's."""
        return installed_schedule(year) or self._loaded.get(year)

    def source(self, year: int) -> str:
        known = self.schedule(year)
        return known.source if known else "weekdays"

    def is_working_day(self, day: date) -> tuple[bool, bool]:
        """Answer ``(working, provisional)`` for a calendar date."""
        known = self.schedule(day.year)
        if known is None:
            return day.weekday() < 5, True
        return known.is_working(day), False

    def count(self, first: date, end: date) -> tuple[int, bool]:
        """Working days in [first, end), and whether any year in it was guessed."""
        total, provisional = 0, False
        day = first
        while day < end:
            if not _KNOWABLE_START <= day < _KNOWABLE_END:  # no schedule: weekdays, one step
                stop = min(end, _KNOWABLE_START) if day < _KNOWABLE_START else end
                total += _weekdays(day, stop)
                provisional = True
                day = stop
                continue
            year_end = date(day.year + 1, 1, 1) if day.year < 9999 else date.max
            stop = min(end, year_end)
            known = self.schedule(day.year)
            if known is None:
                total += _weekdays(day, stop)
                provisional = True
            else:
                upto = known.working_days if stop == year_end else known.working_days_before(stop)
                total += upto - known.working_days_before(day)
            if stop == date.max:
                break
            day = stop
        return total, provisional

    def add_working_days(self, start: datetime, days: int) -> tuple[datetime, bool]:
        """23:59:59 Asia/Shanghai of the `days`-th working day after `start`'s Shanghai date.

        The start day itself is never counted (as for periods under the Civil Procedure Law).
        The flag is true if any day looked at lay outside the calendar's known years.
        ``days == 0`` answers the end of the start day.
        """
        if days < 0:
            raise ValueError("days must not be negative")
        if days > MAX_WORKING_DAYS:
            raise ValueError(f"at most {MAX_WORKING_DAYS} working days")
        day = _shanghai_date(start)
        provisional = False
        remaining = days
        while remaining:
            day += timedelta(days=1)
            working, guessed = self.is_working_day(day)
            provisional = provisional or guessed
            if working:
                remaining -= 1
        return datetime.combine(day, _END_OF_DAY, tzinfo=SHANGHAI), provisional

    def add_working_hours(self, start: datetime, hours: float) -> tuple[datetime, bool]:
        """The moment `hours` of working-day time (24 h a working day) after `start`.

        Time on days off does not count: two working hours from Friday 23:00 end at
        01:00 on the next working day. The flag is true if a guessed day was looked at.
        """
        if hours < 0:
            raise ValueError("hours must not be negative")
        if hours > MAX_WORKING_DAYS * 24:
            raise ValueError(f"at most {MAX_WORKING_DAYS * 24} working hours")
        left = timedelta(hours=hours)
        moment = start.astimezone(SHANGHAI)
        day = moment.date()
        provisional = False
        while True:
            working, guessed = self.is_working_day(day)
            provisional = provisional or guessed
            day_end = _day_start(day + timedelta(days=1))
            if working:
                if moment + left <= day_end:
                    return moment + left, provisional
                left -= day_end - moment
            day += timedelta(days=1)
            moment = day_end

    def working_days_between(self, start: datetime, due_at: datetime) -> int:
        """How many working days a deadline due at `due_at` counted from `start`."""
        first = _shanghai_date(start) + timedelta(days=1)
        return self.count(first, _shanghai_date(due_at) + timedelta(days=1))[0]

    def working_days_late(self, due_at: datetime, now: datetime) -> int:
        """Working days a deadline is late by, as a clerk counts them: the working days
        after its due day up to and including today (0 until one has begun)."""
        if now <= due_at:
            return 0
        first = _shanghai_date(due_at) + timedelta(days=1)
        return self.count(first, _shanghai_date(now) + timedelta(days=1))[0]

    def working_hours_between(self, start: datetime, end: datetime) -> float:
        """Hours of working days (24 h each) elapsed from `start` to `end`.

        Partial days count in proportion, on Shanghai days; negative if `end` is before
        `start`.
        """
        if end < start:
            return -self.working_hours_between(end, start)
        first, last = _shanghai_date(start), _shanghai_date(end)
        if first == last:
            return (end - start).total_seconds() / 3600.0 if self.is_working_day(first)[0] else 0.0
        seconds = 0.0
        if self.is_working_day(first)[0]:
            seconds += (_day_start(first + timedelta(days=1)) - start).total_seconds()
        if self.is_working_day(last)[0]:
            seconds += (end - _day_start(last)).total_seconds()
        whole, _ = self.count(first + timedelta(days=1), last)
        return seconds / 3600.0 + whole * 24.0

    def deadlines_for_dispatch(self, dispatched_at: datetime, decide_days: int) -> list[Deadline]:
        """The deadlines a case gets when it reaches an institution (INTERFACE 6)."""
        result = []
        for kind, days in (
            ("acknowledge_by", 1),
            ("respondent_contact_by", 3),
            ("decide_by", decide_days),
        ):
            due_at, provisional = self.add_working_days(dispatched_at, days)
            result.append(Deadline(kind, due_at, provisional, days))
        return result


_current = WorkingCalendar()


def current() -> WorkingCalendar:
    """The process's calendar (the installed package and every schedule loaded so far)."""
    return _current


def install(calendar: WorkingCalendar) -> None:
    """Make `calendar` the process's calendar (one reference swap: readers see old or new)."""
    global _current
    _current = calendar


def is_working_day(day: date) -> tuple[bool, bool]:
    return _current.is_working_day(day)


def add_working_days(start: datetime, days: int) -> tuple[datetime, bool]:
    return _current.add_working_days(start, days)


def working_hours_between(start: datetime, end: datetime) -> float:
    return _current.working_hours_between(start, end)


def working_days_late(due_at: datetime, now: datetime) -> int:
    return _current.working_days_late(due_at, now)


def add_working_hours(start: datetime, hours: float) -> tuple[datetime, bool]:
    return _current.add_working_hours(start, hours)


def deadlines_for_dispatch(dispatched_at: datetime, decide_days: int = 3) -> list[Deadline]:
    return _current.deadlines_for_dispatch(dispatched_at, decide_days)


__all__ = [
    "DEADLINE_ACTIONS",
    "MAX_WORKING_DAYS",
    "REFERRAL_DEADLINE",
    "SHANGHAI",
    "Deadline",
    "WorkingCalendar",
    "add_working_days",
    "add_working_hours",
    "current",
    "deadlines_for_dispatch",
    "install",
    "is_working_day",
    "working_days_late",
    "working_hours_between",
]
