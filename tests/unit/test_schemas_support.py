"""Helpers for the schema tests: valid identity numbers computed from first principles.

The check characters are computed here independently of ``schemas.identity`` so that the
tests do not just repeat the code under test.
"""

from __future__ import annotations

import base64
import hashlib
import random
from typing import Any

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def make_resident_id(area: str = "310104", born: str = "19900307", seq: str = "123") -> str:
    body = area + born + seq
    total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(body))
    return body + "10X98765432"[total % 11]


def make_uscc(prefix: str = "91310104MA1FL0000") -> str:
    total = sum(USCC_CHARS.index(c) * (3**i % 31) for i, c in enumerate(prefix))
    return prefix + USCC_CHARS[-total % 31]


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


def test_helpers_match_public_examples() -> None:
    # GB 11643 worked example and the well-known GB 32100 example code.
    assert make_resident_id("110105", "19491231", "002") == "11010519491231002X"
    assert make_uscc("91350100M000100Y4") == "91350100M000100Y43"
