"""Notice texts (Chinese first) and webhook signatures."""

from __future__ import annotations

from connectors.notify import render
from connectors.webhook import sign, verify

NO = "310000-20261123-000001-5"


def _text(notice: str, **data: object) -> str:
    return render({"type": f"notice.{notice}", "application_no": NO,
                   "data": {"notice": notice, **data}})[1]


def test_each_notice_says_what_the_applicant_needs() -> None:
    numbered = _text("numbered", query_code="ABCD2345")
    assert NO in numbered and "ABCD2345" in numbered and "查询码" in numbered
    assert "受理" in _text("accepted")
    assert "原因：不属于受理范围" in _text("rejected", reason="不属于受理范围")
    failure = _text("closed", outcome="failure", remedies="可向徐汇区人民法院起诉")
    assert "调解未成功" in failure and "救济途径：可向徐汇区人民法院起诉" in failure
    assert "调解成功" in _text("closed", outcome="success")
    result = _text("referral_result", kind="judicial_confirmation", outcome="confirmed",
                   case_no="(2026)沪0104民特123号")
    assert "司法确认" in result and "已确认" in result and "(2026)沪0104民特123号" in result
    assert all(_text(k).startswith("【解纷一件事】") for k in ("accepted", "numbered"))


def test_signature_is_hmac_sha256_of_the_exact_body() -> None:
    body = '{"message_id":"m","data":{"名":"王"}}'.encode()
    sig = sign("s3cret-s3cret-s3cret", body)
    assert sig.startswith("sha256=") and len(sig) == 7 + 64
    assert verify("s3cret-s3cret-s3cret", body, sig)
    assert not verify("s3cret-s3cret-s3cret", body + b" ", sig)
    assert not verify("another-secret-000000", body, sig)
    assert not verify("s3cret-s3cret-s3cret", body, None)
