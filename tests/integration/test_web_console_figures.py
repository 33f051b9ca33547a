"""The console's figures in-process, on SQLite and on PostgreSQL: statistics with a period
picker, three inline SVG charts (weekly trend, outcomes by group, KPIs) beside the tables
that carry the same numbers, the same CSV as `GET /v1/stats?format=csv`, a bad period
refused with the field named and what was typed kept; early warnings without names."""

from __future__ import annotations

import re

from tests.support.api import APPLICANT_NAME, RESPONDENT_NAME, Api
from tests.support.web import person


def settle(api: Api, no: str, institution: str) -> None:
    api.ok_event(no, institution, "received")
    api.ok_event(no, institution, "accepted")
    api.ok_event(
        no, institution, "closed", {"outcome": "success", "agreement": {"summary": "退款"}}
    )


def test_statistics_with_charts_a_period_and_csv(api: Api) -> None:
    for _ in range(2):
        settle(api, api.submitted(preferred_institution="pm-a")["application_no"], "pm-a")
    api.submitted(preferred_institution="cm-x")
    admin = person(api, "ops.stats", "admin", None)
    page = admin.get("/web/console/stats")
    assert page.status_code == 200, page.text
    assert page.text.count('<svg xmlns="http://www.w3.org/2000/svg"') == 3
    assert page.text.count('role="img"') == 3
    ids = re.findall(r'id="([^"]+)"', page.text)
    assert len(ids) == len(set(ids))  # every id once, the charts' titles included
    assert "每周收案与调解成功" in page.text and "调解工作指标（%）" in page.text
    assert "甲人民调解委员会" in page.text and "消保委调解中心" in page.text
    assert "<script" not in page.text.lower()
    # the KPI table: 2 settled of 2 closed, 2 accepted of 3 received
    assert re.search(r"调解成功率</th><td[^>]*>100.0 %</td>", page.text)
    assert re.search(r"受理率</th><td[^>]*>66.7 %</td>", page.text)

    r = admin.get("/web/console/stats.csv?from=2026-11-01&to=2026-11-30&by=institution")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    api_csv = api.client.get(
        "/v1/stats?from=2026-11-01&to=2026-11-30&by=institution&format=csv",
        headers=api.auth("admin"),
    )
    assert r.text == api_csv.text and "pm-a" in r.text

    r = admin.get("/web/console/stats?from=2026-13-01&to=2026-11-30&by=unit")
    assert r.status_code == 422
    assert "起始日期（From）" in r.text and 'value="2026-13-01"' in r.text
    assert 'aria-invalid="true"' in r.text

    unit = person(api, "xbw.stats", "unit", "xbw")
    own = unit.get("/web/console/stats")
    assert own.status_code == 200 and "消保委调解中心" in own.text
    assert "甲人民调解委员会" not in own.text
    sfj = person(api, "sfj.stats", "unit", "sfj")
    assert "消保委调解中心" in sfj.get("/web/console/stats").text  # the justice bureau: all
    by_unit = admin.get("/web/console/stats?by=unit")
    assert "市消费者权益保护委员会" in by_unit.text  # units by name


def test_early_warnings_name_nobody(api: Api) -> None:
    nos = [api.submitted()["application_no"] for _ in range(api.ctx.settings.alerts.mass_min)]
    clerk = person(api, "sfj.alerts", "unit", "sfj")
    page = clerk.get("/web/console/alerts")
    assert page.status_code == 200
    assert "同一被申请人多起申请" in page.text
    assert f"{len(nos)} 件" in page.text
    assert RESPONDENT_NAME not in page.text and APPLICANT_NAME not in page.text


def test_surge_line_says_how_many_weeks_the_baseline_spans(api: Api) -> None:
    """Outside review 2026-12-03: the line read "近 [0, 0, 0, 0, 0, 0, 0, 0] 周平均每 7 天
    0 件", the list of weekly counts where the number of weeks belongs (both languages)."""
    assert api.ctx.settings.alerts.surge_min <= 6
    for _ in range(6):  # a week of one kind of dispute in one district, none before
        api.submitted()
    clerk = person(api, "sfj.surge", "unit", "sfj")
    page = clerk.get("/web/console/alerts")
    assert page.status_code == 200
    assert "类案激增" in page.text and "近 7 天 6 件，近 8 周平均每 7 天 0 件" in page.text
    english = clerk.get("/web/console/alerts", params={"lang": "en"})
    assert "6 in the last 7 days against 0 a week over 8 weeks" in english.text
    assert "[0, 0" not in page.text and "[0, 0" not in english.text
