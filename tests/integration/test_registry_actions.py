"""Registry actions of INTERFACE 17: resume, mediators and a duty contact, the unit's
liaison and dispatch mode, and the KPIs and reminders that use them."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml
from starlette.testclient import TestClient

from hub.api.app import create_app
from hub.ops import governance
from hub.ops.scheduler import SchedulerSettings, run_pass
from hub.services import registry
from hub.store.models import Institution, Unit
from hub.store.models_ops import InstitutionVersion
from tests.integration.ops_support import SMALL, clock, sh, small_hub, submit
from tests.support.api import outbox_envelopes

DUTY = {"name": "值班员小刘", "phone": "13611112222"}
LIAISON = {"name": "联络员老周", "phone": "13733334444"}


def _change(c: TestClient, unit: dict, admin: dict, action: str, data: Any = None) -> Any:
    body: dict[str, Any] = {"action": action, "institution": "pm-a", "reason": "测试 test"}
    if data is not None:
        body["data"] = data
    r = c.post("/v1/registry/changes", headers=unit, json=body)
    if r.status_code != 201:
        return r
    return c.post(f"/v1/registry/changes/{r.json()['id']}/approve", headers=admin)


def test_resume_mediators_duty_and_the_kpis(database_url: str, tmp_path: Path) -> None:
    from tests.support.api import issue_token

    ctx = small_hub(database_url, tmp_path, sh(2026, 11, 23, 10))
    sfj = {"Authorization": f"Bearer {issue_token(ctx, 'unit', 'sfj')}"}
    admin = {"Authorization": f"Bearer {issue_token(ctx, 'admin')}"}
    with TestClient(create_app(ctx)) as c:
        r = _change(c, sfj, admin, "resume")
        assert r.status_code == 409 and "暂停" in r.json()["detail"]  # active: nothing to resume
        assert _change(c, sfj, admin, "suspend").status_code == 200
        assert _change(c, sfj, admin, "resume").status_code == 200
        with ctx.db.read() as s:
            assert s.get(Institution, "pm-a").state == "active"
        r = _change(c, sfj, admin, "update", {"mediators": 12, "duty": DUTY})
        assert r.status_code == 200, r.text
        bad = c.post(
            "/v1/registry/changes",
            headers=sfj,
            json={
                "action": "update",
                "institution": "pm-a",
                "reason": "x",
                "data": {"mediators": -1, "duty": {"name": "无电话"}},
            },
        )
        assert bad.status_code == 422
        assert {e["pointer"] for e in bad.json()["errors"]} >= {
            "/data/mediators",
            "/data/duty/phone",
        }
        history = c.get("/v1/registry/institutions/pm-a/history", headers=sfj).json()
        assert history["versions"][-1]["mediators"] == 12

        submit(ctx, institution="pm-a")
        by_inst = c.get("/v1/stats", params={"by": "institution"}, headers=admin).json()
        row = next(r for r in by_inst["rows"] if r["institution"] == "pm-a")
        assert row["mediators"] == 12
        by_unit = c.get("/v1/stats", params={"by": "unit"}, headers=admin).json()
        sfj_row = next(r for r in by_unit["rows"] if r["unit"] == "sfj")
        assert sfj_row["mediators"] == 12 and sfj_row["connected"] == 2  # pm-a, pm-b
        assert by_unit["registry"]["connected_institutions"] == 3  # pm-a, pm-b, cm-x
        assert by_unit["registry"]["institutions_reporting_mediators"] == 1
        csv = c.get("/v1/stats", params={"by": "unit", "format": "csv"}, headers=admin).text
        assert csv.splitlines()[0].split(",")[17:19] == ["mediators", "connected"]


def test_reminders_reach_the_duty_phone_and_dunning_the_liaison(
    database_url: str, tmp_path: Path
) -> None:
    doc = yaml.safe_load(SMALL.read_text("utf-8"))
    for unit in doc["units"]:
        if unit["id"] == "sfj":
            unit["liaison"] = LIAISON
    for inst in doc["institutions"]:
        if inst["id"] == "pm-a":
            inst.update(duty=DUTY, mediators=7)
    path = tmp_path / "registry.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), "utf-8")
    ctx = small_hub(database_url, tmp_path, sh(2026, 11, 23, 10))
    ctx.db.run(lambda s: registry.load(ctx, s, path))
    ctx.db.run(lambda s: registry.load(ctx, s, path))  # safe to repeat
    with ctx.db.read() as s:
        assert s.get(Unit, "sfj").liaison == LIAISON and s.get(Unit, "sfj").dispatch == "auto"
        assert s.get(Institution, "pm-a").duty == DUTY
    submit(ctx, institution="pm-a")  # acknowledge_by: Tue 11-24 23:59:59
    settings = SchedulerSettings()
    clock(ctx).set(sh(2026, 11, 24, 20))
    run_pass(ctx, settings)
    clock(ctx).set(sh(2026, 11, 25, 23, 59, 59))  # one working day late: escalated
    run_pass(ctx, settings)
    sms = [
        m["data"]
        for m in outbox_envelopes(ctx, "hub:notify")
        if m["type"] == "notice.duty_reminder"
    ]
    by_what = {(d["what"], d["recipients"][0]["phone"]) for d in sms}
    assert ("reminder", DUTY["phone"]) in by_what
    assert ("dunning", LIAISON["phone"]) in by_what
    assert all(
        d["deadline"] in ("acknowledge_by", "respondent_contact_by", "decide_by") for d in sms
    )


def test_a_field_added_later_is_no_change_of_history(database_url: str, tmp_path: Path) -> None:
    ctx = small_hub(database_url, tmp_path, sh(2026, 11, 23, 10))
    with ctx.db.transaction() as s:
        assert governance.sync_history(s, ctx.clock.now()) == 6  # the baseline
    with ctx.db.transaction() as s:  # as versions recorded before `mediators` and `duty`
        for v in s.query(InstitutionVersion).all():
            v.snapshot = {k: x for k, x in v.snapshot.items() if k not in ("mediators", "duty")}
            s.add(v)
    with ctx.db.transaction() as s:
        assert governance.sync_history(s, ctx.clock.now() + timedelta(hours=1)) == 0
