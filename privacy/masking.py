"""Masked case records for the data bureau (INTERFACE 9), driven by the catalogue.

``mask_case(record, pseudonymizer)`` walks a case record (the shape of
``GET /v1/applications/{no}``) along the compiled catalogue and applies each field's
treatment. Fields the catalogue does not list are dropped, a listed field holding an
unexpected shape (an object where a scalar was expected) is dropped, and a value a
generaliser cannot read becomes ``null``: the masker fails safe.

Free text marked ``scrub`` first has the record's own personal values (names, ID
numbers, phones, e-mails, addresses, dispute place, in any spacing) replaced, then every
PII span :mod:`privacy.pii` detects.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from privacy.catalogue import Catalogue, FieldRule, load_catalogue
from privacy.crypto import normalize_for_index
from privacy.pii import scrub

__all__ = [
    "Pseudonymizer",
    "compile_masker",
    "mask_case",
    "to_band",
    "to_district",
    "to_month",
]

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Pseudonymizer:
    """Keyed HMAC-SHA256 pseudonyms: ``prefix + 16 hex``. The same ID number gives the
    same pseudonym in every case; without the key it cannot be reversed or recomputed
    from a guessed ID number.

    The HMAC is computed from SHA-256 states pre-keyed with the padded key (RFC 2104),
    so each value costs two hash compressions instead of four; pseudonyms are memoised
    per ``(purpose, value)`` in a bounded in-process cache (the key never changes)."""

    __slots__ = ("_cache", "_inner", "_key", "_outer", "_purposes")

    def __init__(self, key: bytes) -> None:
        if not isinstance(key, bytes | bytearray) or len(key) < 16:
            raise ValueError("pseudonym key must be at least 16 bytes")
        self._key = bytes(key)
        self._cache: dict[tuple[str, str], str] = {}
        block = self._key if len(self._key) <= 64 else hashlib.sha256(self._key).digest()
        block = block.ljust(64, b"\x00")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in block))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in block))
        self._purposes: dict[str, Any] = {}  # purpose -> inner state with purpose + NUL

    def _digest(self, purpose: str, value: str) -> str:
        """The 16 hex digits for ``value`` under ``purpose`` (uncached)."""
        if value.isascii() and (bare := value.replace("-", "")).isalnum():
            norm = bare.upper()  # ASCII letters and digits: NFKC and spaces are no-ops
        else:
            norm = normalize_for_index(value, "id_number")
        state = self._purposes.get(purpose)
        if state is None:
            state = self._inner.copy()
            state.update(purpose.encode() + b"\x00")
            self._purposes[purpose] = state
        inner = state.copy()
        inner.update(norm.encode())
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()[:16]

    def _lookup(self, value: str, purpose: str) -> str:
        key = (purpose, value)
        hit = self._cache.get(key)
        if hit is None:
            hit = self._digest(purpose, value)
            if len(self._cache) > 100_000:
                self._cache.clear()
            self._cache[key] = hit
        return hit

    def pseudonym(self, value: str, *, purpose: str = "party", prefix: str = "P-") -> str:
        return prefix + self._lookup(value, purpose)

    def party(self, id_number: str) -> str:
        return self.pseudonym(id_number, purpose="party", prefix="P-")

    def __repr__(self) -> str:
        return "Pseudonymizer(key=<redacted>)"


# ---------------------------------------------------------------------------------
# Generalisers
# ---------------------------------------------------------------------------------
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])")


def to_month(value: object) -> str | None:
    """``"2026-11-01"`` or an RFC 3339 time -> ``"2026-11"`` (times in Asia/Shanghai)."""
    if isinstance(value, datetime):
        moment = value.astimezone(SHANGHAI) if value.tzinfo else value
        return f"{moment.year:04d}-{moment.month:02d}"
    if isinstance(value, date):
        return f"{value.year:04d}-{value.month:02d}"
    if not isinstance(value, str):
        return None
    text = value.strip()
    if len(text) > 10:
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
        return to_month(moment)
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text[:4].isdigit():
        month = text[5:7]
        return text[:7] if month.isdigit() and "01" <= month <= "12" else None
    m = _MONTH.match(text)
    return f"{m.group(1)}-{m.group(2)}" if m else None


@lru_cache(maxsize=4)
def _district_pattern(names: tuple[tuple[str, str], ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    lookup: dict[str, str] = {}
    for code, name in names:
        lookup[name] = code
        lookup[code] = code
        short = name[:-2] if name.endswith("新区") else name[:-1]
        lookup.setdefault(short, code)
    alternatives = sorted(lookup, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, alternatives))), lookup


def to_district(value: object, districts: Mapping[str, str] | None = None) -> str | None:
    """The district code named in a place (``"上海市徐汇区漕溪北路88号"`` -> ``"310104"``),
    or ``None`` when no known district is named."""
    if not isinstance(value, str):
        return None
    table = districts if districts is not None else load_catalogue().districts
    pattern, lookup = _district_pattern(tuple(sorted(table.items())))
    m = pattern.search(value)
    return lookup[m.group()] if m else None


def to_band(value: object, catalogue: Catalogue | None = None) -> str | None:
    """An amount (decimal string) -> its band label; bands are ``(low, high]``."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount < 0:
        return None
    for band in (catalogue or load_catalogue()).bands:  # ascending
        if band.high is None or amount <= band.high:
            return band.label
    return None


