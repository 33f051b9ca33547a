"""The data bureau's interface (INTERFACE 9, 9a): the masked feed released in monthly
rounds, k-anonymous over everything released; differentially private aggregates with a
budget per party (all the data bureau's tokens together); an undecryptable case skipped
and reported. SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update

from hub.clock import FakeClock
from hub.store.models import Application
from privacy.dp import sd_for
from tests.support.api import (
    APPLICANT_ID,
    APPLICANT_NAME,
    APPLICANT_PHONE,
    CLAIMS,
    FACTS,
    RESPONDENT_NAME,
    RESPONDENT_PHONE,
    RESPONDENT_USCC,
    Api,
    close_case,
    issue_token,
)

K = 5


def _clock(api: Api) -> FakeClock:
    clock = api.ctx.clock
    assert isinstance(clock, FakeClock)
    return clock


def next_month(api: Api, days: int = 1) -> None:
    """Move the clock into the next month (Shanghai), past the release's settle time."""
    clock = _clock(api)
    now = clock.now()
    while True:
        clock.advance(timedelta(days=1))
        if (clock.now() + timedelta(hours=8)).month != (now + timedelta(hours=8)).month:
            break
    clock.advance(timedelta(days=days - 1))


def all_pages(api: Api, **params: Any) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    cursor = None
    for _ in range(100):
        query = {**params, **({"cursor": cursor} if cursor else {})}
        r = api.client.get("/v1/shared/cases", params=query, headers=api.auth("databureau"))
        assert r.status_code == 200, r.text
        body = r.json()
        cases += body["cases"]
        cursor = body["next_cursor"]
        if not body["has_more"]:
            return cases, body
    raise AssertionError("the feed did not end")


def quasi(record: dict[str, Any]) -> str:
    """Everything a released record says except its pseudonym."""
    return json.dumps({k: v for k, v in record.items() if k != "case"}, sort_keys=True)


def test_the_feed_releases_ended_months_in_classes_of_k(api: Api) -> None:
    nos = []
    for i in range(10):
        r = api.submitted()
        nos.append(r["application_no"])
        close_case(api, r["application_no"], r["institution"]["id"], success=i % 2 == 0)
    api.submitted(district="310105", category="neighbor")  # alone: never in a class of 5
    cases, body = all_pages(api)
    assert cases == [] and body["release"]["round"] is None  # the month has not ended
    next_month(api)
    cases, body = all_pages(api, limit=3)
    assert len(cases) == 10 and body["release"]["held_back"] == 1
    assert body["release"]["k"] == K and body["release"]["round"] == "2026-11"
    sizes = Counter(quasi(c) for c in cases)
    assert min(sizes.values()) >= K
    assert len({c["case"] for c in cases}) == 10
    one = cases[0]
    assert one["month"] == "2026-11" and one["district"] == "310104"
    assert one["category"] == "consumer" and one["amount"] == "1000-10000"
    by_outcome = {c["outcome"]: c for c in cases}
    assert set(by_outcome) == {"success", "rejected"}  # two outcomes: l-diverse
    assert by_outcome["success"]["agreement_type"] == "payment"
    assert by_outcome["rejected"]["reason_code"] == "incomplete"
    assert by_outcome["success"]["timeline"] == [
        "submitted",
        "dispatched",
        "received",
        "accepted",
        "closed",
    ]
    text = json.dumps(cases, ensure_ascii=False)
    for value in (
        APPLICANT_NAME,
        APPLICANT_ID,
        APPLICANT_PHONE,
        RESPONDENT_NAME,
        RESPONDENT_USCC,
        RESPONDENT_PHONE,
        FACTS,
        CLAIMS,
        "漕溪北路",
        "2026-11-01",
        "不配合",
        "退款",
        *nos,
    ):
        assert value not in text
    assert "T" not in "".join(str(v) for c in cases for v in c.values() if isinstance(v, str))
    # a single record by its pseudonym; only the data bureau reads the feed
    r = api.client.get(f"/v1/shared/cases/{one['case']}", headers=api.auth("databureau"))
    assert r.status_code == 200 and r.json()["case"] == one
    assert api.client.get("/v1/shared/cases", headers=api.auth("admin")).status_code == 403


