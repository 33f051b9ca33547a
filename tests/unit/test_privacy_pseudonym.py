"""The pre-keyed SHA-256 pseudonym is exactly HMAC-SHA256 (RFC 2104) of the normalised
value, whatever the key length and whether the ASCII fast path applies."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from hypothesis import given
from hypothesis import strategies as st

from privacy.crypto import normalize_for_index
from privacy.masking import Pseudonymizer


def reference(key: bytes, value: str, purpose: str) -> str:
    norm = normalize_for_index(value, "id_number")
    msg = purpose.encode() + b"\x00" + norm.encode("utf-8")
    return hmac.digest(key, msg, hashlib.sha256).hex()[:16]


@pytest.mark.parametrize("length", [16, 32, 63, 64, 65, 100])
@pytest.mark.parametrize(
    "value",
    [
        "110101199003071234",
        "11010119900307123x",
        "310000-20261102-000001-X",
        " a b-c ",
        "ＡＢ１２",
        "申请人",
        "x\u00a0y",
        "",
        "a\x1cb",
        "9" * 40,
    ],
)
def test_matches_hmac(length: int, value: str) -> None:
    key = bytes(range(length))
    p = Pseudonymizer(key)
    for purpose in ("party", "case"):
        assert p.pseudonym(value, purpose=purpose, prefix="") == reference(key, value, purpose)
        assert p.pseudonym(value, purpose=purpose, prefix="P-") == "P-" + reference(
            key, value, purpose
        )


@given(
    st.binary(min_size=16, max_size=80), st.text(max_size=30), st.sampled_from(["party", "case"])
)
def test_matches_hmac_generated(key: bytes, value: str, purpose: str) -> None:
    assert Pseudonymizer(key).pseudonym(value, purpose=purpose, prefix="") == reference(
        key, value, purpose
    )
