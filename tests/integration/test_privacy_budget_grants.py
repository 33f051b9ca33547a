"""Renewing the data bureau's privacy budget (issue 11 item 3): a spent budget is refused
until an admin grants more, each grant is audited (who, when, epsilon, reason), answers
state what remains, a repeated question still gets its stored answer, and grants stop at
the yearly ceiling. SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from sqlmodel import select

from hub import cli
from hub.config import SharingSettings
from hub.store import audit
from hub.store.models import ApiToken, AuditEntry
from hub.store.models_privacy import DpGrant
from tests.integration.conftest import Tokens
from tests.integration.test_privacy_shared import next_month
from tests.support.api import APPLICANT_PHONE, Api

MONTHS = ["2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]


def _agg(api: Api, start: str, by: str = "district") -> Any:
    return api.client.get(
        "/v1/shared/aggregates",
        params={"by": by, "from": start, "to": "2026-11"},
        headers=api.auth("databureau"),
    )


def _grant(api: Api, **body: Any) -> Any:
    return api.client.post("/v1/admin/privacy-budget", json=body, headers=api.auth("admin"))


def _spend_all(api: Api) -> None:
    """Seven more tables of 0.25 after the first: the base budget of 2 spent."""
    for start in MONTHS:
        assert _agg(api, start).status_code == 200
    assert _agg(api, "2026-11", by="category").status_code == 403


def _entries(api: Api) -> list[AuditEntry]:
    with api.ctx.db.read() as session:
        return list(session.exec(select(AuditEntry).where(AuditEntry.chain == "privacy-budget")))


def test_a_spent_budget_is_refused_until_an_admin_grants_more(api: Api) -> None:
    for _ in range(10):
        api.submitted()
    next_month(api)
    first = _agg(api, "2026-11")
    assert first.status_code == 200
    _spend_all(api)
    # the stored answer still comes, at no cost, while the budget is spent
    again = _agg(api, "2026-11")
    assert again.status_code == 200 and again.json()["cells"] == first.json()["cells"]
    assert again.json()["budget"] == {
        "holder": "databureau",
        "spent": 2.0,
        "total": 2.0,
        "remaining": 0.0,
    }
    # only an admin grants
    assert (
        api.client.post(
            "/v1/admin/privacy-budget",
            json={"epsilon": 1, "reason": "x"},
            headers=api.auth("databureau"),
        ).status_code
        == 403
    )
    assert _grant(api, epsilon=1).status_code == 422  # a reason is required
    assert _grant(api, epsilon=0, reason="x").status_code == 422
    assert _grant(api, epsilon=1, reason="x", party="nobody").status_code == 404
    r = _grant(api, party="databureau", epsilon=1, reason=f"2027 年度统计，联系 {APPLICANT_PHONE}")
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["total"] == 3.0 and body["remaining"] == 1.0 and body["granted"] == 1.0
    assert body["grant"]["epsilon"] == 1.0 and body["grant"]["granted_by"]["role"] == "admin"
    assert APPLICANT_PHONE not in r.text and "2027 年度统计" in body["grant"]["reason"]
    # the new budget is spent on new questions, and stated in every answer
    r = _agg(api, "2026-11", by="category")
    assert r.status_code == 200, r.text
    assert r.json()["budget"] == {
        "holder": "databureau",
        "spent": 2.25,
        "total": 3.0,
        "remaining": 0.75,
    }
    assert _agg(api, "2026-11").json()["budget"]["spent"] == 2.25  # stored: no cost
    for by in ("outcome", "channel", "district,category"):
        assert _agg(api, "2026-11", by=by).status_code == 200
    assert _agg(api, "2026-10", by="category").status_code == 403  # spent again
    # the grant is in the audit trail, chained, with who, when, epsilon and reason
    (entry,) = _entries(api)
    assert entry.action == "dp_budget.granted" and entry.actor_role == "admin"
    assert entry.at == api.ctx.clock.now()
    assert entry.detail is not None and APPLICANT_PHONE not in str(entry.detail)
    assert entry.detail["epsilon"] == 1.0 and entry.detail["holder"] == "databureau"
    assert entry.detail["reason"] == body["grant"]["reason"] and entry.detail["total"] == 3.0
    # who granted: an admin token has no party nor login, so its id is recorded
    with api.ctx.db.read() as session:
        (admin,) = session.exec(select(ApiToken).where(ApiToken.role == "admin"))
        (row,) = session.exec(select(DpGrant))
    assert entry.detail["token_id"] == admin.id == row.granted_by_token
    assert body["grant"]["granted_by"] == {
        "role": "admin",
        "party": None,
        "login": None,
        "token": admin.id,
    }
    with api.ctx.db.read() as session:
        assert audit.verify(session)[1] == []
    shown = api.client.get("/v1/admin/privacy-budget", headers=api.auth("admin")).json()
    assert shown["spent"] == 3.0 and shown["remaining"] == 0.0
    assert [g["id"] for g in shown["grants"]] == [body["grant"]["id"]]
    # both answers, grants and all, are what /openapi.json declares (trial finding 5)
    components = api.client.get("/openapi.json").json()["components"]
    for answer, name in ((shown, "PrivacyBudget"), (body, "PrivacyBudgetGranted")):
        declared = {"$ref": f"#/components/schemas/{name}", "components": components}
        Draft202012Validator(declared).validate(answer)
    assert (
        api.client.get("/v1/admin/privacy-budget", headers=api.auth("databureau")).status_code
        == 403
    )


def test_grants_stop_at_the_yearly_ceiling(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = api.ctx.clock
    assert _grant(api, epsilon=1.5, reason="第一次追加").status_code == 201
    clock.advance(timedelta(days=100))  # type: ignore[attr-defined]
    r = _grant(api, epsilon=1, reason="第二次追加")
    assert r.status_code == 409 and "上限" in r.json()["detail"], r.text
    assert _grant(api, epsilon=0.5, reason="第二次追加").status_code == 201
    assert _grant(api, epsilon=0.01, reason="第三次").status_code == 409
    shown = api.client.get("/v1/admin/privacy-budget", headers=api.auth("admin")).json()
    assert shown["granted_last_365_days"] == 2.0 and shown["grantable"] == 0.0
    assert shown["total"] == 4.0
    # 365 days after the first grant, it no longer counts against the ceiling; the
    # second (100 days later) still does
    clock.advance(timedelta(days=265))  # type: ignore[attr-defined]
    assert _grant(api, epsilon=1.5, reason="次年").status_code == 201
    assert _grant(api, epsilon=0.01, reason="次年").status_code == 409
    with api.ctx.db.read() as session:
        assert len(list(session.exec(select(DpGrant)))) == 3
    assert len(_entries(api)) == 3  # refused grants leave no entry
    # a ceiling of 0: no renewal at all
    sharing = dataclasses.replace(api.ctx.settings.sharing, ceiling_per_year=0.0)
    monkeypatch.setattr(api.ctx, "settings", dataclasses.replace(api.ctx.settings, sharing=sharing))
    clock.advance(timedelta(days=400))  # type: ignore[attr-defined]
    assert _grant(api, epsilon=0.25, reason="x").status_code == 409


def test_the_ceiling_may_only_be_lowered() -> None:
    assert SharingSettings(ceiling_per_year=0).ceiling_per_year == 0
    with pytest.raises(ValueError, match="CEILING"):
        SharingSettings(ceiling_per_year=2.5)
    with pytest.raises(ValueError, match="CEILING"):
        SharingSettings(ceiling_per_year=-1)


def test_the_cli_shows_and_grants(
    api: Api,
    hub_db: tuple[str, Tokens],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("HUB_DATABASE_URL", hub_db[0])
    assert cli.main(["privacy", "budget", "show"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("databureau：已用 0，共 2") and "remaining 2" in out
    argv = ["privacy", "budget", "grant", "--party", "databureau", "--epsilon", "2"]
    assert cli.main([*argv, "--reason", "年度统计 annual statistics", "--actor", "ops-li"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("已追加 2") and "共 4" in out and "ops-li: 年度统计" in out
    assert cli.main([*argv, "--reason", "again"]) == 1  # the ceiling of 2 a year
    assert capsys.readouterr().err.startswith("超出年度上限")
    assert cli.main([*argv, "--reason", " "]) == 2
    assert capsys.readouterr().err.startswith("reason: 须写明理由")
    assert cli.main(["privacy", "budget", "show", "--party", "admin:nobody"]) == 1
    (entry,) = _entries(api)
    assert entry.actor_party == "ops-li" and entry.detail is not None
    assert entry.detail["reason"] == "年度统计 annual statistics"


def test_the_cli_names_the_token_an_api_grant_came_with(
    api: Api,
    hub_db: tuple[str, Tokens],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    granted = api.client.post(
        "/v1/admin/privacy-budget",
        json={"epsilon": 0.5, "reason": "季度核对 quarterly check"},
        headers=api.auth("admin"),
    )
    assert granted.status_code in (200, 201), granted.text
    monkeypatch.setenv("HUB_DATABASE_URL", hub_db[0])
    assert cli.main(["privacy", "budget", "show"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if "季度核对" in x)
    token_id = line.split("令牌 token ", 1)[1].split(":", 1)[0]
    assert line.startswith("  #") and "+0.5 admin 令牌 token " in line
    with api.ctx.db.read() as s:
        (stored,) = s.exec(select(DpGrant.granted_by_token)).all()
    assert stored and token_id == stored
