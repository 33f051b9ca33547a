"""Progress lines of long operator commands (audit verify, registry load, key rotation):
at most one line every few seconds on stderr, so stdout keeps the summary alone."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressLine:
    def __init__(
        self, what: str, total: int | None = None, *, every: float = 2.0, out: TextIO | None = None
    ) -> None:
        self.what = what
        self.total = total
        self.every = every
        self.out = out or sys.stderr
        self.started = time.monotonic()
        self._last = self.started

    def __call__(self, done: int, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < self.every:
            return
        self._last = now
        rate = done / max(now - self.started, 1e-9)
        of = f"/{self.total}" if self.total is not None else ""
        print(f"… {self.what}: {done}{of} ({rate:,.0f}/s)", file=self.out, flush=True)
