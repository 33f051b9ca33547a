"""The span machinery and the public scrub API: :class:`Span`, the kinds and their
placeholders, the views of the text the detectors read, the table that runs the topic
modules' detectors (each only when its trigger characters and gate are in the text),
overlap resolution by priority, and :func:`find_pii` and :func:`scrub`.

What each kind looks like lives in the topic modules: :mod:`privacy.pii.identifiers`,
:mod:`privacy.pii.dates_amounts`, :mod:`privacy.pii.addresses`, :mod:`privacy.pii.names`.
"""

from __future__ import annotations

import re
import string
from bisect import bisect_right
from collections.abc import Callable, Iterable
from typing import NamedTuple

from privacy.pii import addresses, dates_amounts, identifiers, names
from privacy.pii.identifiers import APPLICATION_NUMBER
from privacy.pii.patterns import LONG_TEXT, Candidate, DetectorEntry

__all__ = ["KINDS", "PLACEHOLDERS", "Span", "ascii_view", "find_pii", "scrub"]


class Span(NamedTuple):
    start: int
    end: int
    kind: str
    text: str


PLACEHOLDERS: dict[str, str] = {
    "resident_id": "〔身份证号〕",
    "uscc": "〔统一社会信用代码〕",
    "mobile": "〔手机号〕",
    "landline": "〔电话〕",
    "email": "〔邮箱〕",
    "bank_card": "〔银行卡号〕",
    "plate": "〔车牌号〕",
    "passport": "〔护照号〕",
    "permit": "〔证件号〕",
    "wechat": "〔微信号〕",
    "qq": "〔QQ号〕",
    "case_no": "〔案号〕",
    "vin": "〔车架号〕",
    "hospital_no": "〔病历号〕",
    "account": "〔账号〕",
    "number": "〔号码〕",
    "date": "〔日期〕",
    "amount": "〔金额〕",
    "address": "〔地址〕",
    "name": "〔姓名〕",
}
KINDS = tuple(PLACEHOLDERS)
# Higher wins when two candidate spans overlap.
_PRIORITY = {
    "resident_id": 10,
    "uscc": 10,
    "email": 10,
    "bank_card": 9,
    "mobile": 9,
    "landline": 8,
    "plate": 8,
    "case_no": 9,
    "vin": 9,
    "passport": 8,
    "permit": 8,
    "wechat": 8,
    "qq": 8,
    "hospital_no": 8,
    "account": 8,
    "number": 7,
    "date": 6,
    "amount": 6,
    "address": 5,
    "name": 4,
    APPLICATION_NUMBER: 11,
}

# Detectors read an ASCII view of the text of the same length: full-width forms
# (U+FF01-U+FF5E) as their ASCII letters, digits and signs, the ideographic space as a
# space. Spans found there are spans of the original text.
_ASCII_VIEW = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def ascii_view(text: str) -> str:
    return text.translate(_ASCII_VIEW)