# ---------------------------------------------------------------------------------
# The compiled masker
# ---------------------------------------------------------------------------------
_DROP = object()
_SCALAR_TYPES = frozenset({str, int, float, bool, type(None)})
_ITEM_PLACEHOLDER = {
    "1": "〔姓名〕",
    "2": "〔证件号码〕",
    "3": "〔联系方式〕",
    "4": "〔日期〕",
    "5": "〔地址〕",
}
_SEPARATORS = re.compile(r"[\s\-]+")
_Fn = Callable[[Any, "_Context"], Any]


@dataclass
class _Node:
    rule: FieldRule | None = None
    children: dict[str, _Node] = field(default_factory=dict)


def _tree(rules: tuple[FieldRule, ...]) -> _Node:
    root = _Node()
    for rule in rules:
        node = root
        for seg in rule.segments:
            node = node.children.setdefault(seg, _Node())
        node.rule = rule
    return root


class _Context:
    __slots__ = ("found", "masker", "pending", "pseudonymizer")

    def __init__(self, pseudonymizer: Pseudonymizer, masker: _Masker) -> None:
        self.pseudonymizer = pseudonymizer
        self.masker = masker
        self.found: list[tuple[Any, str]] = []  # the record's personal values, placeholder
        self.pending: list[tuple[Any, Any, str]] = []  # (container, key, text) to scrub

    def note(self, value: Any, mark: str) -> None:
        self.found.append((value, mark))

    def marks(self) -> dict[str, str]:
        return _marks(self.found)

    def secrets(self) -> list[tuple[str, str]]:
        """(value, placeholder) for the record's personal values, longest first."""
        marks = _marks(self.found)
        return [(v, marks[v]) for v in sorted(marks, key=len, reverse=True)]

    def finish(self) -> None:
        if self.pending:
            _finish(self.found, self.pending, self.masker.cache_scrub)


def _marks(found: list[tuple[Any, str]]) -> dict[str, str]:
    """value -> placeholder for the record's personal values (in the order found), phone
    and ID numbers also without their separators."""
    out: dict[str, str] = {}
    sep = _SEPARATORS.sub
    for value, mark in found:
        if isinstance(value, str):
            v = value.strip()
            if len(v) >= 2:
                if v not in out:
                    out[v] = mark
                if " " in v or "-" in v:
                    bare = sep("", v)
                    if len(bare) >= 2 and bare not in out:
                        out[bare] = mark
    return out


