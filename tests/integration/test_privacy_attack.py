"""An attacker with a data-bureau token tries to recover the small counts of the aggregates
(issue 11 item 3): window differences, other thresholds, other groupings, margins, and
counting the record feed. SQLite (the rules are the database's, not the dialect's).

What holds, and is asserted:
- no window finer than a month, no month that has not ended;
- every published number is a sum of the stored noisy release (no true count leaks
  through a margin, a threshold or a window), and asking again returns the same numbers;
- what the record feed lets the attacker count is 0 or at least k in every cell;
- spending the whole budget on the best estimator (the same cells in every table he may
  ask for), the attacker's guesses of the small counts are right about as often as the
  noise allows and well short of always. The false-failure bound: with the default noise
  (scale 4 per table, 8 tables) a guess is exact with probability about 0.2; the test
  fails only if at least half of 96 guesses are (binomial tail below 1e-9).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import pytest
from sqlalchemy import delete
from sqlmodel import select

from hub.store.models_privacy import DpBudget, DpRelease
from tests.integration.test_privacy_shared import K, all_pages, next_month
from tests.support.api import Api, issue_token

pytestmark = pytest.mark.parametrize("hub_db", ["sqlite"], indirect=True)

CATEGORIES = ("consumer", "neighbor")
DISTRICTS = ("310104", "310105")


def _plan() -> dict[tuple[str, str], int]:
    """True counts of November: two cells large, two small (1 and 3)."""
    return {
        ("310104", "consumer"): 9,
        ("310104", "neighbor"): 1,
        ("310105", "consumer"): 3,
        ("310105", "neighbor"): 7,
    }


def _agg(api: Api, token: str, **params: Any) -> Any:
    return api.client.get(
        "/v1/shared/aggregates", params=params, headers={"Authorization": f"Bearer {token}"}
    )


def _stored(api: Api, holder: str) -> list[DpRelease]:
    with api.ctx.db.read() as session:
        return list(session.exec(select(DpRelease).where(DpRelease.holder == holder)))


def _new_budget(api: Api) -> None:
    """A fresh budget for the data bureau (an independent attacker, for the statistics):
    its spending and stored answers forgotten."""
    with api.ctx.db.transaction() as session:
        session.execute(delete(DpRelease))
        session.execute(delete(DpBudget))


def test_the_attacker_recovers_no_small_count_for_sure(api: Api) -> None:
    plan = _plan()
    for (district, category), n in plan.items():
        for _ in range(n):
            api.submitted(district=district, category=category)
    next_month(api)
    token = issue_token(api.ctx, "databureau", None)

    # Windows: days and the running month are refused; only whole ended months.
    for bad in (
        {"from": "2026-11-15"},
        {"to": "2026-12"},
        {"from": "2026-11-01", "to": "2026-11-30"},
    ):
        assert _agg(api, token, by="district", **bad).status_code == 422
    one = _agg(api, token, by="district,category", **{"from": "2026-11", "to": "2026-11"}).json()
    # Thresholds: only raised, and a raised one hides cells of the same release.
    assert _agg(api, token, by="district", threshold="4").status_code == 422
    high = _agg(api, token, by="district,category", threshold="8", **{"from": "2026-11"}).json()
    assert high["budget"] == one["budget"]  # no new release, no new noise
    published = {(c["district"], c["category"]): c["count"] for c in one["cells"] if c["count"]}
    for c in high["cells"]:
        if c["count"] is not None:
            assert published[(c["district"], c["category"])] == c["count"] >= 8
    # The same question again: the same numbers.
    again = _agg(api, token, by="district,category", **{"from": "2026-11", "to": "2026-11"})
    assert again.json()["cells"] == one["cells"]

    # Margins and windows are sums of the stored noisy cells: no true count behind them.
    with api.ctx.db.read() as session:
        holder = session.exec(select(DpRelease.holder).order_by(DpRelease.created_at)).first()
    assert holder == "databureau"
    releases = _stored(api, holder)
    assert len(releases) == 1
    noisy = {tuple(c[:-1]): c[-1] for c in releases[0].cells}
    for c in one["cells"]:
        key = (c["district"], c["category"])
        total = sum(
            v for k, v in noisy.items() if all(p in ("*", q) for p, q in zip(key, k, strict=True))
        )
        assert c["withheld"] or c["count"] == total, c

    # The record feed: every cell the attacker can count exactly holds 0 or at least k.
    cases, _ = all_pages(api)
    counted = Counter((c.get("district"), c.get("category")) for c in cases)
    assert all(n >= K for n in counted.values()), counted

    # Spending the rest of the budget, then refused: one token learns no more than that.
    for start in ("2026-10", "2026-09", "2026-08", "2026-07", "2026-06", "2026-05", "2026-04"):
        r = _agg(api, token, by="district,category", **{"from": start, "to": "2026-11"})
        assert r.status_code == 200, r.text
    r = _agg(api, token, by="category", **{"from": "2026-03"})
    assert r.status_code == 403 and "预算" in r.json()["detail"]


def test_over_many_attacks_the_small_counts_are_guessed_no_better_than_the_noise_allows(
    api: Api,
) -> None:
    """48 independent attacks (fresh budgets, fresh noise) on the same two small cells."""
    plan = _plan()
    for (district, category), n in plan.items():
        for _ in range(n):
            api.submitted(district=district, category=category)
    next_month(api)
    hits: list[bool] = []
    windows = [
        "2026-11",
        "2026-10",
        "2026-09",
        "2026-08",
        "2026-07",
        "2026-06",
        "2026-05",
        "2026-04",
    ]
    for _ in range(48):
        _new_budget(api)
        token = issue_token(api.ctx, "databureau", None)
        estimates: dict[tuple[str, str], list[int]] = defaultdict(list)
        for start in windows:  # eight tables: the whole budget
            body = _agg(api, token, by="district,category", **{"from": start, "to": "2026-11"})
            assert body.status_code == 200, body.text
        with api.ctx.db.read() as session:
            mine = session.exec(select(DpRelease)).all()
        for release in mine:
            for cell in release.cells:
                key = (cell[0], cell[1])
                if key in plan:
                    estimates[key].append(cell[-1])
        for key, n in plan.items():
            if n < K:
                hits.append(round(sum(estimates[key]) / len(estimates[key])) == n)
    assert len(hits) == 96
    rate = sum(hits) / len(hits)
    print(f"\nexact guesses of a small count after spending a whole budget: {rate:.3f}")
    assert rate < 0.5, rate
