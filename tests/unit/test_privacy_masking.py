import json
import random
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from privacy.masking import Pseudonymizer, compile_masker, mask_case, to_band, to_district, to_month
from privacy.testing import DISTRICTS, make_faker, valid_uscc
from schemas.identity import resident_id_check_character
from tests.support.builders import sample_case_record

KEY = b"p" * 32
PSEUDO = Pseudonymizer(KEY)
CN8 = timezone(timedelta(hours=8))


@pytest.fixture(scope="module")
def record() -> dict:
    return sample_case_record(random.Random(11), make_faker(11))


def test_masked_record_shape(record: dict) -> None:
    out = mask_case(record, PSEUDO)
    assert out["category"] == record["category"] and out["district"] == record["district"]
    assert out["status"] == record["status"] and out["month"] == "2026-11"
    assert out["amount"] in {"0-1000", "1000-10000", "10000-100000", "100000-1000000", ">1000000"}
    assert out["case"].startswith("C-") and "application_no" not in out
    for gone in (
        "query_code",
        "facts",
        "claims",
        "institution",
        "deadlines",
        "received_at",
        "created_at",
        "updated_at",
        "occurred_on",
        "occurred_place",
        "attachments",
    ):
        assert gone not in out, gone
    for side in ("applicants", "respondents"):
        for party in out[side]:
            assert set(party) == {"kind"}  # no party pseudonym: it would link cases
    assert all(set(e) <= {"type", "data"} for e in out["timeline"])  # no times
    closed = next(e for e in out["timeline"] if e["type"] == "closed")
    assert closed["data"] == {"outcome": "failure", "agreement": {}}
    result = next(e for e in out["timeline"] if e["type"] == "referral_result")
    assert result["data"] == {"outcome": "filed"}
    contacted = next(e for e in out["timeline"] if e["type"] == "respondent_contacted")
    assert contacted["data"] == {}  # the note is free text: gone, not scrubbed


def test_codes_leave_and_the_words_do_not(record: dict) -> None:
    rec = json.loads(json.dumps(record))
    closed = next(e for e in rec["timeline"] if e["type"] == "closed")
    closed["data"]["remedy_kinds"] = ["litigation", "legal_aid"]
    closed["data"]["agreement"]["type"] = "installments"
    rec["timeline"].append(
        {
            "type": "rejected",
            "at": "2026-11-30T10:00:00+08:00",
            "data": {"reason": "张三不配合 13800138000", "reason_code": "respondent_refused"},
        }
    )
    out = mask_case(rec, PSEUDO)
    closed = next(e for e in out["timeline"] if e["type"] == "closed")
    assert closed["data"]["remedy_kinds"] == ["litigation", "legal_aid"]
    assert closed["data"]["agreement"] == {"type": "installments"}
    assert out["timeline"][-1]["data"] == {"reason_code": "respondent_refused"}
    text = json.dumps(out, ensure_ascii=False)
    assert "张三" not in text and "13800138000" not in text


def test_case_pseudonyms_are_stable_and_keyed(record: dict) -> None:
    other = json.loads(json.dumps(record))
    other["application_no"] = "310000-20261103-000009-1"
    a, b = mask_case(record, PSEUDO), mask_case(other, PSEUDO)
    assert a["case"] != b["case"] and mask_case(record, PSEUDO)["case"] == a["case"]
    c = mask_case(record, Pseudonymizer(b"q" * 32))
    assert c["case"] != a["case"]  # keyed
    assert mask_case(record, KEY) == a  # the key itself is accepted
    assert "p" * 32 not in repr(PSEUDO)


def test_unknown_and_misshapen_fields_are_dropped(record: dict) -> None:
    rec = json.loads(json.dumps(record))
    rec["applicants"][0]["wechat"] = "wxid_secret"
    rec["new_field"] = "张三 13800138000"
    rec["category"] = {"nested": "张三"}  # keep applies to scalars only
    rec["institution"] = "not an object"
    rec["timeline"][0]["data"] = {"free": "张三"}
    out = mask_case(rec, PSEUDO)
    text = json.dumps(out, ensure_ascii=False)
    assert "wxid_secret" not in text and "张三" not in text
    assert "new_field" not in out and "category" not in out and "institution" not in out
    assert out["timeline"][0]["data"] == {}