def _finish(found: list[tuple[Any, str]], pending: list[Any], cache_scrub: bool) -> None:
    """Scrub the free text found during the walk, now that every personal value of the
    record is known (the record's key order does not matter): each text has the record's
    values replaced longest first (sorted only when a text contains one), then every PII
    span detected."""
    marks = _marks(found)
    clean = _scrub_cached if cache_scrub else scrub
    ordered: list[tuple[str, str]] | None = None
    for container, key, text in pending:
        for value in marks:
            if value in text:  # at least one to replace: all of them, longest first
                if ordered is None:
                    ordered = [(v, marks[v]) for v in sorted(marks, key=len, reverse=True)]
                for value, mark in ordered:
                    if value in text:
                        text = text.replace(value, mark)
                break
        container[key] = clean(text)


_PENDING = object()


@lru_cache(maxsize=65536)
def _scrub_cached(text: str) -> str:
    return scrub(text)


def _leaf(rule: FieldRule, catalogue: Catalogue) -> _Fn | None:
    """The function for one treatment; ``None`` for ``drop``."""
    t = rule.treatment
    if t == "keep":
        return lambda v, ctx: v if type(v) in _SCALAR_TYPES else _DROP
    if t == "pseudonym":
        purpose, prefix = rule.purpose or rule.path, rule.prefix

        def pseudonym(v: Any, ctx: _Context) -> Any:
            if not isinstance(v, str) or not v.strip():
                return None
            return ctx.pseudonymizer.pseudonym(v, purpose=purpose, prefix=prefix)

        return pseudonym
    if t == "month":
        return lambda v, ctx: to_month(v)
    if t == "district":
        districts = catalogue.districts
        return lambda v, ctx: to_district(v, districts)
    if t == "band":
        return lambda v, ctx: to_band(v, catalogue)
    if t == "scrub":
        return lambda v, ctx: _PENDING if isinstance(v, str) else None
    return None  # drop, or a treatment this version does not know: fail safe


def _plain(rule: FieldRule, catalogue: Catalogue) -> Callable[[Any], Any] | None:
    """A one-argument function for a generalising treatment, with its tables bound once
    (the generated masker calls these directly)."""
    t = rule.treatment
    if t == "month":

        def month(v: Any) -> str | None:
            if (  # the common "YYYY-MM-DD": as to_month, without its general parsing
                type(v) is str and len(v) == 10 and v[4] == "-" and v[7] == "-" and v[:4].isdigit()
            ):
                m = v[5:7]
                return v[:7] if m.isdigit() and "01" <= m <= "12" else None
            return to_month(v)

        return month
    if t == "district":
        pattern, lookup = _district_pattern(tuple(sorted(catalogue.districts.items())))
        search = pattern.search

        def district(v: Any) -> str | None:
            if not isinstance(v, str):
                return None
            m = search(v)
            return lookup[m.group()] if m else None

        return district
    if t == "band":
        bands = tuple((band.high, band.label) for band in catalogue.bands)  # ascending

        def band(v: Any) -> str | None:
            if isinstance(v, bool) or v is None:
                return None
            try:
                amount = Decimal(str(v).replace(",", "").strip())
            except InvalidOperation:
                return None
            if not amount.is_finite() or amount < 0:
                return None
            for high, label in bands:
                if high is None or amount <= high:
                    return label
            return None

        return band
    return None


def _noting(rule: FieldRule, catalogue: Catalogue) -> _Fn | None:
    """The leaf function, also noting the value when it is one of the personal values
    that must not reappear in the record's free text."""
    fn = _leaf(rule, catalogue)
    mark = _ITEM_PLACEHOLDER.get(rule.item)
    if mark is None or rule.treatment == "keep":
        return fn
    if fn is None:

        def note_and_drop(v: Any, ctx: _Context) -> Any:
            ctx.found.append((v, mark))
            return _DROP

        return note_and_drop
    inner = fn

    def note_and_apply(v: Any, ctx: _Context) -> Any:
        ctx.found.append((v, mark))
        return inner(v, ctx)

    return note_and_apply


