"""The console's keeper pages in-process, on SQLite and on PostgreSQL: help articles added,
edited (every version kept) and retired by the unit that wrote them; consent grants created,
approved by another person than the requester and revoked. Same services as the API;
refusals name the field, change nothing and keep what was typed."""

from __future__ import annotations

from hub.ops import helpdesk
from tests.support.api import Api, count_rows
from tests.support.web import audit_logins, hidden_fields, person, post_form

TABLES = ("help_article", "help_article_version", "consent_grant", "audit_entry")


def test_help_articles_are_added_edited_and_retired(api: Api) -> None:
    clerk = person(api, "xbw.help", "unit", "xbw")
    page = clerk.get("/web/console/help")
    assert page.status_code == 200
    fields = post_form(page.text, "/web/console/help")
    before = count_rows(api.ctx, TABLES)
    r = clerk.post("/web/console/help", data={**fields, "title": "", "body": "预付卡退费怎么办？"})
    assert r.status_code == 422 and "标题（Title）" in r.text
    assert "预付卡退费怎么办？" in r.text
    assert count_rows(api.ctx, TABLES) == before

    r = clerk.post(
        "/web/console/help",
        data={
            **fields,
            "title": "预付卡退费",
            "body": "先与商家协商，再申请消保委调解。",
            "category": "consumer",
            "tags": "预付卡，退费",
        },
    )
    assert r.status_code == 303, r.text
    with api.ctx.db.read() as s:
        [hit] = [
            a for a in helpdesk.search(s, "预付卡退费")["results"] if a["title"] == "预付卡退费"
        ]
    article_id = hit["id"]
    assert hit["tags"] == ["预付卡", "退费"]
    assert audit_logins(api, "help.article_added") == ["xbw.help"]

    url = f"/web/console/help/{article_id}"
    edit = clerk.get(url)
    assert edit.status_code == 200 and 'value="预付卡退费"' in edit.text
    fields = post_form(edit.text, url)
    r = clerk.post(url, data={**fields, "title": "预付卡退费", "body": "带好合同和付款凭证。"})
    assert r.status_code == 303
    # another unit reads it, never edits it
    other = person(api, "sfj.help", "unit", "sfj")
    assert "只能查看" in other.get(url).text
    retire = post_form(clerk.get(url).text, f"{url}/retire")
    r = clerk.post(f"{url}/retire", data=retire)
    assert r.status_code == 303
    with api.ctx.db.read() as s:
        assert all(a["id"] != article_id for a in helpdesk.search(s, "预付卡退费")["results"])
    history = clerk.get(url)
    assert "已下线" in history.text and history.text.count("<tr>") >= 3  # three versions
    assert audit_logins(api, "help.article_retired") == ["xbw.help"]


def test_grants_are_created_approved_by_another_person_and_revoked(api: Api) -> None:
    first = person(api, "dmo.one", "admin", None)
    page = first.get("/web/console/grants")
    assert page.status_code == 200 and "applicants.phone" in page.text
    fields = post_form(page.text, "/web/console/grants")
    before = count_rows(api.ctx, TABLES)
    bad = [
        *fields.items(),
        ("purpose", "回访调查"),
        ("fields", "applicants.phone"),
        ("expires_on", "2026-02-30"),
        ("approver", ""),
    ]
    r = first.post("/web/console/grants", content=_encode(bad), headers=FORM)
    assert r.status_code == 422
    assert "批准人（Approver）" in r.text and "到期日（Expires on）" in r.text
    assert "回访调查" in r.text and 'value="2026-02-30"' in r.text
    assert count_rows(api.ctx, TABLES) == before

    good = [
        *fields.items(),
        ("purpose", "回访调查"),
        ("fields", "applicants.phone"),
        ("fields", "applicants.name"),
        ("categories", "consumer"),
        ("from", "2026-11-01"),
        ("expires_on", "2026-12-31"),
        ("approver", "王处长"),
    ]
    r = first.post("/web/console/grants", content=_encode(good), headers=FORM)
    assert r.status_code == 303, r.text
    listed = first.get("/web/console/grants")
    assert "待批准" in listed.text and "applicants.phone, applicants.name" in listed.text
    [chunk] = [c for c in listed.text.split("<form")[1:] if "/approve" in c.split(">")[0]]
    approve = chunk.split('action="')[1].split('"')[0]
    r = first.post(approve, data=hidden_fields(chunk))
    assert r.status_code == 403 and "申请人不能审批自己的授权" in r.text  # four eyes
    second = person(api, "dmo.two", "admin", None)
    [chunk] = [
        c
        for c in second.get("/web/console/grants").text.split("<form")[1:]
        if "/approve" in c.split(">")[0]
    ]
    r = second.post(approve, data=hidden_fields(chunk))
    assert r.status_code == 303
    assert "已批准" in second.get("/web/console/grants").text
    assert audit_logins(api, "grant.approved") == ["dmo.two"]
    revoke = approve.replace("/approve", "/revoke")
    chunk = next(
        c
        for c in second.get("/web/console/grants").text.split("<form")[1:]
        if "/revoke" in c.split(">")[0]
    )
    r = second.post(revoke, data=hidden_fields(chunk))
    assert r.status_code == 303
    assert "已撤销" in second.get("/web/console/grants").text
    unit = person(api, "unit.grants", "unit", "sfj")
    assert unit.get("/web/console/grants").status_code == 403


FORM = {"content-type": "application/x-www-form-urlencoded"}


def _encode(pairs: list[tuple[str, str]]) -> bytes:
    from urllib.parse import urlencode

    return urlencode(pairs).encode()
