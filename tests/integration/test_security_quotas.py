"""Quotas (issue 12, item 10): complaints per phone and per portal, bytes of files per case,
attachment names without path parts."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select

from hub.clock import FakeClock
from hub.config import ComplaintQuota
from hub.store.models import Referral
from tests.support.api import Api, application_body, count_rows


def _complaint(phone: str) -> dict[str, Any]:
    return {
        "institution": "pm-a",
        "type": "overdue",
        "content": "申请已超过期限仍无人联系。",
        "contact": {"phone": phone},
    }


def test_five_complaints_a_day_from_one_phone(api: Api) -> None:
    portal = api.auth("portal")
    for _ in range(5):
        r = api.client.post("/v1/complaints", json=_complaint("13912345678"), headers=portal)
        assert r.status_code == 201, r.text
    before = count_rows(api.ctx, ("complaint", "outbox", "audit_entry"))
    r = api.client.post("/v1/complaints", json=_complaint("139 1234 5678"), headers=portal)
    assert r.status_code == 429, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert 0 < int(r.headers["retry-after"]) <= 24 * 3600
    assert count_rows(api.ctx, ("complaint", "outbox", "audit_entry")) == before
    other = api.client.post("/v1/complaints", json=_complaint("13812345678"), headers=portal)
    assert other.status_code == 201
    assert isinstance(api.ctx.clock, FakeClock)
    api.ctx.clock.advance(timedelta(days=1, seconds=1))
    r = api.client.post("/v1/complaints", json=_complaint("13912345678"), headers=portal)
    assert r.status_code == 201


def test_complaints_an_hour_from_one_portal_configurable(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        api.ctx, "settings", replace(api.ctx.settings, complaints=ComplaintQuota(per_party=3))
    )
    portal = api.auth("portal")
    for i in range(3):
        r = api.client.post("/v1/complaints", json=_complaint(f"1391234567{i}"), headers=portal)
        assert r.status_code == 201, r.text
    r = api.client.post("/v1/complaints", json=_complaint("13912345679"), headers=portal)
    assert r.status_code == 429 and 0 < int(r.headers["retry-after"]) <= 3600
    # another portal has its own quota
    elsewhere = api.auth("portal", "another-portal")
    r = api.client.post("/v1/complaints", json=_complaint("13912345679"), headers=elsewhere)
    assert r.status_code == 201


def _file(name: str, size: int) -> dict[str, Any]:
    content = bytes(range(256)) * (size // 256) + bytes(size % 256)
    return {
        "name": name,
        "media_type": "application/pdf",
        "sha256": hashlib.sha256(content).hexdigest(),
        "size": size,
        "content_base64": base64.b64encode(content).decode(),
    }


def test_attachment_names_are_cleaned_of_path_parts(api: Api) -> None:
    body = application_body(
        attachments=[_file("../../etc/passwd", 10), _file("C:\\Users\\王\\合同.pdf", 20)]
    )
    r = api.submit(body)
    assert r.status_code == 201, r.text
    record = api.record(r.json()["application_no"]).json()
    assert [a["name"] for a in record["attachments"]] == ["passwd", "合同.pdf"]


def test_an_attachment_name_that_hides_its_extension_is_refused(api: Api) -> None:
    # U+202E (right-to-left override) shows "合同\u202egpj.pdf" as "合同fdp.jpg" (issue 12, item 6)
    before = count_rows(api.ctx)
    r = api.submit(application_body(attachments=[_file("合同\u202egpj.pdf", 20)]))
    assert r.status_code == 422, r.text
    assert [e["pointer"] for e in r.json()["errors"]] == ["/attachments/0/name"]
    assert count_rows(api.ctx) == before


def test_a_case_holds_at_most_its_quota_of_file_bytes(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(api.ctx, "settings", replace(api.ctx.settings, case_file_bytes=1000))
    before = count_rows(api.ctx)
    r = api.submit(application_body(attachments=[_file("a.pdf", 600), _file("b.pdf", 600)]))
    assert r.status_code == 413, r.text
    assert [e["pointer"] for e in r.json()["errors"]] == ["/attachments"]
    assert count_rows(api.ctx) == before

    made = api.submit(application_body(attachments=[_file("a.pdf", 600)]))
    assert made.status_code == 201, made.text
    no = made.json()["application_no"]
    institution = made.json()["institution"]["id"]
    for event in ("received", "accepted"):
        api.ok_event(no, institution, event)
    api.ok_event(
        no, institution, "closed", {"outcome": "success", "agreement": {"summary": "退款"}}
    )
    headers = api.auth("institution", institution)
    over = {"kind": "judicial_confirmation", "documents": [_file("协议.pdf", 500)]}
    r = api.client.post(f"/v1/applications/{no}/referrals", json=over, headers=headers)
    assert r.status_code == 413, r.text
    assert [e["pointer"] for e in r.json()["errors"]] == ["/documents"]
    within = {"kind": "judicial_confirmation", "documents": [_file("..\\协议.pdf", 400)]}
    r = api.client.post(f"/v1/applications/{no}/referrals", json=within, headers=headers)
    assert r.status_code == 201, r.text
    with api.ctx.db.read() as session:
        (stored,) = session.exec(select(Referral).where(Referral.application_no == no)).all()
    assert [d["name"] for d in stored.documents] == ["协议.pdf"]


def test_a_served_document_counts_toward_the_quota_and_loses_its_path(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(api.ctx, "settings", replace(api.ctx.settings, case_file_bytes=1000))
    case = api.submitted()
    no, holder = case["application_no"], case["institution"]["id"]
    api.ok_event(no, holder, "received")
    headers = api.auth("institution", holder)

    def served(name: str, size: int) -> Any:
        content = bytes(size)
        return api.client.post(
            f"/v1/applications/{no}/documents",
            json={
                "kind": "agreement",
                "name": name,
                "media_type": "application/pdf",
                "sha256": hashlib.sha256(content).hexdigest(),
                "content_base64": base64.b64encode(content).decode(),
                "serve_to": "both",
            },
            headers=headers,
        )

    r = served("/tmp/../调解协议书.pdf", 700)
    assert r.status_code == 201, r.text
    assert r.json()["name"] == "调解协议书.pdf"
    r = served("补充.pdf", 400)
    assert r.status_code == 413 and r.json()["errors"][0]["pointer"] == "/content_base64"
