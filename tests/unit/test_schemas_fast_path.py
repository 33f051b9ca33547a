"""The compiled fast check and jsonschema must agree on what is valid.

`schemas.validate` trusts the compiled (fastjsonschema) check for valid bodies and asks
jsonschema only for refused ones, so a body the fast check let through that jsonschema
would refuse would slip in. Each mutation below breaks one rule; both must refuse it.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

import schemas

VALID = json.loads(
    (Path(__file__).resolve().parent.parent / "fixtures" / "application.json").read_text("utf-8")
)


def _set(path: list[Any], value: Any) -> dict[str, Any]:
    body = copy.deepcopy(VALID)
    node = body
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return body


def _drop(path: list[Any]) -> dict[str, Any]:
    body = copy.deepcopy(VALID)
    node = body
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    return body


BROKEN = {
    "channel": _set(["channel"], "fax"),
    "category": _set(["category"], "piracy"),
    "district": _set(["district"], "999999"),
    "amount type": _set(["amount"], 12.5),
    "amount shape": _set(["amount"], "12.345"),
    "facts too long": _set(["facts"], "纠" * 5001),
    "no applicants": _set(["applicants"], []),
    "party kind": _set(["applicants", 0, "kind"], "robot"),
    "party extra member": _set(["applicants", 0, "nickname"], "小张"),
    "id_number missing": _drop(["applicants", 0, "id_number"]),
    "phone type": _set(["applicants", 0, "phone"], 13800138000),
    "occurred_on format": _set(["occurred_on"], "2026-13-45"),
    "extra member": _set(["urgency"], "high"),
    "window without received_at": _set(["channel"], "window"),
    "online with received_at": _set(["received_at"], "2026-11-20T16:00:00+08:00"),
    "received_at format": _set(["received_at"], "yesterday"),
    "arbitration flag type": _set(["arbitration_agreement"], "yes"),
    "too many respondents": _set(["respondents"], [VALID["respondents"][0]] * 21),
}


def _jsonschema_valid(name: str, body: object) -> bool:
    return not list(schemas._schema_errors(schemas._validator(name), body))


def test_both_accept_the_valid_application() -> None:
    assert schemas._schema_valid("application", VALID)
    assert _jsonschema_valid("application", VALID)
    assert schemas.validate("application", VALID) == []


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_both_refuse_each_broken_application(case: str) -> None:
    body = BROKEN[case]
    assert not _jsonschema_valid("application", body), case
    assert not schemas._schema_valid("application", body), case
    assert schemas.validate("application", body), case


@pytest.mark.parametrize("name", sorted(schemas.SCHEMA_NAMES))
def test_fast_check_compiles_for_every_schema(name: str) -> None:
    assert schemas._schema_valid(name, {}) == _jsonschema_valid(name, {})


def _import_line(events: list[dict[str, Any]]) -> dict[str, Any]:
    from tests.support.imports import import_line

    return import_line(events=events)


# The compiled check has its `const`s rewritten as one-value enums: each `if` on an event's
# type must still pick its `then`.
IMPORT_EVENTS = {
    "closed without data": [{"type": "closed", "at": "2025-03-20T16:00:00+08:00"}],
    "contacted without data": [{"type": "respondent_contacted", "at": "2025-03-04T09:00:00Z"}],
    "closed failure without remedies": [
        {"type": "closed", "at": "2025-03-20T16:00:00+08:00", "data": {"outcome": "failure"}}
    ],
    "closed with a reason only": [
        {"type": "closed", "at": "2025-03-20T16:00:00+08:00", "data": {"reason": "不属于"}}
    ],
}


def test_both_accept_an_import_line_with_every_kind_of_event() -> None:
    line = _import_line(
        [
            {"type": "received", "at": "2025-03-03T10:00:00+08:00"},
            {
                "type": "respondent_contacted",
                "at": "2025-03-03T11:00:00Z",
                "data": {"willing": True},
            },
            {"type": "accepted", "at": "2025-03-04T09:00:00+08:00"},
            {
                "type": "closed",
                "at": "2025-03-20T16:00:00+08:00",
                "data": {"outcome": "failure", "remedies": "可依法向人民法院起诉"},
            },
        ]
    )
    assert schemas._schema_valid("import_case", line)
    assert _jsonschema_valid("import_case", line)


@pytest.mark.parametrize("case", sorted(IMPORT_EVENTS))
def test_both_refuse_each_broken_import_event(case: str) -> None:
    line = _import_line(IMPORT_EVENTS[case])
    assert not _jsonschema_valid("import_case", line), case
    assert not schemas._schema_valid("import_case", line), case
