from __future__ import annotations

import random

import pytest

from schemas import codes, identity
from tests.support.builders import make_resident_id, make_uscc, random_uscc


@pytest.mark.parametrize(
    "number",
    [
        "11010519491231002X",
        "11010519491231002x",
        make_resident_id(),
        make_resident_id("310151", "20000229"),
    ],
)
def test_valid_resident_ids(number: str) -> None:
    assert identity.is_resident_id(number)
    assert identity.resident_id_problem(number) is None


@pytest.mark.parametrize(
    ("number", "why"),
    [
        ("110105194912310021", "校验码"),  # wrong check digit
        (make_resident_id(born="19990231"), "出生日期"),  # no 31 February
        (make_resident_id(born="19000229"), "出生日期"),  # 1900 was not a leap year
        (make_resident_id(born="29991231"), "出生日期"),  # in the future
        (make_resident_id(area="000000"), "地址码"),
        ("1101051949123100", "17位"),
        ("11010519491231002Y", "17位"),
        ("", "17位"),
    ],
)
def test_invalid_resident_ids(number: str, why: str) -> None:
    assert not identity.is_resident_id(number)
    assert why in (identity.resident_id_problem(number) or "")


def test_every_wrong_check_digit_is_caught() -> None:
    good = make_resident_id()
    for c in "0123456789X":
        if c != good[-1]:
            assert not identity.is_resident_id(good[:-1] + c)


def test_public_uscc_example_and_generated_codes() -> None:
    assert identity.is_uscc("91350100M000100Y43")
    rng = random.Random(7)
    for _ in range(200):
        code = random_uscc(rng)
        assert identity.is_uscc(code), code
        assert identity.uscc_check_character(code[:17]) == code[17]


@pytest.mark.parametrize(
    ("code", "why"),
    [
        ("91350100M000100Y44", "校验码"),
        ("91350100M000100Y4", "18位"),
        ("91350100M000100I43", "字符"),  # I is not in the alphabet
        ("91350100m000100y43", "字符"),  # lower case is not either
    ],
)
def test_invalid_uscc(code: str, why: str) -> None:
    assert not identity.is_uscc(code)
    assert why in (identity.uscc_problem(code) or "")


def test_uscc_check_character_is_never_outside_alphabet() -> None:
    code = make_uscc("9131000063126503X")  # any 17 chars: check char may itself be a letter
    assert identity.is_uscc(code)


@pytest.mark.parametrize(
    "phone",
    [
        "13812345678",
        "19912345678",
        "021-12345678",
        "02112345678",
        "0571-88888888",
        "010-62345678",
        "+8613812345678",
        "+86 138 1234 5678",
        "+86-21-62345678",
        "0086 21 62345678",
        "021-62345678-8001",
    ],
)
def test_valid_phones(phone: str) -> None:
    assert identity.is_phone(phone)


@pytest.mark.parametrize(
    "phone",
    [
        "12812345678",
        "1381234567",
        "138123456789",
        "62345678",
        "021-0234567",
        "+1 415 555 0100",
        "phone",
        "",
        "021-1234567890123",
    ],
)
def test_invalid_phones(phone: str) -> None:
    assert not identity.is_phone(phone)


def test_non_strings_are_never_valid() -> None:
    for value in (None, 13812345678, ["13812345678"]):
        assert not identity.is_phone(value)
        assert not identity.is_resident_id(value)
        assert not identity.is_uscc(value)


def test_code_lists() -> None:
    required = {
        "labor",
        "consumer",
        "family",
        "neighbor",
        "property_management",
        "traffic",
        "medical",
        "loan",
        "intellectual_property",
        "finance",
        "commercial",
        "land_contract",
        "construction",
        "tourism",
        "other",
    }
    assert required <= set(codes.CATEGORIES)
    assert all(set(v) == {"zh", "en"} for v in codes.CATEGORIES.values())
    assert codes.CATEGORIES["labor"]["zh"] == "劳动争议"
    assert len(codes.DISTRICTS) == 16
    assert codes.DISTRICTS["310104"] == "徐汇区"
    assert codes.DISTRICTS["310115"] == "浦东新区"
    assert codes.DISTRICTS["310151"] == "崇明区"
    assert all(k.startswith("3101") and len(k) == 6 for k in codes.DISTRICTS)
