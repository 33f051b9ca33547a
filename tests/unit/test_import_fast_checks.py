"""The import's shortcuts give the answers of the full checks: `storable_json` only says
"storable" where `unstorable` finds nothing, and the cached phone reading is the reading."""

from __future__ import annotations

import json

import pytest

from schemas import identity, text

STORABLE = [
    b'{"name": "\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e", "n": [1, 2]}',
    b'{"a": {"b": {"c": []}}}',
]
NOT_PROVED = [
    b'{"name": "a\\u0000b"}',  # NUL through an escape
    b'{"name": "\\ud800"}',  # lone surrogate through an escape
    b'{"name": "\xed\xa0\x80"}',  # a surrogate's UTF-8 bytes: json.loads passes it
    '{"name": "x"}'.encode("utf-16"),  # json.loads reads UTF-16 too
    b"[" * 40 + b"]" * 40,  # nested past MAX_DEPTH
]


@pytest.mark.parametrize("raw", STORABLE)
def test_storable_lines_are_proved(raw: bytes) -> None:
    assert text.storable_json(raw)
    assert text.unstorable(json.loads(raw)) == []


@pytest.mark.parametrize("raw", NOT_PROVED)
def test_lines_that_may_be_unstorable_take_the_walk(raw: bytes) -> None:
    assert not text.storable_json(raw)


def test_the_surrogate_bytes_case_is_really_unstorable() -> None:
    assert text.unstorable(json.loads(b'{"name": "\xed\xa0\x80"}')) != []


@pytest.mark.parametrize(
    ("number", "organization"),
    [
        ("13812345678", False),
        ("021-64871234转12", False),
        ("4008123456", True),
        ("4008123456", False),
        ("12345", False),
    ],
)
def test_cached_phone_reading_is_the_reading(number: str, organization: bool) -> None:
    first = identity.read_phone(number, organization=organization)
    again = identity.read_phone(number, organization=organization)
    assert first == again
    assert (first is not None) == identity.is_phone(number, organization=organization)
    if number == "4008123456":
        assert (first is not None) is organization
