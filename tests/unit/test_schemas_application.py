from __future__ import annotations

import copy
from typing import Any

import pytest

from schemas import FieldError, validate
from tests.support.builders import (
    application,
    attachment,
    company,
    make_resident_id,
    make_uscc,
    person,
)


def pointers(body: Any) -> list[str]:
    return [e.pointer for e in validate("application", body)]


def only(body: Any, pointer: str) -> FieldError:
    errors = validate("application", body)
    assert [e.pointer for e in errors] == [pointer], errors
    return errors[0]


def test_valid_application_passes() -> None:
    assert validate("application", application()) == []


def test_minimal_application_passes() -> None:
    body = application()
    for key in ("amount", "preferred_institution", "arbitration_agreement", "attachments"):
        del body[key]
    body["applicants"][0] = {k: v for k, v in person().items() if k not in ("email", "address")}
    assert validate("application", body) == []


def test_window_application_needs_received_at() -> None:
    body = application(channel="window")
    error = only(body, "/received_at")
    assert error.message == "必填字段缺失 / required field missing"
    body["received_at"] = "2026-11-02T09:30:00+08:00"
    assert validate("application", body) == []


def test_online_application_must_not_carry_received_at() -> None:
    only(application(received_at="2026-11-02T09:30:00+08:00"), "/received_at")


@pytest.mark.parametrize(
    "value",
    [
        "2026-11-02 09:30:00",
        "2026-11-02T09:30:00",
        "2026-13-02T09:30:00+08:00",
        "2026-02-30T09:30:00Z",
    ],
)
def test_received_at_must_be_rfc3339_with_offset(value: str) -> None:
    only(application(channel="window", received_at=value), "/received_at")


def test_received_at_accepts_utc_and_fractions() -> None:
    body = application(channel="window", received_at="2026-11-02T01:30:00.123456789Z")
    assert validate("application", body) == []


@pytest.mark.parametrize(
    ("path", "value", "pointer"),
    [
        (("category",), "divorce", "/category"),
        (("district",), "310000", "/district"),
        (("district",), 310104, "/district"),
        (("channel",), "phone", "/channel"),
        (("amount",), 1200.0, "/amount"),
        (("amount",), "1,200", "/amount"),
        (("amount",), "1200.001", "/amount"),
        (("amount",), "1234567890123", "/amount"),
        (("occurred_on",), "19990231", "/occurred_on"),
        (("occurred_on",), "1999-02-31", "/occurred_on"),
        (("arbitration_agreement",), "no", "/arbitration_agreement"),
        (("applicants",), {}, "/applicants"),
        (("applicants",), [], "/applicants"),
        (("applicants", 0, "kind"), "robot", "/applicants/0/kind"),
        (("applicants", 0, "name"), 42, "/applicants/0/name"),
        (("applicants", 0, "name"), "   ", "/applicants/0/name"),
        (("applicants", 0, "email"), "not-an-email", "/applicants/0/email"),
        (("respondents", 0, "id_type"), "licence", "/respondents/0/id_type"),
        (("attachments", 0, "media_type"), "application/x-msdownload", "/attachments/0/media_type"),
        (("attachments", 0, "size"), "13", "/attachments/0/size"),
        (("attachments", 0, "sha256"), "abc", "/attachments/0/sha256"),
        (("preferred_institution",), "Not An Id!", "/preferred_institution"),
    ],
)
def test_bad_values_point_at_the_field(path: tuple[Any, ...], value: Any, pointer: str) -> None:
    body = application()
    target: Any = body
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    error = only(body, pointer)
    assert " / " in error.message  # Chinese first, English after


def test_unknown_category_message_names_the_code_list() -> None:
    error = only(application(category="divorce"), "/category")
    assert error.message == "未知的纠纷类别 / unknown dispute category"


@pytest.mark.parametrize(
    "missing",
    [
        "channel",
        "category",
        "applicants",
        "respondents",
        "facts",
        "claims",
        "occurred_on",
        "occurred_place",
    ],
)
def test_missing_top_level_field(missing: str) -> None:
    # `district` may be left out: intake reads it from an address (test_application_address)
    body = application()
    del body[missing]
    assert only(body, f"/{missing}").message == "必填字段缺失 / required field missing"


@pytest.mark.parametrize("missing", ["kind", "name", "id_type", "id_number", "phone"])
def test_missing_party_field_points_at_the_member(missing: str) -> None:
    body = application()
    del body["applicants"][0][missing]
    only(body, f"/applicants/0/{missing}")


def test_several_missing_members_each_get_a_pointer() -> None:
    body = application()
    body["respondents"].append({"kind": "person", "name": "李四"})
    assert pointers(body) == [
        "/respondents/1/id_type",
        "/respondents/1/id_number",
        "/respondents/1/phone",
    ]


def test_extra_properties_point_at_the_extra_member() -> None:
    body = application(secret_flag=True, priority=1)
    body["applicants"][0]["nickname"] = "三哥"
    body["attachments"][0]["url"] = "http://x"
    errors = validate("application", body)
    assert {e.pointer for e in errors} == {
        "/secret_flag",
        "/priority",
        "/applicants/0/nickname",
        "/attachments/0/url",
    }
    assert all(e.message == "不允许的字段 / unknown field not allowed" for e in errors)


