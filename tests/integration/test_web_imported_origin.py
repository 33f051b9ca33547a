"""Imported history on the console and the workbench, on SQLite and on PostgreSQL: a case
that came in by `hub import cases` carries a small 导入 Imported label with its source on
the red-light board, the case list and the case page; the board can leave it out, paging on
through the live cases; today's tiles say how many of their cases are imported. English
labels use ": ", not the Chinese full-width colon."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hub.store import cases
from tests.integration.test_web_console_board import clock
from tests.support.api import Api, count_changes
from tests.support.web import person, sign_in

SOURCE = "legacy-2025"


def _imported(api: Api, no: str) -> None:
    """Mark a case as imported from SOURCE, as `hub import cases` leaves it."""
    with api.ctx.db.transaction() as s:
        app = cases.load(s, no, for_update=True)
        assert app is not None
        app.source, app.source_no, app.version = SOURCE, f"OLD-{no[-8:]}", app.version + 1
        cases.save(s, app)


def _late_pair(api: Api) -> tuple[str, str]:
    """Two late cases at cm-x: the first imported, the second live."""
    old = str(api.submitted(preferred_institution="cm-x")["application_no"])
    live = str(api.submitted(preferred_institution="cm-x")["application_no"])
    clock(api).advance(timedelta(days=3))
    _imported(api, old)
    return old, live


def test_the_board_labels_imported_cases_and_can_leave_them_out(api: Api) -> None:
    old, live = _late_pair(api)
    clerk = person(api, "xbw.origin", "unit", "xbw")

    board = clerk.get("/web/console/overdue")
    assert board.status_code == 200
    assert old in board.text and live in board.text
    assert board.text.count(f"导入 · {SOURCE}") == 1
    row = board.text[board.text.index(old) :].split("</tr>")[0]
    assert f"导入 · {SOURCE}" in row
    assert "不含导入的历史办件" in board.text and 'name="live"' in board.text

    live_only = clerk.get("/web/console/overdue", params={"live": "1"})
    assert live_only.status_code == 200
    assert live in live_only.text and old not in live_only.text
    assert 'name="live" value="1" checked' in live_only.text

    today = clerk.get("/web/console/")
    assert "其中导入 1" in today.text
    english = clerk.get("/web/console/overdue", params={"lang": "en"})
    assert f"Imported · {SOURCE}" in english.text and "Without imported history" in english.text
    assert 'content:attr(data-label) ": "' in english.text
    assert "：" not in english.text


def test_live_only_pages_on_past_a_full_page_of_imported_history(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hub.web.console import overdue

    monkeypatch.setattr(overdue, "PAGE_SIZE", 2)
    olds = [str(api.submitted(preferred_institution="cm-x")["application_no"]) for _ in range(3)]
    live = str(api.submitted(preferred_institution="cm-x")["application_no"])
    clock(api).advance(timedelta(days=3))
    for no in olds:
        _imported(api, no)
    clerk = person(api, "xbw.pager", "unit", "xbw")
    first = clerk.get("/web/console/overdue")
    assert all(no in first.text for no in olds[:2]) and live not in first.text
    live_only = clerk.get("/web/console/overdue", params={"live": "1"})
    assert live in live_only.text and not any(no in live_only.text for no in olds)


def test_the_workbench_shows_an_imported_case_as_imported(api: Api) -> None:
    old, live = _late_pair(api)
    c = sign_in(api, "cm-x")
    listing = c.get("/web/cases")
    assert listing.status_code == 200
    assert listing.text.count(f"导入 · {SOURCE}") == 1
    page = c.get(f"/web/cases/{old}")
    assert page.status_code == 200
    assert f"导入的历史办件，来源：{SOURCE}" in page.text
    other = c.get(f"/web/cases/{live}")
    assert other.status_code == 200 and "导入的历史办件" not in other.text
    english = c.get(f"/web/cases/{old}", params={"lang": "en"})
    assert f"Imported history, from {SOURCE}" in english.text


def test_the_case_list_api_filters_by_origin_and_names_the_source(api: Api) -> None:
    old, live = _late_pair(api)
    auth = api.auth("admin")

    def listed(**params: str) -> dict[str, str | None]:
        answer = api.client.get("/v1/applications", params=params, headers=auth)
        assert answer.status_code == 200, answer.text
        return {i["application_no"]: i["imported_from"] for i in answer.json()["items"]}

    everything = listed()
    assert everything[old] == SOURCE and everything[live] is None
    assert listed(origin="live") == {live: None}
    assert listed(origin="imported") == {old: SOURCE}
    assert listed(origin="live", overdue="true") == {live: None}

    before = count_changes(api.ctx)
    bad = api.client.get("/v1/applications", params={"origin": "legacy"}, headers=auth)
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert [e["pointer"] for e in bad.json()["errors"]] == ["/query/origin"]
    assert count_changes(api.ctx) == before
