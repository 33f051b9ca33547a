"""The Article 23 field catalogue, as data (``catalogue.json``).

Every field of an application (INTERFACE 4) and of a case record is listed with its
Article 23 item (``"1"``..``"8"`` or ``"none"``) and its treatment for the data bureau:
``drop | pseudonym | month | district | band | keep``. A path is dot-separated
keys with ``[]`` for each element of a list (``applicants[].id_number``); an entry on an
object covers its whole subtree. Anything not in the catalogue is dropped by the masker,
and a test fails when a field of a full application has no entry.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, cached_property
from pathlib import Path
from typing import Any

__all__ = [
    "ARTICLE23_ITEMS",
    "TREATMENTS",
    "Band",
    "Catalogue",
    "CatalogueError",
    "FieldRule",
    "leaf_paths",
    "load_catalogue",
]

TREATMENTS = frozenset({"drop", "pseudonym", "month", "district", "band", "keep"})
ARTICLE23_ITEMS = frozenset({"1", "2", "3", "4", "5", "6", "7", "8", "none"})
DEFAULT_PATH = Path(__file__).with_name("catalogue.json")


class CatalogueError(ValueError):
    """The catalogue file is inconsistent."""


@dataclass(frozen=True, slots=True)
class FieldRule:
    path: str
    item: str
    treatment: str
    output: str | None = None  # output key (pseudonyms: "party" instead of "id_number")
    purpose: str = ""
    prefix: str = ""
    note: str = ""

    @property
    def personal(self) -> bool:
        return self.item != "none"

    @property
    def segments(self) -> tuple[str, ...]:
        return _segments_of(self.path)


@dataclass(frozen=True, slots=True)
class Band:
    low: Decimal
    high: Decimal | None
    label: str


@dataclass(frozen=True, eq=False)
class Catalogue:
    version: int
    rules: tuple[FieldRule, ...]
    bands: tuple[Band, ...]
    districts: Mapping[str, str]
    items: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for rule in self.rules:
            if rule.treatment not in TREATMENTS:
                raise CatalogueError(f"{rule.path}: unknown treatment {rule.treatment!r}")
            if rule.item not in ARTICLE23_ITEMS:
                raise CatalogueError(f"{rule.path}: unknown Article 23 item {rule.item!r}")
            if rule.personal and rule.treatment == "keep":
                raise CatalogueError(f"{rule.path}: an Article 23 field cannot be kept in clear")
            if rule.path in seen:
                raise CatalogueError(f"{rule.path}: listed twice")
            seen.add(rule.path)
        for rule in self.rules:  # an entry inside a covered subtree would never apply
            for other in seen:
                if rule.path.startswith(other + ".") or rule.path.startswith(other + "[]"):
                    raise CatalogueError(f"{rule.path}: inside {other}, which is a leaf entry")

    @cached_property
    def by_path(self) -> dict[str, FieldRule]:
        return {r.path: r for r in self.rules}

    def rule_for(self, path: str) -> FieldRule | None:
        """The entry for ``path`` or for the nearest enclosing object listed."""
        by_path = self.by_path
        probe = path
        while probe:
            if probe in by_path:
                return by_path[probe]
            cut = max(probe.rfind("."), probe.rfind("[]"))
            if cut <= 0:
                break
            probe = probe[:cut]
        return None

    @cached_property
    def _containers(self) -> frozenset[str]:
        out: set[str] = set()
        for rule in self.rules:
            path = rule.path
            for i, ch in enumerate(path):
                if ch == "." or path.startswith("[]", i):
                    out.add(path[:i])
            out.add(path)
        return frozenset(out)

    def missing(self, document: Any) -> list[str]:
        """Leaf paths of ``document`` that no entry covers (an empty object or list is
        covered when the catalogue describes what goes inside it)."""
        return sorted(
            {
                p
                for p in leaf_paths(document)
                if self.rule_for(p) is None and p.removesuffix("[]") not in self._containers
            }
        )

    def personal_rules(self, items: frozenset[str] | None = None) -> list[FieldRule]:
        return [r for r in self.rules if r.personal and (items is None or r.item in items)]


@cache
def _segments_of(path: str) -> tuple[str, ...]:
    return tuple(_segments(path))


def _segments(path: str) -> Iterator[str]:
    for part in path.split("."):
        if part.endswith("[]"):
            yield part[:-2]
            yield "[]"
        else:
            yield part


def leaf_paths(document: Any, prefix: str = "") -> Iterator[str]:
    """Catalogue-style paths of every scalar in ``document`` (empty containers count as
    leaves, so an always-empty list still needs an entry)."""
    if isinstance(document, Mapping):
        if not document and prefix:
            yield prefix
        for key, value in document.items():
            yield from leaf_paths(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(document, list):
        if not document:
            yield prefix + "[]"
        for value in document:
            yield from leaf_paths(value, prefix + "[]")
    else:
        yield prefix


def _from_json(data: Mapping[str, Any]) -> Catalogue:
    rules = tuple(
        FieldRule(
            path=e["path"],
            item=str(e["item"]),
            treatment=e["treatment"],
            output=e.get("output"),
            purpose=e.get("purpose", ""),
            prefix=e.get("prefix", ""),
            note=e.get("note", ""),
        )
        for e in data["fields"]
    )
    bands = tuple(
        Band(Decimal(lo), None if hi is None else Decimal(hi), label)
        for lo, hi, label in data["bands"]
    )
    return Catalogue(
        version=int(data["version"]),
        rules=rules,
        bands=bands,
        districts=dict(data["districts"]),
        items=dict(data.get("items", {})),
    )


@cache
def _load(path: str) -> Catalogue:
    return _from_json(json.loads(Path(path).read_text(encoding="utf-8")))


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """The catalogue shipped with the package (or one at ``path``), parsed once."""
    return _load(str(path or DEFAULT_PATH))
