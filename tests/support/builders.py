"""The one home of request bodies for the tests (and the benchmarks): a valid application
as the schema tests build it (`application`, `person`, `company`, `attachment`), the
integration tests' application with known personal values (`application_body`), and
seeded, Faker-filled applications and case records (`sample_application`,
`sample_case_record`).

Check characters come from `schemas.identity`, the project's one implementation of ISO 7064
MOD 11-2 and GB 32100; tests/unit/test_support_builders.py holds these builders to the
standards' published worked examples, so a wrong check there fails a test.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import random
from datetime import date, datetime, timedelta, timezone
from typing import Any

from hub.domain.case import Case
from privacy.testing import DISTRICTS, shanghai_address, valid_uscc
from schemas.identity import USCC_ALPHABET, resident_id_check_character, uscc_check_character

_CN8 = timezone(timedelta(hours=8))
_ROADS = "漕溪北 肇嘉浜 天钥桥 衡山 淮海中 南京西 延安西 长寿 四川北 控江 七莘 祖冲之 张江 "
_ROADS += "沪太 博乐 人民北 江宁 虹桥 曹杨 武宁 中山北 龙华中 宛平南 零陵 宜山 吴中 古北"

# ---------------------------------------------------------------------------------
# Identity numbers and one valid application (the schema tests)
# ---------------------------------------------------------------------------------
USCC_CHARS = USCC_ALPHABET


def make_resident_id(area: str = "310104", born: str = "19900307", seq: str = "123") -> str:
    body = area + born + seq
    return body + resident_id_check_character(body)


def make_uscc(prefix: str = "91310104MA1FL0000") -> str:
    return prefix + uscc_check_character(prefix)


def random_uscc(rng: random.Random) -> str:
    body = "91" + "310115" + "".join(rng.choice(USCC_CHARS) for _ in range(9))
    return make_uscc(body)


def attachment(content: bytes = b"%PDF-1.7 demo", name: str = "合同.pdf") -> dict[str, Any]:
    return {
        "name": name,
        "media_type": "application/pdf",
        "sha256": hashlib.sha256(content).hexdigest(),
        "size": len(content),
        "content_base64": base64.b64encode(content).decode(),
    }


def person(**over: Any) -> dict[str, Any]:
    p = {
        "kind": "person",
        "name": "张三",
        "id_type": "resident_id",
        "id_number": make_resident_id(),
        "phone": "13812345678",
        "email": "zhangsan@example.com",
        "address": "上海市徐汇区漕溪北路1号",
    }
    p.update(over)
    return p


def company(**over: Any) -> dict[str, Any]:
    c = {
        "kind": "organization",
        "name": "上海某某商贸有限公司",
        "id_type": "uscc",
        "id_number": make_uscc(),
        "phone": "021-64871234",
    }
    c.update(over)
    return c


def application(**over: Any) -> dict[str, Any]:
    a: dict[str, Any] = {
        "channel": "online",
        "category": "consumer",
        "district": "310104",
        "applicants": [person()],
        "respondents": [company()],
        "facts": "2026年11月1日在被申请人门店购买的洗衣机三天后无法启动，要求退货被拒。",
        "claims": "退还货款1200元。",
        "amount": "1200.00",
        "occurred_on": "2026-11-01",
        "occurred_place": "上海市徐汇区漕溪北路某商场",
        "preferred_institution": "pm-310104-01",
        "arbitration_agreement": False,
        "attachments": [attachment()],
    }
    a.update(over)
    return a


# ---------------------------------------------------------------------------------
# The integration tests' application: known personal values to look for
# ---------------------------------------------------------------------------------
APPLICANT_NAME = "王小明"
APPLICANT_ID = "11010519491231002X"  # GB 11643 worked example
APPLICANT_PHONE = "13912345678"
RESPONDENT_NAME = "上海某某健身有限公司"
RESPONDENT_USCC = "91350100M000100Y43"  # GB 32100 well-known example
RESPONDENT_PHONE = "021-64871234"
FACTS = "健身房突然停业，预付的会员费无人退还，多次联系无果。"
CLAIMS = "退还剩余会员费三千元。"
PERSONAL_VALUES = (APPLICANT_NAME, APPLICANT_ID, APPLICANT_PHONE, FACTS, CLAIMS)


def application_body(**over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "channel": "online",
        "category": "consumer",
        "district": "310104",
        "applicants": [
            {
                "kind": "person",
                "name": APPLICANT_NAME,
                "id_type": "resident_id",
                "id_number": APPLICANT_ID,
                "phone": APPLICANT_PHONE,
            }
        ],
        "respondents": [
            {
                "kind": "organization",
                "name": RESPONDENT_NAME,
                "id_type": "uscc",
                "id_number": RESPONDENT_USCC,
                "phone": RESPONDENT_PHONE,
            }
        ],
        "facts": FACTS,
        "claims": CLAIMS,
        "amount": "3000.00",
        "occurred_on": "2026-11-01",
        "occurred_place": "徐汇区漕溪北路1号",
    }
    body.update(copy.deepcopy(over))
    return body


# ---------------------------------------------------------------------------------
# A stored case (the store's tests: random cases written as intake writes them)
# ---------------------------------------------------------------------------------
def stored_case(no: str, received_at: datetime, sequence: int = 1, **over: Any) -> Case:
    """A case as `hub.store.cases` holds it, its sealed fields placeholders: written with
    `emit(uow, Application, case.row())` as intake does, changed through `cases.save`."""
    fields: dict[str, Any] = {
        "no": no,
        "region": "310000",
        "day": date(2026, 1, 1),
        "sequence": sequence,
        "channel": "online",
        "category": "consumer",
        "district": "310104",
        "status": "submitted",
        "preferred_institution": None,
        "arbitration_agreement": False,
        "returned_by": [],
        "submitted_by_role": "portal",
        "submitted_by_party": None,
        "query_code_hash": "x",
        "personal": "x",
        "received_at": received_at,
        "created_at": received_at,
        "updated_at": received_at,
    }
    return Case(**{**fields, **over})


# ---------------------------------------------------------------------------------
# Application and case records (INTERFACE 4)
# ---------------------------------------------------------------------------------
def _party(rng: random.Random, fake: Any, *, organization: bool = False) -> dict[str, Any]:
    if organization:
        return {
            "kind": "organization",
            "name": str(fake.company()),
            "id_type": "uscc",
            "id_number": valid_uscc(rng),
            "phone": f"021-{rng.randrange(2, 10)}{rng.randrange(10**6, 10**7)}",
            "email": str(fake.company_email()),
            "address": shanghai_address(rng),
        }
    return {
        "kind": "person",
        "name": str(fake.name()),
        "id_type": "resident_id",
        "id_number": str(fake.ssn()),
        # a mobile of an allocated block (Faker's zh_CN numbers include unallocated ones,
        # which the phone check refuses)
        "phone": f"1{rng.choice(['39', '38', '86', '58', '37'])}{rng.randrange(10**8):08d}",
        "email": str(fake.free_email()),
        "address": shanghai_address(rng),
    }


def sample_application(rng: random.Random, fake: Any) -> dict[str, Any]:
    """A full, valid application body (INTERFACE 4) with every optional field set."""
    applicant = _party(rng, fake)
    respondent = _party(rng, fake, organization=rng.random() < 0.5)
    occurred = date(2025, 1, 1) + timedelta(days=rng.randrange(0, 600))
    received = datetime(2026, 11, 2, 9, 0, tzinfo=_CN8) + timedelta(minutes=rng.randrange(0, 9999))
    district = rng.choice(list(DISTRICTS))
    amount = f"{rng.randrange(100, 5_000_000)}.{rng.randrange(100):02d}"
    return {
        "channel": rng.choice(["online", "window"]),
        "received_at": received.isoformat(),
        "category": rng.choice(["consumer", "labor", "neighbor", "loan", "traffic"]),
        "district": district,
        "applicants": [applicant],
        "respondents": [respondent],
        "facts": f"申请人{applicant['name']}于{occurred.year}年{occurred.month}月{occurred.day}日"
        f"与被申请人{respondent['name']}发生纠纷，联系电话{applicant['phone']}。",
        "claims": f"要求被申请人赔偿{amount}元。",
        "amount": amount,
        "occurred_on": occurred.isoformat(),
        "occurred_place": f"上海市{DISTRICTS[district]}{rng.choice(_ROADS.split())}路"
        f"{rng.randrange(1, 999)}号",
        "preferred_institution": f"pm-{district}-01",
        "arbitration_agreement": rng.random() < 0.3,
        "attachments": [
            {
                "name": f"{applicant['name']}的收据.jpg",
                "media_type": "image/jpeg",
                "sha256": f"{rng.getrandbits(256):064x}",
                "size": rng.randrange(1000, 10**6),
                "content_base64": "aGVsbG8=",
            }
        ],
    }


def sample_case_record(rng: random.Random, fake: Any, number: int = 1) -> dict[str, Any]:
    """The shape of ``GET /v1/applications/{no}``: the application, its number, status,
    institution and timeline with event data, ending in a failed closure and a referral."""
    app = sample_application(rng, fake)
    start = datetime.fromisoformat(app["received_at"])
    inst = {"id": f"pm-{app['district']}-01", "name": f"{DISTRICTS[app['district']]}人民调解委员会"}

    def at(hours: int) -> str:
        return (start + timedelta(hours=hours)).isoformat()

    respondent = app["respondents"][0]["name"]
    timeline = [
        {"type": "submitted", "at": at(0), "data": {}},
        {"type": "dispatched", "at": at(1), "data": {"institution": inst["id"]}},
        {"type": "received", "at": at(2), "data": {}},
        {
            "type": "respondent_contacted",
            "at": at(20),
            "data": {"willing": True, "note": f"已电话联系{respondent}，对方同意调解。"},
        },
        {"type": "accepted", "at": at(30), "data": {}},
        {
            "type": "closed",
            "at": at(200),
            "data": {
                "outcome": "failure",
                "agreement": {"summary": f"{respondent}同意分期支付", "amount": app["amount"]},
                "remedies": "可向有管辖权的人民法院提起诉讼。",
            },
        },
        {
            "type": "referral_requested",
            "at": at(210),
            "data": {"kind": "litigation", "target": f"court-{app['district']}"},
        },
        {
            "type": "referral_result",
            "at": at(400),
            "data": {
                "outcome": "filed",
                "case_no": f"(2026)沪0104民初{rng.randrange(1, 9999)}号",
                "decided_on": "2026-12-20",
                "document": {"sha256": f"{rng.getrandbits(256):064x}", "name": "受理通知书.pdf"},
            },
        },
    ]
    return {
        "application_no": f"310000-20261102-{number:06d}-X",
        "query_code": "K7Q2M9",
        **app,
        "status": "litigation_filed",
        "institution": inst,
        "deadlines": [{"kind": "acknowledge_by", "due_at": at(24), "provisional": False}],
        "created_at": at(0),
        "updated_at": at(400),
        "timeline": timeline,
    }
