"""Free text that leaves under a consent grant carries only what the grant opens.

A grant names Article 23 fields (``applicants.name``, ``facts``, ...). A granted free-text
field (facts, claims, notes, reasons, remedies, the agreement's summary) would otherwise
carry every other personal value written into it. ``redact_granted`` replaces, in each
granted text, first the record's own personal values whose fields the grant does not
open (in any spacing), then every span :mod:`privacy.pii` detects whose kind the grant
does not open: names only with a granted name field, ID numbers with a granted ID field,
phones, e-mails and addresses with theirs; everything else (bank cards, plates, WeChat
and QQ ids, case numbers, VINs, hospital numbers) is always replaced. Person names are
found by the rules and by a named-entity model (`privacy.ner`), which together miss
fewer names on text they were not tuned on than either alone; without the model, such
text is not released at all (`needs_name_model`, `hub.services.sharing.grants`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from privacy import ner
from privacy.pii import PLACEHOLDERS, find_pii

__all__ = ["FREE_TEXT", "needs_name_model", "redact_granted"]

#: Grant field names that hold free text.
FREE_TEXT = frozenset(
    {
        "facts",
        "claims",
        "timeline.data.note",
        "timeline.data.reason",
        "timeline.data.remedies",
        "timeline.data.agreement.summary",
    }
)
#: PII kinds a grant field opens (by the field's last segment).
_OPENS: dict[str, frozenset[str]] = {
    "name": frozenset({"name"}),
    "id_number": frozenset({"resident_id", "uscc", "passport", "permit"}),
    "phone": frozenset({"mobile", "landline"}),
    "email": frozenset({"email"}),
    "address": frozenset({"address"}),
    "occurred_place": frozenset({"address"}),
}
_PARTY_FIELDS = ("name", "id_number", "phone", "email", "address")
_SEPARATORS = re.compile(r"[\s\-]+")


def _opened(fields: Iterable[str]) -> frozenset[str]:
    kinds: set[str] = set()
    for f in fields:
        kinds |= _OPENS.get(f.rsplit(".", 1)[-1], frozenset())
    return frozenset(kinds)


def _own_values(record: Mapping[str, Any], opened_fields: frozenset[str]) -> list[tuple[str, str]]:
    """(value, placeholder) for the record's party values whose field is not granted,
    longest first, each also without its spaces and dashes."""
    out: dict[str, str] = {}
    for side in ("applicants", "respondents"):
        for party in record.get(side) or []:
            if not isinstance(party, Mapping):
                continue
            for f in _PARTY_FIELDS:
                value = party.get(f)
                if f"{side}.{f}" in opened_fields or not isinstance(value, str):
                    continue
                mark = {"name": "name", "id_number": "resident_id"}.get(f, f)
                placeholder = PLACEHOLDERS.get(mark, PLACEHOLDERS["number"])
                for v in {value.strip(), _SEPARATORS.sub("", value)}:
                    if len(v) >= 2:
                        out.setdefault(v, placeholder)
    place = record.get("occurred_place")
    if isinstance(place, str) and "occurred_place" not in opened_fields and len(place) >= 2:
        out.setdefault(place, PLACEHOLDERS["address"])
    return sorted(out.items(), key=lambda kv: len(kv[0]), reverse=True)


def _redact(text: str, own: Sequence[tuple[str, str]], keep: frozenset[str]) -> str:
    for value, mark in own:
        if value in text:
            text = text.replace(value, mark)
    spans = [(s.start, s.end, s.kind) for s in find_pii(text) if s.kind not in keep]
    if "name" not in keep:
        spans += [(s, e, "name") for s, e in ner.person_spans(text)]
    parts: list[str] = []
    pos = 0
    for start, end, kind in sorted(spans):
        if end <= pos:
            continue  # inside a span already replaced
        parts += [text[pos : max(pos, start)], PLACEHOLDERS[kind]]
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def _walk(value: Any, own: Sequence[tuple[str, str]], keep: frozenset[str]) -> Any:
    if isinstance(value, str):
        return _redact(value, own, keep)
    if isinstance(value, list):
        return [_walk(v, own, keep) for v in value]
    return value


def needs_name_model(fields: Sequence[str]) -> list[str]:
    """The free-text fields of a grant that may be released only with the name model:
    all of them when the grant does not open names, none when it does."""
    if "name" in _opened(fields):
        return []
    return [f for f in fields if f in FREE_TEXT]


def redact_granted(
    granted: Mapping[str, Any], record: Mapping[str, Any], fields: Sequence[str]
) -> dict[str, Any]:
    """``granted`` (grant field -> value, as projected from ``record``) with its free
    text redacted of what ``fields`` does not open."""
    opened = frozenset(fields)
    keep = _opened(fields)
    own = _own_values(record, opened)
    return {
        name: _walk(value, own, keep) if name in FREE_TEXT else value
        for name, value in granted.items()
    }
