"""Masked case records for the data bureau (INTERFACE 9), driven by the catalogue.

``compile_masker(catalogue)`` turns the catalogue into one function, built once: a tree
of closures, one per object of the record, each reading only the keys the catalogue
lists and applying each field's treatment. ``mask_case(record, pseudonymizer)`` runs it
on a case record (the shape of ``GET /v1/applications/{no}``). Fields the catalogue does
not list are dropped, a listed field holding an unexpected shape (an object where a
scalar was expected) is dropped, and a value a generaliser cannot read becomes ``null``:
the masker fails safe. No treatment keeps free text: what it says leaves only as codes.
What the masker keeps is then generalised by :mod:`privacy.release` (k-anonymity).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from privacy.catalogue import Catalogue, FieldRule, load_catalogue
from privacy.crypto import normalize_for_index

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
_DROP = object()  # "leave this key out"
_SCALARS = (str, int, float, bool, type(None))
_Fn = Callable[[Any, Pseudonymizer], Any]


def _leaf(rule: FieldRule, catalogue: Catalogue) -> _Fn | None:
    """The function of one treatment; ``None`` for ``drop`` (and for a treatment this
    version does not know: fail safe)."""
    t = rule.treatment
    if t == "keep":
        return lambda v, ps: v if isinstance(v, _SCALARS) else _DROP
    if t == "pseudonym":
        purpose, prefix = rule.purpose or rule.path, rule.prefix

        def pseudonym(v: Any, ps: Pseudonymizer) -> Any:
            if not isinstance(v, str) or not v.strip():
                return None
            return ps.pseudonym(v, purpose=purpose, prefix=prefix)

        return pseudonym
    if t == "month":
        return lambda v, ps: to_month(v)
    if t == "district":
        districts = catalogue.districts
        return lambda v, ps: to_district(v, districts)
    if t == "band":
        return lambda v, ps: to_band(v, catalogue)
    return None


def _compile(node: dict[str, Any], catalogue: Catalogue) -> _Fn | None:
    """The function of one node of the catalogue tree: a leaf's treatment, or a walk over
    an object's listed keys (``"[]"``: over a list's items). ``None``: nothing is kept."""
    rule: FieldRule | None = node.get("")
    if rule is not None:
        return _leaf(rule, catalogue)
    kept: list[tuple[str, str]] = []  # (input key, output key) of scalars kept as they are
    fields: list[tuple[str, str, _Fn]] = []  # (input key, output key, function)
    for key, child in node.items():
        if key == "[]":
            continue
        crule = child.get("")
        out_key = crule.output if crule is not None and crule.output else key
        if crule is not None and crule.treatment == "keep":
            kept.append((key, out_key))  # the commonest treatment, inlined in the walk
            continue
        fn = _compile(child, catalogue)
        if fn is not None:
            fields.append((key, out_key, fn))
    each = _compile(node["[]"], catalogue) if "[]" in node else None
    if not fields and not kept and each is None:
        return None
    scalars, drop = _SCALARS, _DROP

    def walk(value: Any, ps: Pseudonymizer) -> Any:
        if (fields or kept) and isinstance(value, dict):
            out: dict[str, Any] = {}
            for key, out_key in kept:
                if key in value:
                    v = value[key]
                    if isinstance(v, scalars):
                        out[out_key] = v
            for key, out_key, fn in fields:
                if key in value:
                    masked = fn(value[key], ps)
                    if masked is not drop:
                        out[out_key] = masked
            return out
        if each is not None and isinstance(value, list):
            items: list[Any] = []
            for v in value:
                masked = each(v, ps)
                if masked is not drop:
                    items.append(masked)
            return items
        return drop  # a scalar where the catalogue expects an object or a list

    return walk


def _tree(rules: tuple[FieldRule, ...]) -> dict[str, Any]:
    """Nested dicts keyed by path segment; a rule sits under the key ``""`` of its node."""
    root: dict[str, Any] = {}
    for rule in rules:
        node = root
        for seg in rule.segments:
            node = node.setdefault(seg, {})
        node[""] = rule
    return root


@lru_cache(maxsize=8)
def compile_masker(
    catalogue: Catalogue | None = None,
) -> Callable[[Any, Pseudonymizer], dict[str, Any]]:
    """The masking function of ``catalogue`` (default: the shipped one), compiled once."""
    walk = _compile(_tree((catalogue or load_catalogue()).rules), catalogue or load_catalogue())

    def mask(record: Any, pseudonymizer: Pseudonymizer) -> dict[str, Any]:
        out = walk(record, pseudonymizer) if walk is not None else {}
        return out if isinstance(out, dict) else {}

    return mask


def mask_case(
    record: Mapping[str, Any],
    pseudonymizer: Pseudonymizer | bytes,
    catalogue: Catalogue | None = None,
) -> dict[str, Any]:
    """The data bureau's view of one case record before generalisation (INTERFACE 9): no
    Article 23 value, no free text, no time finer than the month; unknown fields dropped.
    ``pseudonymizer`` may be the pseudonym key itself."""
    if not isinstance(pseudonymizer, Pseudonymizer):
        pseudonymizer = Pseudonymizer(pseudonymizer)
    return compile_masker(catalogue)(record, pseudonymizer)
