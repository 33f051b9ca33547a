"""Whole lifecycles over the HTTP API (in-process), on SQLite and on PostgreSQL.

Each hand-off kind from submission to the court's or commission's result; rejection with a
reason; `returned` and re-dispatch; withdrawal; window applications; working-day deadlines
across the 2026 holidays with the clock standing still where the test puts it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tests.support.api import Api, outbox_envelopes

SH = ZoneInfo("Asia/Shanghai")
CASE_NO = "(2026)沪0104民特123号"
AGREEMENT = {"summary": "被申请人退还会员费三千元", "amount": "3000.00"}
REMEDIES = "可向有管辖权的人民法院起诉"


def closed(api: Api, outcome: str, **over: Any) -> tuple[str, str]:
    """A case at pm-a taken to closed_success / closed_failure; answers (no, institution)."""
    answer = api.submitted(preferred_institution="pm-a", **over)
    no = answer["application_no"]
    assert answer["status"] == "dispatched"
    assert answer["institution"] == {"id": "pm-a", "name": "甲人民调解委员会"}
    assert api.ok_event(no, "pm-a", "received") == "received"
    assert api.ok_event(no, "pm-a", "respondent_contacted", {"willing": True}) == "received"
    assert api.ok_event(no, "pm-a", "accepted") == "accepted"
    data: dict[str, Any] = {"outcome": outcome}
    if outcome == "success":
        data["agreement"] = AGREEMENT
    else:
        data["remedies"] = REMEDIES
    assert api.ok_event(no, "pm-a", "closed", data) == f"closed_{outcome}"
    return no, "pm-a"


def refer(api: Api, no: str, kind: str, **extra: Any) -> dict[str, Any]:
    r = api.client.post(
        f"/v1/applications/{no}/referrals",
        json={"kind": kind, **extra},
        headers=api.auth("institution", "pm-a"),
    )
    assert r.status_code == 201, r.text
    return dict(r.json())


def decide(api: Api, role: str, party: str, referral_id: str, **body: Any) -> dict[str, Any]:
    body.setdefault("decided_on", "2026-11-23")
    r = api.client.post(
        f"/v1/referrals/{referral_id}/result", json=body, headers=api.auth(role, party)
    )
    assert r.status_code == 200, r.text
    return dict(r.json())


def feed_types(api: Api, role: str, party: str | None, no: str) -> list[str]:
    r = api.feed(role, party, limit=1000)
    assert r.status_code == 200, r.text
    return [m["type"] for m in r.json()["messages"] if m["application_no"] == no]


def portal_statuses(api: Api, no: str) -> list[str]:
    r = api.feed("portal", limit=1000)
    return [
        m["data"]["status"]
        for m in r.json()["messages"]
        if m["application_no"] == no and m["type"] == "application.status_changed"
    ]


def test_judicial_confirmation_confirmed(api: Api) -> None:
    no, _ = closed(api, "success")
    referral = refer(api, no, "judicial_confirmation")
    assert referral["status"] == "confirmation_requested"
    assert referral["target"] == {"id": "court-310104", "name": "上海市徐汇区人民法院"}

    r = api.client.get("/v1/referrals?status=pending", headers=api.auth("court", "court-310104"))
    assert [x["referral_id"] for x in r.json()["referrals"]] == [referral["referral_id"]]
    assert feed_types(api, "court", "court-310104", no) == ["referral.requested"]
    # the court may now read the case it is asked to confirm
    assert api.record(no, "court", "court-310104").status_code == 200

    result = decide(
        api, "court", "court-310104", referral["referral_id"], outcome="confirmed", case_no=CASE_NO
    )
    assert result == {
        "referral_id": referral["referral_id"],
        "application_no": no,
        "status": "confirmed",
    }
    record = api.record(no).json()
    assert record["status"] == "confirmed"
    assert record["referrals"][0]["outcome"] == "confirmed"
    assert record["referrals"][0]["case_no"] == CASE_NO
    assert [e["type"] for e in record["timeline"]] == [
        "submitted",
        "dispatched",
        "received",
        "respondent_contacted",
        "accepted",
        "closed",
        "referral_requested",
        "referral_decided",
    ]
    # relayed to the institution and the portal, and the applicant is told
    assert feed_types(api, "institution", "pm-a", no)[-1] == "referral.decided"
    assert portal_statuses(api, no)[-2:] == ["confirmation_requested", "confirmed"]
    notices = [m for m in outbox_envelopes(api.ctx, "hub:notify") if m["application_no"] == no]
    assert notices[-1]["type"] == "notice.referral_result"
    assert notices[-1]["data"]["outcome"] == "confirmed"
    assert (
        api.client.get(
            "/v1/referrals?status=pending", headers=api.auth("court", "court-310104")
        ).json()["referrals"]
        == []
    )
    # a second result for the same referral is refused
    r = api.client.post(
        f"/v1/referrals/{referral['referral_id']}/result",
        json={"outcome": "rejected", "decided_on": "2026-11-23"},
        headers=api.auth("court", "court-310104"),
    )
    assert r.status_code == 409 and r.json()["current_status"] == "confirmed"


def test_judicial_confirmation_rejected_then_litigation(api: Api) -> None:
    no, _ = closed(api, "success")
    referral = refer(api, no, "judicial_confirmation")
    r = decide(api, "court", "court-310104", referral["referral_id"], outcome="rejected")
    assert r["status"] == "confirmation_rejected"
    # an outcome that does not fit the kind is invalid, not a state change
    litigation = refer(api, no, "litigation")
    assert litigation["status"] == "litigation_requested"
    bad = api.client.post(
        f"/v1/referrals/{litigation['referral_id']}/result",
        json={"outcome": "award", "decided_on": "2026-11-23"},
        headers=api.auth("court", "court-310104"),
    )
    assert bad.status_code == 422
    assert [e["pointer"] for e in bad.json()["errors"]] == ["/outcome"]
    assert api.record(no).json()["status"] == "litigation_requested"


def test_arbitration_with_agreement_ends_in_award(api: Api) -> None:
    no, _ = closed(api, "failure", arbitration_agreement=True)
    referral = refer(api, no, "arbitration")
    assert referral["status"] == "arbitration_requested"
    assert referral["target"]["id"] == "arb-commercial"
    pending = api.client.get(
        "/v1/referrals?status=pending", headers=api.auth("arbitration", "arb-commercial")
    ).json()
    assert [x["kind"] for x in pending["referrals"]] == ["arbitration"]
    r = decide(
        api,
        "arbitration",
        "arb-commercial",
        referral["referral_id"],
        outcome="award",
        document={"sha256": "a" * 64, "name": "裁决书.pdf"},
    )
    assert r["status"] == "arbitrated"
    assert api.record(no, "arbitration", "arb-commercial").json()["status"] == "arbitrated"


def test_arbitration_without_agreement_is_refused(api: Api) -> None:
    no, _ = closed(api, "failure")
    r = api.client.post(
        f"/v1/applications/{no}/referrals",
        json={"kind": "arbitration"},
        headers=api.auth("institution", "pm-a"),
    )
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert [e["pointer"] for e in r.json()["errors"]] == ["/kind"]
    record = api.record(no).json()
    assert record["status"] == "closed_failure" and record["referrals"] == []


def test_litigation_filed_with_court_case_number(api: Api) -> None:
    no, _ = closed(api, "failure")
    referral = refer(api, no, "litigation", target="court-310104")
    assert referral["status"] == "litigation_requested"
    r = decide(
        api,
        "court",
        "court-310104",
        referral["referral_id"],
        outcome="filed",
        case_no=CASE_NO,
        decided_on="2026-11-20",
    )
    assert r["status"] == "litigation_filed"
    record = api.record(no, "institution", "pm-a").json()
    assert record["status"] == "litigation_filed"
    assert record["referrals"][0]["case_no"] == CASE_NO
    assert record["referrals"][0]["decided_on"] == "2026-11-20"
    assert "沪0104民特123号" in api.record(no).text  # Chinese kept as-is, not escaped


def test_litigation_not_filed(api: Api) -> None:
    no, _ = closed(api, "failure")
    referral = refer(api, no, "litigation")
    r = decide(api, "court", "court-310104", referral["referral_id"], outcome="not_filed")
    assert r["status"] == "litigation_not_filed"
    assert portal_statuses(api, no)[-1] == "litigation_not_filed"


def test_referral_target_of_the_wrong_kind_is_invalid(api: Api) -> None:
    no, _ = closed(api, "success")
    r = api.client.post(
        f"/v1/applications/{no}/referrals",
        json={"kind": "judicial_confirmation", "target": "arb-commercial"},
        headers=api.auth("institution", "pm-a"),
    )
    assert r.status_code == 422
    assert [e["pointer"] for e in r.json()["errors"]] == ["/target"]
    assert api.record(no).json()["status"] == "closed_success"


def test_rejection_reason_reaches_the_applicant(api: Api) -> None:
    no = api.submitted(preferred_institution="pm-b")["application_no"]
    reason = "该纠纷已由人民法院受理，不属于本委员会受理范围"
    r = api.event(no, "pm-b", "rejected", {"reason": reason})
    assert r.status_code == 201 and r.json()["status"] == "rejected"
    notices = [m for m in outbox_envelopes(api.ctx, "hub:notify") if m["application_no"] == no]
    rejected = [m for m in notices if m["type"] == "notice.rejected"]
    assert len(rejected) == 1
    assert rejected[0]["data"]["reason"] == reason
    assert rejected[0]["data"]["recipients"] == [{"name": "王小明", "phone": "13912345678"}]
    assert portal_statuses(api, no)[-1] == "rejected"
    # the institution's load is released
    record = api.record(no).json()
    assert record["deadlines"] == {}


def test_returned_cases_go_elsewhere_then_undeliverable_then_unit_dispatch(api: Api) -> None:
    # neighbour disputes in 310104: only pm-a and pm-b take them
    no = api.submitted(category="neighbor", preferred_institution="pm-a")["application_no"]
    assert api.ok_event(no, "pm-a", "received") == "received"
    r = api.event(no, "pm-a", "returned", {"reason": "不属于本辖区"})
    assert r.status_code == 201 and r.json()["status"] == "dispatched"
    record = api.record(no).json()
    assert record["institution"]["id"] == "pm-b"
    # pm-a no longer sees or acts on it
    assert api.record(no, "institution", "pm-a").status_code == 404
    assert api.event(no, "pm-a", "accepted").status_code == 404
    assert feed_types(api, "institution", "pm-b", no) == ["application.dispatched"]

    r = api.event(no, "pm-b", "returned", {"reason": "超出受理范围"})
    assert r.status_code == 201 and r.json()["status"] == "undeliverable"
    record = api.record(no).json()
    assert record["institution"] is None
    assert [e["type"] for e in record["timeline"]][-2:] == ["returned", "undeliverable"]

    # a unit not offered the case, dispatching to another unit's institution: as if no case
    r = api.client.post(
        f"/v1/applications/{no}/dispatch",
        json={"institution": "pm-a"},
        headers=api.auth("unit", "xbw"),
    )
    assert r.status_code == 404
    r = api.client.post(
        f"/v1/applications/{no}/dispatch",
        json={"institution": "pm-a"},
        headers=api.auth("unit", "sfj"),
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "dispatched" and r.json()["institution"]["id"] == "pm-a"
    assert api.ok_event(no, "pm-a", "accepted") == "accepted"


def test_returned_never_goes_back_to_an_institution_that_returned_it(api: Api) -> None:
    # consumer disputes in 310104: pm-a, pm-b and cm-x
    no = api.submitted(preferred_institution="pm-a")["application_no"]
    holders = ["pm-a"]
    for _ in range(3):
        r = api.event(no, holders[-1], "returned", {"reason": "不属于受理范围"})
        assert r.status_code == 201, r.text
        inst = api.record(no).json()["institution"]
        if r.json()["status"] == "undeliverable":
            assert inst is None
            break
        assert r.json()["status"] == "dispatched"
        holders.append(inst["id"])
    assert sorted(holders) == ["cm-x", "pm-a", "pm-b"]
    assert api.record(no).json()["status"] == "undeliverable"


def test_withdrawal_tells_the_institution(api: Api) -> None:
    no = api.submitted(preferred_institution="cm-x")["application_no"]
    assert api.ok_event(no, "cm-x", "received") == "received"
    r = api.client.post(
        f"/v1/applications/{no}/withdraw",
        json={"reason": "已与对方和解"},
        headers=api.auth("portal"),
    )
    assert r.status_code == 200, r.text
    assert r.json() == {"application_no": no, "status": "withdrawn"}
    types = feed_types(api, "institution", "cm-x", no)
    assert types == ["application.dispatched", "application.withdrawn"]
    r = api.event(no, "cm-x", "accepted")
    assert r.status_code == 409 and r.json()["current_status"] == "withdrawn"
    r = api.client.post(f"/v1/applications/{no}/withdraw", json={}, headers=api.auth("portal"))
    assert r.status_code == 409 and r.json()["current_status"] == "withdrawn"


def test_window_application_counts_deadlines_from_received_at(api: Api) -> None:
    from tests.support.api import application_body

    # taken in at the counter on Friday afternoon, entered on Monday morning
    body = application_body(channel="window", received_at="2026-11-20T16:00:00+08:00")
    r = api.submit(body, role="institution", party="pm-b")
    assert r.status_code == 201, r.text
    answer = r.json()
    assert answer["status"] == "received"
    assert answer["institution"]["id"] == "pm-b"
    assert answer["deadlines"]["respondent_contact_by"] == "2026-11-25T23:59:59+08:00"
    assert answer["deadlines"]["decide_by"] == "2026-11-25T23:59:59+08:00"
    record = api.record(answer["application_no"], "institution", "pm-b").json()
    assert record["channel"] == "window"
    assert record["received_at"] == "2026-11-20T16:00:00+08:00"
    assert record["submitted_at"] == "2026-11-23T10:00:00+08:00"
    assert api.ok_event(answer["application_no"], "pm-b", "accepted") == "accepted"


def test_window_application_has_nothing_left_to_acknowledge(api: Api) -> None:
    from tests.support.api import application_body

    body = application_body(channel="window", received_at="2026-11-20T16:00:00+08:00")
    answer = api.submit(body, role="institution", party="pm-b").json()
    assert "acknowledge_by" not in answer["deadlines"]
    record = api.record(answer["application_no"], "institution", "pm-b").json()
    assert "acknowledge_by" not in record["deadlines"]


def test_window_rules(api: Api) -> None:
    from tests.support.api import application_body

    window = application_body(channel="window", received_at="2026-11-20T16:00:00+08:00")
    assert api.submit(window).status_code == 403  # the portal cannot enter window cases
    assert api.submit(application_body(), role="institution", party="pm-b").status_code == 403
    future = application_body(channel="window", received_at="2026-11-24T09:00:00+08:00")
    r = api.submit(future, role="institution", party="pm-b")
    assert r.status_code == 422
    assert [e["pointer"] for e in r.json()["errors"]] == ["/received_at"]


def _deadlines_on(api: Api, moment: datetime) -> dict[str, Any]:
    api.ctx.clock.set(moment)  # type: ignore[attr-defined]
    occurred = (moment - timedelta(days=30)).date().isoformat()  # before the clock's today
    answer = api.submitted(preferred_institution="pm-a", occurred_on=occurred)
    return dict(answer["deadlines"]), answer["application_no"]


def test_deadlines_across_national_day(api: Api) -> None:
    # Wednesday 30 September 2026; 1-7 October off; Saturday 10 October is a workday
    deadlines, no = _deadlines_on(api, datetime(2026, 9, 30, 10, 0, tzinfo=SH))
    assert no.startswith("310000-20260930-")
    assert deadlines == {
        "acknowledge_by": "2026-10-08T23:59:59+08:00",
        "respondent_contact_by": "2026-10-10T23:59:59+08:00",
        "decide_by": "2026-10-10T23:59:59+08:00",
    }


def test_deadlines_across_spring_festival(api: Api) -> None:
    # Friday 13 February 2026; Saturday 14th is a workday; 15-23 February off
    deadlines, _ = _deadlines_on(api, datetime(2026, 2, 13, 10, 0, tzinfo=SH))
    assert deadlines == {
        "acknowledge_by": "2026-02-14T23:59:59+08:00",
        "respondent_contact_by": "2026-02-25T23:59:59+08:00",
        "decide_by": "2026-02-25T23:59:59+08:00",
    }


def test_deadlines_into_an_unknown_year_are_provisional(api: Api) -> None:
    # Wednesday 30 December 2026; the calendar knows nothing of 2027: weekdays only
    deadlines, _ = _deadlines_on(api, datetime(2026, 12, 30, 10, 0, tzinfo=SH))
    assert deadlines == {
        "acknowledge_by": "2026-12-31T23:59:59+08:00",
        "respondent_contact_by": "2027-01-04T23:59:59+08:00",
        "decide_by": "2027-01-04T23:59:59+08:00",
        "provisional": True,
    }


def test_business_day_of_numbering_is_shanghai_date(api: Api) -> None:
    # 23:30 UTC on 30 November is already 1 December in Shanghai
    api.ctx.clock.set(datetime(2026, 11, 30, 16, 30, tzinfo=ZoneInfo("UTC")))  # type: ignore[attr-defined]
    assert api.submitted()["application_no"].startswith("310000-20261201-000001-")
