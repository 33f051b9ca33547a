"""Work orders (工单, INTERFACE 14) through the API, on both databases.

The clock stands on Monday 2026-11-23 10:00 Shanghai: a work order filed now is due to be
dispatched at 12:00 and answered by Thursday 11-26 23:59:59 (Wednesday for
`contact_handler`).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from hub.clock import FakeClock
from hub.ops.scheduler import SchedulerSettings, run_pass
from tests.support.api import APPLICANT_PHONE, Api, check_character, count_rows, outbox_envelopes


def body(**over: Any) -> dict[str, Any]:
    """A work order body; a member given as None is left out."""
    full = {
        "type": "consultation",
        "institution": "pm-a",
        "content": "邻居装修噪音很大，想咨询调解需要准备什么材料？",
        "contact": {"name": "赵敏", "phone": "13812345678"},
        **over,
    }
    return {k: v for k, v in full.items() if v is not None}


def filed(api: Api, role: str = "portal", **over: Any) -> dict[str, Any]:
    r = api.client.post("/v1/workorders", json=body(**over), headers=api.auth(role))
    assert r.status_code == 201, r.text
    return dict(r.json())


def post(api: Api, no: str, action: str, payload: dict, role: str, party: str | None = None):
    return api.client.post(
        f"/v1/workorders/{no}/{action}", json=payload, headers=api.auth(role, party)
    )


def test_filed_dispatched_answered_called_back(api: Api) -> None:
    got = filed(api)
    no = got["workorder_no"]
    digits = no.replace("GD-", "").replace("-", "")
    assert no.startswith("GD-20261123-") and check_character(digits[:14]) == digits[14]
    assert got["status"] == "dispatched" and got["institution"]["id"] == "pm-a"
    assert got["dispatch_by"] == "2026-11-23T12:00:00+08:00"
    assert got["answer_by"] == "2026-11-26T23:59:59+08:00"
    [msg] = [
        m
        for m in outbox_envelopes(api.ctx, "institution:pm-a")
        if m["type"] == "workorder.dispatched"
    ]
    assert (
        msg["data"]["contact"]["phone"] == "13812345678" and "请于" in msg["data"]["notice"]["zh"]
    )
    [notice] = [
        m
        for m in outbox_envelopes(api.ctx, "hub:notify")
        if m["type"] == "notice.workorder_received"
    ]
    assert notice["data"]["recipients"] == [{"name": "赵敏", "phone": "13812345678"}]
    assert notice["data"]["query_code"] == got["query_code"]

    public = api.client.get(f"/v1/workorders/{no}", params={"code": got["query_code"]})
    assert public.status_code == 200 and public.json()["status"] == "dispatched"
    assert "13812345678" not in public.text and "赵敏" not in public.text
    assert api.client.get(f"/v1/workorders/{no}", params={"code": "WRONG234"}).status_code == 404
    assert api.client.get(f"/v1/workorders/{no}").status_code == 404

    assert post(api, no, "answer", {"answer": "x"}, "institution", "pm-b").status_code == 404
    assert post(api, no, "callback", {"satisfied": True}, "admin").status_code == 409
    r = post(
        api, no, "answer", {"answer": "请携带身份证和相关证据材料到调委会。"}, "institution", "pm-a"
    )
    assert r.status_code == 200 and r.json()["status"] == "answered"
    assert post(api, no, "answer", {"answer": "again"}, "institution", "pm-a").status_code == 409
    [answered] = [
        m
        for m in outbox_envelopes(api.ctx, "hub:notify")
        if m["type"] == "notice.workorder_answered"
    ]
    assert answered["data"]["answer"].startswith("请携带身份证")
    public = api.client.get(f"/v1/workorders/{no}", params={"code": got["query_code"]}).json()
    assert public["answer"].startswith("请携带身份证") and public["status"] == "answered"

    assert (
        post(api, no, "callback", {"satisfied": True, "note": "很满意"}, "unit", "sfj").status_code
        == 403
    )
    r = post(api, no, "callback", {"satisfied": True, "note": "很满意"}, "admin")
    assert r.status_code == 200 and r.json()["status"] == "closed"
    staff = api.client.get(f"/v1/workorders/{no}", headers=api.auth("admin")).json()
    assert staff["satisfied"] is True and staff["callback_note"] == "很满意"
    assert staff["contact"]["phone"] == "13812345678"


def test_a_case_query_goes_to_the_case_institution(api: Api) -> None:
    case = api.submitted()
    got = filed(api, type="case_query", application_no=case["application_no"], institution=None)
    assert got["institution"]["id"] == case["institution"]["id"]


def test_a_case_the_caller_may_not_see_is_no_case(api: Api) -> None:
    case = api.submitted()
    before = count_rows(api.ctx, ("work_order", "outbox", "audit_entry"))
    answers = []
    for application_no in (case["application_no"], "310000-20261123-000099-0"):
        r = api.client.post(
            "/v1/workorders",
            json=body(type="case_query", application_no=application_no),
            headers=api.auth("portal", "another-portal"),
        )
        answers.append((r.status_code, r.json()["errors"]))
    assert answers[0] == answers[1] and answers[0][0] == 422
    assert answers[0][1][0]["pointer"] == "/application_no"
    assert count_rows(api.ctx, ("work_order", "outbox", "audit_entry")) == before


def test_bad_input_is_named_and_writes_nothing(api: Api) -> None:
    before = count_rows(api.ctx, ("work_order", "outbox"))
    for bad, pointer in (
        (body(type="gossip"), "/type"),
        (body(reply_by="email"), "/contact/email"),
        (body(institution="nobody"), "/institution"),
        (body(content=""), "/content"),
    ):
        r = api.client.post("/v1/workorders", json=bad, headers=api.auth("portal"))
        assert r.status_code == 422, (bad, r.text)
        assert pointer in [e["pointer"] for e in r.json()["errors"]], r.text
    assert (
        api.client.post("/v1/workorders", json=body(), headers=api.auth("unit", "sfj")).status_code
        == 403
    )
    assert count_rows(api.ctx, ("work_order", "outbox")) == before
    assert api.client.get(
        "/v1/workorders/GD-20261123-000001-0", params={"code": "X"}
    ).status_code in (404, 422)
    r = api.client.get("/v1/workorders", params={"status": "bogus"}, headers=api.auth("admin"))
    assert r.status_code == 422 and r.json()["errors"][0]["pointer"] == "/query/status"


def test_the_hotline_dispatches_what_names_nobody(api: Api) -> None:
    got = filed(api, role="admin", institution=None, type="petition", reply_by="phone")
    no = got["workorder_no"]
    assert got["status"] == "submitted" and got["institution"] is None
    assert [m["type"] for m in outbox_envelopes(api.ctx, "unit:sfj")] == ["workorder.received"]
    # a phone reply: the number still reaches the citizen by SMS, the answer does not
    assert post(api, no, "dispatch", {"institution": "cm-x"}, "unit", "xbw").status_code == 403
    assert post(api, no, "dispatch", {"institution": "nobody"}, "admin").status_code == 422
    assert post(api, no, "dispatch", {"institution": "cm-x"}, "admin").status_code == 200
    assert post(api, no, "dispatch", {"institution": "cm-x"}, "admin").status_code == 409
    assert (
        post(api, no, "answer", {"answer": "已电话答复"}, "institution", "cm-x").status_code == 200
    )
    notices = [m["type"] for m in outbox_envelopes(api.ctx, "hub:notify")]
    assert notices == ["notice.workorder_received"]
    mine = api.client.get("/v1/workorders", headers=api.auth("unit", "xbw")).json()
    assert [w["workorder_no"] for w in mine["workorders"]] == [no]
    assert api.client.get("/v1/workorders", headers=api.auth("unit", "rsj")).json() == {
        "workorders": [],
        "next_cursor": None,
    }
    # the justice bureau oversees every institution's work orders, as admins do
    everything = api.client.get("/v1/workorders", headers=api.auth("unit", "sfj")).json()
    assert [w["workorder_no"] for w in everything["workorders"]] == [no]


def test_clocks_red_light_and_dunning(api: Api) -> None:
    clock = api.ctx.clock
    assert isinstance(clock, FakeClock)
    hotline = filed(api, role="admin", institution=None)["workorder_no"]
    urgent = filed(api, type="contact_handler", institution="cm-x")["workorder_no"]
    settings = SchedulerSettings()

    def types(destination: str) -> list[str]:
        return [
            m["type"]
            for m in outbox_envelopes(api.ctx, destination)
            if m["type"].startswith("workorder.") and m["type"] != "workorder.dispatched"
        ]

    clock.set(clock.now() + timedelta(hours=2))  # 12:00: the hotline's order is late
    assert run_pass(api.ctx, settings)["workorder_dispatch_overdue"] == 1
    assert run_pass(api.ctx, settings)["workorder_dispatch_overdue"] == 0  # once
    assert "workorder.dispatch_overdue" in types("unit:sfj")
    clock.set(clock.now() + timedelta(days=1, hours=8))  # Tue 20:00: 4 h left for cm-x
    counts = run_pass(api.ctx, settings)
    assert counts["workorder_reminder"] == 1
    clock.set(clock.now() + timedelta(hours=4))  # Wed 00:00: red
    counts = run_pass(api.ctx, settings)
    assert counts["workorder_overdue"] == 1
    red = api.client.get("/v1/workorders", params={"status": "overdue"}, headers=api.auth("admin"))
    assert [w["workorder_no"] for w in red.json()["workorders"]] == [urgent]
    clock.set(clock.now() + timedelta(days=1))  # Thu 00:00: one working day late: dunned
    counts = run_pass(api.ctx, settings)
    assert (
        counts["workorder_dunning"] == 1 and run_pass(api.ctx, settings)["workorder_dunning"] == 0
    )
    assert types("institution:cm-x") == ["workorder.reminder", "workorder.overdue"]
    assert types("unit:xbw") == ["workorder.dunning"]
    assert "催办" in outbox_envelopes(api.ctx, "unit:xbw")[-1]["data"]["notice"]["zh"]
    assert hotline != urgent


def test_ledger_csv_and_monthly_report(api: Api) -> None:
    a = filed(api)["workorder_no"]
    b = filed(api, type="complaint", institution="cm-x")["workorder_no"]
    post(api, a, "answer", {"answer": "已答复"}, "institution", "pm-a")
    post(api, a, "callback", {"satisfied": False}, "admin")
    csv = api.client.get("/v1/workorders", params={"format": "csv"}, headers=api.auth("admin"))
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("workorder_no,type,status") and len(lines) == 3
    assert "邻居装修" not in csv.text and "13812345678" not in csv.text
    page = api.client.get("/v1/workorders", params={"limit": 1}, headers=api.auth("admin")).json()
    assert [w["workorder_no"] for w in page["workorders"]] == [a] and page["next_cursor"] == a
    rest = api.client.get("/v1/workorders", params={"cursor": a}, headers=api.auth("admin"))
    assert [w["workorder_no"] for w in rest.json()["workorders"]] == [b]
    report = api.client.get(
        "/v1/workorders/report", params={"month": "2026-11"}, headers=api.auth("admin")
    ).json()
    assert report["received"] == 2 and report["by_type"]["complaint"] == 1
    assert (report["answered"], report["answered_in_time"], report["callbacks"]) == (1, 1, 1)
    assert report["satisfied"] == 0 and report["satisfaction_rate"] == 0.0
    assert report["unanswered"] == 1 and report["late"] == 0
    for bad in ("2026-13", "2027-01", "１２"):
        r = api.client.get(
            "/v1/workorders/report", params={"month": bad}, headers=api.auth("admin")
        )
        assert r.status_code == 422, bad
    xbw = api.client.get(
        "/v1/workorders/report", params={"month": "2026-11"}, headers=api.auth("unit", "xbw")
    ).json()
    assert xbw["received"] == 1  # cm-x's; pm-a belongs to sfj
    # the justice bureau oversees every institution, as admins do (INTERFACE 13)
    sfj = api.client.get(
        "/v1/workorders/report", params={"month": "2026-11"}, headers=api.auth("unit", "sfj")
    ).json()
    assert sfj["received"] == 2


def test_a_consultation_joins_the_help_articles(api: Api) -> None:
    no = filed(api)["workorder_no"]
    article = {"title": "调解需要准备哪些材料？", "body": "身份证件、证据材料。", "tags": ["材料"]}
    assert post(api, no, "help-article", article, "admin").status_code == 409  # not answered
    post(api, no, "answer", {"answer": "身份证件、证据材料。"}, "institution", "pm-a")
    r = post(api, no, "help-article", article, "unit", "sfj")
    assert r.status_code == 200, r.text
    made = r.json()["article"]["id"]
    assert post(api, no, "help-article", article, "admin").status_code == 409  # once
    found = api.client.get("/v1/help", params={"q": "调解需要准备哪些材料"}).json()["results"]
    assert made in [a["id"] for a in found]
    staff = api.client.get(f"/v1/workorders/{no}", headers=api.auth("admin")).json()
    assert staff["help_article"] == made


@pytest.mark.parametrize("phone", [APPLICANT_PHONE])
def test_idempotent_repeat(api: Api, phone: str) -> None:
    headers = api.auth("portal", **{"Idempotency-Key": "wo-1"})
    first = api.client.post("/v1/workorders", json=body(contact={"phone": phone}), headers=headers)
    again = api.client.post("/v1/workorders", json=body(contact={"phone": phone}), headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
