"""Public web pages: home, status lookup (the rules of GET /v1/status), FAQ, language switch."""

from __future__ import annotations

from tests.support.api import (
    APPLICANT_ID,
    PERSONAL_VALUES,
    RESPONDENT_NAME,
    RESPONDENT_USCC,
    Api,
    make_number,
    number_is_valid,
    wrong_check,
)
from tests.support.web import browser


def test_home_links_and_accessibility_basics(api: Api) -> None:
    c = browser(api)
    r = c.get("/web/")
    assert r.status_code == 200
    page = r.text
    assert '<html lang="zh-CN">' in page
    for href in ('href="/web/status"', 'href="/web/help"', 'href="/web/login"'):
        assert href in page
    for text in ("进度查询", "常见问题", "登录"):
        assert text in page
    assert '<a class="skip" href="#main">' in page and '<main id="main"' in page
    assert "<h1>" in page
    lowered = page.lower()
    assert "<script" not in lowered and "http://" not in lowered and "https://" not in lowered
    assert "default-src 'none'" in r.headers["content-security-policy"]
    assert c.get("/web").headers["location"] == "/web/"


def test_language_switch_by_query_then_cookie(api: Api) -> None:
    c = browser(api)
    r = c.get("/web/?lang=en")
    assert '<html lang="en">' in r.text and "Check progress" in r.text
    assert "om_lang=en" in r.headers["set-cookie"]
    assert "Application number" in c.get("/web/status").text
    assert "办件编号" in c.get("/web/status?lang=zh").text
    assert "办件编号" in c.get("/web/status").text


def test_status_lookup_shows_no_personal_data(api: Api) -> None:
    answer = api.submitted(preferred_institution="pm-a")
    no, code = answer["application_no"], answer["query_code"]
    api.ok_event(no, "pm-a", "received")
    c = browser(api)
    form = c.get("/web/status").text
    assert '<label for="no">' in form and '<label for="code">' in form
    assert 'method="post"' in form  # the query code never goes into a URL
    r = c.post("/web/status", data={"no": no.replace("-", "").lower(), "code": code})
    assert r.status_code == 200, r.text
    page = r.text
    assert no in page and "解纷机构已接收" in page and "甲人民调解委员会" in page
    for value in (*PERSONAL_VALUES, APPLICANT_ID, RESPONDENT_NAME, RESPONDENT_USCC, code):
        assert value not in page
    en = c.post("/web/status?lang=en", data={"no": no, "code": code})
    assert "Received by the institution" in en.text


def test_wrong_code_looks_like_no_such_case(api: Api) -> None:
    answer = api.submitted()
    no, code = answer["application_no"], answer["query_code"]
    missing = make_number("20261123", 999)
    c = browser(api)
    wrong = c.post("/web/status", data={"no": no, "code": "WRONG1"})
    unknown = c.post("/web/status", data={"no": missing, "code": code})
    assert wrong.status_code == unknown.status_code == 404
    assert "没有找到该办件" in wrong.text
    # (the example under the field is the day's first number, which is also `no` here)
    assert wrong.text.replace(no, "N") == unknown.text.replace(missing, "N").replace(no, "N")
    assert "已分派" not in wrong.text


def test_the_example_number_is_valid(api: Api) -> None:
    page = browser(api).get("/web/status").text
    example = page.split('id="no-hint">格式如 ')[1].split("，")[0]
    assert example == make_number("20261123", 1) and number_is_valid(example)


def test_mistyped_number_is_invalid(api: Api) -> None:
    answer = api.submitted()
    c = browser(api)
    for typed in (wrong_check(answer["application_no"]), "310000-2026-1", "abc"):
        r = c.post("/web/status", data={"no": typed, "code": answer["query_code"]})
        assert r.status_code == 422
        assert "办件编号无效" in r.text
    r = c.post("/web/status", data={"no": answer["application_no"], "code": ""})
    assert r.status_code == 422 and "请填写办件编号和查询码" in r.text


def test_faq_search(api: Api) -> None:
    c = browser(api)
    everything = c.get("/web/help")
    assert everything.status_code == 200 and "<details" in everything.text
    r = c.get("/web/help", params={"q": "司法确认"})
    assert r.status_code == 200
    first = r.text.split("<summary>")[1].split("</summary>")[0]
    assert "司法确认" in first
    assert 'role="search"' in r.text and '<label for="q">' in r.text
    none = c.get("/web/help", params={"q": "zzzqqq"})
    assert "没有找到相关解答" in none.text
