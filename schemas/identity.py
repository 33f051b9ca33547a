"""Identity and contact checks that JSON Schema cannot express, and the one home of the
check characters (ISO 7064 MOD 11-2, GB 32100 MOD 31, Luhn) that numbering, the schemas,
PII detection and the tests all use.

- Resident identity card numbers, GB 11643-1999: 6-digit area code, 8-digit birth date,
  3-digit sequence, ISO 7064 MOD 11-2 check character (``0``-``9`` or ``X``).
- Unified social credit codes, GB 32100-2015: 18 characters from ``0-9 A-H J-N P-R T-U W-Y``
  (no I, O, Z, S, V), the 18th a MOD 31 check character.
- Phones: mainland mobile ``1[3-9]`` + 9 digits, or landline ``0AA(A)-NNNNNNN(N)`` with an
  optional extension, each optionally prefixed with ``+86`` / ``0086``.

The ``*_problem`` functions answer ``None`` when valid, else a bilingual reason.
"""

from __future__ import annotations

import operator
import re
from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo

_SHANGHAI = ZoneInfo("Asia/Shanghai")

_ID_SHAPE = re.compile(r"[0-9]{17}[0-9Xx]")

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(USCC_ALPHABET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_LANDLINE = re.compile(r"0(?:[12][0-9]|[3-9][0-9]{2})-?[1-9][0-9]{6,7}(?:-[0-9]{1,6})?")
_LANDLINE_INTL = re.compile(r"(?:[12][0-9]|[3-9][0-9]{2})-?[1-9][0-9]{6,7}(?:-[0-9]{1,6})?")


_MOD11_CHECK = "10X98765432"  # (12 - sum mod 11) mod 11, indexed by sum mod 11


@cache
def _mod11_weights(n: int) -> tuple[int, ...]:
    return tuple(pow(2, n - i, 11) for i in range(n))


def mod11_2(digits: str) -> str:
    """ISO 7064 MOD 11-2 check character (``0``-``9`` or ``X``) of an ASCII digit string:
    the digit at position i (1-based) of n has weight 2^(n-i+1) mod 11. Resident IDs (17
    digits), application numbers (20 digits) and complaint numbers (14) use it."""
    if not digits or not digits.isascii() or not digits.isdigit():
        raise ValueError("need a non-empty string of ASCII digits")
    total = sum(map(operator.mul, map(int, digits), _mod11_weights(len(digits))))
    return _MOD11_CHECK[total % 11]


def resident_id_check_character(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character over the first 17 digits of a resident ID."""
    if len(first17) != 17:
        raise ValueError("need exactly 17 ASCII digits")
    return mod11_2(first17)


def luhn_ok(digits: str) -> bool:
    """The Luhn check of bank card numbers (ISO/IEC 7812)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i & 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def resident_id_problem(s: str, *, today: date | None = None) -> str | None:
    if not isinstance(s, str) or not _ID_SHAPE.fullmatch(s):
        return (
            "居民身份证号码应为17位数字加1位校验码 / "
            "resident ID must be 17 digits and a check character"
        )
    if s[0] == "0":
        return "居民身份证号码的地址码无效 / invalid area code in resident ID"
    try:
        born = date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return "居民身份证号码中的出生日期无效 / invalid birth date in resident ID"
    today = today or datetime.now(_SHANGHAI).date()
    if born > today or born.year < 1900:
        return "居民身份证号码中的出生日期无效 / birth date in resident ID is out of range"
    if resident_id_check_character(s[:17]) != s[17].upper():
        return "居民身份证号码校验码错误 / wrong check digit in resident ID"
    return None


def is_resident_id(s: object) -> bool:
    """True for a GB 11643 resident ID: shape, area, real past birth date, check digit."""
    return isinstance(s, str) and resident_id_problem(s) is None


def uscc_check_character(first17: str) -> str:
    """GB 32100-2015 check character over the first 17 characters of a credit code."""
    if len(first17) != 17 or any(c not in _USCC_VALUE for c in first17):
        raise ValueError("need 17 characters from the USCC alphabet")
    total = sum(_USCC_VALUE[c] * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_problem(s: str) -> str | None:
    if not isinstance(s, str) or len(s) != 18:
        return "统一社会信用代码应为18位 / unified social credit code must be 18 characters"
    if any(c not in _USCC_VALUE for c in s):
        return (
            "统一社会信用代码含有不允许的字符（仅数字和除I、O、Z、S、V外的大写字母） / "
            "unified social credit code has a character outside 0-9 and A-Y "
            "without I, O, Z, S, V"
        )
    if uscc_check_character(s[:17]) != s[17]:
        return "统一社会信用代码校验码错误 / wrong check character in unified social credit code"
    return None


def is_uscc(s: object) -> bool:
    """True for a GB 32100-2015 unified social credit code with the right check character."""
    return isinstance(s, str) and uscc_problem(s) is None


def is_phone(s: object) -> bool:
    """Mainland mobile or landline, optionally with +86/0086; spaces are ignored."""
    if not isinstance(s, str) or len(s) > 20:
        return False
    t = s.replace(" ", "")
    for prefix in ("+86", "0086"):
        if t.startswith(prefix):
            rest = t[len(prefix) :].removeprefix("-")
            return bool(
                _MOBILE.fullmatch(rest)
                or _LANDLINE.fullmatch(rest)
                or _LANDLINE_INTL.fullmatch(rest)
            )
    return bool(_MOBILE.fullmatch(t) or _LANDLINE.fullmatch(t))


_PASSPORT = re.compile(r"[A-Za-z0-9]{5,17}")
_OTHER_ID = re.compile(r"[^\s\x00-\x1f\x7f]{2,32}")


def is_passport_number(s: object) -> bool:
    """Loose: 5-17 letters and digits (Chinese passports are E/G + 8 digits; foreign vary)."""
    return isinstance(s, str) and bool(_PASSPORT.fullmatch(s))


def is_other_id(s: object) -> bool:
    """Loose: 2-32 printable characters without spaces (permits, military IDs...)."""
    return isinstance(s, str) and bool(_OTHER_ID.fullmatch(s))


__all__ = [
    "USCC_ALPHABET",
    "is_other_id",
    "is_passport_number",
    "is_phone",
    "is_resident_id",
    "is_uscc",
    "luhn_ok",
    "mod11_2",
    "resident_id_check_character",
    "resident_id_problem",
    "uscc_check_character",
    "uscc_problem",
]
