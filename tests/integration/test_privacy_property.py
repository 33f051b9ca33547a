"""Property: for generated applications (privacy.testing.sample_application) submitted
through the API and taken through a mediation, no personal value of any Article 23 item
appears in any data-bureau response, in any form: whole, ID digits (either case of the
check character), phone digits with or without separators, names, e-mails, addresses,
the place, the exact date and amount, free text."""

from __future__ import annotations

import base64
import hashlib
import json
import random
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from privacy.testing import make_faker
from tests.integration.test_privacy_shared import next_month
from tests.support.api import Api
from tests.support.builders import sample_application


def _forms(body: dict[str, Any], extra: list[str]) -> set[str]:
    out: set[str] = set()
    for party in body["applicants"] + body["respondents"]:
        out |= {party["name"], party.get("email", ""), party.get("address", "")}
        ident = party["id_number"]
        out |= {ident, ident.upper(), ident.lower(), ident[:17]}
        phone = party["phone"]
        digits = re.sub(r"\D", "", phone)
        out |= {phone, digits}
        if len(digits) == 11 and digits.startswith("1"):
            for sep in (" ", "-"):
                out.add(sep.join((digits[:3], digits[3:7], digits[7:])))
    out |= {
        body["facts"],
        body["claims"],
        body["occurred_place"],
        body["occurred_on"],
        body["amount"],
    }
    for a in body["attachments"]:
        out |= {a["name"], a["sha256"]}
    out |= set(extra)
    return {v for v in out if v and len(v) >= 2}


def _responses(api: Api) -> str:
    texts: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 7}
        if cursor:
            params["cursor"] = cursor
        r = api.client.get("/v1/shared/cases", params=params, headers=api.auth("databureau"))
        assert r.status_code == 200, r.text
        texts += [r.text, json.dumps(r.json(), ensure_ascii=False)]
        cursor = r.json()["next_cursor"]
        if not r.json()["has_more"]:
            break
    r = api.client.get(
        "/v1/shared/aggregates",
        params={"by": "month,district,category,outcome,channel"},
        headers=api.auth("databureau"),
    )
    assert r.status_code in (200, 403), r.text  # 403: the token's privacy budget is spent
    texts += [r.text, json.dumps(r.json(), ensure_ascii=False)]
    return "\n".join(texts)


@pytest.mark.parametrize("hub_db", ["sqlite"], indirect=True)
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(seed=st.integers(min_value=0, max_value=2**31), success=st.booleans())
def test_no_article23_value_reaches_the_data_bureau(api: Api, seed: int, success: bool) -> None:
    rng = random.Random(seed)
    body = sample_application(rng, make_faker(seed))
    body.update(category="consumer", district="310104", preferred_institution="pm-a")
    for a in body["attachments"]:  # the generator's digest and size do not match its content
        content = base64.b64decode(a["content_base64"])
        a.update(size=len(content), sha256=hashlib.sha256(content).hexdigest())
    if body["channel"] == "window":
        r = api.submit(body, role="institution", party="pm-a")
    else:
        body.pop("received_at", None)
        r = api.submit(body)
    assert r.status_code == 201, r.text
    no = r.json()["application_no"]
    institution = r.json()["institution"]["id"]
    applicant, respondent = body["applicants"][0], body["respondents"][0]
    note = f"已电话联系{respondent['name']}（{respondent['phone']}），对方同意调解。"
    summary = f"{respondent['name']}同意向{applicant['name']}支付{body['amount']}元"
    remedies = f"{applicant['name']}（电话{applicant['phone']}）可向人民法院起诉。"
    if body["channel"] == "online":
        api.ok_event(no, institution, "received")
    api.ok_event(no, institution, "respondent_contacted", {"willing": True, "note": note})
    api.ok_event(no, institution, "accepted")
    if success:
        closing = {
            "outcome": "success",
            "agreement": {"summary": summary, "amount": body["amount"]},
        }
    else:
        closing = {"outcome": "failure", "remedies": remedies}
    api.ok_event(no, institution, "closed", closing)

    next_month(api)  # the month ends: its release runs (examples share the database)
    text = _responses(api)
    assert '"release"' in text
    for value in _forms(body, [note, summary, remedies, no]):
        assert value not in text, value
