"""The data bureau's interface (INTERFACE 9): masked records by cursor, aggregates with
small-cell and complementary suppression, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

import pytest

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
)


def _all_pages(api: Api, **params: Any) -> list[dict[str, Any]]:
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
            return cases
    raise AssertionError("the feed did not end")


def test_masked_feed_pages_every_case_once_without_personal_data(api: Api) -> None:
    nos = [api.submitted()["application_no"] for _ in range(7)]
    first = nos[0]
    assert api.ok_event(first, api.record(first).json()["institution"]["id"], "received")
    cases = _all_pages(api, limit=3)
    assert len(cases) == 7
    assert len({c["case"] for c in cases}) == 7  # one record per case, keyed pseudonyms
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
        *nos,
    ):
        assert value not in text
    one = cases[0]
    assert one["category"] == "consumer" and one["district"] == "310104"
    assert one["occurred_on"] == "2026-11" and one["occurred_place"] == "310104"
    assert one["amount"] == "1000-10000"
    assert one["applicants"][0]["party"].startswith("P-")
    # the same party gets the same pseudonym in every case
    assert len({c["applicants"][0]["party"] for c in cases}) == 1
    # only the data bureau reads the feed
    r = api.client.get("/v1/shared/aggregates", headers=api.auth("portal"))
    assert r.status_code == 403
    r = api.client.get("/v1/shared/cases", headers=api.auth("admin"))
    assert r.status_code == 403


def test_cursor_is_opaque_and_a_forged_one_is_refused(api: Api) -> None:
    no = api.submitted()["application_no"]
    r = api.client.get("/v1/shared/cases", headers=api.auth("databureau"))
    cursor = r.json()["next_cursor"]
    assert no not in cursor and no.replace("-", "") not in cursor
    r = api.client.get(
        "/v1/shared/cases", params={"cursor": cursor[:-4] + "AAAA"}, headers=api.auth("databureau")
    )
    assert r.status_code == 422
    r = api.client.get(
        "/v1/shared/cases", params={"cursor": cursor}, headers=api.auth("databureau")
    )
    assert r.status_code == 200 and r.json()["cases"] == []


# ---------------------------------------------------------------------------------
# Suppression
# ---------------------------------------------------------------------------------
def _determined(cells: list[dict[str, Any]], dims: list[str], total: str) -> set[tuple[Any, ...]]:
    """Withheld cells that the published cells and every margin equation determine
    (exact rational Gaussian elimination, independent of privacy.aggregates)."""
    value: dict[tuple[Any, ...], int | None] = {
        tuple(c[d] for d in dims): c["count"] for c in cells
    }
    cats = [sorted({k[i] for k in value if k[i] != total}) for i in range(len(dims))]
    ext = [[*c, total] for c in cats]
    import itertools

    for key in itertools.product(*ext):  # cells absent from the answer are published zeros
        value.setdefault(key, 0)
    hidden = sorted(k for k, v in value.items() if v is None)
    index = {k: i for i, k in enumerate(hidden)}
    rows: list[list[Fraction]] = []
    for d in range(len(dims)):
        others = [ext[i] if i != d else [None] for i in range(len(dims))]
        for fixed in itertools.product(*others):
            members = [(*fixed[:d], c, *fixed[d + 1 :]) for c in cats[d]]
            margin = (*fixed[:d], total, *fixed[d + 1 :])
            row = [Fraction(0)] * (len(hidden) + 1)
            rhs = Fraction(0)
            for m in members:
                if m in index:
                    row[index[m]] += 1
                else:
                    rhs -= value[m] or 0
            if margin in index:
                row[index[margin]] -= 1
            else:
                rhs += value[margin] or 0
            row[-1] = rhs
            rows.append(row)
    # reduced row echelon form
    pivots: list[int] = []
    r = 0
    for c in range(len(hidden)):
        p = next((i for i in range(r, len(rows)) if rows[i][c] != 0), None)
        if p is None:
            continue
        rows[r], rows[p] = rows[p], rows[r]
        rows[r] = [x / rows[r][c] for x in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][c] != 0:
                f = rows[i][c]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[r], strict=True)]
        pivots.append(c)
        r += 1
    determined = set()
    for i, c in enumerate(pivots):
        if all(rows[i][j] == 0 for j in range(len(hidden)) if j != c):
            determined.add(hidden[c])
    return determined


def test_aggregates_withhold_a_small_cell_so_totals_cannot_reveal_it(api: Api) -> None:
    plan = {
        ("310104", "consumer"): 7,
        ("310104", "neighbor"): 6,
        ("310105", "consumer"): 5,
        ("310105", "neighbor"): 2,  # below the threshold
    }
    for (district, category), n in plan.items():
        for _ in range(n):
            api.submitted(district=district, category=category)
    r = api.client.get(
        "/v1/shared/aggregates", params={"by": "district,category"}, headers=api.auth("databureau")
    )
    assert r.status_code == 200, r.text
    body = r.json()
    cells = body["cells"]
    by_key = {(c["district"], c["category"]): c for c in cells}
    small = by_key[("310105", "neighbor")]
    assert small["withheld"] and small["count"] is None
    withheld = [k for k, c in by_key.items() if c["withheld"]]
    assert len(withheld) >= 2  # at least one complement in its row and column
    for key, cell in by_key.items():
        if not cell["withheld"]:
            truth = sum(
                n for (d, c), n in plan.items() if key[0] in (d, "*") and key[1] in (c, "*")
            )
            assert cell["count"] == truth
    assert _determined(cells, ["district", "category"], body["total_marker"]) == set()
    # one dimension: the small district's count and a complement are withheld
    r = api.client.get(
        "/v1/shared/aggregates", params={"by": "category"}, headers=api.auth("databureau")
    )
    assert _determined(r.json()["cells"], ["category"], "*") == set()
    # a lower threshold than the default is refused; unknown dimensions too
    r = api.client.get(
        "/v1/shared/aggregates", params={"threshold": "2"}, headers=api.auth("databureau")
    )
    assert r.status_code == 422
    r = api.client.get(
        "/v1/shared/aggregates", params={"by": "name"}, headers=api.auth("databureau")
    )
    assert r.status_code == 422


def test_aggregates_by_every_dimension_with_dates(api: Api) -> None:
    for _ in range(6):
        api.submitted()
    r = api.client.get(
        "/v1/shared/aggregates",
        params={
            "by": "month,district,category,outcome,channel",
            "from": "2026-11-01",
            "to": "2026-11-30",
        },
        headers=api.auth("databureau"),
    )
    assert r.status_code == 200, r.text
    cells = r.json()["cells"]
    grand = [
        c
        for c in cells
        if all(c[d] == "*" for d in ("month", "district", "category", "outcome", "channel"))
    ]
    assert grand[0]["count"] == 6
    interior = [c for c in cells if "*" not in [c[d] for d in ("month", "district", "outcome")]]
    assert {c["month"] for c in interior} == {"2026-11"}
    r = api.client.get(
        "/v1/shared/aggregates", params={"from": "2026-12-01"}, headers=api.auth("databureau")
    )
    assert r.json()["cells"] == []


def test_feed_serves_a_change_only_once_it_has_settled(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A case stamped earlier may commit later: the feed waits out the settle window."""
    from datetime import timedelta

    from hub.clock import FakeClock

    monkeypatch.setenv("HUB_SHARED_SETTLE_SECONDS", "5")
    no = api.submitted()["application_no"]
    assert _all_pages(api) == []  # just written: not served yet
    clock = api.ctx.clock
    assert isinstance(clock, FakeClock)
    clock.advance(timedelta(seconds=6))
    assert len(_all_pages(api)) == 1
    assert no not in json.dumps(_all_pages(api), ensure_ascii=False)  # pseudonyms only
