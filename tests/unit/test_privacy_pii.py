"""Chinese PII detection: unit cases and precision/recall on a generated corpus.

Run with ``-s`` to see the per-kind figures.
"""

import itertools
import random
from collections import Counter

import pytest

from privacy.pii import PLACEHOLDERS, Span, find_pii, is_resident_id, is_uscc, luhn_ok, scrub
from privacy.testing import labelled_corpus, make_faker, valid_bank_card, valid_uscc
from schemas.identity import mod11_2

STRUCTURED = ("resident_id", "uscc", "mobile", "landline", "email", "bank_card", "plate")
CORPUS_SIZE = 600


def evaluate(docs: list[tuple[str, list[Span]]]) -> dict[str, dict[str, float]]:
    """Per kind: recall (gold spans fully covered by a predicted span of the same kind),
    precision (predicted spans overlapping a gold span of the same kind), exact-boundary
    share, and `scrubbed` (gold spans fully covered by a predicted span of any kind)."""
    gold_n: Counter[str] = Counter()
    found: Counter[str] = Counter()
    exact: Counter[str] = Counter()
    covered_any: Counter[str] = Counter()
    pred_n: Counter[str] = Counter()
    pred_ok: Counter[str] = Counter()
    for text, gold in docs:
        pred = find_pii(text)
        for g in gold:
            gold_n[g.kind] += 1
            same = [p for p in pred if p.kind == g.kind and p.start <= g.start and p.end >= g.end]
            found[g.kind] += bool(same)
            exact[g.kind] += any(p.start == g.start and p.end == g.end for p in same)
            covered_any[g.kind] += any(p.start <= g.start and p.end >= g.end for p in pred)
        for p in pred:
            pred_n[p.kind] += 1
            pred_ok[p.kind] += any(
                g.kind == p.kind and g.start < p.end and p.start < g.end for g in gold
            )
    kinds = sorted(set(gold_n) | set(pred_n))
    return {
        k: {
            "gold": gold_n[k],
            "predicted": pred_n[k],
            "recall": found[k] / gold_n[k] if gold_n[k] else float("nan"),
            "precision": pred_ok[k] / pred_n[k] if pred_n[k] else float("nan"),
            "exact": exact[k] / gold_n[k] if gold_n[k] else float("nan"),
            "scrubbed": covered_any[k] / gold_n[k] if gold_n[k] else float("nan"),
        }
        for k in kinds
    }


@pytest.fixture(scope="module")
def corpus() -> list[tuple[str, list[Span]]]:
    return labelled_corpus(CORPUS_SIZE, seed=20260305)


def test_corpus_precision_and_recall(corpus: list[tuple[str, list[Span]]]) -> None:
    figures = evaluate(corpus)
    print(f"\nPII detection on {len(corpus)} generated documents (Faker zh_CN, seed 20260305)")
    print(
        f"{'kind':<12}{'gold':>6}{'pred':>6}{'recall':>9}{'precision':>11}{'exact':>8}{'scrubbed':>10}"
    )
    for kind, f in figures.items():
        print(
            f"{kind:<12}{f['gold']:>6.0f}{f['predicted']:>6.0f}{f['recall']:>9.3f}"
            f"{f['precision']:>11.3f}{f['exact']:>8.3f}{f['scrubbed']:>10.3f}"
        )
    for kind in STRUCTURED:
        assert figures[kind]["gold"] >= 20, kind
        assert figures[kind]["recall"] >= 0.99, (kind, figures[kind])
    assert figures["name"]["recall"] >= 0.90, figures["name"]
    assert figures["name"]["precision"] >= 0.90, figures["name"]


def test_scrub_leaves_no_structured_value(corpus: list[tuple[str, list[Span]]]) -> None:
    for text, gold in corpus:
        out = scrub(text)
        for g in gold:
            if g.kind in STRUCTURED:
                assert g.text not in out, (g, out)


