"""Online help: ranked Chinese search over the seeded FAQ; units add articles."""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from hub.api.app import create_app
from tests.integration.ops_support import sh, small_hub
from tests.support.api import issue_token


def test_help_search_and_add(database_url: str, tmp_path: Path) -> None:
    ctx = small_hub(database_url, tmp_path, sh(2026, 11, 23, 10))
    unit = {"Authorization": f"Bearer {issue_token(ctx, 'unit', 'sfj')}"}
    portal = {"Authorization": f"Bearer {issue_token(ctx, 'portal', 'portal')}"}
    with TestClient(create_app(ctx)) as c:

        def top(q: str) -> str:
            r = c.get("/v1/help", params={"q": q})
            assert r.status_code == 200, r.text
            results = r.json()["results"]
            assert results, q
            return str(results[0]["title"])

        assert "司法确认" in top("司法确认怎么申请")
        assert "收费" in top("调解要钱吗 收费")
        assert "丢失" in top("查询码丢了")
        assert "调解不成" in top("调解不成功怎么办")
        assert "受理" in top("多久受理")
        assert "撤回" in top("我想撤回申请")
        assert "窗口" in top("不会上网 窗口")
        assert "国庆" in top("国庆节期限怎么算")
        everything = c.get("/v1/help").json()["results"]
        assert len(everything) == 10
        assert c.get("/v1/help", params={"q": "量子引力"}).json()["results"] == []

        article = {
            "title": "物业费纠纷可以申请调解吗？",
            "category": "property_management",
            "body": "可以。纠纷类别选择物业纠纷，系统会分派给物业纠纷人民调解委员会。",
            "tags": ["物业", "物业费"],
        }
        assert c.post("/v1/help/articles", headers=portal, json=article).status_code == 403
        r = c.post("/v1/help/articles", headers=unit, json={"title": "", "body": "x", "y": 1})
        assert r.status_code == 422
        r = c.post("/v1/help/articles", headers=unit, json=article)
        assert r.status_code == 201, r.text
        assert top("物业费不交 可以调解吗") == article["title"]
        assert c.get("/v1/help", params={"q": "长" * 201}).status_code == 422
