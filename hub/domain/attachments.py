"""Attachments (附件) and case documents: clean names, bytes per case. No I/O.

A name is what the sender's system called the file; the hub keeps only the last path part,
without control, bidi-override or zero-width characters (a name like
`..\\..\\x\\invoice\u202efdp.exe` would otherwise mislead whoever downloads it), in NFC,
at most 255 characters; an empty result becomes `attachment`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

#: Characters never kept in a file name: C0/C1 controls, bidi controls, zero-width ones.
_UNSAFE = re.compile(
    "[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"
)
_SEPARATORS = re.compile(r"[/\\]")
FALLBACK_NAME = "attachment"
MAX_NAME = 255


def clean_name(name: str) -> str:
    text = _UNSAFE.sub("", unicodedata.normalize("NFC", name))
    last = _SEPARATORS.split(text)[-1]
    if ":" in last[:3]:  # a drive letter left without a separator: "C:file.pdf"
        last = last.split(":", 1)[1]
    last = last.strip().strip(".").strip()
    return last[:MAX_NAME] or FALLBACK_NAME


def with_clean_names(items: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [
        {**item, "name": clean_name(str(item["name"]))} if "name" in item else dict(item)
        for item in items
    ]


def total_bytes(items: Iterable[Mapping[str, Any]]) -> int:
    """Bytes of the files as declared (`size` is checked against the content at intake)."""
    return sum(int(item.get("size") or 0) for item in items)
