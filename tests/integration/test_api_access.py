"""Idempotent repeats, who may see what, the public status, and wrong-state answers."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.support.api import (
    APPLICANT_ID,
    APPLICANT_NAME,
    APPLICANT_PHONE,
    CLAIMS,
    FACTS,
    RESPONDENT_NAME,
    RESPONDENT_PHONE,
    RESPONDENT_USCC,
    Api,
    application_body,
    count_rows,
    make_number,
    number_is_valid,
    wrong_check,
)


def test_numbers_are_well_formed_and_consecutive(api: Api) -> None:
    numbers = [api.submitted()["application_no"] for _ in range(3)]
    assert numbers == [make_number("20261123", i) for i in (1, 2, 3)]
    assert all(number_is_valid(n) for n in numbers)


# -- idempotency ------------------------------------------------------------------------


def test_same_idempotency_key_and_body_answers_the_first_answer_and_creates_nothing(
    api: Api,
) -> None:
    first = api.submit(application_body(), key="portal-req-0001")
    assert first.status_code == 201
    before = count_rows(api.ctx)
    again = api.submit(application_body(), key="portal-req-0001")
    assert again.status_code == 201
    assert again.content == first.content  # same number, same query code
    assert count_rows(api.ctx) == before
    assert before["application"] == 1


def test_same_idempotency_key_with_another_body_is_409(api: Api) -> None:
    assert api.submit(application_body(), key="portal-req-0002").status_code == 201
    before = count_rows(api.ctx)
    r = api.submit(application_body(claims="另一个请求"), key="portal-req-0002")
    assert r.status_code == 409
    assert r.headers["content-type"].startswith("application/problem+json")
    assert count_rows(api.ctx) == before


def test_idempotency_keys_are_each_callers_own(api: Api) -> None:
    from tests.support.api import application_body as body

    window = body(channel="window", received_at="2026-11-23T09:00:00+08:00")
    a = api.submit(application_body(), key="shared-key")
    b = api.submit(window, role="institution", party="pm-a", key="shared-key")
    assert (a.status_code, b.status_code) == (201, 201)
    assert a.json()["application_no"] != b.json()["application_no"]


def test_repeated_event_id_answers_the_same_and_records_one_event(api: Api) -> None:
    no = api.submitted(preferred_institution="pm-a")["application_no"]
    event_id = str(uuid.uuid4())
    first = api.event(no, "pm-a", "received", event_id=event_id)
    assert first.status_code == 201
    before = count_rows(api.ctx)
    again = api.event(no, "pm-a", "received", event_id=event_id)
    assert again.status_code == 201
    assert (
        again.json()
        == first.json()
        == {
            "application_no": no,
            "event_id": event_id,
            "status": "received",
        }
    )
    assert count_rows(api.ctx) == before
    # the same event id for another event is a conflict, not a second event
    r = api.event(no, "pm-a", "accepted", event_id=event_id)
    assert r.status_code == 409
    assert count_rows(api.ctx) == before
    # a late repeat after the case moved on still answers what the event did
    assert api.ok_event(no, "pm-a", "accepted") == "accepted"
    late = api.event(no, "pm-a", "received", event_id=event_id)
    assert late.status_code == 201 and late.json()["status"] == "received"


# -- one party cannot see another's case -----------------------------------------------


def _not_found_body(api: Api) -> dict[str, Any]:
    unknown = make_number("20261123", 999)
    r = api.record(unknown)
    assert r.status_code == 404
    return dict(r.json())


@pytest.mark.parametrize(
    ("role", "party"),
    [
        ("institution", "pm-b"),
        ("portal", "another-portal"),
        ("court", "court-310104"),
        ("arbitration", "arb-commercial"),
        ("unit", "xbw"),
    ],
)
def test_another_party_gets_404_not_403(api: Api, role: str, party: str | None) -> None:
    no = api.submitted(preferred_institution="pm-a")["application_no"]
    assert api.record(no, "institution", "pm-a").status_code == 200
    assert api.record(no, "unit", "sfj").status_code == 200
    assert api.record(no, "portal").status_code == 200
    r = api.record(no, role, party)
    assert r.status_code == 404
    assert r.json() == _not_found_body(api)
    assert APPLICANT_NAME not in r.text


def test_the_data_bureau_is_refused_case_records_whether_or_not_they_exist(api: Api) -> None:
    """The data bureau reads masked records only: the case route refuses its role (403)
    before any case is looked up, so the answer says nothing of the case."""
    no = api.submitted(preferred_institution="pm-a")["application_no"]
    known = api.record(no, "databureau")
    unknown = api.record(make_number("20261123", 999), "databureau")
    assert known.status_code == unknown.status_code == 403
    assert known.json() == unknown.json()
    assert APPLICANT_NAME not in known.text


def test_other_institutions_cannot_act_on_a_case(api: Api) -> None:
    no = api.submitted(preferred_institution="pm-a")["application_no"]
    before = count_rows(api.ctx)
    assert api.event(no, "pm-b", "received").status_code == 404
    r = api.client.post(
        f"/v1/applications/{no}/referrals",
        json={"kind": "litigation"},
        headers=api.auth("institution", "pm-b"),
    )
    assert r.status_code == 404
    r = api.client.post(
        f"/v1/applications/{no}/withdraw", json={}, headers=api.auth("portal", "another-portal")
    )
    assert r.status_code == 404
    r = api.client.post(
        f"/v1/applications/{no}/dispatch",
        json={"institution": "cm-x"},
        headers=api.auth("unit", "xbw"),
    )
    assert r.status_code == 404
    assert count_rows(api.ctx) == before
    assert api.record(no).json()["status"] == "dispatched"


def test_only_the_addressed_court_or_commission_sees_a_referral(api: Api) -> None:
    no = api.submitted(preferred_institution="pm-a")["application_no"]
    api.ok_event(no, "pm-a", "accepted")
    api.ok_event(no, "pm-a", "closed", {"outcome": "failure", "remedies": "可起诉"})
    r = api.client.post(
        f"/v1/applications/{no}/referrals",
        json={"kind": "litigation"},
        headers=api.auth("institution", "pm-a"),
    )
    referral_id = r.json()["referral_id"]
    other = api.auth("arbitration", "arb-labor")
    assert api.client.get("/v1/referrals", headers=other).json()["referrals"] == []
    assert api.record(no, "arbitration", "arb-labor").status_code == 404
    r = api.client.post(
        f"/v1/referrals/{referral_id}/result",
        json={"outcome": "filed", "decided_on": "2026-11-23"},
        headers=other,
    )
    assert r.status_code == 404
    assert api.record(no).json()["status"] == "litigation_requested"


# -- public status ---------------------------------------------------------------------


def test_public_status_has_no_personal_data(api: Api) -> None:
    body = application_body(preferred_institution="pm-a")
    body["applicants"][0]["email"] = "wangxm@example.com"
    body["applicants"][0]["address"] = "上海市徐汇区天钥桥路100号"
    answer = api.submit(body).json()
    no, code = answer["application_no"], answer["query_code"]
    api.ok_event(no, "pm-a", "rejected", {"reason": "申请人王小明的请求不属于受理范围"})
    r = api.client.get(f"/v1/status/{no}", params={"code": code})
    assert r.status_code == 200
    assert r.json()["status"] == "rejected"
    assert r.json()["institution"] == {"name": "甲人民调解委员会", "phone": "021-64870001"}
    for secret in (
        APPLICANT_NAME,
        APPLICANT_ID,
        APPLICANT_PHONE,
        RESPONDENT_NAME,
        RESPONDENT_USCC,
        RESPONDENT_PHONE,
        FACTS,
        CLAIMS,
        "wangxm@example.com",
        "天钥桥路",
        "漕溪北路",
        "3000.00",
        "不属于受理范围",
        "pm-a",
    ):
        assert secret not in r.text, secret
    # lower case and without hyphens is the same number
    compact = no.replace("-", "").lower()
    r2 = api.client.get(f"/v1/status/{compact}", params={"code": code.lower()})
    assert r2.status_code == 200 and r2.json() == r.json()


def test_wrong_code_is_exactly_like_no_such_number(api: Api) -> None:
    answer = api.submitted()
    no, code = answer["application_no"], answer["query_code"]
    unknown = make_number("20261123", 777)
    wrong = api.client.get(f"/v1/status/{no}", params={"code": "ZZZZ2222"})
    missing = api.client.get(f"/v1/status/{no}")
    absent = api.client.get(f"/v1/status/{unknown}", params={"code": code})
    assert wrong.status_code == missing.status_code == absent.status_code == 404
    assert wrong.content == missing.content == absent.content
    assert wrong.headers["content-type"] == absent.headers["content-type"]


def test_mistyped_number_is_422_and_never_looked_up(api: Api) -> None:
    answer = api.submitted()
    no, code = answer["application_no"], answer["query_code"]
    typo = wrong_check(no)
    r = api.client.get(f"/v1/status/{typo}", params={"code": code})
    assert r.status_code == 422
    assert [e["pointer"] for e in r.json()["errors"]] == ["/application_no"]
    assert api.record(typo).status_code == 422
    assert api.event(typo, "pm-a", "received").status_code == 422
    for bad in ("310000-20261123-000001", "310000-20261332-000001-3", "abc"):
        assert api.client.get(f"/v1/status/{bad}", params={"code": code}).status_code == 422


# -- wrong state -----------------------------------------------------------------------

CLOSE_OK = {"outcome": "success", "agreement": {"summary": "和解"}}
CLOSE_FAIL = {"outcome": "failure", "remedies": "可起诉"}
EVENT_DATA: dict[str, dict[str, Any] | None] = {
    "received": None,
    "respondent_contacted": {"willing": None},
    "accepted": None,
    "rejected": {"reason": "不属于受理范围"},
    "returned": {"reason": "不属于本机构"},
    "closed": CLOSE_OK,
}
#: INTERFACE 5: which events each status allows.
ALLOWED = {
    "dispatched": {"received", "accepted", "rejected", "returned"},
    "received": {"respondent_contacted", "accepted", "rejected", "returned"},
    "accepted": {"respondent_contacted", "closed"},
    "rejected": set(),
    "closed_success": set(),
    "closed_failure": set(),
    "withdrawn": set(),
    "confirmation_requested": set(),
}
PATHS: dict[str, list[tuple[str, dict[str, Any] | None]]] = {
    "dispatched": [],
    "received": [("received", None)],
    "accepted": [("accepted", None)],
    "rejected": [("rejected", {"reason": "不受理"})],
    "closed_success": [("accepted", None), ("closed", CLOSE_OK)],
    "closed_failure": [("accepted", None), ("closed", CLOSE_FAIL)],
    "withdrawn": [],
    "confirmation_requested": [("accepted", None), ("closed", CLOSE_OK)],
}


def _case_in(api: Api, status: str) -> str:
    no = str(api.submitted(preferred_institution="pm-a")["application_no"])
    for type_, data in PATHS[status]:
        api.ok_event(no, "pm-a", type_, data)
    if status == "withdrawn":
        r = api.client.post(f"/v1/applications/{no}/withdraw", json={}, headers=api.auth("portal"))
        assert r.status_code == 200
    if status == "confirmation_requested":
        r = api.client.post(
            f"/v1/applications/{no}/referrals",
            json={"kind": "judicial_confirmation"},
            headers=api.auth("institution", "pm-a"),
        )
        assert r.status_code == 201
    assert api.record(no).json()["status"] == status
    return no


def test_every_event_not_allowed_in_a_status_is_409_with_the_status(api: Api) -> None:
    cases = {status: _case_in(api, status) for status in sorted(ALLOWED)}
    before = count_rows(api.ctx)
    tried = 0
    for status, no in cases.items():
        for type_ in sorted(set(EVENT_DATA) - ALLOWED[status]):
            r = api.event(no, "pm-a", type_, EVENT_DATA[type_])
            assert r.status_code == 409, (status, type_, r.text)
            assert r.headers["content-type"].startswith("application/problem+json")
            problem = r.json()
            assert problem["current_status"] == status, (status, type_)
            assert problem["status"] == 409 and problem["type"] and problem["title"]
            tried += 1
    assert tried == 6 * 8 - sum(len(a) for a in ALLOWED.values())
    assert count_rows(api.ctx) == before
    for status, no in cases.items():
        assert api.record(no).json()["status"] == status


def test_referrals_withdrawal_and_dispatch_in_the_wrong_status_are_409(api: Api) -> None:
    no = api.submitted(preferred_institution="pm-a")["application_no"]
    api.ok_event(no, "pm-a", "accepted")
    before = count_rows(api.ctx)
    for kind in ("judicial_confirmation", "arbitration_confirmation", "arbitration", "litigation"):
        r = api.client.post(
            f"/v1/applications/{no}/referrals",
            json={"kind": kind},
            headers=api.auth("institution", "pm-a"),
        )
        assert r.status_code == 409, (kind, r.text)
        assert r.json()["current_status"] == "accepted"
        detail = r.json()["detail"]  # the hand-off asked for, named in both languages
        assert "不能申请" in detail or "不能转诉讼" in detail, detail
        assert "requesting" in detail or "handing over" in detail, detail
    assert count_rows(api.ctx) == before
    api.ok_event(no, "pm-a", "closed", CLOSE_OK)
    r = api.client.post(f"/v1/applications/{no}/withdraw", json={}, headers=api.auth("portal"))
    assert r.status_code == 409 and r.json()["current_status"] == "closed_success"
    r = api.client.post(
        f"/v1/applications/{no}/dispatch",
        json={"institution": "pm-b"},
        headers=api.auth("unit", "sfj"),
    )
    assert r.status_code == 409 and r.json()["current_status"] == "closed_success"


def test_another_institution_replaying_an_event_id_learns_nothing(api: Api) -> None:
    no = api.submitted(preferred_institution="pm-a")["application_no"]
    event_id = str(uuid.uuid4())
    assert api.event(no, "pm-a", "received", event_id=event_id).status_code == 201
    before = count_rows(api.ctx)
    r = api.event(no, "pm-b", "received", event_id=event_id)
    assert r.status_code == 404
    assert r.json() == _not_found_body(api)
    assert count_rows(api.ctx) == before
    # the institution that sent it may repeat it, even after the case left it
    returned_id = str(uuid.uuid4())
    data = {"reason": "不属于本机构"}
    first = api.event(no, "pm-a", "returned", data, event_id=returned_id)
    assert first.status_code == 201
    again = api.event(no, "pm-a", "returned", data, event_id=returned_id)
    assert again.status_code == 201 and again.json() == first.json()