def _compile(node: _Node, catalogue: Catalogue) -> _Fn | None:
    if node.rule is not None:
        return _noting(node.rule, catalogue)
    # key -> (kept as is?, function, output key); dropped fields are not looked up.
    fields: dict[str, tuple[bool, _Fn, str]] = {}
    for key, child in node.children.items():
        if key == "[]":
            continue
        fn = _compile(child, catalogue)
        if fn is not None:
            rule = child.rule
            out_key = rule.output if rule is not None and rule.output else key
            keep = rule is not None and rule.treatment == "keep"
            fields[key] = (keep, fn, out_key)
    each = node.children.get("[]")
    each_fn = _compile(each, catalogue) if each is not None else None

    if fields and all(keep for keep, _, _ in fields.values()) and each_fn is None:
        kept = {key: out_key for key, (_, _, out_key) in fields.items()}
        scalar_types = _SCALAR_TYPES

        def walk_kept(value: Any, ctx: _Context) -> Any:  # objects of kept scalars only
            if isinstance(value, dict):
                return {
                    kept[k]: v for k, v in value.items() if k in kept and type(v) in scalar_types
                }
            return _DROP

        return walk_kept

    def walk(value: Any, ctx: _Context) -> Any:
        if isinstance(value, dict) and fields:
            out: dict[str, Any] = {}
            get = fields.get
            for key, item in value.items():
                entry = get(key)
                if entry is None:  # not in the catalogue, or dropped
                    continue
                keep, fn, out_key = entry
                if keep:  # inlined: the commonest treatment
                    if type(item) in _SCALAR_TYPES:
                        out[out_key] = item
                    continue
                masked = fn(item, ctx)
                if masked is _PENDING:
                    ctx.pending.append((out, out_key, item))
                    out[out_key] = None
                elif masked is not _DROP:
                    out[out_key] = masked
            return out
        if isinstance(value, list) and each_fn is not None:
            result: list[Any] = []
            for v in value:
                masked = each_fn(v, ctx)
                if masked is _PENDING:
                    ctx.pending.append((result, len(result), v))
                    result.append(None)
                elif masked is not _DROP:
                    result.append(masked)
            return result
        return _DROP  # a scalar where the catalogue expects an object or a list

    return walk


