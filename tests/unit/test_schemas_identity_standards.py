"""Validation by the standards (issue 12 item 11): phones by the numbering plan
(libphonenumber), GB 32100 structure, GB 11643 area codes of every GB/T 2260 edition."""

from __future__ import annotations

import pytest

import schemas
from schemas import identity
from tests.support.builders import application, company, make_resident_id, person


@pytest.mark.parametrize(
    "phone",
    [
        "14012345678",  # 140-144 and 154 are no mobile blocks
        "14112345678",
        "14412345678",
        "15412345678",
        "021-7674765",  # Shanghai numbers have 8 digits
        "021-767476512",
        "026-12345678",  # no city has 026
        "0601-1234567",
        "+861850355875",  # a mobile one digit short, not a landline of "185"
        "2996831",  # a landline written at home starts with the trunk 0
        "13812345678-1234",  # mobiles have no extensions
        "021-64871234转1234567",  # extensions have 1-6 digits
        "4008123456",  # 400/800 are organizations' numbers
        "+852 21234567",  # mainland numbers only
        "１３８１２３４５６７８",  # ASCII digits only
    ],
)
def test_phones_the_numbering_plan_refuses(phone: str) -> None:
    assert not identity.is_phone(phone)


@pytest.mark.parametrize(
    ("phone", "e164", "extension"),
    [
        ("13812345678", "+8613812345678", None),
        ("+86 138 1234 5678", "+8613812345678", None),
        ("021-64871234", "+862164871234", None),
        ("(021)64871234", "+862164871234", None),
        ("0571-88888888", "+8657188888888", None),
        ("+86 755 12345678-1234", "+8675512345678", "1234"),  # 21 characters with spaces
        ("021-64871234转1234", "+862164871234", "1234"),
        ("021-64871234 ext. 1234", "+862164871234", "1234"),
        ("021-64871234分机88", "+862164871234", "88"),
        ("021-62345678-8001", "+862162345678", "8001"),
    ],
)
def test_phones_read_with_their_extension_kept(
    phone: str, e164: str, extension: str | None
) -> None:
    read = identity.read_phone(phone)
    assert read is not None, phone
    assert (read.e164, read.extension) == (e164, extension)


def test_400_and_800_numbers_are_for_organizations() -> None:
    for number in ("4008123456", "400-812-3456", "8008101234", "800-810-1234"):
        assert identity.is_phone(number, organization=True), number
        assert not identity.is_phone(number), number
    org = application(respondents=[company(phone="400-812-3456")])
    assert schemas.validate("application", org) == []
    as_person = application(applicants=[person(phone="400-812-3456")])
    assert [e.pointer for e in schemas.validate("application", as_person)] == [
        "/applicants/0/phone"
    ]
    extension = application(applicants=[person(phone="+86 755 12345678-1234")])
    assert schemas.validate("application", extension) == []


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",  # the standard's example
        "11310000MB0000000X",  # 1: 机构编制, 1: 机关
        "31310000MD0000000X",  # 3: 司法行政, 1: 律师事务所
        "53310000MJ0000000X",  # 5: 民政, 3: 基金会
        "92310104MA00000000",  # 9: 工商, 2: 个体工商户
        "A1310000MA00000000",  # A: 中央军委改革和编制办公室
        "N2310115MA00000000",  # N: 农业, 2: 村级集体经济组织
        "Y1310000MA00000000",  # Y: 其他
    ],
)
def test_credit_codes_of_each_department(code: str) -> None:
    code = code[:17] + identity.uscc_check_character(code[:17])
    assert identity.uscc_problem(code) is None, code


@pytest.mark.parametrize(
    ("first17", "why"),
    [
        ("9A310104MA1FL0000", "登记管理部门码或机构类别码"),  # a letter in position 2
        ("94310104MA1FL0000", "登记管理部门码或机构类别码"),  # 工商 has types 1-3 only
        ("B1310104MA1FL0000", "登记管理部门码或机构类别码"),  # no department B
        ("01310104MA1FL0000", "登记管理部门码或机构类别码"),
        ("Y2310104MA1FL0000", "登记管理部门码或机构类别码"),
        ("9131A104MA1FL0000", "第3-8位"),  # a letter in the region code
        ("91310H04MA1FL0000", "第3-8位"),
    ],
)
def test_credit_codes_with_a_wrong_structure(first17: str, why: str) -> None:
    code = first17 + identity.uscc_check_character(first17)
    assert why in (identity.uscc_problem(code) or ""), code


@pytest.mark.parametrize(
    ("area", "born"),
    [
        ("310104", "19900307"),
        ("310103", "20150101"),  # 卢湾区, gone in 2011: a code is kept for life
        ("110103", "19550101"),  # 崇文区 [-2010]
        ("110118", "19600101"),  # 密云区 [2015-]: created after the birth, allowed
        ("310225", "19700101"),  # 南汇县, long gone
        ("810000", "19800101"),  # residence permits of Hong Kong,
        ("820000", "19800101"),  # Macao
        ("830000", "19800101"),  # and Taiwan residents
        ("310000", "19800101"),  # a province's own code
        ("710000", "19800101"),  # 台湾省 stands in GB/T 2260
    ],
)
def test_area_codes_of_any_edition_are_accepted(area: str, born: str) -> None:
    assert identity.resident_id_problem(make_resident_id(area, born)) is None


@pytest.mark.parametrize("area", ["999999", "310199", "990000", "000000", "123456", "310000"[:5]])
def test_area_codes_that_never_existed_are_refused(area: str) -> None:
    if len(area) != 6:
        assert not identity.area_code_existed(area)
        return
    problem = identity.resident_id_problem(make_resident_id(area))
    assert problem is not None and "GB/T 2260" in problem


def test_the_division_table_holds_every_edition() -> None:
    codes = identity._area_codes()
    assert len(codes) > 6000
    assert {"310101", "310104", "310151", "310108", "310230"} <= codes  # 闸北区, 崇明县 too


@pytest.mark.parametrize(
    ("vin", "check"),
    [
        ("1M8GDM9AXKP042788", "X"),  # ISO 3779's worked example (check character X)
        ("11111111111111111", "1"),  # the all-ones VIN is its own check
        ("LSVAM4187E2190536", "5"),  # whatever stands in position 9 is ignored
    ],
)
def test_vin_check_character_of_iso_3779(vin: str, check: str) -> None:
    assert identity.vin_check_character(vin) == check
    completed = vin[:8] + check + vin[9:]
    assert identity.is_vin(completed)
    assert not identity.is_vin(vin[:8] + ("0" if check != "0" else "1") + vin[9:])


@pytest.mark.parametrize("bad", ["1M8GDM9AXKP04278", "1M8GDM9AXKP04278I", "1m8gdm9axkp042788"])
def test_vin_outside_its_alphabet_or_length(bad: str) -> None:
    assert not identity.is_vin(bad)
    with pytest.raises(ValueError):
        identity.vin_check_character(bad)


@pytest.mark.parametrize("number", ["79927398713", "4111111111111111", "6222021001115678903"])
def test_luhn_check_digit_completes_a_card(number: str) -> None:
    """The digit that completes a card is the one the Luhn check accepts, and only it."""
    body = number[:-1]
    digit = identity.luhn_check_digit(body)
    assert identity.luhn_ok(body + digit)
    assert [d for d in "0123456789" if identity.luhn_ok(body + d)] == [digit]
