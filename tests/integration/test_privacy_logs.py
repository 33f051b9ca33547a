"""Logs carry no personal data: the whole lifecycle in-process, logging captured at DEBUG
(pytest's caplog and a handler of our own on the root logger), and none of the
application's personal values in any captured line."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from hub import logsafety
from schemas.identity import resident_id_check_character
from tests.support.api import MONDAY, Api, application_body, issue_token

NAME = "欧阳明辉"
ID_NUMBER = "11010519491231002X"
PHONE = "13987654321"
RESPONDENT = "张建国"
RESPONDENT_ID = "310104198001011234"
RESPONDENT_PHONE = "021-64870000"
FACTS = "欧阳明辉在健身房办卡后门店停业，张建国拒绝退还预付卡余额。"
CLAIMS = "请求张建国退还预付卡余额八千元。"
PLACE = "徐汇区天钥桥路578号"
NOTE = "已电话联系张建国（021-64870000），对方同意调解。"


def _valid_id(first17: str) -> str:
    return first17 + resident_id_check_character(first17)


def _personal_values() -> list[str]:
    rid = _valid_id(RESPONDENT_ID[:17])
    return [
        NAME,
        ID_NUMBER,
        ID_NUMBER[:17],
        PHONE,
        f"{PHONE[:3]} {PHONE[3:7]} {PHONE[7:]}",
        f"{PHONE[:3]}-{PHONE[3:7]}-{PHONE[7:]}",
        RESPONDENT,
        rid,
        RESPONDENT_PHONE,
        RESPONDENT_PHONE.replace("-", ""),
        FACTS,
        CLAIMS,
        PLACE,
        "天钥桥路578号",
        NOTE,
    ]


@pytest.fixture
def captured(caplog: pytest.LogCaptureFixture) -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s %(args)s"))
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    root.addHandler(handler)
    caplog.set_level(logging.DEBUG)
    saved_level = root.level
    root.setLevel(logging.DEBUG)
    logsafety.install()  # what `hub` does before every sub-command
    try:
        yield stream
    finally:
        logsafety.uninstall()
        root.removeHandler(handler)
        root.setLevel(saved_level)


def _lifecycle(api: Api) -> str:
    rid = _valid_id(RESPONDENT_ID[:17])
    body = application_body(
        preferred_institution="pm-a",
        applicants=[
            {
                "kind": "person",
                "name": NAME,
                "id_type": "resident_id",
                "id_number": ID_NUMBER,
                "phone": PHONE,
            }
        ],
        respondents=[
            {
                "kind": "person",
                "name": RESPONDENT,
                "id_type": "resident_id",
                "id_number": rid,
                "phone": RESPONDENT_PHONE,
            }
        ],
        facts=FACTS,
        claims=CLAIMS,
        occurred_place=PLACE,
    )
    r = api.submit(body)
    assert r.status_code == 201, r.text
    no = str(r.json()["application_no"])
    assert api.ok_event(no, "pm-a", "received") == "received"
    api.ok_event(no, "pm-a", "respondent_contacted", {"willing": True, "note": NOTE})
    assert api.ok_event(no, "pm-a", "accepted") == "accepted"
    data: dict[str, Any] = {"outcome": "failure", "remedies": f"{NAME}可向人民法院起诉。"}
    assert api.ok_event(no, "pm-a", "closed", data) == "closed_failure"
    r = api.client.post(
        f"/v1/applications/{no}/referrals",
        json={"kind": "litigation"},
        headers=api.auth("institution", "pm-a"),
    )
    assert r.status_code == 201, r.text
    referral = r.json()["referral_id"]
    r = api.client.post(
        f"/v1/referrals/{referral}/result",
        json={"outcome": "filed", "case_no": "(2026)沪0104民初123号", "decided_on": "2026-11-23"},
        headers=api.auth("court", "court-310104"),
    )
    assert r.status_code == 200, r.text
    for role, party in (("institution", "pm-a"), ("portal", None), ("court", "court-310104")):
        assert api.feed(role, party, limit=1000).status_code == 200
    assert api.record(no).status_code == 200
    assert api.client.get("/v1/shared/cases", headers=api.auth("databureau")).status_code == 200
    r = api.client.get(
        "/v1/shared/aggregates", params={"by": "category"}, headers=api.auth("databureau")
    )
    assert r.status_code == 200
    # an unmasked read under a grant
    grant = api.client.post(
        "/v1/shared/grants",
        json={
            "purpose": "核查",
            "scope": {"application_nos": [no]},
            "fields": ["applicants.name", "facts"],
            "expiry": (MONDAY + timedelta(days=1)).isoformat(),
            "approver": "李处长",
        },
        headers=api.auth("admin"),
    ).json()["id"]
    second = issue_token(api.ctx, "admin", None, "second")
    r = api.client.post(
        f"/v1/shared/grants/{grant}/approve", headers={"Authorization": f"Bearer {second}"}
    )
    assert r.status_code == 200
    r = api.client.get("/v1/shared/cases", params={"grant": grant}, headers=api.auth("databureau"))
    # the grant opens the applicants' names and the facts, not the respondent's name
    assert r.json()["cases"][0]["fields"]["facts"] == FACTS.replace(RESPONDENT, "〔姓名〕")
    return no


def test_lifecycle_logs_carry_no_personal_values(
    api: Api, captured: io.StringIO, caplog: pytest.LogCaptureFixture
) -> None:
    _lifecycle(api)
    # what the hub's own code might log about a case, including by mistake
    logging.getLogger("hub.test").warning(
        "申请人%s，身份证号%s，电话%s", NAME, ID_NUMBER, PHONE, extra={"party_phone": PHONE}
    )
    try:
        raise ValueError(f"bad id {ID_NUMBER} for {PHONE}")
    except ValueError:
        logging.getLogger("hub.test").exception("failed")
    lines = [*caplog.text.splitlines(), *captured.getvalue().splitlines()]
    lines += [str(getattr(rec, "party_phone", "")) for rec in caplog.records]
    assert len(caplog.records) >= 2
    assert any("failed" in line for line in lines)
    assert any("身份证号" in line for line in lines)  # the line is there, its values are not
    for value in _personal_values():
        leaked = [line for line in lines if value in line]
        assert not leaked, (value, leaked[:3])


def test_the_hub_cli_installs_the_filter(monkeypatch: pytest.MonkeyPatch) -> None:
    from hub import cli

    monkeypatch.setattr(cli, "build_parser", lambda: _Parser())
    try:
        assert cli.main([]) == 0
        root = logging.getLogger()
        assert any(type(f).__name__ == "PiiLogFilter" for h in root.handlers for f in h.filters)
        record = logging.getLogRecordFactory()("x", logging.INFO, "f", 1, "电话%s", (PHONE,), None)
        assert PHONE not in record.getMessage()
    finally:
        logsafety.uninstall()


class _Parser:
    def parse_args(self, argv: list[str] | None) -> Any:
        class Args:
            @staticmethod
            def func(args: Any) -> int:
                return 0

        return Args()