class _Generator:
    """Writes the catalogue out as one straight-line Python function (about twice as fast
    as walking the tree): it reads only the keys the catalogue lists, so unknown fields
    are never copied, and each treatment is inlined or called directly."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.lines: list[str] = []
        self.names: dict[str, Any] = {
            "_DROP": _DROP,
            "_PENDING": _PENDING,
            "_M": _MISSING,
            "_S": _SCALAR_TYPES,
        }
        self.n = 0
        self.in_list = 0  # how many lists enclose the node being written

    def var(self, stem: str) -> str:
        self.n += 1
        return f"{stem}{self.n}"

    def emit(self, indent: int, line: str) -> None:
        self.lines.append("    " * indent + line)

    def build(self, root: _Node) -> Callable[[Any, Any, list[Any], list[Any]], Any]:
        """``_mask(record, lookup, found, pending)``; ``lookup(value, purpose)`` gives a
        pseudonym's hex digits."""
        self.emit(0, "def _mask(src, ps, found, pending):")
        self.node(root, "src", "out", 1)
        self.emit(1, "return out")
        code = compile("\n".join(self.lines), "<privacy.masking generated>", "exec")
        namespace = dict(self.names)
        exec(code, namespace)
        fn: Callable[[Any, Any, list[Any], list[Any]], Any] = namespace["_mask"]
        return fn

    def node(self, node: _Node, src: str, out: str, ind: int) -> None:
        """Code that sets ``out`` to the masked ``src`` (or _DROP / _PENDING)."""
        rule = node.rule
        if rule is not None:
            self.leaf(rule, src, out, ind)
            return
        fields = {k: c for k, c in node.children.items() if k != "[]"}
        each = node.children.get("[]")
        if fields:
            self.emit(ind, f"if isinstance({src}, dict):")
            self.emit(ind + 1, f"{out} = {{}}")
            if len(fields) > _GET_LIMIT and self.in_list:
                # Many possible keys, few present (event data): walk the record's keys.
                # (Objects outside lists, the record itself, hold most of their keys.)
                key_var, value = self.var("k"), self.var("v")
                self.emit(ind + 1, f"for {key_var}, {value} in {src}.items():")
                first = True
                for key, child in fields.items():
                    if self.skippable(child):
                        continue
                    self.emit(ind + 2, f"{'if' if first else 'elif'} {key_var} == {key!r}:")
                    first = False
                    self.field(key, child, value, out, ind + 3)
                if first:
                    self.emit(ind + 2, "pass")
            else:
                for key, child in fields.items():
                    if self.skippable(child):
                        continue
                    value = self.var("v")
                    self.emit(ind + 1, f"if {key!r} in {src}:")
                    self.emit(ind + 2, f"{value} = {src}[{key!r}]")
                    self.field(key, child, value, out, ind + 2)
            if each is None:
                self.emit(ind, "else:")
                self.emit(ind + 1, f"{out} = _DROP")
                return
            self.emit(ind, f"elif isinstance({src}, list):")
        else:
            if each is None:
                self.emit(ind, f"{out} = _DROP")
                return
            self.emit(ind, f"if isinstance({src}, list):")
        assert each is not None
        item, result = self.var("e"), self.var("x")
        self.emit(ind + 1, f"{out} = []")
        self.emit(ind + 1, f"for {item} in {src}:")
        self.in_list += 1
        self.node(each, item, result, ind + 2)
        self.in_list -= 1
        if each.rule is not None and each.rule.treatment == "scrub":
            self.emit(ind + 2, f"if {result} is _PENDING:")
            self.emit(ind + 3, f"pending.append(({out}, len({out}), {item}))")
            self.emit(ind + 3, f"{out}.append(None)")
            self.emit(ind + 2, f"elif {result} is not _DROP:")
            self.emit(ind + 3, f"{out}.append({result})")
        else:
            self.emit(ind + 2, f"if {result} is not _DROP:")
            self.emit(ind + 3, f"{out}.append({result})")
        self.emit(ind, "else:")
        self.emit(ind + 1, f"{out} = _DROP")

    @staticmethod
    def skippable(child: _Node) -> bool:
        """A dropped field that need not even be read (no personal value to remember)."""
        rule = child.rule
        return rule is not None and rule.treatment == "drop" and rule.item not in _ITEM_PLACEHOLDER

    def field(self, key: str, child: _Node, value: str, out: str, ind: int) -> None:
        """Code for one present field: ``value`` holds it, the result goes in ``out``."""
        crule = child.rule
        if crule is not None and crule.treatment == "drop":  # a personal value: remember it
            self.emit(ind, f"found.append(({value}, {_ITEM_PLACEHOLDER[crule.item]!r}))")
            return
        out_key = crule.output if crule is not None and crule.output else key
        if crule is not None and crule.treatment == "keep":
            self.emit(ind, f"if type({value}) in _S:")
            self.emit(ind + 1, f"{out}[{out_key!r}] = {value}")
            return
        if crule is not None:  # a leaf that never drops: assign its value directly
            mark = _ITEM_PLACEHOLDER.get(crule.item)
            if mark is not None:
                self.emit(ind, f"found.append(({value}, {mark!r}))")
            expr = self.expr(crule, value)
            if crule.treatment == "scrub":
                self.emit(ind, f"if isinstance({value}, str):")
                self.emit(ind + 1, f"pending.append(({out}, {out_key!r}, {value}))")
                self.emit(ind, f"{out}[{out_key!r}] = None")
            elif expr is not None:
                self.emit(ind, f"{out}[{out_key!r}] = {expr}")
            return
        result = self.var("r")  # an object or a list: dropped when of another shape
        self.node(child, value, result, ind)
        self.emit(ind, f"if {result} is not _DROP:")
        self.emit(ind + 1, f"{out}[{out_key!r}] = {result}")

    def expr(self, rule: FieldRule, src: str) -> str | None:
        """An expression for a pseudonym or generaliser treatment (``None`` otherwise)."""
        if rule.treatment == "pseudonym":
            purpose, prefix = rule.purpose or rule.path, rule.prefix
            return (
                f"{prefix!r} + ps({src}, {purpose!r}) "
                f"if isinstance({src}, str) and {src}.strip() else None"
            )
        fn = _plain(rule, self.catalogue)
        if fn is None:
            return None
        name = self.var("_f")
        self.names[name] = fn
        return f"{name}({src})"

    def leaf(self, rule: FieldRule, src: str, out: str, ind: int) -> None:
        mark = _ITEM_PLACEHOLDER.get(rule.item)
        t = rule.treatment
        if mark is not None and t != "keep":
            self.emit(ind, f"found.append(({src}, {mark!r}))")
        if t == "keep":
            self.emit(ind, f"{out} = {src} if type({src}) in _S else _DROP")
        elif t == "scrub":
            self.emit(ind, f"{out} = _PENDING if isinstance({src}, str) else None")
        else:
            expr = self.expr(rule, src)
            self.emit(ind, f"{out} = {expr if expr is not None else '_DROP'}")


