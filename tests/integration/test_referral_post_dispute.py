"""Arbitration on an agreement made once the dispute arose (Art. 13, INTERFACE 17)."""

from __future__ import annotations

import base64
import hashlib

from tests.integration.test_api_lifecycle import closed, refer
from tests.support.api import Api, count_rows

AGREEMENT = b"%PDF-1.7 both parties agree to arbitration by SHAC"


def document(content: bytes = AGREEMENT) -> dict:
    return {
        "name": "仲裁协议.pdf",
        "media_type": "application/pdf",
        "sha256": hashlib.sha256(content).hexdigest(),
        "size": len(content),
        "content_base64": base64.b64encode(content).decode(),
    }


def test_arbitration_on_a_post_dispute_agreement(api: Api) -> None:
    no, _ = closed(api, "failure")  # no arbitration agreement at intake
    referral = refer(api, no, "arbitration", post_dispute_agreement={"document": document()})
    assert referral["status"] == "arbitration_requested"
    [message] = [
        m
        for m in api.feed("arbitration", "arb-commercial", limit=100).json()["messages"]
        if m["type"] == "referral.requested"
    ]
    [agreement] = [d for d in message["data"]["documents"] if d.get("role")]
    assert agreement["role"] == "post_dispute_agreement"
    assert base64.b64decode(agreement["content_base64"]) == AGREEMENT
    steps = api.record(no).json()["timeline"]
    assert steps[-1]["type"] == "referral_requested"
    assert steps[-1]["data"]["post_dispute_agreement"] is True


def test_a_bad_post_dispute_agreement_changes_nothing(api: Api) -> None:
    no, _ = closed(api, "failure")
    before = count_rows(api.ctx, ("referral", "outbox", "case_event"))
    wrong = document()
    wrong["sha256"] = "0" * 64
    for body, pointer in (
        (
            {"kind": "arbitration", "post_dispute_agreement": {"document": wrong}},
            "/post_dispute_agreement/document/sha256",
        ),
        (
            {"kind": "litigation", "post_dispute_agreement": {"document": document()}},
            "/post_dispute_agreement",
        ),
        ({"kind": "arbitration", "post_dispute_agreement": {}}, "/post_dispute_agreement/document"),
    ):
        r = api.client.post(
            f"/v1/applications/{no}/referrals", json=body, headers=api.auth("institution", "pm-a")
        )
        assert r.status_code == 422, r.text
        assert pointer in [e["pointer"] for e in r.json()["errors"]], r.json()
    assert count_rows(api.ctx, ("referral", "outbox", "case_event")) == before
