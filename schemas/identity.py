"""Identity and contact checks that JSON Schema cannot express, and the one home of the
check characters (ISO 7064 MOD 11-2, GB 32100 MOD 31, Luhn, ISO 3779) that numbering, the schemas,
PII detection and the tests all use.

- Resident identity card numbers, GB 11643-1999: 6-digit area code, 8-digit birth date,
  3-digit sequence, ISO 7064 MOD 11-2 check character (``0``-``9`` or ``X``).
- Unified social credit codes, GB 32100-2015: 18 characters from ``0-9 A-H J-N P-R T-U W-Y``
  (no I, O, Z, S, V), the 18th a MOD 31 check character.
- Phones: by the numbering plan as Google's libphonenumber (``phonenumbers``) knows it: a
  mainland (+86) mobile of an allocated block, or a landline of an existing area code with
  the right local length, written with or without ``+86``/``0086``, spaces, hyphens or
  brackets; an extension (``-1234``, ``转1234``, ``分机1234``, ``ext. 1234``, ``x1234``) is split
  off first, checked (1-6 digits, landlines only) and kept in the stored text. 400 and 800
  numbers are accepted for organizations only.
- GB 11643 area codes: any code that ever stood in an edition of GB/T 2260 (python-stdnum's
  table of the codes and the years they were in force, every year accepted: a code may be
  older than its holder's birth), the provinces' own ``XX0000``, and ``810000``, ``820000``,
  ``830000`` of the residence permits of Hong Kong, Macao and Taiwan residents.
- GB 32100 structure: position 1 the registration department (``1``-``9``, ``A``, ``N``,
  ``Y``), position 2 a type that department registers (its table in the standard), 3-8 the
  registering region's division code (digits).

The ``*_problem`` functions answer ``None`` when valid, else a bilingual reason.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, lru_cache
from importlib import resources
from zoneinfo import ZoneInfo

import phonenumbers
from phonenumbers import PhoneNumberType

_SHANGHAI = ZoneInfo("Asia/Shanghai")

_ID_SHAPE = re.compile(r"[0-9]{17}[0-9Xx]")

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(USCC_ALPHABET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

#: GB 32100-2015 table 1: registration departments and the types each registers.
USCC_TYPES: dict[str, str] = {
    "1": "1239",  # 机构编制: 机关, 事业单位, 中央编办管理的群众团体, 其他
    "2": "19",  # 外交: 外国常驻新闻机构, 其他
    "3": "1234559",  # 司法行政: 律所, 公证处, 基层法律服务所, 司法鉴定机构, 仲裁委员会, 其他
    "4": "19",  # 文化: 外国在华文化中心, 其他
    "5": "1239",  # 民政: 社会团体, 民办非企业单位, 基金会, 其他
    "6": "129",  # 旅游: 外国及港澳台旅游部门常驻代表机构, 其他
    "7": "129",  # 宗教: 宗教活动场所, 宗教院校, 其他
    "8": "19",  # 工会: 基层工会, 其他
    "9": "123",  # 工商: 企业, 个体工商户, 农民专业合作社
    "A": "19",  # 中央军委改革和编制办公室: 军队事业单位, 其他
    "N": "1239",  # 农业: 组级, 村级, 乡镇级集体经济组织, 其他
    "Y": "1",  # 其他
}


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


def _luhn_sum(digits: str) -> int:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i & 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total


def luhn_ok(digits: str) -> bool:
    """The Luhn check of bank card numbers (ISO/IEC 7812)."""
    return _luhn_sum(digits) % 10 == 0


def luhn_check_digit(body: str) -> str:
    """The Luhn digit that completes ``body`` (a card number without its last digit)."""
    return str(-_luhn_sum(body + "0") % 10)


#: ISO 3779 transliteration of a VIN's characters (no I, O, Q) and the weights of the 17
#: positions; position 9 (weight 0) is the check character itself.
VIN_VALUE = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMNPR", (1, 2, 3, 4, 5, 7, 9), strict=True)),
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def vin_check_character(vin17: str) -> str:
    """The ISO 3779 check character (position 9) of a 17-character VIN; whatever stands in
    position 9 is ignored."""
    if len(vin17) != 17 or any(c not in VIN_VALUE for c in vin17):
        raise ValueError("need 17 characters of the VIN alphabet")
    total = sum(VIN_VALUE[c] * w for c, w in zip(vin17, _VIN_WEIGHTS, strict=True)) % 11
    return "X" if total == 10 else str(total)


def is_vin(s: object) -> bool:
    """A vehicle identification number with a valid ISO 3779 check character, as GB 16735
    requires of vehicles sold in China."""
    return (
        isinstance(s, str)
        and len(s) == 17
        and all(c in VIN_VALUE for c in s)
        and s[8] == vin_check_character(s)
    )


def resident_id_problem(s: str, *, today: date | None = None) -> str | None:
    if not isinstance(s, str) or not _ID_SHAPE.fullmatch(s):
        return (
            "居民身份证号码应为17位数字加1位校验码 / "
            "resident ID must be 17 digits and a check character"
        )
    if not area_code_existed(s[:6]):
        return (
            "居民身份证号码的地址码不是任何一版 GB/T 2260 中的行政区划代码 / "
            "the area code of the resident ID is in no edition of GB/T 2260"
        )
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
    if s[1] not in USCC_TYPES.get(s[0], ""):
        return (
            "统一社会信用代码的登记管理部门码或机构类别码无效（GB 32100 表1） / "
            "unified social credit code: unknown registration department or type (GB 32100)"
        )
    if not s[2:8].isdigit():
        return (
            "统一社会信用代码第3-8位应为登记管理机关行政区划码（数字） / "
            "unified social credit code: positions 3-8 are the region code (digits)"
        )
    if uscc_check_character(s[:17]) != s[17]:
        return "统一社会信用代码校验码错误 / wrong check character in unified social credit code"
    return None


def is_uscc(s: object) -> bool:
    """True for a GB 32100-2015 unified social credit code with the right check character."""
    return isinstance(s, str) and uscc_problem(s) is None


#: Residence permits of Hong Kong, Macao and Taiwan residents (GB 11643 as applied in 2018).
_PERMIT_AREAS = frozenset({"810000", "820000", "830000"})


@cache
def _area_codes() -> frozenset[str]:
    """Every division code of every GB/T 2260 edition in python-stdnum's table (`cn/loc.dat`:
    a province line `NN province=...`, then its codes `  NNNN county="[from-to]name"`)."""
    table = resources.files("stdnum.cn").joinpath("loc.dat").read_text(encoding="utf-8")
    codes: set[str] = set(_PERMIT_AREAS)
    province = ""
    for line in table.splitlines():
        if line[:1].isdigit():
            province = line[:2]
            codes.add(province + "0000")
        elif line.startswith("  ") and line[2:6].isdigit():
            codes.add(province + line[2:6])
    return frozenset(codes)


def area_code_existed(code: str) -> bool:
    """A 6-digit area code that any edition of GB/T 2260 listed (whatever the years), or a
    residence-permit code; GB 11643 keeps a number's code when the division changes."""
    return len(code) == 6 and code.isascii() and code in _area_codes()


