"""The fourth corpus is well formed: spans inside their text, known kinds, valid checks."""

from __future__ import annotations

from privacy.pii import KINDS
from schemas import identity
from tests.corpus import fourth
from tests.corpus.unseen_kit import half_width, luhn_check


def test_spans_lie_inside_their_text_in_order_and_use_known_kinds() -> None:
    assert len(fourth.HANDWRITTEN) >= 30
    for text, spans in fourth.HANDWRITTEN:
        end = 0
        for s in spans:
            assert s.kind in KINDS
            assert end <= s.start < s.end <= len(text), (text, s)
            assert text[s.start : s.end].strip() == text[s.start : s.end]
            end = s.end


def test_identifiers_carry_valid_check_characters() -> None:
    ids = cards = 0
    for text, spans in fourth.HANDWRITTEN:
        for s in spans:
            raw = "".join(c for c in half_width(text[s.start : s.end]) if c.isalnum())
            if s.kind == "resident_id":
                assert identity.resident_id_check_character(raw[:17]) == raw[17]
                ids += 1
            elif s.kind == "bank_card":
                assert luhn_check(raw[:-1]) == raw[-1]
                cards += 1
            elif s.kind == "uscc":
                assert identity.uscc_check_character(raw[:17]) == raw[17]
    assert ids >= 3 and cards >= 3


def test_clean_sentences_carry_no_markup_and_are_not_in_the_texts() -> None:
    texts = {t for t, _ in fourth.HANDWRITTEN}
    assert len(fourth.CLEAN) == len(set(fourth.CLEAN)) >= 20
    for sentence in fourth.CLEAN:
        assert "«" not in sentence and sentence not in texts


def test_report_half_is_well_formed_and_disjoint_from_the_tuning_half() -> None:
    from tests.corpus import fourth_report

    assert len(fourth_report.HANDWRITTEN) >= 30
    for text, spans in fourth_report.HANDWRITTEN:
        end = 0
        for s in spans:
            assert s.kind in KINDS and end <= s.start < s.end <= len(text)
            end = s.end
    tune = {t for t, _ in fourth.HANDWRITTEN} | set(fourth.CLEAN)
    report = {t for t, _ in fourth_report.HANDWRITTEN} | set(fourth_report.CLEAN)
    assert not tune & report