def test_record_key_order_does_not_matter_for_free_text(record: dict) -> None:
    rec = {"timeline": record["timeline"], **{k: v for k, v in record.items() if k != "timeline"}}
    respondent = record["respondents"][0]["name"]
    assert respondent not in json.dumps(mask_case(rec, PSEUDO), ensure_ascii=False)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-01", "2026-11"),
        ("2026-11-30T23:30:00+00:00", "2026-12"),  # Shanghai time
        ("2026-11-30T23:30:00+08:00", "2026-11"),
        (date(2026, 3, 5), "2026-03"),
        (datetime(2026, 3, 5, tzinfo=CN8), "2026-03"),
        ("yesterday", None),
        (20261101, None),
    ],
)
def test_to_month(value: object, expected: str | None) -> None:
    assert to_month(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("上海市徐汇区漕溪北路88号", "310104"),
        ("浦东新区张江镇祖冲之路1000弄", "310115"),
        ("在浦东张江", "310115"),
        ("310107", "310107"),
        ("江苏省苏州市", None),
        (None, None),
    ],
)
def test_to_district(value: object, expected: str | None) -> None:
    assert to_district(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", "0-1000"),
        ("999.99", "0-1000"),
        ("1000", "0-1000"),
        ("1000.01", "1000-10000"),
        ("12345.67", "10000-100000"),
        ("1,000,000", "100000-1000000"),
        ("1000000.01", ">1000000"),
        ("-5", None),
        ("abc", None),
        ("NaN", None),
        (None, None),
        (True, None),
    ],
)
def test_to_band(value: object, expected: str | None) -> None:
    assert to_band(value) == expected


# ---------------------------------------------------------------------------------
# Property: no personal value of the application appears in the masked record, in any
# form. Names use characters that occur nowhere in the fixed, non-personal output text.
# ---------------------------------------------------------------------------------
_FIXED = (
    "".join(f"{n}人民调解委员会" for n in DISTRICTS.values())
    + "已电话联系对方同意调解可向有管辖权的人民法院提起诉讼"
    + "〔〕姓名证件号码联系方式日期地址身份手机电话金额邮箱银行卡车牌"
)
_SURNAMES = [c for c in "王李张刘陈杨赵周吴孙朱胡郭何罗梁谢韩冯曹彭蔡潘袁蒋" if c not in _FIXED]
_SURNAMES += ["欧阳", "司马", "诸葛"]
_GIVEN = [
    c for c in "伟芳娜秀敏丽强磊军洋勇艳杰娟涛超霞刚桂英玉萍鹏辉婷雪琳晶岚" if c not in _FIXED
]
_ROADS = ["漕溪北", "肇嘉浜", "衡山", "淮海中", "延安西", "控江", "七莘", "祖冲之"]

names = st.builds(
    lambda s, g: s + "".join(g),
    st.sampled_from(_SURNAMES),
    st.lists(st.sampled_from(_GIVEN), min_size=1, max_size=2),
)
phones = st.builds(
    lambda a, b: f"1{a}{b:09d}", st.sampled_from("3456789"), st.integers(0, 10**9 - 1)
)


@st.composite
def resident_ids(draw: st.DrawFn) -> str:
    born = draw(st.dates(date(1940, 1, 1), date(2008, 12, 31)))
    body = f"{draw(st.sampled_from(list(DISTRICTS)))}{born:%Y%m%d}{draw(st.integers(0, 999)):03d}"
    return body + resident_id_check_character(body)


@st.composite
def parties(draw: st.DrawFn) -> dict:
    org = draw(st.booleans())
    name = draw(names) + ("有限公司" if org else "")
    return {
        "kind": "organization" if org else "person",
        "name": name,
        "id_type": "uscc" if org else "resident_id",
        "id_number": valid_uscc(random.Random(draw(st.integers(0, 10**6))))
        if org
        else draw(resident_ids()),
        "phone": draw(phones),
        "email": f"u{draw(st.integers(1000, 99999))}@example.org",
        "address": f"上海市{draw(st.sampled_from(list(DISTRICTS.values())))}"
        f"{draw(st.sampled_from(_ROADS))}路{draw(st.integers(1, 999))}号",
    }


def spaced(phone: str) -> list[str]:
    return [
        phone,
        f"{phone[:3]} {phone[3:7]} {phone[7:]}",
        f"{phone[:3]}-{phone[3:7]}-{phone[7:]}",
        f"+86 {phone}",
    ]