@dataclass(frozen=True)
class Phone:
    """A phone number read by the numbering plan: E.164 form, kind, and the extension."""

    e164: str
    kind: str  # mobile | landline | shared_cost (400) | toll_free (800)
    extension: str | None


_EXTENSION = re.compile(
    r"^(?P<number>.*?[0-9)）])\s*(?:-|转|分机|[Ee][Xx][Tt]\.?|[Xx]|#)\s*(?P<ext>[0-9]{1,6})$"
)
_KINDS = {
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE: "landline",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "landline",
    PhoneNumberType.SHARED_COST: "shared_cost",
    PhoneNumberType.TOLL_FREE: "toll_free",
}
_ORGANIZATION_ONLY = frozenset({"shared_cost", "toll_free"})


def _read(text: str) -> Phone | None:
    if not text or not text.isascii() or not re.search("[0-9]", text):
        return None
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != 86 or number.extension:
        return None
    # number_type answers UNKNOWN for a number the plan does not have: it is the validity
    # test (is_valid_number runs the same matching a second time)
    kind = _KINDS.get(phonenumbers.number_type(number))
    if kind is None:
        return None
    if kind in _ORGANIZATION_ONLY and str(number.national_number)[:3] not in ("400", "800"):
        return None  # the plan's other shared-cost codes are not an organization's line
    international = text.startswith(("+", "00"))
    if kind == "landline" and not international and text.lstrip("(")[:1] != "0":
        return None  # written at home, a landline starts with the trunk 0: "2996831" is not one
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return Phone(e164, kind, None)


def read_phone(s: object, *, organization: bool = False) -> Phone | None:
    """The phone `s` names, or None: a mainland mobile or landline (an organization's may
    also be a 400 or 800 number), with an extension split off first and kept."""
    if not isinstance(s, str) or len(s) > 40:
        return None
    return _read_phone(s, organization)


# Pure in its text: an import repeats the same institutions' and parties' numbers, and the
# numbering plan's regular expressions cost ~0.1 ms a number (bounded: memory stays flat).
@lru_cache(maxsize=8192)
def _read_phone(s: str, organization: bool) -> Phone | None:
    text = s.strip().replace("（", "(").replace("）", ")")
    phone = _read(text)
    if phone is None:
        split = _EXTENSION.match(text)
        if split is None:
            return None
        phone = _read(split["number"])
        if phone is None or phone.kind == "mobile":
            return None
        phone = Phone(phone.e164, phone.kind, split["ext"])
    if phone.kind in _ORGANIZATION_ONLY and not organization:
        return None
    return phone


def is_phone(s: object, *, organization: bool = False) -> bool:
    """Mainland mobile or landline by the numbering plan (see `read_phone`)."""
    return read_phone(s, organization=organization) is not None


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
    "USCC_TYPES",
    "VIN_VALUE",
    "Phone",
    "area_code_existed",
    "is_other_id",
    "is_passport_number",
    "is_phone",
    "is_resident_id",
    "is_uscc",
    "is_vin",
    "luhn_check_digit",
    "luhn_ok",
    "mod11_2",
    "read_phone",
    "resident_id_check_character",
    "resident_id_problem",
    "uscc_check_character",
    "uscc_problem",
    "vin_check_character",
]