_MISSING = object()
_GET_LIMIT = 8  # above this many catalogue keys, iterate the record's keys instead


class _Masker:
    def __init__(
        self, catalogue: Catalogue, *, cache_scrub: bool = True, generated: bool = True
    ) -> None:
        self.catalogue = catalogue
        self.cache_scrub = cache_scrub
        tree = _tree(catalogue.rules)
        self._walk = _compile(tree, catalogue)
        self._generated = _Generator(catalogue).build(tree) if generated else None

    def __call__(self, record: Any, pseudonymizer: Pseudonymizer) -> dict[str, Any]:
        if self._generated is not None:
            found: list[tuple[Any, str]] = []
            pending: list[Any] = []
            out = self._generated(record, pseudonymizer._lookup, found, pending)
            if not isinstance(out, dict):
                return {}
            if pending:
                _finish(found, pending, self.cache_scrub)
            return out
        if self._walk is None:
            return {}
        ctx = _Context(pseudonymizer, self)
        out = self._walk(record, ctx)
        if not isinstance(out, dict):
            return {}
        ctx.finish()
        return out


@lru_cache(maxsize=8)
def compile_masker(
    catalogue: Catalogue | None = None, *, cache_scrub: bool = True, generated: bool = True
) -> Callable[[Any, Pseudonymizer], dict[str, Any]]:
    """A masking function for ``catalogue`` (default: the shipped one). With
    ``cache_scrub`` the scrubbed form of recurring free text (after the record's own
    values are replaced) is memoised in a bounded in-process LRU. ``generated=False``
    walks the catalogue tree instead of running the generated function (same result,
    slower; the tests compare the two)."""
    return _Masker(catalogue or load_catalogue(), cache_scrub=cache_scrub, generated=generated)


def mask_case(
    record: Mapping[str, Any],
    pseudonymizer: Pseudonymizer | bytes,
    catalogue: Catalogue | None = None,
) -> dict[str, Any]:
    """The data bureau's view of one case record (INTERFACE 9): no Article 23 value in
    clear; unknown fields dropped. ``pseudonymizer`` may be the pseudonym key itself."""
    if not isinstance(pseudonymizer, Pseudonymizer):
        pseudonymizer = Pseudonymizer(pseudonymizer)
    return compile_masker(catalogue)(record, pseudonymizer)