def test_pointer_escapes_special_characters() -> None:
    assert pointers(application(**{"a/b~c": 1})) == ["/a~1b~0c"]


def test_wrong_root_type() -> None:
    bodies: list[Any] = [[], "text", None, 3]
    for body in bodies:
        assert pointers(body) == [""]


@pytest.mark.parametrize(
    ("field", "limit"),
    [("facts", 5000), ("claims", 5000), ("occurred_place", 200)],
)
def test_oversize_strings(field: str, limit: int) -> None:
    assert validate("application", application(**{field: "字" * limit})) == []
    error = only(application(**{field: "字" * (limit + 1)}), f"/{field}")
    assert str(limit) in error.message


def test_oversize_party_name() -> None:
    body = application()
    body["applicants"][0]["name"] = "王" * 101
    only(body, "/applicants/0/name")


def test_too_many_parties_and_attachments() -> None:
    only(application(applicants=[person()] * 21), "/applicants")
    assert validate("application", application(applicants=[person()] * 20)) == []
    only(application(attachments=[attachment()] * 11), "/attachments")
    assert validate("application", application(attachments=[attachment()] * 10)) == []


def test_attachment_over_five_mebibytes() -> None:
    body = application()
    body["attachments"][0]["size"] = 5 * 1024 * 1024 + 1
    assert "/attachments/0/size" in pointers(body)
    body = application()
    body["attachments"][0]["content_base64"] = "A" * (7 * 1024 * 1024)
    assert "/attachments/0/content_base64" in pointers(body)


def test_attachment_integrity() -> None:
    body = application()
    body["attachments"][0]["sha256"] = "0" * 64
    only(body, "/attachments/0/sha256")
    body = application()
    body["attachments"][0]["size"] = 3
    only(body, "/attachments/0/size")
    body = application()
    body["attachments"][0]["content_base64"] = "QUJD=A"
    assert pointers(body) == ["/attachments/0/content_base64"]


def test_bad_resident_id_check_digit() -> None:
    body = application()
    good = body["applicants"][0]["id_number"]
    body["applicants"][0]["id_number"] = good[:-1] + ("0" if good[-1] != "0" else "1")
    error = only(body, "/applicants/0/id_number")
    assert error.message.startswith("居民身份证号码校验码错误")


def test_bad_birth_date_in_resident_id() -> None:
    body = application()
    body["applicants"][0]["id_number"] = make_resident_id(born="19990231")
    assert "出生日期" in only(body, "/applicants/0/id_number").message


def test_public_resident_id_example_is_accepted() -> None:
    body = application()
    body["applicants"][0]["id_number"] = "11010519491231002X"
    assert validate("application", body) == []


def test_bad_uscc_check_character() -> None:
    body = application()
    good = make_uscc()
    body["respondents"][0]["id_number"] = good[:-1] + ("0" if good[-1] != "0" else "1")
    assert "校验码" in only(body, "/respondents/0/id_number").message


def test_public_uscc_example_is_accepted() -> None:
    body = application(respondents=[company(id_number="91350100M000100Y43")])
    assert validate("application", body) == []


@pytest.mark.parametrize("phone", ["12345", "1381234567", "12812345678", "021-0234567"])
def test_bad_phone(phone: str) -> None:
    body = application()
    body["applicants"][0]["phone"] = phone
    assert "电话" in only(body, "/applicants/0/phone").message


def test_landline_and_international_phones_pass() -> None:
    body = application()
    body["applicants"][0]["phone"] = "+86 138 1234 5678"
    body["respondents"][0]["phone"] = "02112345678"
    assert validate("application", body) == []


def test_id_type_must_fit_party_kind() -> None:
    body = application(applicants=[person(id_type="uscc", id_number=make_uscc())])
    assert "证件类型" in only(body, "/applicants/0/id_type").message
    body = application(respondents=[company(id_type="resident_id", id_number=make_resident_id())])
    only(body, "/respondents/0/id_type")
    body = application(respondents=[company(id_type="passport", id_number="E12345678")])
    only(body, "/respondents/0/id_type")


def test_passport_and_other_documents_are_checked_loosely() -> None:
    ok = application(
        applicants=[
            person(id_type="passport", id_number="E12345678"),
            person(id_type="other", id_number="H12345678"),
        ],
        respondents=[company(id_type="other", id_number="民非登记证123")],
    )
    assert validate("application", ok) == []
    only(
        application(applicants=[person(id_type="passport", id_number="E1-23")]),
        "/applicants/0/id_number",
    )


def test_schema_error_wins_over_semantic_check_on_the_same_field() -> None:
    body = application()
    body["applicants"][0]["id_number"] = "1" * 40
    error = only(body, "/applicants/0/id_number")
    assert "32" in error.message


def test_validate_does_not_mutate_the_body() -> None:
    body = application()
    before = copy.deepcopy(body)
    validate("application", body)
    assert body == before


def test_unknown_schema_name_is_a_programming_error() -> None:
    with pytest.raises(KeyError):
        validate("no_such_schema", {})
