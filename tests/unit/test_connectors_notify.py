"""Notice texts (Chinese first) and webhook signatures."""

from __future__ import annotations

import hashlib
import hmac
import logging
from typing import Any

import pytest

from connectors.notify import LogOnly, render
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


def test_a_notice_without_a_gateway_is_logged_naming_its_channel(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from types import SimpleNamespace

    from hub.broker.wiring import build
    from hub.clock import SystemClock
    from hub.delivery.settings import DeliverySettings

    ctx: Any = SimpleNamespace(clock=SystemClock(), vault=None)
    no_directory: Any = None  # the notify connector reads none
    connectors = build(ctx, DeliverySettings(), no_directory)  # neither gateway configured
    notify = connectors.notify
    assert isinstance(notify.sms, LogOnly) and isinstance(notify.mailer, LogOnly)
    with caplog.at_level(logging.INFO, logger="hub.notify"):
        notify.sms.send("13812345678", "文本", client_ref="m:0")
        notify.mailer.send("zhang@example.com", "主题", "文本", message_id="m:0")
    sms, mail = (r.getMessage() for r in caplog.records)
    assert "sms notice not sent: no sms gateway configured (HUB_SMS_URL)" in sms
    assert "mail notice not sent: no mail gateway configured (HUB_SMTP_HOST)" in mail
    assert "13812345678" not in sms + mail and "zhang@" not in sms + mail
    connectors.close()
