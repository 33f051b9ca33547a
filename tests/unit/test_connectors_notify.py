"""Notice texts (Chinese first) and webhook signatures."""

from __future__ import annotations

import hashlib
import hmac

from connectors.notify import render
from connectors.webhook import sign, verify

NO = "310000-20261123-000001-5"


def _text(notice: str, **data: object) -> str:
    return render(
        {"type": f"notice.{notice}", "application_no": NO, "data": {"notice": notice, **data}}
    )[1]


def test_each_notice_says_what_the_applicant_needs() -> None:
    numbered = _text("numbered", query_code="ABCD2345")
    assert NO in numbered and "ABCD2345" in numbered and "查询码" in numbered
    assert "受理" in _text("accepted")
    assert "原因：不属于受理范围" in _text("rejected", reason="不属于受理范围")
    failure = _text("closed", outcome="failure", remedies="可向徐汇区人民法院起诉")
    assert "调解未成功" in failure and "救济途径：可向徐汇区人民法院起诉" in failure
    assert "调解成功" in _text("closed", outcome="success")
    result = _text(
        "referral_result",
        kind="judicial_confirmation",
        outcome="confirmed",
        case_no="(2026)沪0104民特123号",
    )
    assert "司法确认" in result and "已确认" in result and "(2026)沪0104民特123号" in result
    assert all(_text(k).startswith("【解纷一件事】") for k in ("accepted", "numbered"))


def test_signature_is_hmac_sha256_of_timestamp_dot_body() -> None:
    body = '{"message_id":"m","data":{"名":"王"}}'.encode()
    secret, ts = "s3cret-s3cret-s3cret", 1_795_000_000
    sig = sign(secret, body, ts)
    # what an integrator computes (INTERFACE 18), written out here rather than reused
    expected = hmac.new(secret.encode(), b"1795000000." + body, hashlib.sha256).hexdigest()
    assert sig == "sha256=" + expected
    assert verify(secret, body, sig, "1795000000", now=ts + 10)
    assert not verify(secret, body + b" ", sig, "1795000000", now=ts)
    assert not verify("another-secret-000000", body, sig, "1795000000", now=ts)
    assert not verify(secret, body, None, "1795000000", now=ts)
    # the timestamp is signed: another one does not verify, a missing one neither
    assert not verify(secret, body, sig, "1795000001", now=ts)
    assert not verify(secret, body, sig, None, now=ts)
    # a replay later than the tolerance (5 minutes) is refused
    assert not verify(secret, body, sig, "1795000000", now=ts + 301)
    assert verify(secret, body, sig, "1795000000", now=ts + 300)
