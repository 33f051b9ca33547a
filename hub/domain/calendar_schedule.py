"""A year's holiday schedule (放假安排) as the State Council publishes it, and its checks.

A `YearSchedule` names the days off that fall in the holidays (节假日, weekend days inside a
holiday span included) and the adjusted weekend workdays (调休上班). A day is a working day
if it is an adjusted workday, or a Monday to Friday outside the holidays.

Schedules come from two places: the installed `chinese-calendar` package, for the years it
ships, and files an operator loads (`hub calendar load`, INTERFACE 16) for a year the
package does not know yet. `parse_schedule` checks such a file's content and answers every
problem with a JSON pointer; it never guesses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import Any

import chinese_calendar

from hub.domain.errors import DomainError

#: The years a loaded file may be for: the hub's platform era, with room ahead.
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class YearSchedule:
    """The holidays and adjusted workdays of one calendar year."""

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]
    source: str  # "chinese-calendar" | "file"
    #: Per day of the year (index 0 = 1 January), the working days before it.
    _before: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        first = date(self.year, 1, 1)
        counts = [0]
        day = first
        while day.year == self.year:
            counts.append(counts[-1] + (1 if self.is_working(day) else 0))
            day += timedelta(days=1)
        object.__setattr__(self, "_before", tuple(counts))

    def is_working(self, day: date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def working_days_before(self, day: date) -> int:
        """Working days of this year strictly before `day` (a day of this year)."""
        return self._before[day.timetuple().tm_yday - 1]

    @property
    def working_days(self) -> int:
        return self._before[-1]

    def same_days(self, other: YearSchedule) -> bool:
        """True if both schedules make the same days working (sources aside)."""
        return self.year == other.year and self._before == other._before

    def differences(self, other: YearSchedule) -> list[date]:
        """The days of the year on which the two schedules disagree about working."""
        day, out = date(self.year, 1, 1), []
        while day.year == self.year:
            if self.is_working(day) != other.is_working(day):
                out.append(day)
            day += timedelta(days=1)
        return out

    def as_document(self) -> dict[str, Any]:
        """The file form (`hub calendar load`): holiday spans, adjusted workdays."""
        return {
            "year": self.year,
            "holidays": [[a.isoformat(), b.isoformat()] for a, b in spans(self.holidays)],
            "workdays": [d.isoformat() for d in sorted(self.workdays)],
        }


def spans(days: Iterable[date]) -> list[tuple[date, date]]:
    """Consecutive days grouped into (first, last) spans, in order."""
    out: list[tuple[date, date]] = []
    for day in sorted(days):
        if out and out[-1][1] + timedelta(days=1) == day:
            out[-1] = (out[-1][0], day)
        else:
            out.append((day, day))
    return out


@cache
def installed_schedule(year: int) -> YearSchedule | None:
    """The installed `chinese-calendar` package's schedule of `year`, or None if unknown."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return None
    holidays, workdays = set(), set()
    day = date(year, 1, 1)
    while day.year == year:
        working = chinese_calendar.is_workday(day)
        if working and day.weekday() >= 5:
            workdays.add(day)
        elif not working and chinese_calendar.get_holiday_detail(day)[1] is not None:
            holidays.add(day)
        day += timedelta(days=1)
    return YearSchedule(year, frozenset(holidays), frozenset(workdays), "chinese-calendar")


class ScheduleError(DomainError):
    """A schedule document breaks a rule; `errors` holds (JSON pointer, message) pairs."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{p}: {m}" for p, m in errors))


def _day(value: Any, pointer: str, year: int | None, errors: list[tuple[str, str]]) -> date | None:
    if isinstance(value, date):
        day = value
    elif isinstance(value, str) and len(value) == 10 and value.isascii():
        try:
            day = date.fromisoformat(value)
        except ValueError:
            errors.append((pointer, f"不是有效日期 / not a valid date: {value!r}"))
            return None
    else:
        errors.append((pointer, "日期须写作 YYYY-MM-DD / a date is written YYYY-MM-DD"))
        return None
    if year is not None and day.year != year:
        errors.append((pointer, f"日期不在 {year} 年内 / {day} is not in {year}"))
        return None
    return day


def parse_schedule(doc: Any) -> YearSchedule:
    """A year's schedule from its document (`year`, `holidays: [[from, to]]`, `workdays`).

    Refused, with every problem named: a year outside 2000-2100, a date that does not exist
    or lies in another year, a span that ends before it starts, spans that overlap, an
    adjusted workday that is not a Saturday or Sunday or that lies in a holiday span.
    """
    errors: list[tuple[str, str]] = []
    if not isinstance(doc, Mapping):
        raise ScheduleError(
            [("", "须为含 year、holidays、workdays 的对象 / an object is required")]
        )
    unknown = sorted(set(doc) - {"year", "holidays", "workdays", "source", "notice"})
    errors += [(f"/{k}", "未知字段 / unknown field") for k in unknown]
    year = doc.get("year")
    if type(year) is not int or not FIRST_YEAR <= year <= LAST_YEAR:
        errors.append(("/year", f"年份须为 {FIRST_YEAR}-{LAST_YEAR} 的整数 / a year is required"))
        raise ScheduleError(errors)
    raw_spans, raw_workdays = doc.get("holidays", []), doc.get("workdays", [])
    if not isinstance(raw_spans, list):
        errors.append(("/holidays", "须为 [起, 止] 日期对的列表 / a list of [from, to] pairs"))
        raw_spans = []
    if not isinstance(raw_workdays, list):
        errors.append(("/workdays", "须为日期列表 / a list of dates"))
        raw_workdays = []
    holidays: dict[date, str] = {}
    for i, item in enumerate(raw_spans):
        pointer = f"/holidays/{i}"
        pair = [item, item] if isinstance(item, str | date) else item
        if not isinstance(pair, list) or len(pair) != 2:
            errors.append((pointer, "须为 [起, 止] / a [from, to] pair is required"))
            continue
        start = _day(pair[0], f"{pointer}/0", year, errors)
        end = _day(pair[1], f"{pointer}/1", year, errors)
        if start is None or end is None:
            continue
        if end < start:
            errors.append((pointer, f"止日早于起日 / {end} is before {start}"))
            continue
        day = start
        while day <= end:
            if day in holidays:
                errors.append((pointer, f"与 {holidays[day]} 重叠 / overlaps {holidays[day]}"))
                break
            holidays[day] = pointer
            day += timedelta(days=1)
    workdays: set[date] = set()
    for i, item in enumerate(raw_workdays):
        pointer = f"/workdays/{i}"
        workday = _day(item, pointer, year, errors)
        if workday is None:
            continue
        day = workday
        if day.weekday() < 5:
            errors.append((pointer, f"{day} 本是工作日，调休上班日须为周六或周日 / not a weekend"))
        elif day in holidays:
            errors.append((pointer, f"{day} 在假期 {holidays[day]} 内 / inside a holiday span"))
        elif day in workdays:
            errors.append((pointer, f"{day} 重复 / listed twice"))
        workdays.add(day)
    if errors:
        raise ScheduleError(errors)
    return YearSchedule(year, frozenset(holidays), frozenset(workdays), "file")


__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "ScheduleError",
    "YearSchedule",
    "installed_schedule",
    "parse_schedule",
    "spans",
]