# Which view of the text each detector reads: "plain" (the ASCII view), "digits" (every
# dash-like sign, underscore and tilde read as "-", and runs of spoken digits such as
# "幺三九一二三四五六七八" as digits) or "upper" (the digit view with ASCII letters in
# upper case, for plates, VINs, credit codes and documents written in lower case).
_DETECTORS: tuple[DetectorEntry, ...] = (
    *identifiers.DETECTORS,
    *dates_amounts.DETECTORS,
    *addresses.DETECTORS,
    *names.DETECTORS,
)
# A detector's trigger is a search for any of its characters (a set of the text's
# characters would cost an object for each Chinese character); equal sets share one.
_TRIGGER_SEARCH: dict[str, Callable[[str], object]] = {
    chars: re.compile("[" + re.escape(chars) + "]").search for _, chars, _, _ in _DETECTORS if chars
}
_TRIGGERS = [(view, _TRIGGER_SEARCH.get(chars), gate, det) for view, chars, gate, det in _DETECTORS]
# Gates tried once a text, before the detectors that need what they find: a run of 15
# letters or digits (IDs, cards, credit codes, VINs, long numbers), of 7 digits (phones),
# an at sign or its spelt forms (e-mails). Short texts skip most detectors this way.
_GATES = {
    "long": ("upper", re.compile(r"[0-9A-Z](?:[ \-.]{0,2}[0-9A-Z]){14}")),
    "phone": ("digits", re.compile(r"\d(?:[ \-.()]{0,3}\d){6}")),
    "email": ("plain", re.compile(r"@|艾特|圈[aA]|[\s(\[]at[\s)\]]|#[A-Za-z0-9-]+\.")),
    # (names and addresses in Latin letters: a capitalised word, or two in capitals)
    "latin": ("plain", re.compile(r"[A-Z][a-z]|[A-Z]{2} [A-Z]{2}")),
}
_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―−_~", "-"))
_UPPER = str.maketrans(string.ascii_lowercase, string.ascii_uppercase)
_SPOKEN_DIGITS = str.maketrans("〇零一二三四五六七八九幺、，,叉", "001234567891---X")
# Seven or more spoken digits, in groups or not ("一五八 二一零九 三三七六", "幺八六、零二"),
# an ID number's check character read as 叉 ("…六一七叉").
_SPOKEN_RUN = re.compile(
    "[〇零一二三四五六七八九幺](?:[ \\-、，,]?[〇零一二三四五六七八九幺]){6,}叉?"
)


_DASH_LIKE = re.compile("[‐‑‒–—―−_~]")
_LOWER = re.compile("[a-z]")


def _digit_view(view: str) -> str:
    """Same length as `view`: dashes read as "-", spoken digit runs as digits (the
    translations run only when there is something to translate)."""
    digits = view.translate(_DASHES) if _DASH_LIKE.search(view) else view
    if _SPOKEN_RUN.search(digits) is None:
        return digits
    return _SPOKEN_RUN.sub(lambda m: m.group().translate(_SPOKEN_DIGITS), digits)


def _upper_view(digits: str) -> str:
    return digits.translate(_UPPER) if _LOWER.search(digits) else digits


def _resolve(cands: list[Candidate]) -> list[Candidate]:
    """Non-overlapping spans: on overlap the higher-priority kind wins, then the longer."""
    cands.sort(key=lambda c: (-_PRIORITY[c[2]], -(c[1] - c[0]), c[0]))
    starts: list[int] = []  # sorted starts of the taken spans
    ends: list[int] = []  # their ends, in the same order (taken spans never overlap)
    kinds: list[str] = []
    for s, e, kind in cands:
        i = bisect_right(starts, s)
        clash_left = i > 0 and ends[i - 1] > s
        clash_right = i < len(starts) and starts[i] < e
        if clash_left:
            continue
        if clash_right:
            # (a name cut by a longer name is no name: "母亲热" before "热依拉·吐尔逊")
            if kind != "name" or starts[i] - s < 2 or kinds[i] == "name":
                continue
            # "支付林静五千元": keep the name's head before the amount that took its tail.
            e = starts[i]
        starts.insert(i, s)
        ends.insert(i, e)
        kinds.insert(i, kind)
    return [c for c in zip(starts, ends, kinds, strict=True) if c[2] != APPLICATION_NUMBER]


def _candidates(text: str) -> list[Candidate]:
    out: list[Candidate] = []
    if not text:
        return out
    plain = ascii_view(text)  # same length: spans carry over to the original
    digits = _digit_view(plain)
    views = {"plain": plain, "digits": digits, "upper": _upper_view(digits)}
    every = len(text) >= LONG_TEXT  # long texts: every detector runs
    triggered: dict[Callable[[str], object], bool] = {}
    gates: dict[str, bool] = {}
    for view, trigger, gate, det in _TRIGGERS:
        if trigger is not None and not every:
            hit = triggered.get(trigger)
            if hit is None:
                hit = triggered[trigger] = trigger(digits) is not None
            if not hit:
                continue
        if gate:
            passed = gates.get(gate)
            if passed is None:
                gate_view, pattern = _GATES[gate]
                passed = gates[gate] = pattern.search(views[gate_view]) is not None
            if not passed:
                continue
        det(views[view], out)
    return out