def test_a_homogeneous_class_releases_no_outcome_and_changes_release_the_whole_class(
    api: Api,
) -> None:
    made = [api.submitted() for _ in range(10)]
    next_month(api)
    cases, _ = all_pages(api)
    assert len(cases) == 10
    assert all("outcome" not in c and "outcome_group" not in c for c in cases)  # all pending
    # one case settles: releasing it alone would single it out; the class waits
    close_case(api, made[0]["application_no"], made[0]["institution"]["id"], success=True)
    next_month(api)
    later, body = all_pages(api)
    assert len(later) == 10 and body["release"]["held_back"] == 1
    # the others settle or are rejected: the class is released again, all together
    for i, m in enumerate(made[1:]):
        close_case(api, m["application_no"], m["institution"]["id"], success=i < 4)
    next_month(api)
    final, body = all_pages(api)
    assert body["release"]["held_back"] == 0
    latest = final[10:]
    assert len(latest) == 10 and {c["round"] for c in latest} == {"2027-01"}
    assert {c["case"] for c in latest} == {c["case"] for c in cases}
    assert Counter(c["outcome"] for c in latest) == {"success": 5, "rejected": 5}
    assert min(Counter(quasi(c) for c in latest).values()) >= K
    # every trajectory (a case's released records in order) is shared by k cases
    history: dict[str, list[str]] = {}
    for c in final:
        history.setdefault(c["case"], []).append(quasi(c))
    assert min(Counter(json.dumps(h) for h in history.values()).values()) >= K


def test_cursor_is_opaque_and_a_forged_one_is_refused(api: Api) -> None:
    for _ in range(5):
        api.submitted()
    next_month(api)
    r = api.client.get("/v1/shared/cases", headers=api.auth("databureau"))
    cursor = r.json()["next_cursor"]
    r = api.client.get(
        "/v1/shared/cases", params={"cursor": cursor[:-4] + "AAAA"}, headers=api.auth("databureau")
    )
    assert r.status_code == 422
    r = api.client.get(
        "/v1/shared/cases", params={"cursor": cursor}, headers=api.auth("databureau")
    )
    assert r.status_code == 200 and r.json()["cases"] == []


def test_an_undecryptable_case_is_skipped_reported_and_the_rest_served(api: Api) -> None:
    from hub.services.sharing.faults import UNREADABLE

    nos = [api.submitted()["application_no"] for _ in range(6)]
    bad = nos[2]
    with api.ctx.db.transaction() as session:  # another case's ciphertext: bound elsewhere
        other = session.get(Application, nos[3])
        assert other is not None
        session.execute(
            update(Application).where(Application.no == bad).values(personal=other.personal)
        )
    before = UNREADABLE.labels(part="application.personal")._value.get()
    next_month(api)
    cases, body = all_pages(api)
    assert len(cases) == 5 and body["release"]["unreadable"] == 1
    assert UNREADABLE.labels(part="application.personal")._value.get() == before + 1
    r = api.client.get("/v1/admin/shared/unreadable", headers=api.auth("admin"))
    assert r.status_code == 200
    listed = r.json()["unreadable"]
    assert [(u["application_no"], u["part"]) for u in listed] == [(bad, "application.personal")]
    assert (
        api.client.get("/v1/admin/shared/unreadable", headers=api.auth("databureau")).status_code
        == 403
    )


# ---------------------------------------------------------------------------------
# Aggregates: differential privacy
# ---------------------------------------------------------------------------------
def _agg(api: Api, token: str | None = None, **params: Any) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else api.auth("databureau")
    return api.client.get("/v1/shared/aggregates", params=params, headers=headers)


