"""Bad input: each a clear problem+json answer, and no row written anywhere."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx

from tests.support.api import (
    APPLICANT_ID,
    RESPONDENT_USCC,
    Api,
    application_body,
    count_rows,
    make_number,
)
from tests.support.builders import make_resident_id

PROBLEM_TYPES = "https://onematter.example/problems/"


def resident_id(born: str) -> str:
    """A resident ID with a correct GB 11643 check digit (whatever the birth date)."""
    return make_resident_id("310104", born, "123")


def assert_problem(r: httpx.Response, status: int, pointers: list[str] | None = None) -> None:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json"), r.headers
    problem = r.json()
    assert problem["status"] == status
    assert problem["type"].startswith(PROBLEM_TYPES)
    assert problem["title"] and problem["detail"]
    if pointers is not None:
        assert sorted(e["pointer"] for e in problem["errors"]) == sorted(pointers), problem
        assert all(e["message"] for e in problem["errors"])


def _edit(change: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
    body = application_body()
    change(body)
    return body


def _swap_last(value: str) -> str:
    return value[:-1] + ("1" if value[-1] != "1" else "2")


#: (label, body, expected pointers), each a 422 from POST /v1/applications
INVALID_APPLICATIONS: list[tuple[str, Any, list[str]]] = [
    ("amount is a number", application_body(amount=3000), ["/amount"]),
    ("applicants is a string", application_body(applicants="王小明"), ["/applicants"]),
    (
        "agreement is a string",
        application_body(arbitration_agreement="yes"),
        ["/arbitration_agreement"],
    ),
    ("body is an array", [application_body()], [""]),
    ("facts missing", _edit(lambda b: b.pop("facts")), ["/facts"]),
    ("applicants missing", _edit(lambda b: b.pop("applicants")), ["/applicants"]),
    (
        "id number missing",
        _edit(lambda b: b["applicants"][0].pop("id_number")),
        ["/applicants/0/id_number"],
    ),
    (
        "resident ID check digit",
        _edit(lambda b: b["applicants"][0].update(id_number=_swap_last(APPLICANT_ID))),
        ["/applicants/0/id_number"],
    ),
    (
        "impossible birth date",
        _edit(lambda b: b["applicants"][0].update(id_number=resident_id("19900230"))),
        ["/applicants/0/id_number"],
    ),
    (
        "USCC check character",
        _edit(lambda b: b["respondents"][0].update(id_number=_swap_last(RESPONDENT_USCC))),
        ["/respondents/0/id_number"],
    ),
    ("phone", _edit(lambda b: b["applicants"][0].update(phone="12345")), ["/applicants/0/phone"]),
    ("unknown category", application_body(category="astrology"), ["/category"]),
    ("unknown district", application_body(district="310999"), ["/district"]),
    ("unknown member", application_body(colour="red"), ["/colour"]),
    (
        "online with received_at",
        application_body(received_at="2026-11-20T09:00:00+08:00"),
        ["/received_at"],
    ),
    (
        "unknown preferred institution",
        application_body(preferred_institution="nobody"),
        ["/preferred_institution"],
    ),
]


def test_invalid_applications_are_422_with_pointers_and_write_nothing(api: Api) -> None:
    api.submitted()  # a first application, so the day's counter row exists
    before = count_rows(api.ctx)
    for label, body, pointers in INVALID_APPLICATIONS:
        r = api.client.post("/v1/applications", json=body, headers=api.auth("portal"))
        try:
            assert_problem(r, 422, pointers)
        except AssertionError as exc:
            raise AssertionError(f"{label}: {exc}") from None
        assert count_rows(api.ctx) == before, label
    # nothing written, not even a number used: the next application takes number 2; and
    # the helper's IDs are right, so the impossible-date case failed on its date alone
    good = _edit(lambda b: b["applicants"][0].update(id_number=resident_id("19900228")))
    assert api.submitted(**good)["application_no"].startswith("310000-20261123-000002-")


def test_first_application_of_the_day_rejected_leaves_no_counter(api: Api) -> None:
    before = count_rows(api.ctx)
    r = api.submit(application_body(preferred_institution="nobody"))
    assert_problem(r, 422, ["/preferred_institution"])
    assert count_rows(api.ctx) == before
    assert before["day_sequence"] == 0


def test_malformed_json_and_wrong_content_type(api: Api) -> None:
    before = count_rows(api.ctx)
    headers = api.auth("portal", **{"content-type": "application/json"})
    for raw in (b'{"channel": "online",', b"\xff\xfe{}", b"{'channel': 'online'}", b"NaN]"):
        r = api.client.post("/v1/applications", content=raw, headers=headers)
        assert_problem(r, 400)
        assert r.json()["type"] == PROBLEM_TYPES + "malformed-json"
    text_plain = api.auth("portal", **{"content-type": "text/plain"})
    r = api.client.post(
        "/v1/applications", content=json.dumps(application_body()), headers=text_plain
    )
    assert_problem(r, 415)
    assert count_rows(api.ctx) == before


def test_oversize_body_is_413(api: Api) -> None:
    api.ctx.settings = dataclasses.replace(api.ctx.settings, max_body_bytes=4096)
    before = count_rows(api.ctx)
    big = application_body(facts="纠" * 3000)
    r = api.client.post("/v1/applications", json=big, headers=api.auth("portal"))
    assert_problem(r, 413)

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit holds while streaming
        raw = json.dumps(big).encode()
        for i in range(0, len(raw), 1000):
            yield raw[i : i + 1000]

    headers = api.auth("portal", **{"content-type": "application/json"})
    r = api.client.post("/v1/applications", content=chunks(), headers=headers)
    assert_problem(r, 413)
    assert count_rows(api.ctx) == before
    # a body under the limit still goes through
    assert api.submit().status_code == 201


def test_missing_or_invalid_token_is_401_and_wrong_role_403(api: Api) -> None:
    before = count_rows(api.ctx)
    body = application_body()
    r = api.client.post("/v1/applications", json=body)
    assert_problem(r, 401)
    assert r.headers["www-authenticate"].startswith("Bearer")
    for header in ("Bearer om_not-a-real-token", "Basic dXNlcjpwYXNz", "Bearer ", "om_x"):
        r = api.client.post("/v1/applications", json=body, headers={"Authorization": header})
        assert_problem(r, 401)
    for role, party in (("court", "court-310104"), ("unit", "sfj"), ("databureau", None)):
        r = api.client.post("/v1/applications", json=body, headers=api.auth(role, party))
        assert_problem(r, 403)
    assert count_rows(api.ctx) == before
    # authentication comes before the body is even read
    r = api.client.post(
        "/v1/applications", content=b"{bad", headers={"content-type": "application/json"}
    )
    assert_problem(r, 401)


def test_bad_events_referrals_and_results_write_nothing(api: Api) -> None:
    no = api.submitted(preferred_institution="pm-a")["application_no"]
    before = count_rows(api.ctx)
    inst = api.auth("institution", "pm-a")
    url = f"/v1/applications/{no}/events"
    cases: list[tuple[Any, list[str]]] = [
        ({"event_id": "not-a-uuid", "type": "received"}, ["/event_id"]),
        ({"event_id": "6f1c7e8e-4a0b-4c55-9d53-0d2a8c0f1a11", "type": "flown"}, ["/type"]),
        (
            {"event_id": "6f1c7e8e-4a0b-4c55-9d53-0d2a8c0f1a11", "type": "rejected", "data": {}},
            ["/data/reason"],
        ),
        ({"type": "received"}, ["/event_id"]),
    ]
    for body, pointers in cases:
        assert_problem(api.client.post(url, json=body, headers=inst), 422, pointers)
    r = api.client.post(
        url,
        json={"event_id": "6f1c7e8e-4a0b-4c55-9d53-0d2a8c0f1a11", "type": "received"},
        headers=api.auth("unit", "sfj"),
    )
    assert_problem(r, 403)
    r = api.client.post(
        f"/v1/applications/{no}/referrals", json={"kind": "mediation"}, headers=inst
    )
    assert_problem(r, 422, ["/kind"])
    r = api.client.post(
        "/v1/referrals/00000000-0000-0000-0000-000000000000/result",
        json={"outcome": "maybe", "decided_on": "2026-11-23"},
        headers=api.auth("court", "court-310104"),
    )
    assert_problem(r, 422, ["/outcome"])
    r = api.client.post(
        f"/v1/applications/{no}/dispatch", json={"institution": 42}, headers=api.auth("unit", "sfj")
    )
    assert_problem(r, 422, ["/institution"])
    assert count_rows(api.ctx) == before
    assert api.record(no).json()["status"] == "dispatched"


def _bilingual(message: str) -> bool:
    """Chinese first, then English (STYLE, INTERFACE 1, issue 13 item 9)."""
    zh, sep, en = message.partition(" / ")
    return (
        bool(sep)
        and any("\u4e00" <= c <= "\u9fff" for c in zh)
        and any(c.isascii() and c.isalpha() for c in en)
    )


#: A party the small registry has, for each role a route may name first.
PARTY_OF = {
    "portal": "portal",
    "institution": "pm-a",
    "unit": "sfj",
    "admin": None,
    "court": "court-310104",
    "arbitration": "arb-commercial",
    "databureau": None,
}
#: What a careless or hostile caller types into a parameter.
BAD_VALUES = ("bogus", "-1", "0", "1000", "9" * 5000)


def test_every_refused_parameter_is_explained_chinese_first_then_english(api: Api) -> None:
    """Outside review 2026-12-03: the `errors[].message` of refused query and path
    parameters was English only ("integer 0-30", "unknown category", "1-1000", "a year
    from 2000 to 2100"...) or Chinese only (`/v1/stats?by`). Walks every declared GET
    route and parameter with bad values: never a 500, every message in both languages."""
    from hub.api.declare import DeclaredRoute

    no = make_number("20261123", 1)
    refused: set[str] = set()
    for route in api.client.app.routes:  # type: ignore[attr-defined]
        if not isinstance(route, DeclaredRoute) or route.operation.method != "GET":
            continue
        op = route.operation
        role = (op.roles[0].value if op.roles else "portal") if op.roles is not None else None
        headers = api.auth(role, PARTY_OF[role]) if role else {}
        for param in op.params:
            if param.where == "header":
                continue
            for bad in BAD_VALUES:
                path = op.path
                for other in op.params:
                    if other.where == "path":
                        shown = bad if other is param else (no if other.name == "no" else "1")
                        path = path.replace("{" + other.name + "}", shown)
                query = {param.name: bad} if param.where == "query" else {}
                r = api.client.get(path, params=query, headers=headers)
                assert r.status_code < 500, (op.operation_id, param.name, r.text[:300])
                if r.status_code < 400 or "errors" not in r.text:
                    continue
                for error in r.json().get("errors", []):
                    assert _bilingual(error["message"]), (op.operation_id, param.name, error)
                    refused.add(error["pointer"])
    # the walk reached the parameters the review named (and many more)
    assert {"/query/by", "/query/wait", "/query/category", "/query/limit"} <= refused
    assert "/path/year" in refused and len(refused) >= 20, sorted(refused)


def test_a_refused_idempotency_key_is_explained_in_both_languages(api: Api) -> None:
    body = {
        "type": "consultation",
        "content": "想咨询楼上漏水怎么办",
        "contact": {"phone": "13917285546"},
    }
    r = api.client.post(
        "/v1/workorders",
        json=body,
        headers=api.auth("portal", "portal", **{"Idempotency-Key": "x" * 201}),
    )
    assert_problem(r, 422, ["/headers/Idempotency-Key"])
    assert _bilingual(r.json()["errors"][0]["message"]), r.text
