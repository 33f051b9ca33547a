"""The sixth corpus (held out, one file) is well formed and apart from the fifth: spans
inside their text, known kinds, valid check characters, and no sentence, frame or value in
common with either half of the fifth corpus."""

from __future__ import annotations

from collections import Counter

from privacy.pii import KINDS
from schemas import identity
from tests.corpus import fifth, fifth_report, sixth_report
from tests.corpus.unseen_kit import frames_of, half_width, luhn_check, values_of, vin_check

#: A run of this many characters outside the values, found in both corpora, is a shared frame.
FRAME = 8


def _raw(value: str) -> str:
    return "".join(c for c in half_width(value) if c.isalnum()).upper()


def test_spans_lie_inside_their_text_in_order_and_use_known_kinds() -> None:
    assert len(sixth_report.HANDWRITTEN) == 60
    for text, spans in sixth_report.HANDWRITTEN:
        assert "«" not in text and "»" not in text and "{" not in text, text
        end = 0
        for s in spans:
            assert s.kind in KINDS
            assert end <= s.start < s.end <= len(text), (text, s)
            assert text[s.start : s.end] == s.text == s.text.strip()
            end = s.end


def test_a_labelled_full_name_is_labelled_wherever_it_occurs_in_its_text() -> None:
    for text, spans in sixth_report.HANDWRITTEN:
        for s in spans:
            if s.kind == "name" and len(s.text) > 1:
                assert text.count(s.text) == sum(x.text == s.text for x in spans), s.text


def test_identifiers_carry_valid_check_characters_and_names_dominate() -> None:
    seen: Counter[str] = Counter()
    for text, spans in sixth_report.HANDWRITTEN:
        for s in spans:
            raw = _raw(text[s.start : s.end])
            seen[s.kind] += 1
            if s.kind == "resident_id":
                assert len(raw) == 18 and identity.resident_id_check_character(raw[:17]) == raw[17]
            elif s.kind == "bank_card":
                assert len(raw) in (16, 19) and luhn_check(raw[:-1]) == raw[-1]
            elif s.kind == "uscc":
                assert identity.uscc_check_character(raw[:17]) == raw[17]
            elif s.kind == "vin":
                assert len(raw) == 17 and vin_check(raw[:8] + "0" + raw[9:]) == raw[8]
    for kind in ("resident_id", "mobile", "landline", "email", "bank_card", "plate"):
        assert seen[kind] >= 4, kind
    for kind in ("uscc", "passport", "permit", "wechat", "qq", "case_no", "vin", "hospital_no"):
        assert seen[kind] >= 2, kind
    assert seen["date"] and seen["amount"]
    personal = sum(n for k, n in seen.items() if k not in ("date", "amount"))
    assert 0.45 * personal <= seen["name"] <= 0.6 * personal
    assert seen["address"] >= 0.2 * personal


def test_clean_sentences_carry_no_markup_and_are_not_in_the_texts() -> None:
    texts = {t for t, _ in sixth_report.HANDWRITTEN}
    assert len(sixth_report.CLEAN) == len(set(sixth_report.CLEAN)) == 20
    for sentence in sixth_report.CLEAN:
        assert "«" not in sentence and sentence not in texts


def test_the_sixth_corpus_shares_no_sentence_frame_or_value_with_the_fifth() -> None:
    sixth = {t for t, _ in sixth_report.HANDWRITTEN} | set(sixth_report.CLEAN)
    sixth_values = values_of(sixth_report.HANDWRITTEN)
    sixth_frames = frames_of(sixth_report.HANDWRITTEN, sixth_report.CLEAN, FRAME)
    for half in (fifth, fifth_report):
        assert not sixth & ({t for t, _ in half.HANDWRITTEN} | set(half.CLEAN))
        assert not sixth_values & values_of(half.HANDWRITTEN)
        assert not sixth_frames & frames_of(half.HANDWRITTEN, half.CLEAN, FRAME)
