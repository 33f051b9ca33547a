"""The institution's case page, tried as a clerk would (issue 16, item 3): every step, actor
and field in words; agreements as fields; the referral target from the competent courts
and commissions; a confirmation before reject, return and close that keeps what was typed;
attachments downloadable (checked, audited); the public status in time order with the next
step and the institution's phone."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy import text

from hub.clock import FakeClock
from hub.ops.scheduler import run_once
from tests.integration.test_case_files import PDF, attachment
from tests.support.api import Api, application_body
from tests.support.web import (
    browser,
    event_form,
    form_chunk,
    hidden_fields,
    post_confirmed,
    post_event,
    sign_in,
)

RAW = ("deadline_overdue", "deadline_escalated", "scheduler", '{"summary"', "due_at:", "T23:59:59")


def test_timeline_steps_actors_and_fields_in_words(api: Api) -> None:
    no = api.submitted(preferred_institution="pm-a")["application_no"]
    assert isinstance(api.ctx.clock, FakeClock)
    api.ctx.clock.advance(timedelta(days=2))  # past acknowledge_by: the scheduler marks it
    run_once(api.ctx)
    api.ctx.clock.advance(timedelta(days=2))
    run_once(api.ctx)  # and escalates it a working day later
    c = sign_in(api, "pm-a")
    assert post_event(c, no, event_form(c, no, "accepted")).status_code == 303
    closing = event_form(c, no, "closed")
    r = post_confirmed(c, no, closing, outcome="success", summary="退还会员费", amount="3000")
    assert r.status_code == 303, r.text
    page = c.get(f"/web/cases/{no}").text
    timeline = page.split("<caption>办理过程</caption>")[1].split("</table>")[0]
    for raw in RAW:
        assert raw not in timeline, raw
    assert "期限已过，已通知机构和主管单位" in timeline and "超期上报市司法局" in timeline
    assert "期限：接收期限" in timeline and "截止时间：2026-11-24 23:59" in timeline
    assert ">系统<" in timeline  # the scheduler, as 系统
    assert ">甲人民调解委员会<" in timeline  # the institution by its name
    assert "调解协议：摘要：退还会员费；金额：3,000.00 元" in timeline
    assert "结果：调解成功" in timeline
    en = c.get(f"/web/cases/{no}?lang=en").text
    assert "Agreement: Summary: 退还会员费; Amount: CNY 3,000.00" in en and ">System<" in en


def test_referral_target_is_chosen_from_the_competent_bodies(api: Api) -> None:
    no = api.submitted(preferred_institution="pm-a", arbitration_agreement=True)["application_no"]
    c = sign_in(api, "pm-a")
    assert post_event(c, no, event_form(c, no, "accepted")).status_code == 303
    closing = event_form(c, no, "closed")
    assert post_confirmed(c, no, closing, outcome="success", summary="和解").status_code == 303
    page = c.get(f"/web/cases/{no}").text
    chunk = form_chunk(page, "/referrals")
    assert '<select id="target" name="target"' in chunk and 'type="text"' not in chunk
    courts = chunk.split('<optgroup label="人民法院（司法确认、诉讼）">')[1].split("</optgroup>")[0]
    assert '<option value="court-310104" >上海市徐汇区人民法院</option>' in courts
    commissions = chunk.split('<optgroup label="仲裁机构（仲裁、仲裁确认）">')[1]
    assert 'value="arb-commercial"' in commissions and 'value="arb-labor"' not in commissions
    fields = hidden_fields(chunk)
    # a commission for a judicial confirmation is refused with the field named; nothing sent
    r = c.post(
        f"/web/cases/{no}/referrals",
        data={**fields, "kind": "judicial_confirmation", "target": "arb-commercial"},
    )
    assert r.status_code == 422 and "受理法院或仲裁机构（Court or commission）：" in r.text
    assert api.record(no).json()["referrals"] == []
    assert '<option value="arb-commercial" selected>' in r.text  # the choice is kept
    r = c.post(
        f"/web/cases/{no}/referrals",
        data={**fields, "kind": "arbitration_confirmation", "target": "arb-commercial"},
    )
    assert r.status_code == 303, r.text
    assert api.record(no).json()["referrals"][0]["target"]["id"] == "arb-commercial"


def test_return_asks_first_and_going_back_keeps_the_text(api: Api) -> None:
    no = api.submitted(preferred_institution="pm-a")["application_no"]
    c = sign_in(api, "pm-a")
    fields = event_form(c, no, "returned")
    asked = post_event(c, no, fields, reason="属于劳动争议，不属本委受理范围")
    assert asked.status_code == 200 and "此操作提交后不能撤销" in asked.text
    back = hidden_fields(asked.text.split('name="back"')[0].rsplit("<form", 1)[1])
    back["back"] = "yes"
    r = c.post(f"/web/cases/{no}/events", data=back)
    assert r.status_code == 200
    returned = form_chunk(r.text, "/events", "returned")
    assert ">属于劳动争议，不属本委受理范围</textarea>" in returned
    assert api.record(no).json()["status"] == "dispatched"
    r = post_confirmed(c, no, fields, reason="属于劳动争议，不属本委受理范围")
    assert r.status_code == 303 and r.headers["location"] == "/web/cases?done=returned"
    assert api.record(no).json()["institution"]["id"] != "pm-a"


def test_attachments_download_checked_and_audited(api: Api) -> None:
    no = api.submitted(preferred_institution="pm-a", attachments=[attachment()])["application_no"]
    c = sign_in(api, "pm-a")
    page = c.get(f"/web/cases/{no}").text
    assert f'href="/web/cases/{no}/attachments/0"' in page and "合同.pdf" in page
    r = c.get(f"/web/cases/{no}/attachments/0")
    assert r.status_code == 200 and r.content == PDF
    assert hashlib.sha256(r.content).hexdigest() in str(attachment()["sha256"])
    assert "attachment;" in r.headers["content-disposition"]
    assert c.get(f"/web/cases/{no}/attachments/1").status_code == 404
    other = sign_in(api, "pm-b")
    assert other.get(f"/web/cases/{no}/attachments/0").status_code == 404
    with api.ctx.db.engine.connect() as conn:
        n = conn.execute(
            text(
                "SELECT count(*) FROM audit_entry WHERE application_no = :n "
                "AND action = 'attachment.downloaded' AND actor_party = 'pm-a'"
            ),
            {"n": no},
        ).scalar_one()
    assert n == 1


def test_public_status_in_time_order_with_next_step_and_phone(api: Api) -> None:
    body = application_body(channel="window", received_at="2026-11-20T16:00:00+08:00")
    r = api.submit(body, role="institution", party="pm-a")
    assert r.status_code == 201, r.text
    no, code = r.json()["application_no"], r.json()["query_code"]
    status = api.client.get(f"/v1/status/{no}", params={"code": code}).json()
    times = [step["at"] for step in status["timeline"]]
    assert times == sorted(times) and times[0].startswith("2026-11-20T16:00")
    assert status["institution"] == {"name": "甲人民调解委员会", "phone": "021-64870001"}
    assert status["next_step"]["zh"].startswith("解纷机构将联系被申请人")
    assert status["next_step"]["due_at"] is not None
    page = browser(api).post("/web/status", data={"no": no, "code": code}).text
    assert "下一步" in page and "解纷机构将联系被申请人" in page
    assert 'href="tel:021-64870001"' in page
    rows = page.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    assert "2026-11-20 16:00" in rows[0]
