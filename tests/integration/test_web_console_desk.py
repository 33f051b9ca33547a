"""The console's desk pages in-process, on SQLite and on PostgreSQL: registry changes under
four eyes, complaints answered by the unit, work orders dispatched, answered and called back
by the hotline. Same services as the API; refusals name the field, change nothing and keep
what was typed; actions audited with the person's login."""

from __future__ import annotations

from hub.store.models import Institution
from tests.support.api import Api, count_rows
from tests.support.web import audit_logins, hidden_fields, person, post_form

TABLES = ("registry_change", "complaint", "work_order", "outbox", "audit_entry")


def test_a_change_is_requested_by_a_unit_and_approved_by_an_admin(api: Api) -> None:
    clerk = person(api, "xbw.registry", "unit", "xbw")
    page = clerk.get("/web/console/registry")
    assert page.status_code == 200 and "申请名录变更" in page.text
    assert 'value="cm-x"' in page.text and 'value="pm-a"' not in page.text
    fields = post_form(page.text, "/web/console/registry")

    before = count_rows(api.ctx, TABLES)
    r = clerk.post(
        "/web/console/registry",
        data={
            **fields,
            "institution": "cm-x",
            "action": "update",
            "reason": "",
            "capacity": "很多",
            "phone": "021-64870099",
        },
    )
    assert r.status_code == 422
    assert "理由（Reason）" in r.text and "在办案件上限（Capacity）" in r.text
    assert 'value="021-64870099"' in r.text and 'value="很多"' in r.text
    assert count_rows(api.ctx, TABLES) == before

    r = clerk.post(
        "/web/console/registry",
        data={**fields, "institution": "cm-x", "action": "suspend", "reason": "调解员培训一周"},
    )
    assert r.status_code == 303, r.text
    assert "变更申请已提交" in clerk.get(r.headers["location"]).text
    assert audit_logins(api, "registry.change_requested") == ["xbw.registry"]
    # a unit never decides: no buttons, and the decision route is refused
    listing = clerk.get("/web/console/registry")
    assert "调解员培训一周" in listing.text and "批准" not in listing.text

    admin = person(api, "ops.approver", "admin", None)
    pending = admin.get("/web/console/registry")
    assert "暂停接案" in pending.text and "消保委调解中心" in pending.text
    [chunk] = [c for c in pending.text.split("<form")[1:] if "/web/console/registry/changes/" in c]
    action = chunk.split('action="')[1].split('"')[0]
    decision = hidden_fields(chunk.split("</form>")[0])
    assert clerk.post(action, data={**decision, "decision": "approve"}).status_code == 403
    r = admin.post(action, data={**decision, "decision": "approve", "note": "同意"})
    assert r.status_code == 303, r.text
    with api.ctx.db.read() as s:
        inst = s.get(Institution, "cm-x")
        assert inst is not None and inst.state == "suspended"
    assert audit_logins(api, "registry.change_approved") == ["ops.approver"]
    again = admin.post(action, data={**decision, "decision": "approve", "note": "同意"})
    assert again.status_code == 303  # the same form twice: one decision
    history = clerk.get("/web/console/registry/institutions/cm-x")
    assert history.status_code == 200 and "已暂停" in history.text
    assert clerk.get("/web/console/registry/institutions/pm-a").status_code == 404


def test_the_requester_cannot_approve_its_own_change(api: Api) -> None:
    # a change asked through the API by the sfj unit's token, decided by an admin person
    r = api.client.post(
        "/v1/registry/changes",
        json={"action": "hide", "institution": "pm-b", "reason": "暂不对外"},
        headers=api.auth("unit", "sfj"),
    )
    assert r.status_code == 201, r.text
    admin = person(api, "ops.other", "admin", None)
    page = admin.get("/web/console/registry")
    [chunk] = [c for c in page.text.split("<form")[1:] if "/web/console/registry/changes/" in c]
    action = chunk.split('action="')[1].split('"')[0]
    r = admin.post(action, data={**hidden_fields(chunk), "decision": "reject", "note": "再议"})
    assert r.status_code == 303
    assert "已驳回" in admin.get("/web/console/registry").text


