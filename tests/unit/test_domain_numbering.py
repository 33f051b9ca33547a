"""办件编号: ISO 7064 MOD 11-2 check character, formatting and parsing."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from hub.domain.errors import DomainError, InvalidApplicationNumber
from hub.domain.numbering import (
    ApplicationNumber,
    business_day,
    check_character,
    parse_application_number,
)


def test_check_character_worked_example() -> None:
    # 310000-20260301-000001: 2^10 = 1024 = 93*11 + 1, so the weights 2^(20-i) mod 11
    # for the 20 positions repeat with period 10: 1 6 3 7 9 10 5 8 4 2 | 1 6 3 7 9 10 5 8 4 2
    # digits   3 1 0 0 0 0  2 0 2 6 | 0 3 0 1 0 0  0 0 0 1
    # products 3+6 + 10 + 8+12 | 18 + 7 + 2 = 66; 66 mod 11 = 0; (12 - 0) mod 11 = 1 -> "1"
    assert check_character("31000020260301000001") == "1"
    # sequence 000002: 66 - 1*2 + 2*2 = 68; 68 mod 11 = 2; (12 - 2) mod 11 = 10 -> "X"
    assert check_character("31000020260301000002") == "X"
    # sequence 000003: 66 - 2 + 6 = 70; 70 mod 11 = 4; 12 - 4 = 8 -> "8"
    assert check_character("31000020260301000003") == "8"


@pytest.mark.parametrize(
    "resident_id",
    [
        "11010519491231002X",  # the GB 11643 example (check X)
        "440524188001010014",  # the other GB 11643 example
        "110101199003074477",
    ],
)
def test_check_character_matches_resident_ids(resident_id: str) -> None:
    assert check_character(resident_id[:17]) == resident_id[17]


def test_resident_id_check_x_worked() -> None:
    # 11010519491231002: weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
    # digits   1 1  0 1 0 5 1 9 4 9 1 2  3 1 0 0 2
    # products 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167; 167 = 15*11 + 2
    # 167 mod 11 = 2, and (12 - 2) mod 11 = 10 -> X: GB 11643's own example, 11010519491231002X
    assert check_character("11010519491231002") == "X"


@pytest.mark.parametrize("bad", ["", "12a4", "１２３", "٣١٠٠٠٠", " 1"])
def test_check_character_rejects_non_digits(bad: str) -> None:
    with pytest.raises(ValueError):
        check_character(bad)


def test_str_and_compact() -> None:
    no = ApplicationNumber(region="310000", day=date(2026, 3, 1), sequence=2)
    assert str(no) == "310000-20260301-000002-X"
    assert no.compact == "31000020260301000002X"
    assert no.check == "X"


@pytest.mark.parametrize(
    "text",
    [
        "310000-20260301-000002-X",
        "310000-20260301-000002-x",
        "31000020260301000002X",
        "31000020260301000002x",
        "  310000-20260301-000002-X\n",
    ],
)
def test_parse_accepts_forms(text: str) -> None:
    assert parse_application_number(text) == ApplicationNumber("310000", date(2026, 3, 1), 2)


def test_parse_round_trips() -> None:
    for seq in (1, 2, 3, 42, 999_999):
        no = ApplicationNumber("310104", date(2026, 12, 31), seq)
        assert parse_application_number(str(no)) == no
        assert parse_application_number(no.compact) == no


@pytest.mark.parametrize(
    "text",
    [
        "310000-20260301-000001-2",  # wrong check (should be 1)
        "310000-20260301-000002-0",  # wrong check (should be X)
        "310000-20260301-000001-X",
        "310000-20260230-000001-1",  # 30 February
        "310000-20261301-000001-1",  # month 13
        "310000-00000101-000001-1",  # year 0
        "310000-20260301-000000-" + check_character("31000020260301000000"),  # seq 0
        "310000-20260301-00001-1",  # short sequence
        "3100002026030100000011",  # one digit too many
        "3100002026030100000",  # too short
        "310000-2026030100000-1-1",  # hyphens in the wrong places
        "310000-20260301000001-1",  # some hyphens only
        "310000_20260301_000001_1",
        "３１００００-20260301-000001-1",  # full-width digits
        "310000-20260301-000001-Y",
        "",
    ],
)
def test_parse_rejects(text: str) -> None:
    with pytest.raises(InvalidApplicationNumber):
        parse_application_number(text)


def test_invalid_number_is_a_domain_error() -> None:
    assert issubclass(InvalidApplicationNumber, DomainError)


@pytest.mark.parametrize(
    ("region", "sequence"), [("31000", 1), ("31000a", 1), ("310000", 0), ("310000", 10**6)]
)
def test_constructor_validates(region: str, sequence: int) -> None:
    with pytest.raises(ValueError):
        ApplicationNumber(region, date(2026, 3, 1), sequence)


def test_business_day_is_the_shanghai_date() -> None:
    # 2026-03-01 16:30 UTC is 2026-03-02 00:30 in Shanghai
    assert business_day(datetime(2026, 3, 1, 16, 30, tzinfo=UTC)) == date(2026, 3, 2)
    assert business_day(datetime(2026, 3, 1, 15, 59, 59, tzinfo=UTC)) == date(2026, 3, 1)
    new_york = timezone(timedelta(hours=-5))
    assert business_day(datetime(2026, 3, 1, 12, 0, tzinfo=new_york)) == date(2026, 3, 2)


def test_business_day_needs_aware_datetime() -> None:
    with pytest.raises(ValueError):
        business_day(datetime(2026, 3, 1, 12, 0))
