"""Query codes (查询码): eight characters, every character of the alphabet equally likely."""

from __future__ import annotations

from collections import Counter

from hub.services.intake import QUERY_CODE_ALPHABET, new_query_code


def test_a_query_code_is_eight_characters_of_the_alphabet() -> None:
    codes = {new_query_code() for _ in range(1000)}
    assert len(codes) == 1000
    assert all(len(c) == 8 and set(c) <= set(QUERY_CODE_ALPHABET) for c in codes)


def test_no_character_is_favoured() -> None:
    counts = Counter("".join(new_query_code() for _ in range(20_000)))
    assert set(counts) == set(QUERY_CODE_ALPHABET)
    expected = 160_000 / len(QUERY_CODE_ALPHABET)
    chi2 = sum((n - expected) ** 2 / expected for n in counts.values())
    # 30 degrees of freedom: 59.7 is the 0.1% critical value. A plain `byte % 31` over all
    # 256 byte values favours the first 8 characters and scores above 400 here.
    assert chi2 < 59.7, chi2
