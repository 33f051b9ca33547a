"""Every notice type has its own text, Chinese first then English, with nothing left blank."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hub.domain.notices import RENDERERS, SIGNATURE, render

NO = "310000-20261123-000001-5"
ROOT = Path(__file__).resolve().parents[2]

#: What each notice type carries (as the code that writes it does).
SAMPLES: dict[str, dict] = {
    "numbered": {"query_code": "ABCD2345"},
    "accepted": {"status": "accepted"},
    "rejected": {"reason": "不属于受理范围"},
    "closed": {"outcome": "failure", "remedies": "可向徐汇区人民法院起诉"},
    "referral_result": {
        "kind": "judicial_confirmation",
        "outcome": "confirmed",
        "case_no": "(2026)沪0104民特123号",
    },
    "withdrawn": {"status": "withdrawn"},
    "complaint_received": {"complaint_no": "TS-20261123-000001-3", "query_code": "QWER2345"},
    "complaint_answered": {"complaint_no": "TS-20261123-000001-3", "answer": "已约谈调解员"},
    "workorder_received": {
        "workorder_no": "GD-20261123-000001-3",
        "query_code": "ZXCV2345",
        "answer_by": "2026-11-26T23:59:59+08:00",
    },
    "workorder_answered": {"workorder_no": "GD-20261123-000001-3", "answer": "可携身份证到窗口"},
    "document_served": {"kind": "agreement", "link": "https://zwdt.sh.gov.cn/x/1"},
    "duty_reminder": {"deadline": "decide_by", "due_at": "2026-11-26T23:59:59+08:00"},
}
#: What each notice must say (beyond its number).
MUST_SAY = {
    "numbered": ["ABCD2345", "查询码"],
    "rejected": ["原因：不属于受理范围"],
    "closed": ["调解未成功", "救济途径：可向徐汇区人民法院起诉"],
    "referral_result": ["司法确认", "已确认", "(2026)沪0104民特123号"],
    "complaint_received": ["TS-20261123-000001-3", "QWER2345"],
    "complaint_answered": ["已约谈调解员"],
    "workorder_received": ["GD-20261123-000001-3", "ZXCV2345", "2026-11-26"],
    "workorder_answered": ["可携身份证到窗口"],
    "document_served": ["调解协议书", "https://zwdt.sh.gov.cn/x/1"],
    "duty_reminder": ["作出受理决定", "2026-11-26"],
}
_BLANK = re.compile(r"  |：。|：$|（）|\(\)|编号 ，|编号 。|状态：。")


def test_every_type_has_a_sample() -> None:
    assert set(SAMPLES) == set(RENDERERS)


@pytest.mark.parametrize("kind", sorted(RENDERERS))
def test_each_type_says_its_own_thing(kind: str) -> None:
    envelope = {
        "type": f"notice.{kind}",
        "application_no": NO,
        "data": {"notice": kind, **SAMPLES[kind]},
    }
    notice = render(envelope)
    assert notice.text.startswith(SIGNATURE)
    zh, en = notice.text_zh, notice.text_en
    assert re.search(r"[\u4e00-\u9fff]", zh), "the Chinese text comes first"
    english = en
    for value in SAMPLES[kind].values():  # what the person wrote stays as written
        english = english.replace(str(value), "")
    assert not re.search(r"[\u4e00-\u9fff]", english), (kind, en)
    for text in (zh, en, notice.subject_zh, notice.subject_en):
        assert text.strip() and not _BLANK.search(text), (kind, text)
    for needed in MUST_SAY.get(kind, []):
        assert needed in zh, (kind, needed)
    others = {
        k: render(
            {"type": f"notice.{k}", "application_no": NO, "data": {"notice": k, **SAMPLES[k]}}
        ).text_zh
        for k in RENDERERS
    }
    assert list(others.values()).count(zh) == 1  # no two types share a text


def test_numbered_does_not_say_accepted() -> None:
    """The first notice goes out before any institution decided: not 已受理."""
    notice = render(
        {
            "type": "notice.numbered",
            "application_no": NO,
            "data": {"notice": "numbered", "query_code": "ABCD2345"},
        }
    )
    assert "受理登记" not in notice.subject_zh and "已受理" not in notice.text_zh


def test_an_unknown_type_is_refused_not_sent_blank() -> None:
    with pytest.raises(KeyError):
        render({"type": "notice.surprise", "application_no": NO, "data": {}})


def test_every_notice_type_written_in_the_code_has_a_text() -> None:
    """Scan the sources for the notice types they write; each must be in RENDERERS."""
    written: set[str] = set()
    for path in (ROOT / "hub").rglob("*.py"):
        source = path.read_text("utf-8")
        written |= set(re.findall(r'type="notice\.([a-z_]+)"', source))
        written |= set(re.findall(r'notify_applicant\([^)]*?"([a-z_]+)"', source, re.S))
        written |= set(re.findall(r'_tell_citizen\([^)]*?"([a-z_]+)"', source, re.S))
        written |= set(re.findall(r'"notice":\s*"([a-z_]+)"', source))
        if "_NOTICES = {" in source:
            block = source.split("_NOTICES = {", 1)[1].split("}", 1)[0]
            written |= set(re.findall(r'"([a-z_]+)"', block))
    assert written, "the scan found the notice types"
    assert written <= set(RENDERERS), written - set(RENDERERS)
