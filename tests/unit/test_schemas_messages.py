"""institution_event, dispatch, referrals, registry, complaints, help, grants, withdraw."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from schemas import BASE_URI, SCHEMA_NAMES, FieldError, schema_document, validate
from tests.support.builders import attachment


def ptrs(name: str, body: Any) -> list[str]:
    return [e.pointer for e in validate(name, body)]


def event(type_: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"event_id": str(uuid.uuid4()), "type": type_}
    if data is not None:
        body["data"] = data
    return body


@pytest.mark.parametrize(
    "body",
    [
        event("received"),
        event("received", {}),
        event("accepted", {"note": "已受理"}),
        event("respondent_contacted", {"willing": None, "note": "电话未接通"}),
        event("respondent_contacted", {"willing": True}),
        event("rejected", {"reason": "不属于本委员会受理范围"}),
        event("returned", {"reason": "纠纷发生地不在本区"}),
        event(
            "closed",
            {
                "outcome": "success",
                "agreement": {"summary": "被申请人退款1200元", "amount": "1200.00"},
            },
        ),
        event("closed", {"outcome": "failure", "remedies": "可向徐汇区人民法院起诉"}),
    ],
)
def test_valid_institution_events(body: dict[str, Any]) -> None:
    assert validate("institution_event", body) == []


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        (event("rejected"), "/data"),
        (event("rejected", {}), "/data/reason"),
        (event("returned", {"reason": ""}), "/data/reason"),
        (event("rejected", {"reason": "x" * 1001}), "/data/reason"),
        (event("closed", {}), "/data/outcome"),
        (event("closed", {"outcome": "partial"}), "/data/outcome"),
        (event("closed", {"outcome": "failure"}), "/data/remedies"),
        (
            event("closed", {"outcome": "success", "agreement": {"amount": "1"}}),
            "/data/agreement/summary",
        ),
        (
            event("closed", {"outcome": "success", "agreement": {"summary": "s", "amount": 5}}),
            "/data/agreement/amount",
        ),
        (event("respondent_contacted", {"note": "n"}), "/data/willing"),
        (event("respondent_contacted", {"willing": "yes"}), "/data/willing"),
        (event("accepted", {"reason": "unexpected"}), "/data/reason"),
        (event("approved"), "/type"),
        ({"type": "received"}, "/event_id"),
        ({"event_id": "not-a-uuid", "type": "received"}, "/event_id"),
        ({"event_id": str(uuid.uuid4())}, "/type"),
    ],
)
def test_invalid_institution_events(body: dict[str, Any], pointer: str) -> None:
    assert ptrs("institution_event", body) == [pointer]


def test_dispatch_and_withdraw() -> None:
    assert validate("dispatch", {"institution": "pm-310104-01"}) == []
    assert ptrs("dispatch", {}) == ["/institution"]
    assert ptrs("dispatch", {"institution": "pm-310104-01", "x": 1}) == ["/x"]
    assert validate("withdraw", {}) == []
    assert validate("withdraw", {"reason": "已与对方和解"}) == []
    assert ptrs("withdraw", {"reason": "r" * 1001}) == ["/reason"]
    assert ptrs("withdraw", {"why": "r"}) == ["/why"]


def test_referral_request() -> None:
    ok = {
        "kind": "judicial_confirmation",
        "target": "court-310104",
        "documents": [attachment(b"agreement", "调解协议.pdf")],
    }
    assert validate("referral_request", ok) == []
    assert validate("referral_request", {"kind": "litigation"}) == []
    assert ptrs("referral_request", {"kind": "appeal"}) == ["/kind"]
    bad = {"kind": "arbitration", "documents": [attachment()] * 11}
    assert ptrs("referral_request", bad) == ["/documents"]
    tampered = {"kind": "arbitration", "documents": [{**attachment(), "sha256": "f" * 64}]}
    assert ptrs("referral_request", tampered) == ["/documents/0/sha256"]


def test_referral_result() -> None:
    ok = {
        "outcome": "confirmed",
        "case_no": "(2026)沪0104民特123号",
        "decided_on": "2026-11-20",
        "document": {"sha256": "a" * 64},
    }
    assert validate("referral_result", ok) == []
    assert ptrs("referral_result", {"outcome": "confirmed"}) == ["/decided_on"]
    assert ptrs("referral_result", {"outcome": "won", "decided_on": "2026-11-20"}) == ["/outcome"]
    assert ptrs("referral_result", {**ok, "decided_on": "2026-02-30"}) == ["/decided_on"]
    assert ptrs("referral_result", {**ok, "document": {}}) == ["/document/sha256"]


def institution(**over: Any) -> dict[str, Any]:
    i = {
        "id": "pm-310104-01",
        "name": "徐汇区人民调解委员会",
        "kind": "people_mediation",
        "unit": "sfj",
        "categories": ["neighbor", "family"],
        "districts": ["310104"],
        "capacity": 50,
        "visible": True,
        "phone": "021-64872345",
        "address": "上海市徐汇区漕溪北路336号",
        "delivery": {"kind": "feed"},
    }
    i.update(over)
    return i


def test_registry_file() -> None:
    ok = {
        "units": [{"id": "sfj", "name": "市司法局"}],
        "institutions": [
            institution(),
            institution(id="x-1", delivery={"kind": "amqp"}),
            institution(
                id="x-2",
                delivery={
                    "kind": "webhook",
                    "url": "https://inst.example/hook",
                    "secret": "s" * 32,
                },
            ),
        ],
    }
    assert validate("registry_file", ok) == []
    cases: list[tuple[dict[str, Any], str]] = [
        (institution(categories=["divorce"]), "/institutions/0/categories/0"),
        (institution(districts=["310104", "310199"]), "/institutions/0/districts/1"),
        (institution(districts=[]), "/institutions/0/districts"),
        (institution(kind="police"), "/institutions/0/kind"),
        (institution(capacity=0), "/institutions/0/capacity"),
        (institution(phone="12345"), "/institutions/0/phone"),
        (institution(delivery={"kind": "webhook"}), "/institutions/0/delivery/url"),
        (
            institution(delivery={"kind": "feed", "secret": "s" * 32}),
            "/institutions/0/delivery/secret",
        ),
        (
            institution(delivery={"kind": "webhook", "url": "ftp://x", "secret": "s" * 32}),
            "/institutions/0/delivery/url",
        ),
        (institution(delivery={"kind": "smtp"}), "/institutions/0/delivery/kind"),
        (institution(extra=1), "/institutions/0/extra"),
    ]
    for inst, pointer in cases:
        errors = ptrs("registry_file", {"institutions": [inst]})
        assert pointer in errors, (inst, errors)
    dup = {"institutions": [institution(), institution()]}
    assert ptrs("registry_file", dup) == ["/institutions/1/id"]
    webhook_no_secret = {
        "institutions": [
            institution(delivery={"kind": "webhook", "url": "https://inst.example/hook"})
        ]
    }
    assert ptrs("registry_file", webhook_no_secret) == ["/institutions/0/delivery/secret"]


def test_registry_change() -> None:
    fields = {k: v for k, v in institution().items() if k != "id"}
    assert (
        validate(
            "registry_change",
            {"action": "add", "institution": "pm-310104-02", "data": fields, "reason": "新设"},
        )
        == []
    )
    assert (
        validate(
            "registry_change",
            {
                "action": "update",
                "institution": "pm-310104-01",
                "data": {"capacity": 80},
                "reason": "扩编",
            },
        )
        == []
    )
    assert (
        validate(
            "registry_change",
            {"action": "suspend", "institution": "pm-310104-01", "reason": "整改"},
        )
        == []
    )
    assert ptrs(
        "registry_change",
        {"action": "add", "institution": "a", "reason": "r", "data": {"name": "n"}},
    ) == ["/data/kind", "/data/unit", "/data/categories", "/data/districts", "/data/delivery"]
    assert ptrs("registry_change", {"action": "update", "institution": "a", "reason": "r"}) == [
        "/data"
    ]
    assert ptrs(
        "registry_change",
        {"action": "hide", "institution": "a", "reason": "r", "data": {"visible": False}},
    ) == ["/data"]
    assert ptrs("registry_change", {"action": "close", "institution": "a"}) == ["/reason"]
    assert ptrs(
        "registry_change",
        {"action": "update", "institution": "a", "reason": "r", "data": {"phone": "1"}},
    ) == ["/data/phone"]
    assert ptrs(
        "registry_change",
        {"action": "update", "institution": "a", "reason": "r", "data": {"phone": "02112"}},
    ) == ["/data/phone"]


def test_complaint() -> None:
    ok = {
        "institution": "pm-310104-01",
        "type": "overdue",
        "content": "超过三个工作日无人联系",
        "application_no": "310000-20261102-000001-5",
        "contact": {"name": "张三", "phone": "13812345678"},
    }
    assert validate("complaint", ok) == []
    assert ptrs("complaint", {**ok, "contact": {"name": "张三"}}) == ["/contact/phone"]
    assert ptrs("complaint", {**ok, "contact": {"phone": "10086"}}) == ["/contact/phone"]
    assert ptrs("complaint", {**ok, "type": "rude"}) == ["/type"]
    assert ptrs("complaint", {**ok, "content": "x" * 5001}) == ["/content"]
    assert ptrs("complaint", {**ok, "application_no": "abc"}) == ["/application_no"]


def test_help_article() -> None:
    ok = {
        "title": "如何申请调解？",
        "body": "登录一网通办……",
        "category": "consumer",
        "tags": ["调解", "申请"],
    }
    assert validate("help_article", ok) == []
    assert ptrs("help_article", {"title": "t"}) == ["/body"]
    assert ptrs("help_article", {**ok, "tags": ["a", "a"]}) == ["/tags"]
    assert ptrs("help_article", {**ok, "title": "t" * 201}) == ["/title"]
    assert ptrs("help_article", {**ok, "category": "x"}) == ["/category"]


def test_grant() -> None:
    ok = {
        "purpose": "市数据局纠纷态势专题分析",
        "scope": {"from": "2026-01-01", "to": "2026-06-30", "districts": ["310104"]},
        "fields": ["applicants.name", "amount"],
        "expiry": "2026-12-31T23:59:59+08:00",
        "approver": "王五",
        "grantee": "databureau",
    }
    assert validate("grant", ok) == []
    for missing in ("purpose", "scope", "fields", "expiry", "approver"):
        body = {k: v for k, v in ok.items() if k != missing}
        assert ptrs("grant", body) == [f"/{missing}"]
    assert ptrs("grant", {**ok, "scope": {}}) == ["/scope"]
    assert ptrs("grant", {**ok, "fields": []}) == ["/fields"]
    assert ptrs("grant", {**ok, "expiry": "2026-12-31"}) == ["/expiry"]


def test_field_error_is_frozen_and_serialisable() -> None:
    error = FieldError("/a", "m")
    with pytest.raises(AttributeError):
        error.pointer = "/b"  # type: ignore[misc]
    assert error.as_dict() == {"pointer": "/a", "message": "m"}


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schema_files_and_documents(name: str) -> None:
    from pathlib import Path

    import schemas

    raw = json.loads((Path(schemas.__file__).parent / f"{name}.schema.json").read_text("utf-8"))
    assert raw["$id"] == BASE_URI + name
    assert raw["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    doc = schema_document(name)
    text = json.dumps(doc, ensure_ascii=False)
    assert "$ref" not in text and "$id" not in text
    assert doc["type"] == "object"
    doc["title"] = "changed"  # a copy: the cached original stays intact
    assert schema_document(name)["title"] != "changed"


def test_every_object_schema_forbids_additional_properties() -> None:
    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" in node:
                assert node.get("additionalProperties") is False, node
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for name in SCHEMA_NAMES:
        walk(schema_document(name))


def test_embedded_enums_come_from_the_code_lists() -> None:
    from schemas.codes import CATEGORIES, DISTRICTS

    props = schema_document("application")["properties"]
    assert props["category"]["enum"] == list(CATEGORIES)
    assert props["district"]["enum"] == list(DISTRICTS)