@st.composite
def case_records(draw: st.DrawFn) -> dict:
    applicants = draw(st.lists(parties(), min_size=1, max_size=2))
    respondents = draw(st.lists(parties(), min_size=1, max_size=2))
    a, r = applicants[0], respondents[0]
    occurred = draw(st.dates(date(2020, 1, 1), date(2025, 12, 31)))
    district = draw(st.sampled_from(list(DISTRICTS)))
    amount = f"{draw(st.integers(1, 9_999_999))}.{draw(st.integers(0, 99)):02d}"
    phone_form = draw(st.sampled_from(spaced(a["phone"])))
    note = draw(
        st.sampled_from(
            [
                f"已电话联系{r['name']}，对方同意调解。",
                f"{r['name']}称{a['name']}的电话{phone_form}打不通。",
                f"{a['name']}（身份证{a['id_number']}）表示住址为{a['address']}。",
                f"对方邮箱{r['email']}，手机{draw(st.sampled_from(spaced(r['phone'])))}。",
            ]
        )
    )
    at = datetime(2026, 11, 2, 9, tzinfo=CN8)
    return {
        "application_no": "310000-20261102-000001-X",
        "query_code": "K7Q2M9",
        "channel": "online",
        "category": "consumer",
        "district": district,
        "applicants": applicants,
        "respondents": respondents,
        "facts": f"{a['name']}于{occurred:%Y年%m月%d日}与{r['name']}发生纠纷，电话{a['phone']}。",
        "claims": f"要求{r['name']}赔偿{amount}元。",
        "amount": amount,
        "occurred_on": occurred.isoformat(),
        "occurred_place": a["address"],
        "attachments": [
            {
                "name": f"{a['name']}.jpg",
                "media_type": "image/jpeg",
                "sha256": "ab" * 32,
                "size": 10,
                "content_base64": "aGVsbG8=",
            }
        ],
        "status": "closed_success",
        "institution": {"id": f"pm-{district}-01", "name": f"{DISTRICTS[district]}人民调解委员会"},
        "created_at": at.isoformat(),
        "updated_at": (at + timedelta(days=3)).isoformat(),
        "timeline": [
            {
                "type": "respondent_contacted",
                "at": at.isoformat(),
                "data": {"willing": True, "note": note},
            },
            {"type": "rejected", "at": at.isoformat(), "data": {"reason": note}},
            {
                "type": "closed",
                "at": at.isoformat(),
                "data": {
                    "outcome": "success",
                    "agreement": {"summary": f"{r['name']}支付{amount}元", "amount": amount},
                    "remedies": f"{a['name']}可向法院起诉",
                },
            },
        ],
        "unexpected": {"name": a["name"], "phone": a["phone"]},
    }


def personal_values(rec: dict) -> set[str]:
    values: set[str] = set()
    for p in rec["applicants"] + rec["respondents"]:
        values |= {p["name"], p["id_number"], p["id_number"][:17], p["id_number"][-8:]}
        values |= {p["email"], p["address"], p["address"].split("区", 1)[1]}
        values |= set(spaced(p["phone"])) | {p["phone"][-8:]}
    values |= {rec["amount"], rec["occurred_on"], rec["occurred_place"]}
    values.add(date.fromisoformat(rec["occurred_on"]).strftime("%Y年%m月%d日"))
    return values


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case_records())
def test_no_personal_value_in_any_form_leaves_masked(rec: dict) -> None:
    out = json.dumps(mask_case(rec, PSEUDO), ensure_ascii=False)
    for value in personal_values(rec):
        assert value not in out, (value, out)


def test_misshapen_records_fail_safe(record: dict) -> None:
    odd = json.loads(json.dumps(record))
    odd["timeline"] = [None, 3, "x", {"type": ["not", "scalar"], "data": []}, *odd["timeline"]]
    odd["applicants"] = {"name": "张三"}
    odd["deadlines"] = "soon"
    out = compile_masker()(odd, PSEUDO)
    assert "张三" not in json.dumps(out, ensure_ascii=False)
    assert "applicants" not in out
    assert out["timeline"][0] == {}  # a list where an object belongs: dropped
    assert compile_masker()("not a record", PSEUDO) == {}
