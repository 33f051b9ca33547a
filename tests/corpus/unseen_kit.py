"""Machinery shared by the two halves of the third ("unseen") corpus.

``tests/corpus/unseen.py`` is the tuning half, ``tests/corpus/unseen_report.py`` the
held-out half with the hand-written texts. Both were written by an author who never read
privacy/pii.py, privacy/testing.py or the two earlier corpora. This module holds only what
carries no phrasing: check digits, full-width digits, the template filler and the markup of
hand-written texts. Every template, pool entry and written form belongs to one half, and
tests/unit/test_corpus_unseen.py checks that the halves share none.

Labelling decisions (both halves):
- A value's span covers the value as written: ``+86``/``0086`` and area codes belong to a
  phone number, the extension after 转/分机 too; ``(2026)`` and ``号`` to a case number; the
  unit to an amount (``8000元``, ``3.5万元``, ``¥4,200.00``), not the word 人民币.
- A cue word (微信号, QQ, 住院号, 身份证) is never inside a span: only the value is.
- A surname with a title (老王, 小李, 王阿姨, 顾师傅) labels the surname alone: within an
  estate or a workshop the surname points at one person, the title does not. A full name
  followed by a title (王建国师傅) labels the full name. Anonymised forms used by courts
  (王某, 王某某) are not personal data and stay unlabelled.
- An address is labelled from its first administrative part to its last locator (室, 号,
  组); a place without a house number or village group (徐家汇, 张江镇) is not an address.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from privacy.pii import KINDS, Span
from schemas import identity

Local = list[tuple[int, int, str]]
Piece = tuple[str, Local]
Doc = tuple[str, list[Span]]
Maker = Callable[[random.Random], Piece]

_FULL = {c: chr(ord(c) + 0xFEE0) for c in map(chr, range(0x21, 0x7F))} | {" ": "\u3000"}


def full_width(text: str) -> str:
    return "".join(_FULL.get(c, c) for c in text)


def half_width(text: str) -> str:
    back = {v: k for k, v in _FULL.items()}
    return "".join(back.get(c, c) for c in text)


def words(text: str) -> tuple[str, ...]:
    """A pool written as one line, entries apart by spaces."""
    return tuple(text.split())


# --- check digits -----------------------------------------------------------------------

#: GB 11643 and GB 32100 check characters: the project's one identity module.
resident_id_check = identity.resident_id_check_character
uscc_check = identity.uscc_check_character


_ORG_W = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def org_code_check(body8: str) -> str:
    """GB 11714: the check character of an organisation code (inside a USCC)."""
    c = 11 - sum(_ORG.index(ch) * w for ch, w in zip(body8, _ORG_W, strict=True)) % 11
    return {10: "X", 11: "0"}.get(c, str(c))


#: ISO 3779 (position 9 ignored) and Luhn check characters, from the same module.
vin_check = identity.vin_check_character
luhn_check = identity.luhn_check_digit
VIN_CHARS = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"


def with_id_check(body17: str) -> str:
    """A resident ID: its 17 digits and their MOD 11-2 check character."""
    return body17 + resident_id_check(body17)


def with_luhn(body: str) -> str:
    """A bank card number: its digits and their Luhn check digit."""
    return body + luhn_check(body)


def with_vin_check(raw17: str) -> str:
    """A VIN with its 9th character made the check character of the rest."""
    raw = raw17[:8] + "0" + raw17[9:]
    return raw[:8] + vin_check(raw) + raw[9:]


def make_resident_id(rng: random.Random, areas: Sequence[str], want_x: bool = False) -> str:
    while True:
        y, m, d = rng.randint(1948, 2004), rng.randint(1, 12), rng.randint(1, 28)
        body = f"{rng.choice(areas)}{y:04d}{m:02d}{d:02d}{rng.randint(1, 999):03d}"
        check = resident_id_check(body)
        if not want_x or check == "X":
            return body + check


def uscc_of(prefix2: str, area6: str, org8: str) -> str:
    """A unified social credit code (GB 32100) with both check characters: registering
    authority and type (2), area (6), organisation code body (8)."""
    body = f"{prefix2[:2]}{area6}{org8}{org_code_check(org8)}"
    return body + uscc_check(body)


def make_uscc(rng: random.Random, prefixes: Sequence[str], areas: Sequence[str]) -> str:
    org = "".join(rng.choice(identity.USCC_ALPHABET) for _ in range(8))
    body = f"{rng.choice(prefixes)}{rng.choice(areas)}{org}{org_code_check(org)}"
    return body + uscc_check(body)


def make_vin(rng: random.Random, wmis: Sequence[str]) -> str:
    rest = "".join(rng.choice(VIN_CHARS) for _ in range(14))
    raw = rng.choice(wmis) + rest
    raw = raw[:8] + "0" + raw[9:]
    return raw[:8] + vin_check(raw) + raw[9:]


def make_card(rng: random.Random, bins: Sequence[str]) -> str:
    bin_ = rng.choice(bins)
    length = rng.choice((16, 19))
    body = bin_ + "".join(str(rng.randint(0, 9)) for _ in range(length - len(bin_) - 1))
    return body + luhn_check(body)


def make_mobile(rng: random.Random, prefixes: Sequence[str]) -> str:
    p = rng.choice(prefixes)
    return p + "".join(str(rng.randint(0, 9)) for _ in range(11 - len(p)))


def digits(rng: random.Random, n: int, first: str = "123456789") -> str:
    return rng.choice(first) + "".join(str(rng.randint(0, 9)) for _ in range(n - 1))


# --- pieces and templates ---------------------------------------------------------------


def label(kind: str, value: str) -> Piece:
    assert kind in KINDS, kind
    return value, [(0, len(value), kind)]


def concat(*parts: Piece | str) -> Piece:
    text, spans = "", []
    for part in parts:
        t, s = (part, []) if isinstance(part, str) else part
        spans += [(a + len(text), b + len(text), k) for a, b, k in s]
        text += t
    return text, spans


_SLOT = re.compile(r"\{(\w+)\}")


def fill(template: str, slots: Mapping[str, Maker], rng: random.Random) -> Piece:
    parts: list[Piece | str] = []
    pos = 0
    for m in _SLOT.finditer(template):
        parts.append(template[pos : m.start()])
        parts.append(slots[m.group(1)](rng))
        pos = m.end()
    parts.append(template[pos:])
    return concat(*parts)


def slot_names(template: str) -> list[str]:
    return _SLOT.findall(template)


@dataclass(frozen=True)
class Genre:
    """Sentences (templates) of one genre, its clean sentences and how lines are joined."""

    templates: tuple[str, ...]
    clean: tuple[str, ...]
    joiner: str = ""


def build(genres: Mapping[str, Genre], slots: Mapping[str, Maker], n: int, seed: int) -> list[Doc]:
    """``n`` documents, genres in turn; each 2-4 of its templates and often a clean line."""
    rng = random.Random(seed)
    names = list(genres)
    docs: list[Doc] = []
    for i in range(n):
        genre = genres[names[i % len(names)]]
        chosen = rng.sample(genre.templates, min(len(genre.templates), rng.randint(2, 4)))
        lines = [fill(t, slots, rng) for t in chosen]
        if genre.clean and rng.random() < 0.6:
            lines.insert(rng.randint(0, len(lines)), (rng.choice(genre.clean), []))
        parts: list[Piece | str] = []
        for j, line in enumerate(lines):
            if j:
                parts.append(genre.joiner)
            parts.append(line)
        text, local = concat(*parts)
        docs.append((text, [Span(a, b, k, text[a:b]) for a, b, k in local]))
    return docs


_MARK = re.compile(r"«(\w+)\|([^«»]+)»")


def marked(source: str) -> Doc:
    """A hand-written text whose values are marked ``«kind|value»``."""
    text, spans, pos = "", [], 0
    for m in _MARK.finditer(source):
        text += source[pos : m.start()]
        kind, value = m.group(1), m.group(2)
        assert kind in KINDS, kind
        spans.append(Span(len(text), len(text) + len(value), kind, value))
        text += value
        pos = m.end()
    text += source[pos:]
    return text, spans


def values_of(docs: Sequence[Doc]) -> set[str]:
    """Every labelled value of `docs`: two corpora that must not overlap share none."""
    return {s.text for _, spans in docs for s in spans}


def frames_of(docs: Sequence[Doc], clean: Sequence[str], width: int) -> set[str]:
    """Every `width`-character run of the text between values (a value breaks the run), in
    the texts and the clean sentences: two corpora written apart share none."""
    runs = list(clean)
    for text, spans in docs:
        pos = 0
        for s in spans:
            runs.append(text[pos : s.start])
            pos = s.end
        runs.append(text[pos:])
    return {r[i : i + width] for r in runs for i in range(len(r) - width + 1)}
