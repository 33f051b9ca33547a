"""GET /v1/applications: a unit's own cases, overdue with which deadline and by how long."""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from hub.api.app import create_app
from tests.integration.ops_support import clock, sh, small_hub, submit
from tests.support.api import issue_token


def test_overdue_listing_scoped_and_paginated(database_url: str, tmp_path: Path) -> None:
    ctx = small_hub(database_url, tmp_path, sh(2026, 9, 30, 10))
    a = [submit(ctx, institution="pm-a") for _ in range(3)]  # unit sfj
    x = submit(ctx, institution="cm-x")  # unit xbw
    sfj = {"Authorization": f"Bearer {issue_token(ctx, 'unit', 'sfj')}"}
    xbw = {"Authorization": f"Bearer {issue_token(ctx, 'unit', 'xbw')}"}
    admin = {"Authorization": f"Bearer {issue_token(ctx, 'admin')}"}
    portal = {"Authorization": f"Bearer {issue_token(ctx, 'portal', 'portal')}"}
    clock(ctx).set(sh(2026, 10, 9, 12))  # acknowledge_by (8 Oct 23:59:59) missed by 12 h 1 s
    with TestClient(create_app(ctx)) as c:
        # sfj is the justice bureau: it oversees every institution (INTERFACE 13)
        r = c.get("/v1/applications?overdue=true", headers=sfj)
        assert r.status_code == 200, r.text
        items = r.json()["items"]
        everything = sorted([*a, x])
        assert [i["application_no"] for i in items] == everything
        late = items[0]["overdue"]
        assert [x["deadline"] for x in late] == ["acknowledge_by"]
        assert late[0]["overdue_working_hours"] == round(12 + 1 / 3600, 2)
        assert late[0]["due_at"] == "2026-10-08T23:59:59+08:00"
        assert items[0]["overdue_working_hours"] == late[0]["overdue_working_hours"]

        r = c.get("/v1/applications?overdue=true&limit=2", headers=sfj)
        page1 = r.json()
        assert len(page1["items"]) == 2 and page1["next_cursor"] == everything[1]
        r = c.get(
            f"/v1/applications?overdue=true&limit=2&cursor={page1['next_cursor']}", headers=sfj
        )
        assert [i["application_no"] for i in r.json()["items"]] == everything[2:]
        assert r.json()["next_cursor"] is None

        r = c.get("/v1/applications", headers=xbw)
        assert [i["application_no"] for i in r.json()["items"]] == [x]
        r = c.get("/v1/applications?institution=pm-a", headers=xbw)
        assert r.json()["items"] == []
        r = c.get("/v1/applications?status=dispatched&overdue=true", headers=admin)
        assert len(r.json()["items"]) == 4
        clock(ctx).set(sh(2026, 10, 8, 12))
        r = c.get("/v1/applications?overdue=true", headers=admin)
        assert r.json()["items"] == []

        assert c.get("/v1/applications", headers=portal).status_code == 403
        assert c.get("/v1/applications").status_code == 401
        r = c.get("/v1/applications?status=nope&overdue=maybe&limit=0", headers=admin)
        assert r.status_code == 422
        assert {e["pointer"] for e in r.json()["errors"]} == {
            "/query/status",
            "/query/overdue",
            "/query/limit",
        }
        # the POST route on the same path still answers
        assert c.post("/v1/applications", headers=admin, json={}).status_code == 403
