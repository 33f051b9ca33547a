"""Which Shanghai district an address lies in (Art. 7 directory: recommendation by address).

The portal may send an applicant's address instead of a district. The district is read
from the address as people write it: a district's name (徐汇区), a former district or
county merged since (卢湾区 -> 黄浦区, 闸北区 -> 静安区, 南汇区 -> 浦东新区, 崇明县), or a
street or town (街道, 镇) of the shipped list `schemas/codes/shanghai_places.json`. The
first such name in the address wins (Chinese addresses go from the larger unit to the
smaller). An address in another province or city, or one that names nothing known, has
no district: the caller must then send `district` itself.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

_PLACES = Path(__file__).resolve().parents[2] / "schemas" / "codes" / "shanghai_places.json"

#: Words that put an address outside Shanghai when it does not also say 上海.
_ELSEWHERE = re.compile(
    r"(北京|天津|重庆|香港|澳门|台湾|[\u4e00-\u9fff]{2,3}省|[\u4e00-\u9fff]{2,5}自治区)"
)
#: A street's name without 街道 still names it (天平路街道 -> 天平路) when long enough to
#: be unambiguous.
_STEM_MIN = 3


@dataclass(frozen=True)
class DistrictMatch:
    code: str
    name: str
    #: what named it: district | former | street
    by: str
    text: str


@cache
def _names() -> list[tuple[str, str, str, str]]:
    """(text, code, district name, kind), longest text first so 浦东新区 beats 浦东."""
    doc: dict[str, Any] = json.loads(_PLACES.read_text("utf-8"))
    entries: list[tuple[str, str, str, str]] = []
    stems: dict[str, set[str]] = {}
    for code, d in doc["districts"].items():
        entries.append((d["name"], code, d["name"], "district"))
        entries += [(old, code, d["name"], "former") for old in d["former"]]
        for town in d["towns"]:
            entries.append((town, code, d["name"], "street"))
            if town.endswith("街道") and len(town) - 2 >= _STEM_MIN:
                stems.setdefault(town[:-2], set()).add(code)
    names = {code: d["name"] for code, d in doc["districts"].items()}
    for stem, codes in stems.items():
        if len(codes) == 1:
            (code,) = codes
            entries.append((stem, code, names[code], "street"))
    entries.sort(key=lambda e: -len(e[0]))
    return entries


def _normal(address: str) -> str:
    """Full-width letters and digits made plain, spaces dropped."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", address))


def district_of(address: str) -> DistrictMatch | None:
    """The Shanghai district of `address`, or None when it cannot be told."""
    text = _normal(address)
    if not text:
        return None
    if "上海" not in text and _ELSEWHERE.search(text):
        return None
    best: tuple[int, int, DistrictMatch] | None = None
    for name, code, district, kind in _names():
        at = text.find(name)
        if at < 0:
            continue
        candidate = (at, -len(name), DistrictMatch(code, district, kind, name))
        if best is None or candidate[:2] < best[:2]:
            best = candidate
    return best[2] if best else None


__all__ = ["DistrictMatch", "district_of"]
