"""Application numbers (办件编号): ``RRRRRR-YYYYMMDD-NNNNNN-C`` (INTERFACE 2).

``C`` is the ISO 7064 MOD 11-2 check character over the 20 digits, the same algorithm as
the last character of a resident ID number (GB 11643).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property

from hub.domain.calendar import SHANGHAI
from hub.domain.errors import InvalidApplicationNumber
from schemas.identity import mod11_2

_DIGITS = re.compile(r"[0-9]+")
_HYPHENATED = re.compile(r"([0-9]{6})-([0-9]{8})-([0-9]{6})-([0-9Xx])")
_COMPACT = re.compile(r"([0-9]{6})([0-9]{8})([0-9]{6})([0-9Xx])")


def check_character(digits: str) -> str:
    """ISO 7064 MOD 11-2 check character (``0``-``9`` or ``X``) for an ASCII digit string
    (`schemas.identity.mod11_2`, the one implementation)."""
    try:
        return mod11_2(digits)
    except ValueError:
        raise ValueError("check_character needs a non-empty string of ASCII digits") from None


@dataclass(frozen=True)
class ApplicationNumber:
    """A parsed 办件编号: division code, Shanghai date of numbering, day sequence."""

    region: str
    day: date
    sequence: int

    def __post_init__(self) -> None:
        if not (len(self.region) == 6 and _DIGITS.fullmatch(self.region)):
            raise ValueError("region must be 6 ASCII digits")
        if not 1 <= self.sequence <= 999_999:
            raise ValueError("sequence must be between 1 and 999999")

    @property
    def digits(self) -> str:
        """The 20 digits the check character covers."""
        return f"{self.region}{self.day:%Y%m%d}{self.sequence:06d}"

    @property
    def check(self) -> str:
        """The check character."""
        return check_character(self.digits)

    @property
    def compact(self) -> str:
        """The number without hyphens."""
        return self.digits + self.check

    @cached_property
    def _text(self) -> str:
        return f"{self.region}-{self.day:%Y%m%d}-{self.sequence:06d}-{self.check}"

    def __str__(self) -> str:  # asked for several times a case: written once
        return self._text


def parse_application_number(text: str) -> ApplicationNumber:
    """Parse a number written with all three hyphens or none; ``x`` is read as ``X``.

    Raises `InvalidApplicationNumber` on a bad shape, an impossible date, sequence 000000
    or a wrong check character.
    """
    candidate = text.strip()
    match = _HYPHENATED.fullmatch(candidate) or _COMPACT.fullmatch(candidate)
    if match is None:
        raise InvalidApplicationNumber(
            "an application number is RRRRRR-YYYYMMDD-NNNNNN-C (hyphens optional)"
        )
    region, ymd, seq, check = match.groups()
    try:
        day = date(int(ymd[:4]), int(ymd[4:6]), int(ymd[6:]))
    except ValueError as exc:
        raise InvalidApplicationNumber(f"no such date: {ymd}") from exc
    if int(seq) == 0:
        raise InvalidApplicationNumber("the day's sequence starts at 000001")
    if check_character(region + ymd + seq) != check.upper():
        raise InvalidApplicationNumber("wrong check character")
    return ApplicationNumber(region=region, day=day, sequence=int(seq))


def business_day(moment: datetime) -> date:
    """The Asia/Shanghai date of an aware datetime (the date a number is issued under)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("an aware datetime is required")
    return moment.astimezone(SHANGHAI).date()


def example_number(region: str, moment: datetime) -> str:
    """A valid number to show as an example on a page: the day's first, check included."""
    return str(ApplicationNumber(region=region, day=business_day(moment), sequence=1))


__all__ = [
    "ApplicationNumber",
    "business_day",
    "check_character",
    "example_number",
    "parse_application_number",
]
