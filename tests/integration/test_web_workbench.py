"""The institution workbench (`/web/cases`) in-process, on SQLite and on PostgreSQL.

Sign-in by pasting a token (the cookie holds a signed reference, never the token), only the
institution's own cases, acting on a case through the same service as the API (timeline,
audit, idempotent double submit), CSRF refused, a stale form answered with the 409 message
in Chinese and in English, sign-out and revocation.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from hub.clock import FakeClock
from tests.support.api import APPLICANT_NAME, Api, count_changes
from tests.support.web import (
    browser,
    event_form,
    form_chunk,
    hidden_fields,
    post_confirmed,
    post_event,
    sign_in,
)


def case_at(api: Api, institution: str) -> str:
    answer = api.submitted(preferred_institution=institution)
    assert answer["institution"]["id"] == institution
    return str(answer["application_no"])


def status_of(api: Api, no: str) -> str:
    r = api.record(no)
    assert r.status_code == 200, r.text
    return str(r.json()["status"])


def test_sign_in_keeps_only_a_signed_reference_in_the_cookie(api: Api) -> None:
    c = browser(api)
    assert c.get("/web/cases").headers["location"].startswith("/web/login")
    page = c.get("/web/login")
    assert 'type="password"' in page.text and '<label for="token">' in page.text
    csrf = hidden_fields(page.text)["csrf"]
    token = api.token("institution", "pm-a")
    r = c.post("/web/login", data={"csrf": csrf, "token": token})
    assert r.status_code == 303
    cookie = next(v for k, v in r.headers.multi_items() if k == "set-cookie" and "om_web=" in v)
    assert token not in cookie and token.removeprefix("om_") not in cookie
    lowered = cookie.lower()
    assert "httponly" in lowered and "samesite=strict" in lowered and "path=/web" in lowered
    listing = c.get("/web/cases")
    assert listing.status_code == 200
    assert "甲人民调解委员会" in listing.text
    assert token not in listing.text
    for header in ("content-security-policy", "x-content-type-options", "cache-control"):
        assert header in listing.headers
    assert "<script" not in listing.text.lower()


def test_refused_tokens(api: Api) -> None:
    c = browser(api)
    csrf = hidden_fields(c.get("/web/login").text)["csrf"]
    r = c.post("/web/login", data={"csrf": csrf, "token": "om_not-a-real-token"})
    assert r.status_code == 401 and "令牌无效或已吊销" in r.text
    csrf = hidden_fields(r.text)["csrf"]
    r = c.post("/web/login", data={"csrf": csrf, "token": api.token("portal")})
    assert r.status_code == 403 and "只有机构令牌可登录" in r.text
    # The sign-in form itself is CSRF-protected (its nonce cookie is missing here).
    fresh = browser(api)
    r = fresh.post("/web/login", data={"csrf": csrf, "token": api.token("institution", "pm-a")})
    assert r.status_code == 403 and "om_web=" not in r.headers.get("set-cookie", "")


def test_lists_only_own_cases_and_hides_others(api: Api) -> None:
    mine, theirs = case_at(api, "pm-a"), case_at(api, "pm-b")
    c = sign_in(api, "pm-a")
    listing = c.get("/web/cases").text
    assert mine in listing and theirs not in listing
    own = c.get(f"/web/cases/{mine}")
    assert own.status_code == 200 and APPLICANT_NAME in own.text  # the full record
    other = c.get(f"/web/cases/{theirs}")
    assert other.status_code == 404
    assert APPLICANT_NAME not in other.text and "没有这个办件，或它已不在本机构" in other.text
    # nor can it act on the other's case: the service answers 404, nothing is written
    fields = event_form(c, mine, "accepted")
    before = count_changes(api.ctx)
    r = post_event(c, theirs, fields)
    assert r.status_code == 404
    assert count_changes(api.ctx) == before
    assert status_of(api, theirs) == "dispatched"


def test_overdue_deadlines_are_marked(api: Api) -> None:
    no = case_at(api, "pm-a")
    c = sign_in(api, "pm-a")
    assert 'class="overdue"' not in c.get("/web/cases").text
    assert isinstance(api.ctx.clock, FakeClock)
    api.ctx.clock.advance(timedelta(days=10))
    listing = c.get("/web/cases").text
    row = listing.split(f">{no}</a>")[1].split("</tr>")[0]
    # Thursday 3 December: acknowledge_by (Tuesday 24th) is 7 working days late, decide_by
    # (Thursday 26th) 5, counted as a clerk counts them, never in working hours.
    assert 'class="overdue"' in row
    assert "接收期限：2026-11-24 23:59 — 超期 7 个工作日" in row
    assert "受理决定期限：2026-11-26 23:59 — 超期 5 个工作日" in row
    detail = c.get(f"/web/cases/{no}").text
    assert "超期 7 个工作日" in detail and "工作小时" not in detail


def test_accept_through_the_form_same_rules_and_audit(api: Api) -> None:
    no = case_at(api, "pm-a")
    c = sign_in(api, "pm-a")
    fields = event_form(c, no, "accepted")
    r = post_event(c, no, fields)
    assert r.status_code == 303 and r.headers["location"] == f"/web/cases/{no}?done=accepted"
    page = c.get(r.headers["location"]).text
    assert "已办理：受理" in page and "已受理" in page
    assert status_of(api, no) == "accepted"
    again = post_event(c, no, fields)  # double submit: same event id, same answer
    assert again.status_code == 303
    timeline = api.record(no).json()["timeline"]
    accepted = [e for e in timeline if e["type"] == "accepted"]
    assert len(accepted) == 1 and accepted[0]["actor"] == "pm-a"
    with api.ctx.db.engine.connect() as conn:
        actions = conn.execute(
            text("SELECT action FROM audit_entry WHERE application_no = :n"), {"n": no}
        ).scalars()
        assert list(actions).count("event.accepted") == 1
        web = conn.execute(
            text("SELECT action, actor_party FROM audit_entry WHERE chain = 'web'")
        ).all()
    assert ("web.signed_in", "pm-a") in [tuple(x) for x in web]
    # the portal was told, as for the API
    statuses = [
        m["data"]["status"]
        for m in api.feed("portal", limit=1000).json()["messages"]
        if m["application_no"] == no and m["type"] == "application.status_changed"
    ]
    assert statuses[-1] == "accepted"


def test_reject_needs_a_reason_then_tells_it(api: Api) -> None:
    no = case_at(api, "pm-a")
    c = sign_in(api, "pm-a")
    fields = event_form(c, no, "rejected")
    before = count_changes(api.ctx)
    r = post_event(c, no, fields, reason="   ")
    assert r.status_code == 422
    assert "理由（Reason）：不能为空 / must not be empty" in r.text  # the field in both languages
    assert count_changes(api.ctx) == before
    asked = post_event(c, no, fields, reason="不属于人民调解受理范围")
    assert asked.status_code == 200 and "请确认：不予受理" in asked.text  # warned first
    assert "不属于人民调解受理范围" in asked.text
    assert count_changes(api.ctx) == before and status_of(api, no) == "dispatched"
    r = post_confirmed(c, no, fields, reason="不属于人民调解受理范围")
    assert r.status_code == 303
    assert status_of(api, no) == "rejected"
    data = [e["data"] for e in api.record(no).json()["timeline"] if e["type"] == "rejected"]
    assert data == [{"reason": "不属于人民调解受理范围"}]


def test_coded_reason_remedies_and_agreement_are_chosen_and_shown_in_words(api: Api) -> None:
    no = case_at(api, "pm-a")
    c = sign_in(api, "pm-a")
    assert "对方当事人明确拒绝调解" in form_chunk(
        c.get(f"/web/cases/{no}").text, "/events", "rejected"
    )
    r = post_event(c, no, event_form(c, no, "rejected"), reason="对方不同意", reason_code="nope")
    assert r.status_code == 422 and count_changes(api.ctx)  # an unknown code is refused
    fields = event_form(c, no, "rejected")
    asked = post_event(c, no, fields, reason="对方不同意调解", reason_code="respondent_refused")
    assert "对方当事人明确拒绝调解" in asked.text  # the confirmation says the code in words
    r = post_confirmed(c, no, fields, reason="对方不同意调解", reason_code="respondent_refused")
    assert r.status_code == 303
    data = [e["data"] for e in api.record(no).json()["timeline"] if e["type"] == "rejected"]
    assert data == [{"reason": "对方不同意调解", "reason_code": "respondent_refused"}]
    page = c.get(f"/web/cases/{no}").text
    assert "理由类别" in page and "对方当事人明确拒绝调解" in page
    english = c.get(f"/web/cases/{no}?lang=en").text
    assert "Kind of reason" in english and "The respondent refused mediation" in english

    other = case_at(api, "pm-a")
    assert post_event(c, other, event_form(c, other, "accepted")).status_code == 303
    chunk = form_chunk(c.get(f"/web/cases/{other}?lang=zh").text, "/events", "closed")
    assert "分期给付" in chunk and "申请法律援助" in chunk
    fields = event_form(c, other, "closed")
    r = post_confirmed(
        c,
        other,
        fields,
        outcome="failure",
        remedies="可向法院起诉或申请法律援助",
        remedy_litigation="on",
        remedy_legal_aid="on",
    )
    assert r.status_code == 303, r.text
    closed = [e["data"] for e in api.record(other).json()["timeline"] if e["type"] == "closed"]
    assert closed[0]["remedy_kinds"] == ["legal_aid", "litigation"]
    page = c.get(f"/web/cases/{other}?lang=zh").text
    assert "向人民法院提起诉讼" in page and "申请法律援助" in page

    third = case_at(api, "pm-a")
    assert post_event(c, third, event_form(c, third, "accepted")).status_code == 303
    fields = event_form(c, third, "closed")
    r = post_confirmed(
        c, third, fields, outcome="success", summary="分三期退款", agreement_type="installments"
    )
    assert r.status_code == 303, r.text
    closed = [e["data"] for e in api.record(third).json()["timeline"] if e["type"] == "closed"]
    assert closed[0]["agreement"] == {"summary": "分三期退款", "type": "installments"}
    assert "分期给付" in c.get(f"/web/cases/{third}").text


def test_close_and_hand_off_with_a_double_submit(api: Api) -> None:
    no = case_at(api, "pm-a")
    c = sign_in(api, "pm-a")
    assert post_event(c, no, event_form(c, no, "accepted")).status_code == 303
    fields = event_form(c, no, "respondent_contacted")
    assert post_event(c, no, fields, willing="true").status_code == 303
    fields = event_form(c, no, "closed")
    r = post_event(c, no, fields, outcome="failure", summary="", note="当事人分歧较大")
    assert r.status_code == 422 and "救济途径（Remedies）：必填" in r.text  # before confirming
    assert "当事人分歧较大" in r.text  # what was typed is kept
    r = post_confirmed(c, no, fields, outcome="success", summary="退还会员费", amount="3000.00")
    assert r.status_code == 303
    assert status_of(api, no) == "closed_success"

    page = c.get(f"/web/cases/{no}").text
    chunk = form_chunk(page, "/referrals")
    assert 'value="judicial_confirmation"' in chunk and 'value="litigation"' not in chunk
    fields = hidden_fields(chunk)
    for _ in range(2):
        r = c.post(f"/web/cases/{no}/referrals", data={**fields, "kind": "judicial_confirmation"})
        assert r.status_code == 303, r.text
    record = api.record(no).json()
    assert record["status"] == "confirmation_requested"
    assert len(record["referrals"]) == 1
    assert record["referrals"][0]["target"]["id"] == "court-310104"
    assert "上海市徐汇区人民法院" in c.get(f"/web/cases/{no}").text


def test_csrf_is_refused(api: Api) -> None:
    no = case_at(api, "pm-a")
    c = sign_in(api, "pm-a")
    other = sign_in(api, "pm-a")
    fields = event_form(c, no, "accepted")
    before = count_changes(api.ctx)
    for bad in ("", "0" * 64, hidden_fields(c.get("/web/login").text).get("csrf", "x")):
        r = post_event(c, no, {**fields, "csrf": bad})
        assert r.status_code == 403, r.text
        assert "安全校验未通过" in r.text
    # another session's token does not fit this session
    r = post_event(other, no, fields)
    assert r.status_code == 403
    assert count_changes(api.ctx) == before
    assert status_of(api, no) == "dispatched"
    # no session at all: to the sign-in page, nothing written
    r = post_event(browser(api), no, fields)
    assert r.status_code == 303 and r.headers["location"].startswith("/web/login")
    assert count_changes(api.ctx) == before


def test_stale_form_shows_the_409_message(api: Api) -> None:
    no = case_at(api, "pm-a")
    c = sign_in(api, "pm-a")
    page = c.get(f"/web/cases/{no}").text
    stale_received = hidden_fields(form_chunk(page, "/events", "received"))
    accept = hidden_fields(form_chunk(page, "/events", "accepted"))
    assert post_event(c, no, accept).status_code == 303
    before = count_changes(api.ctx)
    r = post_event(c, no, stale_received)
    assert r.status_code == 409
    assert "该操作与办件当前状态不符，未作任何更改。当前状态：已受理。" in r.text
    assert count_changes(api.ctx) == before
    assert 'name="type" value="received"' not in r.text  # only what the status allows


def test_stale_form_in_english(api: Api) -> None:
    no = case_at(api, "pm-a")
    c = sign_in(api, "pm-a")
    c.get("/web/?lang=en")
    page = c.get(f"/web/cases/{no}").text
    assert "Acknowledge receipt" in page and 'lang="en"' in page
    stale = hidden_fields(form_chunk(page, "/events", "accepted"))
    assert (
        post_confirmed(
            c,
            no,
            hidden_fields(form_chunk(page, "/events", "rejected")),
            reason="outside our remit",
        ).status_code
        == 303
    )
    r = post_event(c, no, stale)
    assert r.status_code == 409
    assert "Current status: Rejected." in r.text


def test_sign_out_and_revocation_end_the_session(api: Api) -> None:
    c = sign_in(api, "pm-a")
    page = c.get("/web/cases")
    csrf = hidden_fields(page.text)["csrf"]
    kept = c.cookies.get("om_web")
    r = c.post("/web/logout", data={"csrf": csrf})
    assert r.status_code == 303 and r.headers["location"] == "/web/login?out=1"
    assert c.get("/web/cases").status_code == 303
    replay = browser(api)
    replay.cookies.set("om_web", kept or "", path="/web")
    assert replay.get("/web/cases").status_code == 303  # signed out on this process

    d = sign_in(api, "pm-b")
    assert d.get("/web/cases").status_code == 200
    with api.ctx.db.engine.begin() as conn:
        conn.execute(text("UPDATE api_token SET revoked_at = created_at WHERE party_id = 'pm-b'"))
    assert d.get("/web/cases").status_code == 303
    forged = browser(api)
    forged.cookies.set("om_web", (kept or "x.y")[:-4] + "abcd", path="/web")
    assert forged.get("/web/cases").status_code == 303
