"""What text from outside may hold, and the one parser of numbers and dates in it.

Every value that crosses the hub's boundary is stored (PostgreSQL refuses NUL in text;
UTF-8 cannot encode a lone surrogate), shown (a bidi override reorders what a clerk reads;
a zero-width character makes two ids look alike) or parsed as a number (Python's `\\d`,
`int()` and `str.isdigit()` take full-width and other Unicode digits). The rules:

- `unstorable(body)`: in any string or member name of a JSON body, NUL and lone
  surrogates are refused (with the pointer to the value), and nesting deeper than
  `MAX_DEPTH` is refused before anything recursive looks at it. `schemas.validate` runs it
  first; request decoding runs it for bodies without a schema.
- `is_printable(text)`: names and identifiers (JSON Schema ``"format": "printable"``)
  also refuse every control character, bidi control (U+061C, U+200E/F, U+202A-202E,
  U+2066-2069), zero-width and other invisible format character (U+00AD, U+180E,
  U+200B-200D, U+2060-2064, U+FEFF, tags) and the line separators.
- `ascii_int`, `ascii_date`: digits are ASCII only wherever a number is parsed; dates in
  queries lie in `QUERY_DATES`.
- `loads_json(raw)`: JSON from outside; an integer of more digits than `int()` converts
  (Python's limit, 4,300 by default) is `LongInteger` with its pointer, not the bare
  ValueError `json.loads` raises (which names nothing and became a 500).
- `integer_message(low, high)`, `one_of_message(codes)`: what an integer out of its bounds
  or an unknown code is refused with, one way everywhere (the declared parameters' check
  and the handlers' own), Chinese first, then English.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import date
from typing import Any

#: Deepest nesting of arrays and objects a body may have (the deepest schema needs 5).
MAX_DEPTH = 32
#: Dates a query may name (period filters): the hub's working-time arithmetic and the
#: databases' date types are exact well inside it; anything outside is a typo or a probe.
QUERY_DATES = (date(2000, 1, 1), date(2099, 12, 31))

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f"
    "\ufeff\ufff9-\ufffb\ud800-\udfff\U000e0000-\U000e007f]"
)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_ASCII_INT = re.compile("[0-9]{1,18}")
_ASCII_DATE = re.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}")

NUL_MESSAGE = "不能含有空字符（U+0000） / must not contain NUL (U+0000)"
SURROGATE_MESSAGE = (
    "含有不成对的代理码点，不是有效的 Unicode 文本 / holds a lone surrogate: not valid Unicode"
)
DEPTH_MESSAGE = f"嵌套超过 {MAX_DEPTH} 层 / nested deeper than {MAX_DEPTH} levels"
LONG_INTEGER_MESSAGE = "整数位数过多 / an integer with too many digits"
PRINTABLE_MESSAGE = (
    "不能含有控制字符、双向控制字符或零宽字符 / "
    "must not contain control, bidi or zero-width characters"
)


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def _text_problem(text: str) -> str | None:
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    return NUL_MESSAGE if found.group() == "\x00" else SURROGATE_MESSAGE


def _safe_pointer(pointer: str) -> str:
    """A pointer that can itself be answered: member names in it are cleaned too."""
    return _UNSTORABLE.sub("\ufffd", pointer)


def unstorable(body: object, *, limit: int = 20) -> list[tuple[str, str]]:
    """(pointer, message) for every string or member name that cannot be stored, and for
    nesting past `MAX_DEPTH`; empty when the body is fine. Iterative: depth costs no stack."""
    found: list[tuple[str, str]] = []
    stack: list[tuple[object, str, int]] = [(body, "", 0)]
    while stack and len(found) < limit:
        value, at, depth = stack.pop()
        if isinstance(value, str):
            problem = _text_problem(value)
            if problem:
                found.append((_safe_pointer(at), problem))
            continue
        if not isinstance(value, dict | list):
            continue
        if depth >= MAX_DEPTH:
            found.append((_safe_pointer(at), DEPTH_MESSAGE))
            continue
        if isinstance(value, dict):
            for key, item in reversed(list(value.items())):
                here = f"{at}/{_escape(key)}"
                problem = _text_problem(key)
                if problem:
                    found.append((_safe_pointer(here), problem))
                stack.append((item, here, depth + 1))
        else:
            for index in range(len(value) - 1, -1, -1):
                stack.append((value[index], f"{at}/{index}", depth + 1))
    found.sort(key=lambda f: f[0])
    return found


def storable_json(raw: bytes) -> bool:
    """True when JSON bytes `raw` cannot decode (`json.loads`) to anything `unstorable`
    refuses. `json.loads` takes UTF-16/32 too and decodes with surrogatepass, so: no NUL
    byte (UTF-16/32 text of ASCII has them), no 0xED byte (UTF-8 of a surrogate starts
    with it; so does Hangul, which then takes the walk), no `\\u` escape, and fewer
    brackets than `MAX_DEPTH`. False means "not proved" (run `unstorable`)."""
    return (
        b"\x00" not in raw
        and b"\xed" not in raw
        and b"\\u" not in raw
        and raw.count(b"{") + raw.count(b"[") < MAX_DEPTH
    )


def is_printable(text: object) -> bool:
    """True unless a name or identifier holds a control, bidi or invisible character."""
    return not isinstance(text, str) or _UNPRINTABLE.search(text) is None


def has_control(text: str) -> bool:
    """A NUL, lone surrogate or other control character (for URLs and form fields)."""
    return _CONTROL.search(text) is not None


class LongInteger(ValueError):
    """A JSON integer longer than `int()` converts (sys.get_int_max_str_digits): valid
    JSON that no field of the hub's holds; `pointer` says where it is."""

    def __init__(self, pointer: str) -> None:
        super().__init__(f"{pointer or '/'}: integer with too many digits")
        self.pointer = pointer