def test_faker_ids_validate() -> None:
    fake = make_faker(7)
    assert all(is_resident_id(fake.ssn()) for _ in range(500))
    rng = random.Random(7)
    assert all(is_uscc(valid_uscc(rng)) for _ in range(200))


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("身份证号11010519491231002X。", "resident_id", "11010519491231002X"),
        ("身份证号11010519491231002x。", "resident_id", "11010519491231002x"),
        ("旧证号310104490101123。", "resident_id", "310104490101123"),
        ("电话13800138000。", "mobile", "13800138000"),
        ("电话138 0013 8000。", "mobile", "138 0013 8000"),
        ("电话138-0013-8000。", "mobile", "138-0013-8000"),
        ("电话+86 13800138000。", "mobile", "+86 13800138000"),
        ("座机021-64381234。", "landline", "021-64381234"),
        ("座机(021)64381234。", "landline", "(021)64381234"),
        ("电话：64381234。", "landline", "64381234"),
        ("邮箱zhang.san@example.com。", "email", "zhang.san@example.com"),
        ("车牌沪A12345。", "plate", "沪A12345"),
        ("车牌沪AD12345。", "plate", "沪AD12345"),
        ("车牌京F-35925。", "plate", "京F-35925"),
        ("警车琼O-79691。", "plate", "琼O-79691"),  # O: police plates
        ("于2026年3月5日发生", "date", "2026年3月5日"),
        ("于2026-03-05发生", "date", "2026-03-05"),
        ("于3月5日发生", "date", "3月5日"),
        ("赔偿12,000元", "amount", "12,000元"),
        ("赔偿1.2万元", "amount", "1.2万元"),
        ("赔偿￥12000", "amount", "￥12000"),
        ("赔偿三万元", "amount", "三万元"),
        (
            "住上海市徐汇区漕溪北路88号3号楼1203室。",
            "address",
            "上海市徐汇区漕溪北路88号3号楼1203室",
        ),
        ("申请人王伟，", "name", "王伟"),
        ("与被申请人欧阳娜娜发生纠纷", "name", "欧阳娜娜"),
        ("王建国先生称", "name", "王建国"),
        ("。李娜表示同意", "name", "李娜"),
    ],
)
def test_single_kinds(text: str, kind: str, value: str) -> None:
    spans = find_pii(text)
    assert (kind, value) in [(s.kind, s.text) for s in spans], spans
    assert PLACEHOLDERS[kind] in scrub(text)


def test_check_digits_decide() -> None:
    assert is_resident_id("11010519491231002X")
    assert not is_resident_id("110105194912310021")  # wrong check digit
    assert not is_resident_id("110105194902300026")  # 30 February
    code = valid_uscc(random.Random(1))
    assert is_uscc(code) and not is_uscc(code[:-1] + ("0" if code[-1] != "0" else "1"))
    card = valid_bank_card(random.Random(2), 19)
    assert luhn_ok(card) and not luhn_ok(card[:-1] + str((int(card[-1]) + 1) % 10))
    # A USCC in text is found; the same characters with a broken check are not a USCC.
    assert [s.kind for s in find_pii(f"代码{code}。")] == ["uscc"]
    broken = code[:-1] + ("0" if code[-1] != "0" else "1")
    assert "uscc" not in [s.kind for s in find_pii(f"代码{broken}。")]


def test_long_unknown_numbers_are_scrubbed_fail_safe() -> None:
    assert scrub("账号1234567890123456789012") == "账号〔号码〕"


def test_ordinary_text_is_left_alone() -> None:
    text = "双方当事人在调解员主持下自愿达成调解协议，物业公司同意减免部分费用，和解后撤回申请。"
    assert find_pii(text) == []
    assert scrub(text) == text
    assert scrub("") == ""


def test_spans_are_sorted_and_disjoint(corpus: list[tuple[str, list[Span]]]) -> None:
    for text, _ in corpus[:100]:
        spans = find_pii(text)
        for a, b in itertools.pairwise(spans):
            assert a.end <= b.start
        assert all(text[s.start : s.end] == s.text for s in spans)


def test_the_hubs_own_application_numbers_stay_in_logs_and_text() -> None:
    # A number with its right check character names a case, not a person: operators trace
    # failures by it (issue 13, logs). Anything else of that shape is still a number.
    digits = "31000020261123000001"
    no = f"310000-20261123-000001-{mod11_2(digits)}"
    wrong = no[:-1] + ("0" if no[-1] != "0" else "1")
    line = f"unhandled DatabaseError on GET /v1/applications/{no} 申请人王小明 13912345678"
    assert scrub(line) == (
        f"unhandled DatabaseError on GET /v1/applications/{no} 申请人〔姓名〕 〔手机号〕"
    )
    assert [s.kind for s in find_pii(f"编号 {wrong}")] == ["number"]
    assert find_pii(no) == []