def test_complaints_are_answered_by_the_unit(api: Api) -> None:
    body = {
        "institution": "pm-a",
        "type": "overdue",
        "content": "申请已经两周没有人联系我。",
        "contact": {"name": "钱七", "phone": "13700001111"},
    }
    r = api.client.post("/v1/complaints", json=body, headers=api.auth("portal"))
    assert r.status_code == 201, r.text
    no = r.json()["complaint_no"]
    other = person(api, "xbw.cp", "unit", "xbw")
    assert no not in other.get("/web/console/complaints").text
    cm = api.client.post(
        "/v1/complaints", json={**body, "institution": "cm-x"}, headers=api.auth("portal")
    ).json()["complaint_no"]
    clerk = person(api, "sfj.cp", "unit", "sfj")
    page = clerk.get("/web/console/complaints")
    assert no in page.text and "两周没有人联系我" in page.text and "办理超期" in page.text
    assert "13700001111" not in page.text  # never the complainant's contact
    # the justice bureau reads xbw's complaint too, and leaves its answer to xbw
    assert cm in page.text
    assert f"/web/console/complaints/{cm}/answer" not in page.text
    action = f"/web/console/complaints/{no}/answer"
    fields = post_form(page.text, action)
    before = count_rows(api.ctx, TABLES)
    r = clerk.post(action, data={**fields, "answer": "   "})
    assert r.status_code == 422 and "答复（Answer）" in r.text
    assert count_rows(api.ctx, TABLES) == before
    r = clerk.post(action, data={**fields, "answer": "已督促机构今日联系您。"})
    assert r.status_code == 303
    done = clerk.get(r.headers["location"])
    assert "已督促机构今日联系您" in done.text and "已答复" in done.text
    assert audit_logins(api, "complaint.answered") == ["sfj.cp"]


def test_work_orders_are_dispatched_answered_and_called_back_by_the_hotline(api: Api) -> None:
    r = api.client.post(
        "/v1/workorders",
        json={
            "type": "consultation",
            "content": "想咨询调解需要准备什么材料？",
            "contact": {"name": "赵敏", "phone": "13812345678"},
        },
        headers=api.auth("portal"),
    )
    assert r.status_code == 201, r.text
    no = r.json()["workorder_no"]
    admin = person(api, "hotline.zhao", "admin", None)
    page = admin.get("/web/console/workorders")
    assert no in page.text and "已登记，待派单" in page.text and "咨询" in page.text
    assert "13812345678" not in page.text
    base = f"/web/console/workorders/{no}"
    fields = post_form(page.text, f"{base}/dispatch")
    before = count_rows(api.ctx, TABLES)
    r = admin.post(f"{base}/dispatch", data={**fields, "institution": ""})
    assert r.status_code == 422 and "解纷机构（Institution）" in r.text
    assert count_rows(api.ctx, TABLES) == before
    r = admin.post(f"{base}/dispatch", data={**fields, "institution": "pm-a"})
    assert r.status_code == 303, r.text
    page = admin.get("/web/console/workorders")
    assert "已派单" in page.text
    fields = post_form(page.text, f"{base}/answer")
    r = admin.post(f"{base}/answer", data={**fields, "answer": "请带身份证和相关证据材料。"})
    assert r.status_code == 303, r.text
    page = admin.get("/web/console/workorders")
    assert "请带身份证和相关证据材料" in page.text
    fields = post_form(page.text, f"{base}/callback")
    r = admin.post(f"{base}/callback", data={**fields, "note": "无"})
    assert r.status_code == 422 and "是否满意（Satisfied）" in r.text
    r = admin.post(f"{base}/callback", data={**fields, "satisfied": "yes"})
    assert r.status_code == 303
    assert "已回访，办结" in admin.get("/web/console/workorders").text
    assert audit_logins(api, "workorder.answered") == ["hotline.zhao"]
    unit = person(api, "sfj.wo", "unit", "sfj")
    assert unit.post(f"{base}/answer", data=fields).status_code == 403
    assert no in unit.get("/web/console/workorders").text  # with an sfj institution now
    assert no not in person(api, "xbw.wo", "unit", "xbw").get("/web/console/workorders").text


def test_a_unit_asks_to_add_an_institution(api: Api) -> None:
    from urllib.parse import urlencode

    clerk = person(api, "xbw.add", "unit", "xbw")
    page = clerk.get("/web/console/registry")
    assert "人民调解委员会" in page.text and "新机构编号（New institution" in page.text
    fields = post_form(page.text, "/web/console/registry")
    form = {"content-type": "application/x-www-form-urlencoded"}
    before = count_rows(api.ctx, TABLES)
    bad = [
        *fields.items(),
        ("action", "add"),
        ("new_id", "cm-y"),
        ("name", "消保委第二调解室"),
        ("reason", "新设调解室"),
        ("categories", "consumer"),
    ]
    r = clerk.post("/web/console/registry", content=urlencode(bad).encode(), headers=form)
    assert r.status_code == 422, r.text
    assert "机构类型（Kind of institution）" in r.text
    assert 'value="消保委第二调解室"' in r.text and 'value="consumer" checked' in r.text
    assert count_rows(api.ctx, TABLES) == before
    good = [*bad, ("kind", "industry_mediation"), ("districts", "310105")]
    r = clerk.post("/web/console/registry", content=urlencode(good).encode(), headers=form)
    assert r.status_code == 303, r.text
    [change] = api.client.get(
        "/v1/registry/changes?status=pending", headers=api.auth("admin")
    ).json()["changes"]
    assert change["action"] == "add" and change["institution"] == "cm-y"
    assert change["data"]["unit"] == "xbw" and change["data"]["districts"] == ["310105"]