_LONG = object()  # what `_int_or_long` puts where an integer too long for `int()` was


def _int_or_long(digits: str) -> object:
    try:
        return int(digits)
    except ValueError:
        return _LONG


def _long_at(value: object) -> str:
    """The pointer of the first `_LONG` in document order (iterative, like `unstorable`)."""
    stack: list[tuple[object, str]] = [(value, "")]
    while stack:
        item, at = stack.pop()
        if item is _LONG:
            return _safe_pointer(at)
        if isinstance(item, dict):
            stack.extend((v, f"{at}/{_escape(k)}") for k, v in reversed(list(item.items())))
        elif isinstance(item, list):
            stack.extend((v, f"{at}/{i}") for i, v in reversed(list(enumerate(item))))
    return ""


def loads_json(raw: str | bytes) -> Any:
    """`json.loads` of JSON from outside. Raises what it raises (JSONDecodeError,
    UnicodeDecodeError, RecursionError), and `LongInteger` for an integer of more digits
    than `int()` converts: only then is the text parsed a second time, to find where."""
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise
    except ValueError:  # "Exceeds the limit (4300 digits) for integer string conversion"
        pass
    raise LongInteger(_long_at(json.loads(raw, parse_int=_int_or_long)))


def one_of_message(values: Iterable[object]) -> str:
    """What a value from a code list must be: the codes are listed in the English half."""
    shown = [str(v) for v in values]
    return f"须为所列 {len(shown)} 个取值之一 / one of: {', '.join(shown)}"


def integer_message(low: int | None = None, high: int | None = None) -> str:
    """What an integer field or parameter must be, in Chinese and then English."""
    span = f"{low}-{high}" if low is not None and high is not None else ""
    if low is not None and high is None:
        span = f">= {low}"
    return f"须为整数 {span} / an integer {span}".replace("  ", " ").strip()


def ascii_int(raw: str) -> int | None:
    """The value of 1-18 ASCII digits, or None (full-width, superscript, sign, space...)."""
    return int(raw) if _ASCII_INT.fullmatch(raw) else None


def ascii_date(raw: str) -> date | None:
    """A YYYY-MM-DD date of ASCII digits inside `QUERY_DATES`, or None."""
    if not _ASCII_DATE.fullmatch(raw):
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return None
    return day if QUERY_DATES[0] <= day <= QUERY_DATES[1] else None


QUERY_DATE_MESSAGE = (
    f"须为 {QUERY_DATES[0]} 至 {QUERY_DATES[1]} 之间的日期 YYYY-MM-DD / "
    f"a date YYYY-MM-DD from {QUERY_DATES[0]} to {QUERY_DATES[1]}"
)

__all__ = [
    "MAX_DEPTH",
    "QUERY_DATES",
    "QUERY_DATE_MESSAGE",
    "ascii_date",
    "ascii_int",
    "has_control",
    "is_printable",
    "unstorable",
]
