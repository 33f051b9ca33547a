"""`hub import cases FILE`: historical and outside-channel cases, NDJSON (INTERFACE 12).

Refused lines are reported on stderr, one NDJSON line each; the summary is the last line
on stdout; exit 0 when no line was invalid, 1 otherwise. On a terminal a progress line
(count, rate, ETA) is kept on stderr.

With `--workers N` (default: 2 on PostgreSQL, 1 on SQLite, whose single writer gains
nothing from more) N processes read the file, each importing the lines whose Shanghai
`received_at` day falls to it (day number mod N): the day's number counter is the one row
importers would otherwise queue on, and days never cross processes.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import sys
import time
from collections.abc import Iterator
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


def _lines(stream: IO[bytes], worker: int, workers: int) -> Iterator[tuple[int, bytes]]:
    for number, line in enumerate(stream, start=1):
        if _share(line, workers) == worker:
            yield number, line


def _principal() -> Any:
    from hub.services.principal import Principal, Role

    return Principal(Role.ADMIN, None, "cli")


def _work(path: str, worker: int, workers: int, batch: int, out: Any) -> None:
    """One importing process: its share of the file; each batch's counts and reports to
    the parent through `out`."""
    try:
        from hub.bootstrap import bootstrap
        from hub.services.case_import import CaseImporter

        ctx = bootstrap(pool_size=2)
        importer = CaseImporter(ctx, _principal(), batch_size=batch)
        with open(path, "rb") as stream:
            for outcomes in importer.run(_lines(stream, worker, workers)):
                out.put(("batch", _counts(outcomes), [o.report() for o in outcomes if o.errors]))
        ctx.db.dispose()
        out.put(("done", worker))
    except BaseException as exc:  # the parent must hear of it, or it would wait forever
        out.put(("failed", f"{type(exc).__name__}: {exc}"))
        raise


def _counts(outcomes: list[Any]) -> dict[str, int]:
    counts = {"imported": 0, "duplicate": 0, "invalid": 0}
    for o in outcomes:
        counts[o.result] += 1
    return counts


class _Progress:
    """The terminal's progress line: count, rate and (for a file) the time still to go."""

    def __init__(self, total: int | None, stream: IO[str]) -> None:
        self.total, self.stream = total, stream
        self.live = stream.isatty()
        self.started = time.monotonic()
        self.shown = 0.0

    def update(self, done: int, force: bool = False) -> None:
        now = time.monotonic()
        if not self.live or (not force and now - self.shown < 0.5):
            return
        self.shown = now
        seconds = max(now - self.started, 1e-6)
        rate = done / seconds
        text = f"导入 imported {done:,}"
        if self.total:
            text += f"/{self.total:,}"
        text += f" · {rate:,.0f}/s"
        if self.total and rate > 0:
            text += f" · 剩余约 ETA {max(self.total - done, 0) / rate:,.0f} s"
        self.stream.write("\r\x1b[2K" + text)
        self.stream.flush()

    def clear(self) -> None:
        if self.live:
            self.stream.write("\r\x1b[2K")


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
    totals = {"imported": 0, "duplicate": 0, "invalid": 0}
    failed: str | None = None
    progress = _Progress(
        None if args.file == "-" or not sys.stderr.isatty() else _count_lines(args.file),
        sys.stderr,
    )

    def take(counts: dict[str, int], reports: list[dict[str, Any]]) -> None:
        for key, value in counts.items():
            totals[key] += value
        if reports:
            progress.clear()
            for report in reports:
                sys.stderr.write(json.dumps(report, ensure_ascii=False) + "\n")
        progress.update(sum(totals.values()))

    if workers == 1:
        from hub.bootstrap import bootstrap
        from hub.services.case_import import CaseImporter

        ctx = bootstrap(pool_size=2)
        importer = CaseImporter(ctx, _principal(), batch_size=args.batch)
        stream = sys.stdin.buffer if args.file == "-" else open(args.file, "rb")  # noqa: SIM115
        try:
            for outcomes in importer.run(_lines(stream, 0, 1)):
                take(_counts(outcomes), [o.report() for o in outcomes if o.errors])
        finally:
            if stream is not sys.stdin.buffer:
                stream.close()
            ctx.db.dispose()
    else:
        mp = multiprocessing.get_context("spawn")
        out: Any = mp.Queue()
        procs = [
            mp.Process(target=_work, args=(args.file, w, workers, args.batch, out))
            for w in range(workers)
        ]
        for p in procs:
            p.start()
        running = workers
        while running:
            message = out.get()
            if message[0] == "batch":
                take(message[1], message[2])
            elif message[0] == "done":
                running -= 1
            else:
                failed, running = message[1], running - 1
        for p in procs:
            p.join()
        if failed:
            progress.clear()
            print(f"导入中止 / import failed: {failed}", file=sys.stderr)
    _analyze()
    progress.update(sum(totals.values()), force=True)
    progress.clear()
    seconds = time.monotonic() - started
    lines = sum(totals.values())
    summary = {**totals, "seconds": round(seconds, 3), "rate": round(lines / seconds, 1)}
    print(json.dumps(summary), flush=True)
    if failed:
        return 2
    return 0 if totals["invalid"] == 0 else 1


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
    p.add_argument("file", metavar="FILE", help="NDJSON file of historical cases, one a line")
    p.add_argument("--workers", type=int, default=0, help="importing processes")
    p.add_argument("--batch", type=int, default=1000, help="lines per transaction")
    p.set_defaults(func=cmd_import_cases)
