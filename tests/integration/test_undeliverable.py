"""A case nobody could take goes to the units that must dispatch it by hand (Art. 7)."""

from __future__ import annotations

from tests.support.api import Api


def test_units_covering_an_undeliverable_case_are_told_and_may_open_it(api: Api) -> None:
    answer = api.submitted(category="neighbor")  # in 310104 only pm-a and pm-b (unit sfj)
    no, first = answer["application_no"], answer["institution"]["id"]
    second = "pm-b" if first == "pm-a" else "pm-a"
    assert api.ok_event(no, first, "returned", {"reason": "不属本会受理范围"}) == "dispatched"
    assert api.ok_event(no, second, "returned", {"reason": "不属本会受理范围"}) == "undeliverable"

    assert api.record(no, "unit", "sfj").status_code == 200
    assert api.record(no, "unit", "xbw").status_code == 404  # covers consumer, not neighbor
    messages = api.feed("unit", "sfj").json()["messages"]
    # told of the new case when it first went to pm-a (Art. 7), then asked to dispatch it
    assert [m["type"] for m in messages] == ["application.new_case", "application.undeliverable"]
    assert {m["application_no"] for m in messages} == {no}
    assert "applicants" not in messages[1]["data"]  # the unit opens the case to see who
    assert api.feed("unit", "xbw").json()["messages"] == []

    r = api.client.post(
        f"/v1/applications/{no}/dispatch",
        json={"institution": "pm-a"},
        headers=api.auth("unit", "sfj"),
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "dispatched"
