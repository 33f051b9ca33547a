"""Case files and service of documents (INTERFACE 15), through the API on both databases."""

from __future__ import annotations

import base64
import hashlib
from datetime import timedelta

from sqlalchemy import text
from sqlmodel import col, select

from hub import jsonutil
from hub.services import records
from hub.store import cases
from hub.store.models import AuditEntry
from tests.support.api import APPLICANT_PHONE, Api, count_rows, outbox_envelopes

PDF = b"%PDF-1.7\n% a contract\n" + bytes(range(256))


def attachment(content: bytes = PDF, name: str = "合同.pdf") -> dict:
    return {
        "name": name,
        "media_type": "application/pdf",
        "sha256": hashlib.sha256(content).hexdigest(),
        "size": len(content),
        "content_base64": base64.b64encode(content).decode(),
    }


def document(content: bytes = b"%PDF-1.7 agreement", **over) -> dict:
    return {
        "kind": "agreement",
        "name": "调解协议书.pdf",
        "media_type": "application/pdf",
        "sha256": hashlib.sha256(content).hexdigest(),
        "content_base64": base64.b64encode(content).decode(),
        "serve_to": "both",
        **over,
    }


def _audited(api: Api, no: str, action: str) -> list[AuditEntry]:
    with api.ctx.db.read() as s:
        return list(
            s.exec(
                select(AuditEntry)
                .where(AuditEntry.application_no == no, AuditEntry.action == action)
                .order_by(col(AuditEntry.id))
            ).all()
        )


def test_attachments_are_downloaded_checked_and_audited(api: Api) -> None:
    case = api.submitted(attachments=[attachment(), attachment(b"second", "照片.pdf")])
    no, holder = case["application_no"], case["institution"]["id"]
    other = "pm-b" if holder != "pm-b" else "pm-a"
    url = f"/v1/applications/{no}/attachments"
    r = api.client.get(f"{url}/0", headers=api.auth("institution", holder))
    assert r.status_code == 200 and r.content == PDF
    assert r.headers["content-type"] == "application/pdf"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "filename*=UTF-8''%E5%90%88%E5%90%8C.pdf" in r.headers["content-disposition"]
    digest = base64.b64encode(hashlib.sha256(PDF).digest()).decode()
    assert r.headers["repr-digest"] == f"sha-256=:{digest}:"
    assert api.client.get(f"{url}/1", headers=api.auth("portal")).content == b"second"
    for who, index in (
        (("institution", other), "0"),
        (("institution", holder), "2"),
        (("institution", holder), "x"),
        (("institution", holder), "１"),
        (("court", "court-310104"), "0"),
    ):
        assert api.client.get(f"{url}/{index}", headers=api.auth(*who)).status_code == 404
    downloads = _audited(api, no, "attachment.downloaded")
    assert [(e.actor_party, e.detail["index"]) for e in downloads] == [(holder, 0), ("portal", 1)]


def test_an_attachment_that_no_longer_matches_its_digest_is_not_served(api: Api) -> None:
    case = api.submitted(attachments=[attachment()])
    no, holder = case["application_no"], case["institution"]["id"]
    with api.ctx.db.transaction() as s:  # someone changed the stored bytes
        app = cases.load(s, no, for_update=True)
        assert app is not None
        personal = records.open_personal(api.ctx.vault, app)
        personal["attachments"][0]["content_base64"] = base64.b64encode(b"forged").decode()
        app.personal = records.seal_personal(api.ctx.vault, no, personal)
        cases.save(s, app)
    r = api.client.get(
        f"/v1/applications/{no}/attachments/0", headers=api.auth("institution", holder)
    )
    assert r.status_code == 500 and b"forged" not in r.content
    assert "sha256" in r.json()["detail"]


def test_a_document_is_served_opened_and_signed_for(api: Api) -> None:
    case = api.submitted()
    no, holder = case["application_no"], case["institution"]["id"]
    api.ok_event(no, holder, "received")
    before = count_rows(api.ctx, ("case_document", "outbox", "case_event"))
    bad = document()
    bad["sha256"] = hashlib.sha256(b"other").hexdigest()
    r = api.client.post(
        f"/v1/applications/{no}/documents", json=bad, headers=api.auth("institution", holder)
    )
    assert r.status_code == 422 and r.json()["errors"][0]["pointer"] == "/sha256"
    other = "pm-b" if holder != "pm-b" else "pm-a"
    r = api.client.post(
        f"/v1/applications/{no}/documents", json=document(), headers=api.auth("institution", other)
    )
    assert r.status_code == 404
    assert count_rows(api.ctx, ("case_document", "outbox", "case_event")) == before

    r = api.client.post(
        f"/v1/applications/{no}/documents", json=document(), headers=api.auth("institution", holder)
    )
    assert r.status_code == 201, r.text
    doc = r.json()
    doc_id = doc["document_id"]
    assert doc["kind_text"]["zh"] == "调解协议书" and doc["received_at"] is None
    [served] = [
        m for m in outbox_envelopes(api.ctx, "portal:portal") if m["type"] == "document.served"
    ]
    assert served["data"]["href"] == f"/v1/documents/{doc_id}"
    [sms] = [
        m for m in outbox_envelopes(api.ctx, "hub:notify") if m["type"] == "notice.document_served"
    ]
    phones = [p["phone"] for p in sms["data"]["recipients"]]
    assert APPLICANT_PHONE in phones and len(phones) == 2  # applicant and respondent
    assert doc_id in sms["data"]["link"]

    got = api.client.get(f"/v1/documents/{doc_id}", headers=api.auth("portal"))
    assert got.status_code == 200 and got.content == b"%PDF-1.7 agreement"
    assert (
        api.client.get(
            f"/v1/documents/{doc_id}", headers=api.auth("portal", "another-portal")
        ).status_code
        == 404
    )
    assert api.client.get("/v1/documents/not-a-uuid", headers=api.auth("admin")).status_code == 404

    now = api.ctx.clock.now()
    receipt = f"/v1/documents/{doc_id}/receipt"
    for when in (now + timedelta(hours=1), now - timedelta(days=1)):
        r = api.client.post(
            receipt, json={"received_at": when.isoformat()}, headers=api.auth("portal")
        )
        assert r.status_code == 422 and r.json()["errors"][0]["pointer"] == "/received_at"
    assert (
        api.client.post(receipt, json={}, headers=api.auth("institution", holder)).status_code
        == 403
    )
    r = api.client.post(receipt, json={}, headers=api.auth("portal"))
    assert r.status_code == 200 and r.json()["received_at"] == jsonutil.rfc3339(now)
    first = r.json()["received_at"]
    again = api.client.post(receipt, json={}, headers=api.auth("portal"))
    assert again.status_code == 200 and again.json()["received_at"] == first
    assert [m["type"] for m in outbox_envelopes(api.ctx, f"institution:{holder}")].count(
        "document.received"
    ) == 1

    record = api.record(no).json()
    assert [d["received_at"] for d in record["documents"]] == [first]
    steps = [e["type"] for e in record["timeline"]]
    assert steps[-2:] == ["document_served", "document_received"]
    status = api.client.get(f"/v1/status/{no}", params={"code": case["query_code"]}).json()
    assert [e["type"] for e in status["timeline"]][-2:] == ["document_served", "document_received"]
    with api.ctx.db.engine.connect() as conn:
        stored = conn.execute(text("SELECT content_sealed FROM case_document")).scalar_one()
    assert base64.b64encode(b"%PDF-1.7 agreement").decode() not in stored  # sealed at rest
