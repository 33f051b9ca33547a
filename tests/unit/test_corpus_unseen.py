"""The third corpus (tests/corpus/unseen*.py) is well formed and its halves are apart.

Well formed: every span lies in its text, says what its text is, does not overlap another,
and holds a value of its kind (check digits where the generator computed them, for the
hand-written texts too). Apart: the tuning half and the report half share no template, no
pool entry and no written form of an identifier, so figures on the report half measure
text no rule was tuned on.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from privacy.pii import KINDS, Span
from tests.corpus import unseen, unseen_report
from tests.corpus.heldout import IDENTIFIERS
from tests.corpus.unseen_kit import (
    half_width,
    luhn_check,
    resident_id_check,
    uscc_check,
    vin_check,
)

Doc = tuple[str, list[Span]]
TUNE = unseen.corpus(600)
REPORT = unseen_report.corpus(600)
HAND = unseen_report.HANDWRITTEN
PARTS = {"tune": TUNE, "report": REPORT, "handwritten": HAND}

_DIGITS = str.maketrans("零〇一幺二三四五六七八九叉", "001123456789X")


def plain(value: str) -> str:
    """The value's characters without separators, full-width and spoken digits undone."""
    v = half_width(value).translate(_DIGITS)
    return re.sub(r"[\s\-.,，()（）]", "", v)


def valid_resident_id(value: str) -> bool:
    v = plain(value).upper()
    if re.fullmatch(r"\d{15}", v):
        return 1 <= int(v[8:10]) <= 12 and 1 <= int(v[10:12]) <= 31
    return bool(re.fullmatch(r"\d{17}[\dX]", v)) and resident_id_check(v[:17]) == v[17]


def valid_mobile(value: str) -> bool:
    v = re.sub(r"^(\+86|0086)", "", plain(value).replace("+86", "+86", 1))
    return bool(re.fullmatch(r"1[3-9]\d{9}", v))


CHECKS = {
    "resident_id": valid_resident_id,
    "mobile": valid_mobile,
    "uscc": lambda v: (p := plain(v).upper()) and len(p) == 18 and uscc_check(p[:17]) == p[17],
    "vin": lambda v: (p := plain(v).upper()) and len(p) == 17 and vin_check(p) == p[8],
    "bank_card": lambda v: (
        (p := plain(v)).isdigit() and len(p) in (16, 19) and luhn_check(p[:-1]) == p[-1]
    ),
    "landline": lambda v: bool(
        re.fullmatch(r"(\+?86)?0?\d{2,3}\d{7,8}(转|分机)?\d{0,4}", plain(v))
    ),
    "plate": lambda v: bool(
        re.fullmatch(r"[沪苏浙皖鲁][A-Za-z][·•]?[A-Z0-9]{5,6}", v.replace(" ", "").replace("-", ""))
    ),
    "passport": lambda v: bool(re.fullmatch(r"[EeGg][A-Z]?\d{7,8}", plain(v))),
    "permit": lambda v: bool(re.fullmatch(r"[CHMTchmt]?[A-Z]?\d{7,10}[A-C]?", plain(v))),
    "case_no": lambda v: bool(re.fullmatch(r".*[(（〔]\d{4}[)）〕].*\d+号", v)),
    "qq": lambda v: bool(re.fullmatch(r"[1-9]\d{4,10}", v)),
    "hospital_no": lambda v: bool(re.fullmatch(r"[A-Z]{0,2}\d{7,13}", plain(v))),
}


@pytest.mark.parametrize("part", PARTS)
def test_spans_are_inside_their_text_exact_and_apart(part: str) -> None:
    for text, spans in PARTS[part]:
        assert spans == sorted(spans), text
        end = 0
        for s in spans:
            assert s.kind in KINDS, s
            assert 0 <= s.start < s.end <= len(text), (text, s)
            assert text[s.start : s.end] == s.text, (text, s)
            assert s.text == s.text.strip() and s.text.strip("，。：、") == s.text, s
            assert s.start >= end, f"overlap at {s} in {text}"
            end = s.end


