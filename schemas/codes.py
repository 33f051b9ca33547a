"""Code lists: dispute categories and Shanghai districts, read from ``schemas/codes/*.json``.

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

__all__ = ["CATEGORIES", "DISTRICTS"]
