"""Query codes (查询码): eight characters, every character of the alphabet equally likely."""

from __future__ import annotations

import math
import random
from collections import Counter

from hub.services.intake import QUERY_CODE_ALPHABET, new_query_code


def test_a_query_code_is_eight_characters_of_the_alphabet() -> None:
    codes = {new_query_code() for _ in range(1000)}
    assert len(codes) == 1000
    assert all(len(c) == 8 and set(c) <= set(QUERY_CODE_ALPHABET) for c in codes)


def chi2_survival(x: float, df: int) -> float:
    """P(X > x) for a chi-square variable with `df` degrees of freedom: the upper
    regularized gamma Q(df/2, x/2), here by its continued fraction (Lentz), which stays
    accurate far into the tail where 1 - P would lose every digit."""
    a, z = df / 2, x / 2
    tiny = 1e-300
    b = z + 1 - a
    c, d = 1 / tiny, 1 / b
    h = d
    for i in range(1, 500):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        h *= d * c
        if abs(d * c - 1) < 1e-15:
            break
    return math.exp(-z + a * math.log(z) - math.lgamma(a)) * h


#: 30 degrees of freedom (31 characters). A fair generator scores above 90 with
#: probability 6.6e-8 (computed below), so this test fails falsely about once in 15
#: million runs; a plain `byte % 31` over all 256 byte values favours the first 8
#: characters and scores above 400 with 160,000 characters.
CRITICAL = 90.0


def test_the_threshold_is_rare_by_chance_and_the_tail_is_computed_right() -> None:
    rate = chi2_survival(CRITICAL, len(QUERY_CODE_ALPHABET) - 1)
    assert 1e-8 < rate < 1e-6, rate
    assert abs(chi2_survival(59.703, 30) - 0.001) < 2e-6  # the published 0.1% point
    assert abs(chi2_survival(43.773, 30) - 0.05) < 2e-5  # and the 5% point


def test_no_character_is_favoured() -> None:
    counts = Counter("".join(new_query_code() for _ in range(20_000)))
    assert set(counts) == set(QUERY_CODE_ALPHABET)
    expected = 160_000 / len(QUERY_CODE_ALPHABET)
    chi2 = sum((n - expected) ** 2 / expected for n in counts.values())
    assert chi2 < CRITICAL, chi2


def test_the_check_catches_a_modulo_bias() -> None:
    """The statistic has the power it claims: `byte % 31` is caught by a wide margin."""
    rng = random.Random(20261202)
    biased = Counter(
        QUERY_CODE_ALPHABET[rng.randrange(256) % len(QUERY_CODE_ALPHABET)] for _ in range(160_000)
    )
    expected = 160_000 / len(QUERY_CODE_ALPHABET)
    chi2 = sum((n - expected) ** 2 / expected for n in biased.values())
    assert chi2 > 4 * CRITICAL, chi2
