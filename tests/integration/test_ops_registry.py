"""Registry governance: only approved changes route, never self-approved, history kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlmodel import func, select
from starlette.testclient import TestClient

from hub.api.app import create_app
from hub.services.registry import open_secret
from hub.store.models import Application, Institution
from hub.store.models_ops import RegistryChange
from tests.integration.ops_support import clock, sh, small_hub, submit
from tests.support.api import issue_token

NEW_URL = "https://pm-c.example/hook"
NEW_SECRET = "s3cret-s3cret-s3cret-0001"
NEW: dict[str, Any] = {
    "action": "add",
    "institution": "pm-c",
    "reason": "新设立的长宁区人民调解委员会",
    "data": {
        "name": "丙人民调解委员会",
        "kind": "people_mediation",
        "unit": "sfj",
        "categories": ["neighbor"],
        "districts": ["310105"],
        "delivery": {
            "kind": "webhook",
            "url": NEW_URL,
            "secret": NEW_SECRET,
        },
    },
}


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _status(ctx: Any, no: str) -> tuple[str, str | None]:
    with ctx.db.read() as s:
        app = s.get(Application, no)
        assert app is not None
        return app.status, app.institution_id


def test_governance_end_to_end(database_url: str, tmp_path: Path) -> None:
    ctx = small_hub(database_url, tmp_path, sh(2026, 3, 1, 10))
    sfj = _auth(issue_token(ctx, "unit", "sfj"))
    xbw = _auth(issue_token(ctx, "unit", "xbw"))
    admin = _auth(issue_token(ctx, "admin"))
    with TestClient(create_app(ctx)) as c:
        # bad input: 422 with pointers, nothing stored
        r = c.post("/v1/registry/changes", headers=sfj, json={"action": "move", "institution": "x"})
        assert r.status_code == 422
        assert {e["pointer"] for e in r.json()["errors"]} >= {"/action", "/reason"}
        r = c.post(
            "/v1/registry/changes",
            headers=sfj,
            json={**NEW, "data": {**NEW["data"], "unit": "xbw"}},
        )
        assert r.status_code == 422 and r.json()["errors"][0]["pointer"] == "/data/unit"
        assert c.post("/v1/registry/changes", headers=admin, json=NEW).status_code == 403
        with ctx.db.read() as s:
            assert s.exec(select(func.count()).select_from(RegistryChange)).one() == 0

        clock(ctx).set(sh(2026, 3, 2, 9))
        r = c.post("/v1/registry/changes", headers=sfj, json=NEW)
        assert r.status_code == 201, r.text
        add_id = r.json()["id"]
        assert NEW_SECRET not in str(c.get(f"/v1/registry/changes/{add_id}", headers=admin).json())

        # not approved: never routes, not in the directory
        before = submit(ctx, institution=None, category="neighbor", district="310105")
        assert _status(ctx, before) == ("undeliverable", None)
        listing = c.get("/v1/institutions?category=neighbor&district=310105").json()
        assert listing["institutions"] == []

        # never the requester
        assert c.post(f"/v1/registry/changes/{add_id}/approve", headers=sfj).status_code == 403
        assert c.get(f"/v1/registry/changes/{add_id}", headers=xbw).status_code == 404

        clock(ctx).set(sh(2026, 3, 5, 10))
        r = c.post(f"/v1/registry/changes/{add_id}/approve", headers=admin, json={"note": "同意"})
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "approved"
        assert c.post(f"/v1/registry/changes/{add_id}/approve", headers=admin).status_code == 409
        after = submit(ctx, institution=None, category="neighbor", district="310105")
        assert _status(ctx, after) == ("dispatched", "pm-c")
        with ctx.db.read() as s:
            pm_c = s.get(Institution, "pm-c")
            assert pm_c is not None and pm_c.delivery == {"kind": "webhook", "url": NEW_URL}
            assert open_secret(ctx, pm_c) == NEW_SECRET

        # suspension: pm-a keeps its open case, receives no new one
        held = submit(ctx, institution="pm-a")
        assert (
            c.post(
                "/v1/registry/changes",
                headers=xbw,
                json={"action": "suspend", "institution": "pm-a", "reason": "不是本单位的"},
            ).status_code
            == 404
        )
        clock(ctx).set(sh(2026, 3, 10, 9))
        r = c.post(
            "/v1/registry/changes",
            headers=sfj,
            json={"action": "suspend", "institution": "pm-a", "reason": "人员调整，暂停受理"},
        )
        sus_id = r.json()["id"]
        assert _status(ctx, submit(ctx, institution="pm-a"))[1] == "pm-a"  # pending: still routes
        clock(ctx).set(sh(2026, 3, 10, 12))
        assert c.post(f"/v1/registry/changes/{sus_id}/approve", headers=admin).status_code == 200
        new = submit(ctx, institution="pm-a")
        assert _status(ctx, new)[1] in ("pm-b", "cm-x")
        assert _status(ctx, held) == ("dispatched", "pm-a")
        names = [
            i["id"] for i in c.get("/v1/institutions?category=consumer").json()["institutions"]
        ]
        assert "pm-a" not in names

        # a rejected change changes nothing
        r = c.post(
            "/v1/registry/changes",
            headers=sfj,
            json={"action": "hide", "institution": "pm-b", "reason": "试运行"},
        )
        hide_id = r.json()["id"]
        r = c.post(
            f"/v1/registry/changes/{hide_id}/reject", headers=admin, json={"note": "理由不足"}
        )
        assert r.json()["status"] == "rejected"
        assert c.post(f"/v1/registry/changes/{hide_id}/approve", headers=admin).status_code == 409
        assert _status(ctx, submit(ctx, institution="pm-b"))[1] == "pm-b"

        # history: every version, and who could receive cases on a past day
        hist = c.get("/v1/registry/institutions/pm-a/history", headers=sfj).json()["versions"]
        assert [(v["version"], v["state"], v["source"]) for v in hist] == [
            (1, "active", "baseline"),
            (2, "suspended", "change"),
        ]
        assert hist[0]["valid_to"] == hist[1]["valid_from"] == "2026-03-10T12:00:00+08:00"
        assert c.get("/v1/registry/institutions/pm-a/history", headers=xbw).status_code == 404

        def receiving(day: str) -> dict[str, bool]:
            r = c.get(f"/v1/registry/as-of?date={day}&category=consumer", headers=admin)
            assert r.status_code == 200, r.text
            return {i["id"]: i["could_receive"] for i in r.json()["institutions"]}

        assert receiving("2026-03-03") == {
            "pm-a": True,
            "pm-b": True,
            "cm-x": True,
            "court-310104": True,
            "arb-commercial": True,
        }
        assert receiving("2026-03-10")["pm-a"] is True  # suspended at noon: received that morning
        assert receiving("2026-03-11")["pm-a"] is False
        r = c.get(
            "/v1/registry/as-of?date=2026-03-03&category=neighbor&district=310105", headers=admin
        )
        assert r.json()["institutions"] == []  # pm-c did not exist yet
        r = c.get(
            "/v1/registry/as-of?at=2026-03-05T10:00:00%2B08:00&category=neighbor&district=310105",
            headers=admin,
        )
        assert [i["id"] for i in r.json()["institutions"]] == ["pm-c"]
        assert c.get("/v1/registry/as-of?date=3-3", headers=admin).status_code == 422
        pending = c.get("/v1/registry/changes?status=pending", headers=sfj).json()["changes"]
        assert pending == []