# OCR-damaged scans put stray spaces inside words and values ("住 院号：ZY 1577 38947",
# "wangxl_ 88@163.com", "山东 省曹县"). A text with several spaces between two Chinese
# characters or between two letters or digits is read a second time with every run of
# one or two spaces taken out, and the spans found there are mapped back onto the text.
# A stray space: one between two Chinese characters, one next to a lone letter or digit
# ("E 8702 1394", "0 27 3105"), one before or after the dot or at sign of an e-mail
# (grouped numbers, "138 1234 5678", have none). Found from each space (a text has few).
_STRAY_SPACES_NEEDED = 3
_SPACE_RUN = re.compile("(?<! )[ \u3000]{1,2}(?! )")
_ALNUM = frozenset(string.ascii_letters + string.digits)
_DIGIT_SEARCH = re.compile("[0-9]").search


def _han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _stray_spaced(text: str) -> bool:
    """Whether `text` reads as a scan: stray spaces, and digits (a list of words with a
    space between each, as in a table's header, is no scan)."""
    if _DIGIT_SEARCH(text) is None:
        return False
    n = 0
    i = text.find(" ", 1)
    last = len(text) - 1
    while 0 < i < last:
        a, b = text[i - 1], text[i + 1]
        if a in _ALNUM:
            stray = b in _ALNUM and (
                i < 2 or text[i - 2] not in _ALNUM or i + 2 > last or text[i + 2] not in _ALNUM
            )
            stray = stray or b in ".@"
        else:
            stray = (a in ".@" and b in _ALNUM) or (_han(a) and _han(b))
        if stray:
            n += 1
            if n >= _STRAY_SPACES_NEEDED:
                return True
        i = text.find(" ", i + 1)
    return False


def _closed_up(text: str) -> list[Candidate]:
    """Candidates of `text` read with its short space runs taken out, as spans of `text`;
    only those that a space was taken out of or next to (the others the first reading has)."""
    keep: list[int] = []  # index in `text` of each character kept
    pos = 0
    for m in _SPACE_RUN.finditer(text):
        keep.extend(range(pos, m.start()))
        pos = m.end()
    keep.extend(range(pos, len(text)))
    closed = "".join(text[i] for i in keep)
    out: list[Candidate] = []
    for s, e, kind in _candidates(closed):
        start, end = keep[s], keep[e - 1] + 1
        out.append((start, end, kind))
    return out


def _all_candidates(text: str) -> list[Candidate]:
    cands = _candidates(text)
    if " " in text and _stray_spaced(text):
        cands.extend(_closed_up(text))
    return cands


def find_pii(text: str, kinds: Iterable[str] | None = None) -> list[Span]:
    """Personal data spans in ``text``, sorted, non-overlapping."""
    spans = _resolve(_all_candidates(text))
    wanted = None if kinds is None else frozenset(kinds)
    return [Span(s, e, k, text[s:e]) for s, e, k in spans if wanted is None or k in wanted]


def scrub(text: str, placeholders: dict[str, str] | None = None) -> str:
    """``text`` with every detected span replaced by its kind's placeholder."""
    if not text:
        return text
    spans = _resolve(_all_candidates(text))
    if not spans:
        return text
    marks = PLACEHOLDERS if placeholders is None else {**PLACEHOLDERS, **placeholders}
    parts: list[str] = []
    pos = 0
    for s, e, k in spans:
        parts.append(text[pos:s])
        parts.append(marks[k])
        pos = e
    parts.append(text[pos:])
    return "".join(parts)
