"""The fifth corpus is well formed and its halves are apart: spans inside their text,
known kinds, valid check characters, and no sentence, frame or value in common."""

from __future__ import annotations

from types import ModuleType

import pytest

from privacy.pii import KINDS
from schemas import identity
from tests.corpus import fifth, fifth_report
from tests.corpus.unseen_kit import frames_of, half_width, luhn_check, values_of, vin_check

HALVES = pytest.mark.parametrize("half", [fifth, fifth_report], ids=["tuning", "report"])

#: A run of this many characters outside the values, found in both halves, is a shared frame.
FRAME = 8

#: The held-out half's rare and compound surnames: none of them is in the tuning half.
REPORT_SURNAMES = ("肖", "付", "佘", "仉", "上官", "东方", "皇甫", "澹台", "慕容", "端木", "夏侯")
REPORT_SURNAMES += ("长孙", "万俟")


def _raw(value: str) -> str:
    return "".join(c for c in half_width(value) if c.isalnum()).upper()


@HALVES
def test_spans_lie_inside_their_text_in_order_and_use_known_kinds(half: ModuleType) -> None:
    assert len(half.HANDWRITTEN) == 70
    for text, spans in half.HANDWRITTEN:
        assert "«" not in text and "»" not in text and "{" not in text, text
        end = 0
        for s in spans:
            assert s.kind in KINDS
            assert end <= s.start < s.end <= len(text), (text, s)
            assert text[s.start : s.end] == s.text == s.text.strip()
            end = s.end


@HALVES
def test_identifiers_carry_valid_check_characters(half: ModuleType) -> None:
    seen: dict[str, int] = {}
    for text, spans in half.HANDWRITTEN:
        for s in spans:
            raw = _raw(text[s.start : s.end])
            seen[s.kind] = seen.get(s.kind, 0) + 1
            if s.kind == "resident_id":
                assert len(raw) == 18 and identity.resident_id_check_character(raw[:17]) == raw[17]
            elif s.kind == "bank_card":
                assert len(raw) in (16, 19) and luhn_check(raw[:-1]) == raw[-1]
            elif s.kind == "uscc":
                assert identity.uscc_check_character(raw[:17]) == raw[17]
            elif s.kind == "vin":
                assert len(raw) == 17 and vin_check(raw[:8] + "0" + raw[9:]) == raw[8]
    # Every identifier kind the issue names is there, names and addresses dominate.
    for kind in ("resident_id", "mobile", "landline", "email", "bank_card", "plate"):
        assert seen.get(kind, 0) >= 4, kind
    for kind in ("uscc", "passport", "permit", "wechat", "qq", "case_no", "vin", "hospital_no"):
        assert seen.get(kind, 0) >= 2, kind
    personal = sum(n for k, n in seen.items() if k not in ("date", "amount"))
    assert seen["name"] >= 0.4 * personal and seen["address"] >= 0.2 * personal


@HALVES
def test_clean_sentences_carry_no_markup_and_are_not_in_the_texts(half: ModuleType) -> None:
    texts = {t for t, _ in half.HANDWRITTEN}
    assert len(half.CLEAN) == len(set(half.CLEAN)) == 25
    for sentence in half.CLEAN:
        assert "«" not in sentence and sentence not in texts


def test_report_half_shares_no_sentence_frame_or_value_with_the_tuning_half() -> None:
    tune = {t for t, _ in fifth.HANDWRITTEN} | set(fifth.CLEAN)
    report = {t for t, _ in fifth_report.HANDWRITTEN} | set(fifth_report.CLEAN)
    assert not tune & report
    assert not values_of(fifth.HANDWRITTEN) & values_of(fifth_report.HANDWRITTEN)
    shared = frames_of(fifth.HANDWRITTEN, fifth.CLEAN, FRAME) & frames_of(
        fifth_report.HANDWRITTEN, fifth_report.CLEAN, FRAME
    )
    assert not shared


def test_the_report_half_rare_and_compound_surnames_are_not_in_the_tuning_half() -> None:
    names = [s.text for _, spans in fifth.HANDWRITTEN for s in spans if s.kind == "name"]
    for surname in REPORT_SURNAMES:
        assert not any(n.startswith(surname) for n in names), surname
