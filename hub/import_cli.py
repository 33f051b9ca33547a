"""`hub import cases FILE`: historical and outside-channel cases, NDJSON (INTERFACE 12).

Refused lines are reported on stderr, one NDJSON line each; the summary is the last line
on stdout; exit 0 when no line was invalid, 1 otherwise. Empty lines are skipped and
counted as `blank` in the summary. A file whose first non-blank line is not a JSON object
(a JSON array, CSV, gzip) is refused at once with that line (exit 2). On a terminal a
progress line (lines checked, rate, ETA) is kept on stderr, redrawn every second or 100
lines.

With `--workers N` (default: 2 on PostgreSQL, 1 on SQLite, whose single writer gains
nothing from more) N processes read the file, each importing the lines whose Shanghai
`received_at` day falls to it (day number mod N): the day's number counter is the one row
importers would otherwise queue on, and days never cross processes.
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import IO, Any

from hub.config import Settings

_RECEIVED_AT = re.compile(rb'"received_at"\s*:\s*"([^"]{10,40})"')


def _share(line: bytes, workers: int) -> int:
    """The worker a line belongs to: by the Shanghai day of its `received_at`."""
    if workers == 1:
        return 0
    from hub.domain.numbering import business_day

    found = _RECEIVED_AT.search(line)
    if found is None:
        return 0
    try:
        moment = datetime.fromisoformat(found.group(1).decode().replace("Z", "+00:00"))
        return business_day(moment).toordinal() % workers if moment.tzinfo else 0
    except ValueError:
        return 0


def _lines(
    stream: IO[bytes], worker: int, workers: int, blank: list[int]
) -> Iterator[tuple[int, bytes]]:
    """The worker's share of the lines; blank lines are counted in `blank[0]` (worker 0's)."""
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            blank[0] += worker == 0
        elif _share(line, workers) == worker:
            yield number, line


def _refusal(stream: IO[bytes]) -> str | None:
    """Why the file is not NDJSON, from its first non-blank line (None: it may be)."""
    from hub.services.case_import import not_ndjson

    for line in stream:
        if line.strip():
            return not_ndjson(line)
    return None


def _throttled(send: Callable[[int], None]) -> Callable[[int], None]:
    """`send` at most every 100 lines or every second, whichever comes first."""
    last = [0, time.monotonic()]

    def checked(count: int) -> None:
        now = time.monotonic()
        if count - last[0] >= 100 or now - last[1] >= 1.0:
            last[:] = [count, now]
            send(count)

    return checked


def _principal() -> Any:
    from hub.services.principal import Principal, Role

    return Principal(Role.ADMIN, None, "cli")


def _work(path: str, worker: int, workers: int, batch: int, out: Any, verbose: bool) -> None:
    """One importing process: its share of the file; each batch's counts and reports, and
    the lines checked so far, to the parent through `out`."""
    try:
        from hub import import_runs
        from hub.bootstrap import bootstrap
        from hub.cli import configure_logging
        from hub.logsafety import install
        from hub.services.case_import import CaseImporter

        # A spawned process starts with bare logging: the hub's format and scrubber, as `hub`
        configure_logging(verbose)
        install()
        ctx = bootstrap(pool_size=2)
        on_checked = _throttled(lambda n: out.put(("checked", worker, n)))
        importer = CaseImporter(ctx, _principal(), batch_size=batch, on_checked=on_checked)
        blank = [0]
        with open(path, "rb") as stream:
            for outcomes in import_runs.run(importer, _lines(stream, worker, workers, blank)):
                out.put(("batch", _counts(outcomes), [o.report() for o in outcomes if o.errors]))
        ctx.db.dispose()
        out.put(("done", worker, blank[0]))
    except BaseException as exc:  # the parent must hear of it, or it would wait forever
        out.put(("failed", f"{type(exc).__name__}: {exc}"))
        raise


def _counts(outcomes: list[Any]) -> dict[str, int]:
    counts = {"imported": 0, "duplicate": 0, "invalid": 0}
    for o in outcomes:
        counts[o.result] += 1
    return counts


class _Progress:
    """The terminal's progress line: lines checked, rate and (for a file) the time still to
    go; redrawn every 100 lines and, by a thread, every second (a batch's write is long)."""

    def __init__(self, total: int | None, stream: IO[str]) -> None:
        self.total, self.stream = total, stream
        self.live = stream.isatty()
        self.started = time.monotonic()
        self.done = self.drawn = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None
        if self.live:
            self._ticker = threading.Thread(target=self._tick, daemon=True)
            self._ticker.start()

    def _tick(self) -> None:
        while not self._stop.wait(1.0):
            self.draw()

    def update(self, done: int) -> None:
        self.done = max(self.done, done)
        if self.done - self.drawn >= 100:
            self.draw()

    def draw(self) -> None:
        if not self.live:
            return
        with self._lock:
            self._draw()

    def _draw(self) -> None:
        done = self.drawn = self.done
        rate = done / max(time.monotonic() - self.started, 1e-6)
        text = f"已检查 checked {done:,}"
        if self.total:
            text += f"/{self.total:,}"
        text += f" · {rate:,.0f}/s"
        if self.total and rate > 0:
            text += f" · 剩余约 ETA {max(self.total - done, 0) / rate:,.0f} s"
        self.stream.write("\r\x1b[2K" + text)
        self.stream.flush()

    def say(self, lines: list[str]) -> None:
        """Lines of their own on the stream, the progress line kept below them."""
        with self._lock:
            if self.live:
                self.stream.write("\r\x1b[2K")
            for line in lines:
                self.stream.write(line + "\n")
            if self.live:
                self._draw()

    def close(self) -> None:
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
        if self.live:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()


def _count_lines(path: str) -> int:
    with open(path, "rb") as f:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))


