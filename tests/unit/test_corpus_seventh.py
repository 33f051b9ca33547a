"""The seventh corpus (tests/corpus/seventh*.py) is well formed and its halves are apart.

Well formed: every span lies in its text, says what its text is, does not overlap another,
uses a known kind and holds a value of its kind (check characters valid, in the generated
documents and the hand-written texts). Apart: the tuning half and the report half share no
template, clean sentence, pool entry, labelled value or eight-character frame, so figures on
the report half measure text no rule was tuned on.
"""

from __future__ import annotations

import re
from collections import Counter
from types import ModuleType

import pytest

from privacy.pii import KINDS, Span
from schemas import identity
from tests.corpus import seventh, seventh_report
from tests.corpus.unseen_kit import frames_of, half_width, luhn_check, values_of, vin_check

Doc = tuple[str, list[Span]]
N = 300
HALVES = pytest.mark.parametrize("half", [seventh, seventh_report], ids=["tuning", "report"])

#: A run of this many characters outside the values, found in both halves, is a shared frame.
FRAME = 8

#: The report half's rare and compound surnames: none of them is in the tuning half.
REPORT_SURNAMES = ("隗", "冼", "覃", "邝", "禤", "轩辕", "南宫", "赫连", "第五")

_SPOKEN = str.maketrans("零一二三四五六七八九", "0123456789")


def docs_of(half: ModuleType) -> list[Doc]:
    docs: list[Doc] = half.corpus(N) + half.HANDWRITTEN
    return docs


def _raw(value: str) -> str:
    return "".join(c for c in half_width(value).translate(_SPOKEN) if c.isalnum()).upper()


def _mobile_ok(raw: str) -> bool:
    return bool(re.fullmatch(r"(86|0086)?1[3-9]\d{9}", raw))


@HALVES
def test_spans_lie_inside_their_text_in_order_apart_and_use_known_kinds(
    half: ModuleType,
) -> None:
    for text, spans in docs_of(half):
        assert "«" not in text and "»" not in text and "{" not in text, text
        end = 0
        for s in spans:
            assert s.kind in KINDS, s
            assert end <= s.start < s.end <= len(text), (text, s)
            assert text[s.start : s.end] == s.text == s.text.strip(), (text, s)
            assert s.text.strip("，。：、 ") == s.text, s
            end = s.end


@HALVES
def test_identifiers_carry_valid_check_characters_and_every_kind_is_there(
    half: ModuleType,
) -> None:
    seen: Counter[str] = Counter()
    for _, spans in docs_of(half):
        for s in spans:
            raw = _raw(s.text)
            seen[s.kind] += 1
            if s.kind == "resident_id":
                assert len(raw) == 18, s
                assert identity.resident_id_check_character(raw[:17]) == raw[17], s
            elif s.kind == "bank_card":
                assert len(raw) in (16, 19) and luhn_check(raw[:-1]) == raw[-1], s
            elif s.kind == "uscc":
                assert identity.uscc_check_character(raw[:17]) == raw[17], s
            elif s.kind == "vin":
                assert len(raw) == 17 and vin_check(raw[:8] + "0" + raw[9:]) == raw[8], s
            elif s.kind == "mobile":
                assert _mobile_ok(raw), s
            elif s.kind in ("qq", "hospital_no", "passport", "permit"):
                assert raw.isalnum() and sum(c.isdigit() for c in raw) >= 5, s
    for kind in ("resident_id", "mobile", "landline", "email", "bank_card", "plate"):
        assert seen[kind] >= 20, kind
    for kind in ("uscc", "passport", "permit", "wechat", "qq", "case_no", "vin", "hospital_no"):
        assert seen[kind] >= 8, kind
    personal = sum(n for k, n in seen.items() if k not in ("date", "amount"))
    assert seen["name"] >= 0.3 * personal and seen["address"] >= 0.12 * personal


@HALVES
def test_each_half_is_big_enough_deterministic_and_hand_written_per_genre(
    half: ModuleType,
) -> None:
    assert len(half.corpus(N)) == N >= 70
    assert half.corpus(40) == half.corpus(N)[:40]
    assert half.corpus(40, seed=1) != half.corpus(40)
    assert len(half.GENRES) == 6
    for genre in half.GENRES.values():
        assert len(genre.templates) >= 7 and len(genre.clean) >= 4
    assert len(half.HANDWRITTEN) >= 2 * len(half.GENRES)
    assert len(half.CLEAN) == len(set(half.CLEAN)) >= 35
    texts = {t for t, _ in docs_of(half)}
    for sentence in half.CLEAN:
        assert "«" not in sentence and "{" not in sentence and sentence not in texts


@HALVES
def test_a_hand_labelled_full_name_is_labelled_wherever_it_occurs(half: ModuleType) -> None:
    for text, spans in half.HANDWRITTEN:
        for s in spans:
            if s.kind == "name" and len(s.text) > 1:
                assert text.count(s.text) == sum(x.text == s.text for x in spans), s.text


def test_the_halves_share_no_template_clean_sentence_or_pool_entry() -> None:
    assert not set(seventh.TEMPLATES) & set(seventh_report.TEMPLATES)
    assert not set(seventh.CLEAN) & set(seventh_report.CLEAN)
    tune = {e for pool in seventh.POOLS.values() for e in pool}
    report = {e for pool in seventh_report.POOLS.values() for e in pool}
    assert not tune & report


def test_the_halves_share_no_labelled_value_and_no_frame() -> None:
    tune, report = docs_of(seventh), docs_of(seventh_report)

    # Dates and amounts are few in form ("3月5日", "500元"): they may meet by chance.
    def personal(docs: list[Doc]) -> set[str]:
        return values_of(
            [(t, [s for s in ss if s.kind not in ("date", "amount")]) for t, ss in docs]
        )

    assert not personal(tune) & personal(report)
    shared = frames_of(tune, seventh.CLEAN, FRAME) & frames_of(report, seventh_report.CLEAN, FRAME)
    assert not shared, sorted(shared)[:20]


def test_the_report_half_rare_and_compound_surnames_are_not_in_the_tuning_half() -> None:
    names = [s.text for _, spans in docs_of(seventh) for s in spans if s.kind == "name"]
    for surname in REPORT_SURNAMES:
        assert not any(n.startswith(surname) for n in names), surname