def test_aggregates_are_noisy_months_only_and_cost_budget(api: Api) -> None:
    for _ in range(30):
        api.submitted()
    r = _agg(api, by="district", **{"from": "2026-11", "to": "2026-11"})
    assert r.status_code == 422  # November has not ended
    next_month(api)
    for bad in (
        {"from": "2026-11-01"},
        {"to": "2026-12"},
        {"threshold": "2"},
        {"by": "name"},
        {"mechanism": "suppression"},
        {"from": "2026-11", "to": "2026-10"},
    ):
        assert _agg(api, **bad).status_code == 422, bad
    token = issue_token(api.ctx, "databureau", None)
    r = _agg(api, token, by="district,category", **{"from": "2026-11", "to": "2026-11"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["mechanism"] == "dp" and body["noise"]["scale"] == 4.0
    assert body["budget"] == {
        "holder": "databureau",
        "spent": 0.25,
        "total": 2.0,
        "remaining": 1.75,
    }
    cell = next(
        c for c in body["cells"] if c["district"] == "310104" and c["category"] == "consumer"
    )
    assert abs(cell["count"] - 30) <= 60  # noisy, near the truth (scale 4)
    # the same question: the same numbers, no cost; a raised threshold hides, costs nothing
    again = _agg(api, token, by="district,category", **{"from": "2026-11", "to": "2026-11"})
    assert again.json()["cells"] == body["cells"] and again.json()["budget"]["spent"] == 0.25
    higher = _agg(api, token, by="district,category", threshold="40", **{"from": "2026-11"})
    assert higher.status_code == 200 and higher.json()["budget"]["spent"] == 0.25
    assert [c for c in higher.json()["cells"] if not c["withheld"]] == [
        c for c in body["cells"] if not c["withheld"] and c["count"] >= 40
    ]
    # margins are sums of the noisy cells, and say how noisy (240 cells in the total)
    assert body["noise"]["sd"] == pytest.approx(5.6, abs=0.1)
    assert all(
        c["sd"] == pytest.approx(5.6, abs=0.1) for c in body["cells"] if "*" not in c.values()
    )
    total = [c for c in body["cells"] if c["district"] == "*" and c["category"] == "*"]
    assert all(t["sd"] == pytest.approx(sd_for(0.25) * 240**0.5, abs=0.1) for t in total)
    # the budget runs out: 8 different questions of 0.25 each, then refused
    spent = 0.25
    for month in ("2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"):
        for by in ("district", "category"):
            r = _agg(api, token, by=by, **{"from": month, "to": "2026-11"})
            if spent + 0.25 <= 2:
                assert r.status_code == 200, r.text
                spent += 0.25
            else:
                assert r.status_code == 403 and "预算" in r.json()["detail"]
    assert spent == 2.0


def test_the_data_bureau_spends_one_budget_whatever_its_tokens(api: Api) -> None:
    """Another token (an admin may issue many) buys neither budget nor fresh noise."""
    for _ in range(12):
        api.submitted()
    next_month(api)
    first, second = (
        issue_token(api.ctx, "databureau", None),
        issue_token(api.ctx, "databureau", None),
    )
    one = _agg(api, first, by="district", **{"from": "2026-11", "to": "2026-11"})
    assert one.status_code == 200, one.text
    # the same question from another token: the stored answer, no new noise, no cost
    same = _agg(api, second, by="district", **{"from": "2026-11", "to": "2026-11"})
    assert same.json()["cells"] == one.json()["cells"]
    assert same.json()["budget"]["spent"] == 0.25
    months = ["2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]
    for i, month in enumerate(months):  # 7 more tables, from alternating tokens: 2.0 spent
        token = (first, second)[i % 2]
        r = _agg(api, token, by="district", **{"from": month, "to": "2026-11"})
        assert r.status_code == 200, r.text
    assert r.json()["budget"] == {
        "holder": "databureau",
        "spent": 2.0,
        "total": 2.0,
        "remaining": 0.0,
    }
    # spent for the party: every token is refused, a new one too
    for token in (first, second, issue_token(api.ctx, "databureau", None)):
        r = _agg(api, token, by="category", **{"from": "2026-11", "to": "2026-11"})
        assert r.status_code == 403 and "预算" in r.json()["detail"], r.text


@pytest.mark.parametrize("hub_db", ["sqlite"], indirect=True)
def test_aggregates_by_every_dimension(api: Api) -> None:
    for _ in range(6):
        api.submitted()
    next_month(api)
    r = _agg(api, by="month,district,category,outcome,channel")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["from"] == "2025-12" and body["to"] == "2026-11"  # the last 12 ended months
    interior = [c for c in body["cells"] if "*" not in c.values()]
    assert {c["month"] for c in interior} <= set(
        ["2025-12"] + [f"2026-{m:02d}" for m in range(1, 12)]
    )


@pytest.mark.parametrize("hub_db", ["sqlite"], indirect=True)
def test_operators_run_the_due_releases_from_the_command_line(api: Api) -> None:
    from hub.services.sharing.feed import due_rounds, run_due_rounds

    for _ in range(5):
        api.submitted()
    with api.ctx.db.read() as session:
        assert due_rounds(api.ctx, session) == []  # November is still running
    next_month(api, days=40)  # December has ended too
    with api.ctx.db.transaction() as session:
        assert due_rounds(api.ctx, session) == ["2026-11", "2026-12"]
        done = run_due_rounds(api.ctx, session)
    assert [(r.round, r.released, r.held_back) for r in done] == [
        ("2026-11", 5, 0),
        ("2026-12", 0, 0),
    ]
    with api.ctx.db.read() as session:
        assert due_rounds(api.ctx, session) == []
