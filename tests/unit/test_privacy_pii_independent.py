"""The scrubber on the second, independent corpus (tests/corpus/independent.py), written
after a review measured identifiers 0.742, names 0.421 and addresses 0.623 on text of
its own: a tuning half, a report half that shares no template, pool entry or written
form with it, and a part written by hand after the tuning.

Floors (issue 11): identifiers 0.99, names and addresses 0.95. The two halves meet them
by the rules alone; the part written after tuning is measured and printed, and held to
what it measured when it was written (identifiers 0.909: spoken digits in groups, a Hong
Kong mobile, "Q Q"), so that it can only get better. benchmarks/scrubber.py prints all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest

from privacy.pii import find_pii
from tests.corpus import independent
from tests.corpus.heldout import IDENTIFIERS

Doc = tuple[str, list[tuple[int, int, str]]]


def _docs(part: str) -> list[Doc]:
    if part == "after":
        return [
            (w.text, [(g.start, g.end, g.kind) for g in w.spans()])
            for w in independent.AFTER_TUNING
        ]
    return [
        (t, [(g.start, g.end, g.kind) for g in gold]) for t, gold in independent.corpus(part, 400)
    ]


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


@pytest.mark.parametrize("part", ["tune", "report"])
def test_both_halves_meet_the_floors_by_the_rules(part: str) -> None:
    figures = _figures(_docs(part), rules)
    print(f"\nindependent corpus, {part} half:", {k: round(v, 3) for k, v in figures.items()})
    assert figures["identifiers"] >= 0.99
    assert figures["name"] >= 0.95
    assert figures["address"] >= 0.95
    assert figures["precision"] >= 0.98
    clean = independent.CLEAN[part]
    assert [s.text for t in clean for s in find_pii(t)] == []


def test_the_part_written_after_tuning_holds_what_it_measured() -> None:
    figures = _figures(_docs("after"), rules)
    print(
        "\nindependent corpus, written after tuning:", {k: round(v, 3) for k, v in figures.items()}
    )
    assert figures["identifiers"] >= 0.90  # below the 0.99 floor: see the module docstring
    assert figures["name"] >= 0.95
    assert figures["address"] >= 0.95
    assert figures["precision"] >= 0.98
    false = [s.text for t in independent.CLEAN_AFTER_TUNING for s in find_pii(t)]
    assert len(false) <= 1, false


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
