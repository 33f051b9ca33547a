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


_CAPITALISED = re.compile("[A-Z][a-z]")
_LATIN_RUN = re.compile(r"[ -~\u2019\uff0c\uff1a\u3001]*")


def latin_stretches(text: str) -> list[tuple[int, int]]:
    """The stretches of `text` written in Latin letters around each capitalised word (ASCII
    characters and the commas and colons typed between them), with the two characters
    before each: where the detectors of names and addresses in Latin letters need to look
    in a long Chinese text."""
    out: list[tuple[int, int]] = []
    m = _CAPITALISED.search(text)
    while m is not None:
        start = m.start()
        while start > 0 and " " <= text[start - 1] <= "~":
            start -= 1
        run = _LATIN_RUN.match(text, m.start())
        end = run.end() if run is not None else m.end()
        start = max(0, start - 2)
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
        m = _CAPITALISED.search(text, end + 1)
    return out