@pytest.mark.parametrize("part", PARTS)
def test_values_are_what_their_kind_says(part: str) -> None:
    bad = [
        (s.kind, s.text)
        for _, spans in PARTS[part]
        for s in spans
        if s.kind in CHECKS and not CHECKS[s.kind](s.text)
    ]
    assert not bad


@pytest.mark.parametrize("part", ["tune", "report"])
def test_every_kind_and_genre_is_there(part: str) -> None:
    kinds = {s.kind for _, spans in PARTS[part] for s in spans}
    assert kinds >= {*IDENTIFIERS, "name", "address", "date", "amount"}
    module = unseen if part == "tune" else unseen_report
    assert len(module.GENRES) == 8
    for genre in module.GENRES.values():
        assert len(genre.templates) >= 6 and len(genre.clean) >= 4


def test_the_hand_written_part_is_big_enough() -> None:
    assert len(HAND) >= 40
    assert len(unseen_report.CLEAN) >= 40
    kinds = {s.kind for _, spans in HAND for s in spans}
    assert kinds >= {*IDENTIFIERS, "name", "address", "date", "amount"}


def test_the_corpus_is_the_same_for_the_same_seed() -> None:
    assert unseen.corpus(40) == TUNE[:40]
    assert unseen_report.corpus(40) == REPORT[:40]
    assert unseen.corpus(40, seed=1) != TUNE[:40]


def test_the_halves_share_no_template_and_no_clean_sentence() -> None:
    assert not set(unseen.TEMPLATES) & set(unseen_report.TEMPLATES)
    assert not set(unseen.CLEAN) & set(unseen_report.CLEAN)
    texts = {t for t, _ in HAND}
    assert not texts & (set(unseen.TEMPLATES) | set(unseen_report.TEMPLATES))


def test_the_halves_share_no_pool_entry() -> None:
    tune = {e for pool in unseen.POOLS.values() for e in pool}
    report = {e for pool in unseen_report.POOLS.values() for e in pool}
    assert not tune & report
    for kind in ("name", "address", "wechat", "email"):
        seen = {s.text for _, spans in TUNE for s in spans if s.kind == kind}
        held = {s.text for _, spans in REPORT + HAND for s in spans if s.kind == kind}
        if kind == "name":  # a bare surname before a title is not a name's written form
            seen, held = {v for v in seen if len(v) > 1}, {v for v in held if len(v) > 1}
        assert not seen & held, (kind, seen & held)


_NUMERALS = set("〇一二三四五六七八九十零壹贰叁肆伍陆柒捌玖拾佰仟万两")


def shape(value: str) -> str:
    """A value's written form: digits, letters and numerals as classes, the rest kept."""
    out = []
    for c in value:
        if c.isascii() and c.isdigit():
            out.append("9")
        elif "０" <= c <= "９":
            out.append("９")
        elif c.isascii() and c.isupper():
            out.append("A")
        elif c.isascii() and c.islower():
            out.append("a")
        elif c in _NUMERALS:
            out.append("〇")
        else:
            out.append(c)
    return "".join(out)


FIXED_FORM = (
    "resident_id",
    "mobile",
    "landline",
    "bank_card",
    "plate",
    "passport",
    "permit",
    "case_no",
    "vin",
    "hospital_no",
    "uscc",
)


def shapes(docs: list[Doc], kinds: tuple[str, ...]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for _, spans in docs:
        for s in spans:
            if s.kind in kinds:
                out[s.kind].add(shape(s.text))
    return out


def test_the_halves_share_no_written_form() -> None:
    tune = shapes(TUNE, (*FIXED_FORM, "date", "amount"))
    report = shapes(REPORT, (*FIXED_FORM, "date", "amount"))
    hand = shapes(HAND, FIXED_FORM)  # dates and amounts by hand are written freely
    for kind, forms in tune.items():
        assert not forms & report[kind], (kind, forms & report[kind])
        assert not forms & hand[kind], (kind, forms & hand[kind])
