"""Statistics against a hand-counted week (Mon 2 - Fri 6 November 2026), JSON and CSV.

case channel inst received        accepted   wh  end                          overdue
A1   online  pm-a Mon 10:00       Tue 10:00  24  success, court confirmed     no
A2   online  pm-a Mon 11:00       Mon 13:00  2   failure                      no
A3   online  pm-a Mon 12:00 (nbr) -          -   rejected                     no
A4   window  pm-b Tue 09:00       Tue 15:00  6   open (accepted)              no
A5   online  cm-x Tue 10:00 (105) -          -   open, never acknowledged     yes
A6   online  pm-b Wed 10:00       Fri 10:00  48  withdrawn                    yes (ack late)
A7   online  pm-a Mon 9 Nov: outside the range
Complaints in the week: two about pm-a from the same phone (one repeat), one about cm-x.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from hub.api.app import create_app
from hub.ops import complaints
from hub.services import lifecycle, referrals
from hub.services.principal import Principal, Role
from tests.integration.ops_support import PORTAL, clock, event, sh, small_hub, submit
from tests.support.api import issue_token


def _complain(ctx: Any, institution: str, phone: str) -> None:
    body = {
        "institution": institution,
        "type": "attitude",
        "content": "接待人员态度差。",
        "contact": {"name": "赵六", "phone": phone},
    }
    with ctx.db.transaction() as s:
        complaints.submit(ctx, s, PORTAL, body)


def build_week(ctx: Any) -> dict[str, str]:
    c = clock(ctx)
    cases: dict[str, str] = {}
    c.set(sh(2026, 11, 2, 10))
    cases["A1"] = submit(ctx, institution="pm-a")
    c.set(sh(2026, 11, 2, 11))
    cases["A2"] = submit(ctx, institution="pm-a")
    c.set(sh(2026, 11, 2, 12))
    cases["A3"] = submit(ctx, institution="pm-a", category="neighbor")
    c.set(sh(2026, 11, 2, 13))
    event(ctx, cases["A2"], "pm-a", "accepted")
    c.set(sh(2026, 11, 2, 14))
    event(ctx, cases["A2"], "pm-a", "closed", outcome="failure", remedies="可向人民法院起诉")
    event(ctx, cases["A3"], "pm-a", "received")
    event(ctx, cases["A3"], "pm-a", "rejected", reason="已起诉")
    _complain(ctx, "pm-a", "13800000001")
    c.set(sh(2026, 11, 3, 9))
    cases["A4"] = submit(ctx, institution="pm-b", channel="window")
    c.set(sh(2026, 11, 3, 10))
    event(ctx, cases["A1"], "pm-a", "accepted")
    cases["A5"] = submit(ctx, institution="cm-x", district="310105")
    c.set(sh(2026, 11, 3, 15))
    event(ctx, cases["A4"], "pm-b", "accepted")
    c.set(sh(2026, 11, 4, 9))
    event(ctx, cases["A4"], "pm-b", "respondent_contacted", willing=True)
    event(ctx, cases["A1"], "pm-a", "closed", outcome="success", agreement={"summary": "退款"})
    with ctx.db.transaction() as s:
        ref = referrals.request(
            ctx,
            s,
            Principal(Role.INSTITUTION, "pm-a"),
            cases["A1"],
            {"kind": "judicial_confirmation"},
        )
    c.set(sh(2026, 11, 4, 10))
    cases["A6"] = submit(ctx, institution="pm-b")
    _complain(ctx, "pm-a", "138-0000-0001")  # the same phone, written differently
    _complain(ctx, "cm-x", "13800000002")
    c.set(sh(2026, 11, 5, 16))
    with ctx.db.transaction() as s:
        referrals.record_result(
            ctx,
            s,
            Principal(Role.COURT, "court-310104"),
            ref["referral_id"],
            {"outcome": "confirmed", "decided_on": "2026-11-05"},
        )
    c.set(sh(2026, 11, 6, 10))
    event(ctx, cases["A6"], "pm-b", "accepted")
    c.set(sh(2026, 11, 6, 11))
    with ctx.db.transaction() as s:
        lifecycle.withdraw(ctx, s, PORTAL, cases["A6"], {})
    c.set(sh(2026, 11, 9, 10))
    cases["A7"] = submit(ctx, institution="pm-a")
    _complain(ctx, "pm-a", "13800000001")  # outside the range
    c.set(sh(2026, 11, 9, 12))
    return cases


def _row(rows: list[dict[str, Any]], by: str, key: str) -> dict[str, Any]:
    return next(r for r in rows if r[by] == key)


def test_stats_match_hand_count(database_url: str, tmp_path: Path) -> None:
    ctx = small_hub(database_url, tmp_path, sh(2026, 11, 2, 9))
    build_week(ctx)
    admin = {"Authorization": f"Bearer {issue_token(ctx, 'admin')}"}
    xbw = {"Authorization": f"Bearer {issue_token(ctx, 'unit', 'xbw')}"}
    week = "from=2026-11-02&to=2026-11-06"
    with TestClient(create_app(ctx)) as c:
        r = c.get(f"/v1/stats?by=institution&{week}", headers=admin)
        assert r.status_code == 200, r.text
        rows = r.json()["rows"]
        assert [x["institution"] for x in rows] == ["cm-x", "pm-a", "pm-b"]
        pm_a = _row(rows, "institution", "pm-a")
        assert {
            k: pm_a[k]
            for k in (
                "received",
                "online",
                "window",
                "accepted",
                "rejected",
                "withdrawn",
                "open",
                "overdue",
                "complaints",
                "repeat_complaints",
            )
        } == {
            "received": 3,
            "online": 3,
            "window": 0,
            "accepted": 2,
            "rejected": 1,
            "withdrawn": 0,
            "open": 0,
            "overdue": 0,
            "complaints": 2,
            "repeat_complaints": 1,
        }
        assert pm_a["closed"] == {"success": 1, "failure": 1}
        assert pm_a["success_rate"] == 0.5
        assert pm_a["online_share"] == 1.0
        assert pm_a["hours_to_accept"] == {"count": 2, "median": 13.0, "p90": 24.0}
        assert pm_a["referrals"] == {"judicial_confirmation": {"confirmed": 1}}
        pm_b = _row(rows, "institution", "pm-b")
        assert (pm_b["received"], pm_b["online"], pm_b["window"], pm_b["online_share"]) == (
            2,
            1,
            1,
            0.5,
        )
        assert pm_b["hours_to_accept"] == {"count": 2, "median": 27.0, "p90": 48.0}
        assert (pm_b["withdrawn"], pm_b["open"], pm_b["overdue"]) == (1, 1, 1)
        assert pm_b["success_rate"] is None
        cm_x = _row(rows, "institution", "cm-x")
        assert (cm_x["received"], cm_x["accepted"], cm_x["overdue"], cm_x["open"]) == (1, 0, 1, 1)
        assert cm_x["hours_to_accept"] == {"count": 0, "median": None, "p90": None}
        assert (cm_x["complaints"], cm_x["repeat_complaints"]) == (1, 0)

        units = c.get(f"/v1/stats?by=unit&{week}", headers=admin).json()["rows"]
        assert [(u["unit"], u["received"], u["overdue"], u["complaints"]) for u in units] == [
            ("sfj", 5, 1, 2),
            ("xbw", 1, 1, 1),
        ]
        assert _row(units, "unit", "sfj")["hours_to_accept"] == {
            "count": 4,
            "median": 15.0,
            "p90": 48.0,
        }  # 2, 6, 24, 48
        districts = c.get(f"/v1/stats?by=district&{week}", headers=admin).json()["rows"]
        assert [(d["district"], d["received"]) for d in districts] == [("310104", 5), ("310105", 1)]
        cats = c.get(f"/v1/stats?by=category&{week}", headers=admin).json()["rows"]
        assert [(d["category"], d["received"], d["rejected"]) for d in cats] == [
            ("consumer", 5, 0),
            ("neighbor", 1, 1),
        ]
        # the whole range including Monday 9 November
        wide = c.get("/v1/stats?by=unit&from=2026-11-01&to=2026-11-09", headers=admin).json()
        assert _row(wide["rows"], "unit", "sfj")["received"] == 6

        # a unit sees only its own institutions
        own = c.get(f"/v1/stats?by=institution&{week}", headers=xbw).json()["rows"]
        assert [x["institution"] for x in own] == ["cm-x"]

        r = c.get(f"/v1/stats?by=institution&{week}&format=csv", headers=admin)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        table = list(csv.DictReader(io.StringIO(r.text)))
        line = next(t for t in table if t["institution"] == "pm-a")
        assert line["received"] == "3" and line["closed_success"] == "1"
        assert line["median_hours_to_accept"] == "13.0"
        assert line["referrals.judicial_confirmation.confirmed"] == "1"
        assert next(t for t in table if t["institution"] == "cm-x")["success_rate"] == ""

        r = c.get("/v1/stats?by=color&from=2026-11-09&to=2026-11-01&format=xml", headers=admin)
        assert r.status_code == 422
        assert {e["pointer"] for e in r.json()["errors"]} == {"/query/by", "/query/format"}
        r = c.get("/v1/stats?from=2026-11-09&to=2026-11-01", headers=admin)
        assert r.status_code == 422 and r.json()["errors"][0]["pointer"] == "/query/from"
        assert c.get("/v1/stats", headers={"Authorization": "Bearer nope"}).status_code == 401
