"""Code lists read from ``schemas/codes/*.json``: dispute categories, Shanghai districts,
and the coded fields of institution events (rejection reasons 不予受理理由, remedies
救济途径, agreement types 协议类型), which carry what free text says without its words.

The JSON files are the single source: the JSON Schemas take their enums from them at load
time (see ``schemas._codes_resource``), so adding a code is one edit.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

_DIR = Path(__file__).with_name("codes")


def _load(name: str) -> Any:
    with (_DIR / name).open(encoding="utf-8") as fh:
        return json.load(fh)


#: category code -> {"zh": Chinese name, "en": English name}
CATEGORIES: dict[str, dict[str, str]] = _load("categories.json")
#: 6-digit administrative division code -> Chinese district name (the 16 Shanghai districts)
DISTRICTS: dict[str, str] = _load("districts.json")

#: rejection-reason code -> {"zh", "en"} (``reason_code`` of ``rejected`` and ``returned``)
REJECTION_REASONS: dict[str, dict[str, str]] = _load("rejection_reasons.json")
#: remedy kind -> {"zh", "en"} (``remedy_kinds`` of a ``closed`` event)
REMEDY_KINDS: dict[str, dict[str, str]] = _load("remedy_kinds.json")
#: agreement type -> {"zh", "en"} (``agreement.type`` of a ``closed`` event)
AGREEMENT_TYPES: dict[str, dict[str, str]] = _load("agreement_types.json")

__all__ = ["AGREEMENT_TYPES", "CATEGORIES", "DISTRICTS", "REJECTION_REASONS", "REMEDY_KINDS"]
