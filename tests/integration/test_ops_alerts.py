"""Early warning against a hand-built history; the alerts never reveal who."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlmodel import select
from starlette.testclient import TestClient

from hub.api.app import create_app
from hub.store.models import PartyIndex
from tests.integration.ops_support import clock, company_n, person_n, sh, small_hub, submit
from tests.support.api import issue_token

NOW = sh(2026, 11, 23, 10)
GYM = company_n("91310104MA1GYM000", "上海飞跃健身有限公司")
SHOP = company_n("91310104MA1XHP000", "上海某某数码商店")
OLD = company_n("91310104MA1LD0000", "上海旧账装修有限公司")


def _at(ctx: Any, moment: Any, n: int, **kw: Any) -> list[str]:
    clock(ctx).set(moment)
    return [submit(ctx, **kw) for _ in range(n)]


def build(ctx: Any) -> dict[str, list[str]]:
    made: dict[str, list[str]] = {}
    serial = iter(range(1000, 9999))

    def other() -> dict[str, Any]:
        return company_n(f"91310104MA1{next(serial):04d}00", "上海其他商户有限公司")

    # consumer / 310104 at pm-b: weeks 8..1 = 1,0,1,0,1,0,1,0 (mean .5, sd .5), this week 5
    for week, n in zip(range(8, 0, -1), (1, 0, 1, 0, 1, 0, 1, 0), strict=True):
        for _ in range(n):
            _at(
                ctx,
                NOW - timedelta(days=7 * week, hours=1),
                1,
                institution="pm-b",
                respondent=other(),
            )
    for _ in range(5):
        _at(ctx, NOW - timedelta(days=2), 1, institution="pm-b", respondent=other())
    # consumer / 310105 at cm-x: weeks 8..1 = 4,6,4,6,4,6,4,6 (mean 5, sd 1), this week 7 < 8
    for week, n in zip(range(8, 0, -1), (4, 6, 4, 6, 4, 6, 4, 6), strict=True):
        for _ in range(n):
            _at(
                ctx,
                NOW - timedelta(days=7 * week, hours=2),
                1,
                institution="cm-x",
                district="310105",
                respondent=other(),
            )
    for _ in range(7):
        _at(
            ctx,
            NOW - timedelta(days=1),
            1,
            institution="cm-x",
            district="310105",
            respondent=other(),
        )
    # neighbor / 310104: 4 this week, nothing before: under the minimum of 5
    for _ in range(4):
        _at(
            ctx,
            NOW - timedelta(days=3),
            1,
            institution="pm-a",
            category="neighbor",
            respondent=other(),
        )
    # the gym: three applicants in 30 days, two cases at pm-a (sfj), one at cm-x (xbw); kept
    # out of the weeks and cells the surge rule is tested on above
    made["gym"] = [
        *_at(
            ctx,
            NOW - timedelta(days=29),
            1,
            institution="pm-a",
            category="neighbor",
            respondent=GYM,
            applicant=person_n(1, "王一"),
        ),
        *_at(
            ctx,
            NOW - timedelta(days=10),
            1,
            institution="pm-a",
            category="neighbor",
            respondent=GYM,
            applicant=person_n(2, "王二"),
        ),
        *_at(
            ctx,
            NOW - timedelta(days=9),
            1,
            institution="cm-x",
            district="310105",
            respondent=GYM,
            applicant=person_n(3, "王三"),
        ),
    ]
    # the shop: only two; the old one: three, but one is 40 days old
    _at(ctx, NOW - timedelta(days=12), 2, institution="pm-a", category="neighbor", respondent=SHOP)
    _at(ctx, NOW - timedelta(days=40), 1, institution="pm-a", category="neighbor", respondent=OLD)
    _at(ctx, NOW - timedelta(days=13), 2, institution="pm-a", category="neighbor", respondent=OLD)
    clock(ctx).set(NOW)
    return made


def test_alerts(database_url: str, tmp_path: Path) -> None:
    ctx = small_hub(database_url, tmp_path, NOW)
    made = build(ctx)
    admin = {"Authorization": f"Bearer {issue_token(ctx, 'admin')}"}
    sfj = {"Authorization": f"Bearer {issue_token(ctx, 'unit', 'sfj')}"}
    xbw = {"Authorization": f"Bearer {issue_token(ctx, 'unit', 'xbw')}"}
    portal = {"Authorization": f"Bearer {issue_token(ctx, 'portal', 'portal')}"}
    with TestClient(create_app(ctx)) as c:
        assert c.get("/v1/alerts", headers=portal).status_code == 403
        r = c.get("/v1/alerts", headers=admin)
        assert r.status_code == 200, r.text
        alerts = r.json()["alerts"]
        surges = [a for a in alerts if a["type"] == "surge"]
        assert [(a["category"], a["district"], a["count"]) for a in surges] == [
            ("consumer", "310104", 5)
        ]
        s = surges[0]
        assert s["baseline_weeks"] == [0, 1, 0, 1, 0, 1, 0, 1]  # week 1 first
        assert (s["baseline_mean"], s["baseline_sd"], s["threshold"], s["z"]) == (
            0.5,
            0.5,
            2.0,
            9.0,
        )
        mass = [a for a in alerts if a["type"] == "same_respondent"]
        assert len(mass) == 1
        m = mass[0]
        assert (m["count"], m["applicants"], m["hidden"]) == (3, 3, 0)
        assert m["application_nos"] == sorted(made["gym"])
        assert m["categories"] == ["consumer", "neighbor"] and m["districts"] == [
            "310104",
            "310105",
        ]
        assert m["id"].startswith("mass-")

        own = [
            a
            for a in c.get("/v1/alerts", headers=xbw).json()["alerts"]
            if a["type"] == "same_respondent"
        ]
        assert [(a["id"], a["count"], a["hidden"]) for a in own] == [(m["id"], 3, 2)]
        assert own[0]["application_nos"] == [made["gym"][2]]
        # the justice bureau oversees every institution (INTERFACE 13), as admin does
        sfj_view = c.get("/v1/alerts", headers=sfj).json()["alerts"]
        assert [a["application_nos"] for a in sfj_view if a["type"] == "same_respondent"] == [
            sorted(made["gym"])
        ]

        # no identity: names, ID numbers, credit codes, phones, blind index values
        dumped = json.dumps(
            [c.get("/v1/alerts", headers=h).json() for h in (admin, sfj, xbw)], ensure_ascii=False
        )
        secrets = [
            GYM["name"],
            GYM["id_number"],
            GYM["phone"],
            SHOP["name"],
            OLD["name"],
            "王一",
            "王二",
            "王三",
            "健身",
            person_n(1)["id_number"],
            "13900000000",
        ]
        with ctx.db.read() as session:
            secrets += list(session.exec(select(PartyIndex.value)).all())
        leaked = [x for x in secrets if x in dumped]
        assert leaked == []
