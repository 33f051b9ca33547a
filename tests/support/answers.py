"""A tour that makes the hub give each documented answer for real (not a refusal): every
route of the lifecycle, documents, dunning, referrals, the registry's governance,
complaints, help, work orders, the import, the data bureau and dead letters. The tests of
the OpenAPI document check each answer against the schema it declares."""

from __future__ import annotations

import base64
import hashlib
import re
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx

from hub.clock import FakeClock
from tests.support.api import Api, application_body, close_case, issue_token

AGREEMENT = {"summary": "退还会员费", "amount": "3000.00"}
CONTACT = {"name": "钱七", "phone": "13700001111", "email": "qian7@example.com"}
_PARAM = re.compile(r"\{[a-z_]+\}")


@dataclass
class Tour:
    """The answers met on the way: (method, the path as documented, the response)."""

    api: Api
    answers: list[tuple[str, str, httpx.Response]] = field(default_factory=list)

    def call(
        self,
        method: str,
        template: str,
        values: tuple[str, ...] = (),
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> Any:
        parts = iter(values)
        url = _PARAM.sub(lambda _m: next(parts), template)
        r = self.api.client.request(method, url, headers=headers, **kwargs)
        assert r.status_code == status, (method, url, r.status_code, r.text[:500])
        self.answers.append((method, template, r))
        ctype = r.headers.get("content-type", "")
        return r.json() if "json" in ctype else r.text

    def as_(self, role: str, party: str | None = None) -> dict[str, str]:
        return self.api.auth(role, party)


def _clock(api: Api) -> FakeClock:
    clock = api.ctx.clock
    assert isinstance(clock, FakeClock)
    return clock


def _document() -> dict[str, Any]:
    content = b"%PDF-1.7 agreement"
    return {
        "kind": "agreement",
        "name": "调解协议书.pdf",
        "media_type": "application/pdf",
        "sha256": hashlib.sha256(content).hexdigest(),
        "content_base64": base64.b64encode(content).decode(),
        "serve_to": "both",
    }


def _case(t: Tour) -> str:
    body = application_body(preferred_institution="pm-a")
    created = t.call("POST", "/v1/applications", json=body, headers=t.as_("portal"), status=201)
    return str(created["application_no"])


def _event(t: Tour, no: str, kind: str, data: dict[str, Any] | None = None) -> None:
    body: dict[str, Any] = {"event_id": str(uuid.uuid4()), "type": kind, "data": data or {}}
    t.call(
        "POST",
        "/v1/applications/{no}/events",
        (no,),
        json=body,
        headers=t.as_("institution", "pm-a"),
        status=201,
    )


def cases_and_documents(t: Tour) -> str:
    """A case closed with an agreement, a document served and signed for, a referral to
    the court and its result; another case overdue and pressed. Answers the first case."""
    no = _case(t)
    for kind in ("received", "accepted"):
        _event(t, no, kind)
    doc = t.call(
        "POST",
        "/v1/applications/{no}/documents",
        (no,),
        json=_document(),
        headers=t.as_("institution", "pm-a"),
        status=201,
    )
    t.call(
        "POST",
        "/v1/documents/{id}/receipt",
        (doc["document_id"],),
        json={},
        headers=t.as_("portal"),
    )
    _event(t, no, "closed", {"outcome": "success", "agreement": AGREEMENT})
    court = t.as_("court", "court-310104")
    referral = t.call(
        "POST",
        "/v1/applications/{no}/referrals",
        (no,),
        json={"kind": "judicial_confirmation"},
        headers=t.as_("institution", "pm-a"),
        status=201,
    )
    t.call("GET", "/v1/referrals", headers=court)
    t.call(
        "POST",
        "/v1/referrals/{id}/result",
        (referral["referral_id"],),
        json={"outcome": "confirmed", "decided_on": "2026-11-23", "case_no": "(2026)沪0104民特1号"},
        headers=court,
    )
    t.call("GET", "/v1/applications/{no}", (no,), headers=t.as_("admin"))
    t.call("GET", "/v1/applications", params={"limit": 5}, headers=t.as_("admin"))

    late = _case(t)
    _clock(t.api).advance(timedelta(days=4))  # past the acknowledgement deadline
    t.call(
        "POST",
        "/v1/applications/{no}/dunning",
        (late,),
        json={"note": "请尽快签收"},
        headers=t.as_("unit", "sfj"),
        status=201,
    )
    t.call(
        "POST",
        "/v1/import/cases",
        content=b'{"source_no": "X-1"}\n',
        headers={**t.as_("institution", "pm-a"), "content-type": "application/x-ndjson"},
    )
    return no


def registry(t: Tour) -> None:
    sfj, admin = t.as_("unit", "sfj"), t.as_("admin")
    asked = [
        t.call(
            "POST",
            "/v1/registry/changes",
            json={
                "action": "update",
                "institution": "pm-a",
                "data": {"mediators": 12 + i},
                "reason": "调解员人数变更",
            },
            headers=sfj,
            status=201,
        )["id"]
        for i in range(2)
    ]
    t.call("GET", "/v1/registry/changes", headers=sfj)
    t.call("GET", "/v1/registry/changes/{id}", (asked[0],), headers=sfj)
    t.call("POST", "/v1/registry/changes/{id}/approve", (asked[0],), headers=admin)
    t.call(
        "POST",
        "/v1/registry/changes/{id}/reject",
        (asked[1],),
        json={"note": "重复"},
        headers=admin,
    )
    t.call("GET", "/v1/registry/institutions/{id}/history", ("pm-a",), headers=sfj)
    t.call("GET", "/v1/registry/as-of", params={"date": "2026-11-24"}, headers=admin)


def complaints_and_help(t: Tour) -> None:
    sfj = t.as_("unit", "sfj")
    filed = t.call(
        "POST",
        "/v1/complaints",
        json={
            "institution": "pm-a",
            "type": "overdue",
            "content": "迟迟不受理",
            "contact": CONTACT,
        },
        headers=t.as_("portal"),
        status=201,
    )
    no = filed["complaint_no"]
    t.call("GET", "/v1/complaints/{no}", (no,), params={"code": filed["query_code"]})
    t.call("POST", "/v1/complaints/{no}/answer", (no,), json={"answer": "已督促"}, headers=sfj)
    t.call("GET", "/v1/complaints", headers=sfj)
    article = {"title": "如何申请调解？", "body": "在线提交申请。", "tags": ["申请"]}
    added = t.call("POST", "/v1/help/articles", json=article, headers=sfj, status=201)
    aid = str(added["id"])
    edited = {**article, "body": "在线提交申请，三日内答复。", "title_en": "How to apply?"}
    t.call("PUT", "/v1/help/articles/{id}", (aid,), json=edited, headers=sfj)
    t.call("GET", "/v1/help/articles/{id}", (aid,))
    t.call("GET", "/v1/help", params={"q": "申请"})
    t.call("POST", "/v1/help/articles/{id}/retire", (aid,), headers=sfj)
    t.call("GET", "/v1/help/articles/{id}", (aid,), headers=sfj)


def workorders(t: Tour) -> None:
    admin, sfj = t.as_("admin"), t.as_("unit", "sfj")
    body = {"type": "consultation", "content": "调解需要准备什么材料？", "contact": CONTACT}
    filed = t.call("POST", "/v1/workorders", json=body, headers=t.as_("portal"), status=201)
    no = filed["workorder_no"]
    t.call("GET", "/v1/workorders/{no}", (no,), params={"code": filed["query_code"]})
    t.call(
        "POST", "/v1/workorders/{no}/dispatch", (no,), json={"institution": "pm-a"}, headers=admin
    )
    t.call(
        "POST",
        "/v1/workorders/{no}/answer",
        (no,),
        json={"answer": "身份证件、证据材料。"},
        headers=t.as_("institution", "pm-a"),
    )
    t.call("POST", "/v1/workorders/{no}/callback", (no,), json={"satisfied": True}, headers=admin)
    t.call(
        "POST",
        "/v1/workorders/{no}/help-article",
        (no,),
        json={"title": "调解需要准备哪些材料？", "body": "身份证件、证据材料。"},
        headers=sfj,
    )
    t.call("GET", "/v1/workorders/{no}", (no,), headers=admin)
    t.call("GET", "/v1/workorders", headers=admin)
    t.call("GET", "/v1/workorders/report", headers=admin)


def data_bureau(t: Tour, no: str) -> None:
    admin, bureau = t.as_("admin"), t.as_("databureau")
    second = {"Authorization": f"Bearer {issue_token(t.api.ctx, 'admin', None, 'second admin')}"}
    expiry = (_clock(t.api).now() + timedelta(days=30)).isoformat()
    grant = t.call(
        "POST",
        "/v1/shared/grants",
        json={
            "purpose": "回访调解满意度",
            "scope": {"application_nos": [no]},
            "fields": ["applicants.name", "facts"],
            "expiry": expiry,
            "approver": "李处长",
        },
        headers=admin,
        status=201,
    )["id"]
    t.call("POST", "/v1/shared/grants/{id}/approve", (grant,), headers=second)
    t.call("GET", "/v1/shared/cases", params={"grant": grant}, headers=bureau)
    t.call("GET", "/v1/shared/cases/{no}", (no,), params={"grant": grant}, headers=bureau)
    t.call("POST", "/v1/shared/grants/{id}/revoke", (grant,), headers=admin)
    t.call("GET", "/v1/shared/grants", headers=admin)
    for i in range(10):  # a class of k = 5 or more with two outcomes (l = 2) to release
        case = t.api.submitted()
        close_case(t.api, case["application_no"], case["institution"]["id"], success=i % 2 == 0)
    _clock(t.api).advance(timedelta(days=40))  # the month has ended: a round is released
    page = t.call("GET", "/v1/shared/cases", headers=bureau)
    assert page["cases"], "no record released: SharedRecord would be checked on no record"
    t.call("GET", "/v1/shared/cases/{no}", (page["cases"][0]["case"],), headers=bureau)
    t.call("GET", "/v1/shared/aggregates", params={"by": "category"}, headers=bureau)
    t.call("GET", "/v1/admin/shared/unreadable", headers=admin)
    t.call("GET", "/v1/admin/privacy-budget", headers=admin)
    t.call(
        "POST",
        "/v1/admin/privacy-budget",
        json={"epsilon": 0.5, "reason": "季度统计"},
        headers=admin,
        status=201,
    )
    t.call("GET", "/v1/admin/deadletters", headers=admin)
    t.call("POST", "/v1/admin/deadletters/replay", json={"all": True}, headers=admin)


def tour(api: Api) -> Tour:
    """Every answer above, in one run on a fresh hub."""
    t = Tour(api)
    no = cases_and_documents(t)
    registry(t)
    complaints_and_help(t)
    workorders(t)
    data_bureau(t, no)
    return t
