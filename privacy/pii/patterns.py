"""What the detectors of every topic share: the types of a candidate span and of a
detector, the two detector shapes that only run a pattern (:func:`simple`, :func:`cued`),
and the range of the CJK unified ideographs.

A detector appends ``(start, end, kind)`` candidates found in one view of the text to a
list; :mod:`privacy.pii.spans` runs them and resolves overlaps. Each topic module
(identifiers, dates and amounts, addresses, names) lists its detectors in ``DETECTORS``
with the view it reads, the characters that trigger it and the gate it waits for.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Candidate = tuple[int, int, str]
Detector = Callable[[str, list[Candidate]], None]
#: (view, trigger characters, gate, detector); see :mod:`privacy.pii.spans` for what
#: views and gates are. An empty trigger runs the detector on every text.
DetectorEntry = tuple[str, str, str, Detector]

#: Texts this long run every detector and name pattern without looking for their triggers.
LONG_TEXT = 4096

HAN = r"\u4e00-\u9fff"


def han_except(chars: str) -> str:
    """A character class of the CJK unified ideographs minus ``chars`` (as ranges, so
    the regex engine tests it in one step)."""
    excluded = sorted({ord(c) for c in chars if "\u4e00" <= c <= "\u9fff"})
    ranges: list[str] = []
    lo = 0x4E00
    for cp in [*excluded, 0xA000]:
        if cp > lo:
            ranges.append(f"{chr(lo)}-{chr(cp - 1)}" if cp - 1 > lo else chr(lo))
        lo = cp + 1
    return "[" + "".join(ranges) + "]"


def cued(pattern: re.Pattern[str], kind: str) -> Detector:
    """A detector taking group 1 of each match of `pattern`: the value after its cue."""
    finditer = pattern.finditer

    def detect(text: str, out: list[Candidate]) -> None:
        out.extend((m.start(1), m.end(1), kind) for m in finditer(text))

    return detect


def simple(pattern: re.Pattern[str], kind: str) -> Detector:
    """A detector taking each whole match of `pattern`."""
    finditer = pattern.finditer

    def detect(text: str, out: list[Candidate]) -> None:
        out.extend((m.start(), m.end(), kind) for m in finditer(text))

    return detect
