"""Background threads that come back when they die (issue 12, item 1).

The hub's background loops (the SQLite WAL checkpointer, signed audit checkpoints, the token
last-use writer, the embedded relay and connectors, the scheduler) each catch what their
own work raises, but anything that escapes (a pool timeout before the `try`, a bug) used to
end the thread for good, silently: audit checkpoints stopped until a restart. Each now runs
under `Supervised`: when its loop raises, or returns before it was asked to stop, the
supervisor logs it (the exception's type and where, never its message, which may hold
personal values), counts it in `hub_background_restarts_total{thread}`, waits (1 s, then
doubling up to 60 s; back to 1 s after a minute of healthy running) and runs the loop again.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable

from prometheus_client import Counter

from hub.logsafety import get_logger

log = get_logger("hub.supervision")

RESTARTS = Counter(
    "hub_background_restarts_total",
    "Background threads restarted after they died",
    ["thread"],
)


def _where(exc: BaseException) -> str:
    """The innermost frame of a traceback, as file:line (no message, no values)."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "?"
    last = frames[-1]
    return f"{last.filename.rsplit('/', 1)[-1]}:{last.lineno}"


class Supervised:
    """Run `loop` in a daemon thread named `name` until `stop` is set, again whenever it dies."""

    def __init__(
        self,
        name: str,
        loop: Callable[[], object],
        stop: threading.Event,
        *,
        first_delay: float = 1.0,
        max_delay: float = 60.0,
        healthy_after: float = 60.0,
    ) -> None:
        self.name = name
        self.loop = loop
        self.stop_event = stop
        self.first_delay = first_delay
        self.max_delay = max_delay
        self.healthy_after = healthy_after
        self.restarts = 0
        self.thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> Supervised:
        self.thread.start()
        return self

    def join(self, timeout: float | None = None) -> None:
        self.thread.join(timeout)

    def is_alive(self) -> bool:
        return self.thread.is_alive()

    def _run(self) -> None:
        delay = self.first_delay
        while not self.stop_event.is_set():
            started = time.monotonic()
            try:
                self.loop()
                if self.stop_event.is_set():
                    return
                why = "returned before it was stopped"
            except Exception as exc:
                why = f"raised {type(exc).__name__} at {_where(exc)}"
            if time.monotonic() - started >= self.healthy_after:
                delay = self.first_delay
            self.restarts += 1
            RESTARTS.labels(self.name).inc()
            log.error(
                "后台线程 %s 异常退出（%s），%.0f 秒后重启 / background thread %s %s; "
                "restarting in %.0f s",
                self.name,
                why,
                delay,
                self.name,
                why,
                delay,
            )
            if self.stop_event.wait(delay):
                return
            delay = min(delay * 2, self.max_delay)


__all__ = ["RESTARTS", "Supervised"]