def _default_workers() -> int:
    url = Settings.from_env().database_url
    return 2 if url.startswith("postgresql") else 1


def cmd_import_cases(args: argparse.Namespace) -> int:
    started = time.monotonic()
    workers = args.workers or _default_workers()
    if args.file == "-":
        workers = 1  # stdin is read once
    elif not os.path.isfile(args.file):
        print(f"没有这个文件 / no such file: {args.file}", file=sys.stderr)
        return 2
    else:
        with open(args.file, "rb") as head:
            refusal = _refusal(head)
        if refusal:
            print(refusal, file=sys.stderr)
            return 2
    totals = {"imported": 0, "duplicate": 0, "invalid": 0, "blank": 0}
    failed: str | None = None
    progress = _Progress(
        None if args.file == "-" or not sys.stderr.isatty() else _count_lines(args.file),
        sys.stderr,
    )
    checked: dict[int, int] = {}  # lines checked so far, by worker

    def take(counts: dict[str, int], reports: list[dict[str, Any]]) -> None:
        for key, value in counts.items():
            totals[key] += value
        if reports:
            progress.say([json.dumps(report, ensure_ascii=False) for report in reports])

    def tell(worker: int, count: int) -> None:
        checked[worker] = count
        progress.update(sum(checked.values()))

    try:
        if workers == 1:
            failed = _in_this_process(args, take, lambda n: tell(0, n), totals)
        else:
            from hub.cli import logging_verbose

            verbose = logging_verbose()
            mp = multiprocessing.get_context("spawn")
            out: Any = mp.Queue()
            procs = [
                mp.Process(target=_work, args=(args.file, w, workers, args.batch, out, verbose))
                for w in range(workers)
            ]
            for p in procs:
                p.start()
            running = workers
            while running:
                message = out.get()
                if message[0] == "batch":
                    take(message[1], message[2])
                elif message[0] == "checked":
                    tell(message[1], message[2])
                elif message[0] == "done":
                    totals["blank"] += message[2]
                    running -= 1
                else:
                    failed, running = message[1], running - 1
            for p in procs:
                p.join()
    finally:
        progress.close()
    if failed == "not NDJSON":
        return 2
    if failed:
        print(f"导入中止 / import failed: {failed}", file=sys.stderr)
    _analyze()
    seconds = time.monotonic() - started
    lines = sum(totals.values())
    summary = {**totals, "seconds": round(seconds, 3), "rate": round(lines / seconds, 1)}
    print(json.dumps(summary), flush=True)
    if failed:
        return 2
    return 0 if totals["invalid"] == 0 else 1


def _in_this_process(
    args: argparse.Namespace,
    take: Callable[[dict[str, int], list[dict[str, Any]]], None],
    tell: Callable[[int], None],
    totals: dict[str, int],
) -> str | None:
    """The import in one process (SQLite, stdin, --workers 1); "not NDJSON" when stdin
    was refused."""
    from hub import import_runs
    from hub.bootstrap import bootstrap
    from hub.services.case_import import CaseImporter, not_ndjson

    stream = sys.stdin.buffer if args.file == "-" else open(args.file, "rb")  # noqa: SIM115
    blank = [0]
    try:
        lines = _lines(stream, 0, 1, blank)
        first = next(lines, None)
        if first is not None and args.file == "-" and (refusal := not_ndjson(first[1])):
            print(refusal, file=sys.stderr)
            return "not NDJSON"
        ctx = bootstrap(pool_size=2)
        importer = CaseImporter(ctx, _principal(), batch_size=args.batch, on_checked=tell)
        try:
            rest = itertools.chain([first] if first else [], lines)
            for outcomes in import_runs.run(importer, rest):
                take(_counts(outcomes), [o.report() for o in outcomes if o.errors])
        finally:
            ctx.db.dispose()
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    totals["blank"] += blank[0]
    return None


def _analyze() -> None:
    """Fresh planner statistics for the tables an import fills (PostgreSQL): a large import
    changes their sizes by orders of magnitude, and the reads' plans depend on it."""
    from hub.bootstrap import bootstrap
    from hub.store.imports import analyze_imported

    ctx = bootstrap(pool_size=1)
    try:
        analyze_imported(ctx.db.engine)
    finally:
        ctx.db.dispose()


def register(sub: Any) -> None:
    imp = sub.add_parser("import", help="import historical cases (NDJSON)").add_subparsers(
        dest="import_command", required=True
    )
    p = imp.add_parser("cases", help="import cases from an NDJSON file ('-': stdin)")
    p.add_argument(
        "file",
        metavar="FILE",
        help="NDJSON file of historical cases, one JSON object a line; empty lines are "
        "skipped and counted as `blank`; a file that is not NDJSON is refused at once",
    )
    p.add_argument("--workers", type=int, default=0, help="importing processes")
    p.add_argument("--batch", type=int, default=1000, help="lines per transaction")
    p.set_defaults(func=cmd_import_cases)
