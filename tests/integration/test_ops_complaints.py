"""Complaints: numbered with a check character, followed by query code, answered by the unit."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from starlette.testclient import TestClient

from hub.api.app import create_app
from tests.integration.ops_support import sh, small_hub
from tests.support.api import check_character, issue_token

BODY = {
    "institution": "pm-a",
    "type": "overdue",
    "content": "申请已经两周没有人联系我。",
    "contact": {"name": "钱七", "phone": "13700001111", "email": "qian7@example.com"},
}


def test_complaint_flow(database_url: str, tmp_path: Path) -> None:
    ctx = small_hub(database_url, tmp_path, sh(2026, 11, 23, 10))
    portal = {"Authorization": f"Bearer {issue_token(ctx, 'portal', 'portal')}"}
    sfj = {"Authorization": f"Bearer {issue_token(ctx, 'unit', 'sfj')}"}
    xbw = {"Authorization": f"Bearer {issue_token(ctx, 'unit', 'xbw')}"}
    with TestClient(create_app(ctx)) as c:
        r = c.post("/v1/complaints", headers=portal, json={**BODY, "type": "rude", "contact": {}})
        assert r.status_code == 422
        assert {e["pointer"] for e in r.json()["errors"]} == {"/type", "/contact/phone"}
        r = c.post("/v1/complaints", headers=portal, json={**BODY, "institution": "nobody"})
        assert r.status_code == 422 and r.json()["errors"][0]["pointer"] == "/institution"
        assert c.post("/v1/complaints", headers=sfj, json=BODY).status_code == 403

        key = {"Idempotency-Key": "complaint-1", **portal}
        r = c.post("/v1/complaints", headers=key, json=BODY)
        assert r.status_code == 201, r.text
        first = r.json()
        assert c.post("/v1/complaints", headers=key, json=BODY).json() == first
        no, code = first["complaint_no"], first["query_code"]
        assert no == f"TS-20261123-000001-{check_character('20261123000001')}"
        second = c.post("/v1/complaints", headers=portal, json=BODY).json()
        assert second["complaint_no"].startswith("TS-20261123-000002-")

        with ctx.db.read() as s:
            raw = " ".join(
                str(v) for row in s.execute(text("SELECT * FROM complaint")) for v in row
            )
        for value in ("钱七", "13700001111", "qian7", "两周", code):
            assert value not in raw

        r = c.get(f"/v1/complaints/{no}?code={code}")
        assert r.status_code == 200
        view = r.json()
        assert view["status"] == "submitted" and view["institution"] == {"name": "甲人民调解委员会"}
        assert "13700001111" not in r.text and "content" not in view
        compact = no.replace("-", "").lower()
        assert c.get(f"/v1/complaints/{compact}?code={code.lower()}").status_code == 200
        assert c.get(f"/v1/complaints/{no}?code=WRONG123").status_code == 404
        assert c.get(f"/v1/complaints/{no}").status_code == 404
        bad = no[:-1] + ("0" if no[-1] != "0" else "1")
        assert c.get(f"/v1/complaints/{bad}?code={code}").status_code == 422

        listed = c.get("/v1/complaints", headers=sfj).json()["complaints"]
        assert [x["complaint_no"] for x in listed] == [no, second["complaint_no"]]
        assert listed[0]["content"] == BODY["content"] and "13700001111" not in str(listed)
        assert [x["repeat"] for x in listed] == [False, True]
        assert c.get("/v1/complaints", headers=xbw).json()["complaints"] == []

        answer = {"answer": "已督促该调解委员会于三个工作日内联系您，并对承办人员进行了批评教育。"}
        assert c.post(f"/v1/complaints/{no}/answer", headers=xbw, json=answer).status_code == 404
        r = c.post(f"/v1/complaints/{no}/answer", headers=sfj, json={"answer": " ", "x": 1})
        assert r.status_code == 422
        assert {e["pointer"] for e in r.json()["errors"]} == {"/answer", "/x"}
        r = c.post(f"/v1/complaints/{no}/answer", headers=sfj, json=answer)
        assert r.status_code == 200 and r.json()["status"] == "answered"
        assert c.post(f"/v1/complaints/{no}/answer", headers=sfj, json=answer).status_code == 409
        view = c.get(f"/v1/complaints/{no}?code={code}").json()
        assert view["status"] == "answered" and view["answer"] == answer["answer"]
        assert view["status_text"]["zh"] == "主管单位已答复"
