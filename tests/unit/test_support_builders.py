"""The builders (tests/support/builders.py) against published worked examples, so the
bodies the other tests build are valid for the right reason."""

from __future__ import annotations

import random

from privacy.testing import make_faker
from schemas import validate
from schemas.identity import is_resident_id, is_uscc
from tests.support.builders import (
    application,
    application_body,
    make_resident_id,
    make_uscc,
    random_uscc,
    sample_application,
)


def test_helpers_match_public_examples() -> None:
    # GB 11643 worked example and the well-known GB 32100 example code.
    assert make_resident_id("110105", "19491231", "002") == "11010519491231002X"
    assert make_uscc("91350100M000100Y4") == "91350100M000100Y43"


def test_the_bodies_are_valid_applications() -> None:
    assert validate("application", application()) == []
    assert validate("application", application_body()) == []
    rng = random.Random(7)
    assert all(is_uscc(random_uscc(rng)) for _ in range(50))
    assert is_resident_id(make_resident_id())
    sample = sample_application(random.Random(1), make_faker(1))
    assert sample["applicants"][0]["kind"] == "person" and sample["facts"]


def test_overrides_do_not_leak_between_bodies() -> None:
    first = application_body(applicants=[{"kind": "person"}])
    assert application_body()["applicants"] != first["applicants"]
    assert make_uscc("91350100M000100Y4") == "91350100M000100Y43"
