"""Reads at volume (issue 15): import N historical cases spread over a year with
`hub import cases`, then time every read the operators and the data bureau make against
`hub serve`, and the hub's peak memory.

    .venv/bin/python benchmarks/reads_volume.py --db postgresql --cases 1000000
    .venv/bin/python benchmarks/reads_volume.py --db sqlite --cases 100000 --repeat 10
    .venv/bin/python benchmarks/reads_volume.py --seed-sql --cases 5000000
    .venv/bin/python benchmarks/reads_volume.py --seed-sql --db sqlite --keep-db /work/tmp/s1m

`--seed-sql` writes the cases by SQL instead of importing them (benchmarks/seed_sql.py):
label its figures "seeded by SQL, not imported".

Prints the import rate (lines/s of the whole `hub import cases` run) and, for each read,
p50 and p99 over `--repeat` calls one after another, then the serving process's peak RSS
(VmHWM). (The issue's single-record audited read benchmark is `benchmarks/reads.py`.)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent))
from cases_file import write
from intake import HUB, drop_database, prepare, run, start_hub


def _reads(today: datetime) -> list[tuple[str, str, str]]:
    """(name, token role, path) of every read timed."""

    def day(n: int) -> str:
        return (today - timedelta(days=n)).date().isoformat()

    to = today.date().isoformat()
    return [
        (
            "stats by institution, 30 days",
            "admin",
            f"/v1/stats?by=institution&from={day(29)}&to={to}",
        ),
        ("stats by district, 120 days", "admin", f"/v1/stats?by=district&from={day(119)}&to={to}"),
        ("stats by unit, a year", "admin", f"/v1/stats?by=unit&from={day(364)}&to={to}"),
        (
            "stats by category, a year, CSV",
            "admin",
            f"/v1/stats?by=category&from={day(364)}&to={to}&format=csv",
        ),
        (
            "stats by institution, 30 days, unit sfj",
            "unit",
            f"/v1/stats?by=institution&from={day(29)}&to={to}",
        ),
        ("alerts (first page)", "admin", "/v1/alerts"),
        ("alerts (first page), unit xbw", "unit xbw", "/v1/alerts"),
        (
            "shared aggregates, 12 months x district",
            "databureau",
            "/v1/shared/aggregates?by=month,district",
        ),
        ("case list, accepted, 50", "admin", "/v1/applications?status=accepted&limit=50"),
        ("case list, overdue, 50", "admin", "/v1/applications?overdue=true&limit=50"),
    ]


def _get(port: int, token: str, path: str) -> tuple[float, int, int]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Authorization": f"Bearer {token}"}
    )
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=600) as answer:
            body = answer.read()
            status = answer.status
    except urllib.error.HTTPError as exc:
        body, status = exc.read(), exc.code
    return time.perf_counter() - start, status, len(body)


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _import(env: dict[str, str], db: str, path: Path, workers: int) -> None:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    imported = subprocess.run(
        [HUB, "import", "cases", str(path), "--workers", str(workers)],
        env=env,
        capture_output=True,
        text=True,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    summary = json.loads(imported.stdout.strip().splitlines()[-1])
    print(f"import ({db}, {workers} worker(s)): {json.dumps(summary)}", flush=True)
    print(
        f"import rate: {summary['imported'] / summary['seconds']:,.0f} cases/s "
        f"({summary['imported']:,} cases, whole run {summary['seconds']:,.0f} s, "
        f"{db}, {workers} worker(s), load average {os.getloadavg()[0]:.1f}); the hub's "
        f"process CPU {cpu / max(summary['imported'], 1) * 1000:.2f} ms a case (getrusage, "
        "startup included; the database server's own CPU not counted)",
        flush=True,
    )


def bench(
    db: str,
    cases: int,
    repeat: int,
    workers: int,
    keep: Path | None,
    import_only: bool,
    seed_sql: bool = False,
    keep_db: Path | None = None,
    only: str = "",
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        kept = keep_db / "env.json" if keep_db is not None else None
        reused = kept is not None and kept.exists()
        if kept is not None and reused:  # seeded by an earlier run: read it again
            saved = json.loads(kept.read_text())
            env, dropped = {**os.environ, **saved["env"]}, None
            now = datetime.fromisoformat(saved["now"])
            print(f"reusing {saved['env']['HUB_DATABASE_URL']} (seeded at {now})", flush=True)
        else:
            if keep_db is not None:
                keep_db.mkdir(parents=True, exist_ok=True)
            name = f"hub_bench_{keep_db.name}" if keep_db is not None else None
            env, dropped = prepare(db, keep_db or Path(tmp), name)
            now = datetime.now(UTC)
        try:
            path = keep if keep is not None else Path(tmp) / "cases.ndjson"
            if reused:
                pass
            elif seed_sql:
                from seed_sql import seed

                seed(env["HUB_DATABASE_URL"], cases, now)
            elif not path.exists():
                started = time.monotonic()
                write(path, cases, now)
                print(f"file: {cases:,} cases in {time.monotonic() - started:.0f} s", flush=True)
            if reused:
                pass
            elif kept is not None:
                if not seed_sql:
                    _import(env, db, path, workers)
                hub_env = {k: v for k, v in env.items() if k.startswith("HUB_")}
                kept.write_text(json.dumps({"env": hub_env, "now": now.isoformat()}))
                dropped = None  # kept for the next run: drop it by hand
            elif not seed_sql:
                _import(env, db, path, workers)
            if import_only:
                return
            tokens = {
                "admin": run([HUB, "token", "issue", "--role", "admin"], env),
                "unit": run([HUB, "token", "issue", "--role", "unit", "--party", "sfj"], env),
                "unit xbw": run([HUB, "token", "issue", "--role", "unit", "--party", "xbw"], env),
                "databureau": run([HUB, "token", "issue", "--role", "databureau"], env),
            }
            port, server = start_hub(env, 1)
            print(f"hub serve RSS before the reads: {_peak_rss_mb(server.pid):.0f} MB peak")
            try:
                print(
                    f"{'read':45} {'p50 ms':>9} {'p99 ms':>9} {'bytes':>9} {'peak MB':>8}"
                    "  load  status"
                )
                for name, role, url in _reads(now):
                    if only and only not in name:
                        continue
                    times, sizes, statuses = [], [], set()
                    for _ in range(repeat):
                        seconds, status, size = _get(port, tokens[role], url)
                        times.append(seconds * 1000)
                        sizes.append(size)
                        statuses.add(status)
                    times.sort()
                    p99 = times[min(len(times) - 1, int(0.99 * len(times)))]
                    # the serving process's peak RSS so far: which read raised it
                    print(
                        f"{name:45} {statistics.median(times):9.1f} {p99:9.1f} "
                        f"{max(sizes):9,} {_peak_rss_mb(server.pid):8.0f}  "
                        f"{os.getloadavg()[0]:4.1f}  {sorted(statuses)}",
                        flush=True,
                    )
                print(f"hub serve peak RSS: {_peak_rss_mb(server.pid):.0f} MB")
            finally:
                server.terminate()
                server.wait(timeout=30)
        finally:
            drop_database(dropped)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--workers", type=int, default=0, help="import processes")
    parser.add_argument(
        "--file",
        type=Path,
        default=None,
        help="keep the generated cases here (reused if it exists)",
    )
    parser.add_argument(
        "--keep-db",
        type=Path,
        default=None,
        help="keep the database (and its keys, in this directory) for later runs; "
        "reused if it holds one (drop it by hand when done)",
    )
    parser.add_argument("--only", default="", help="time only the reads whose name has this")
    parser.add_argument("--import-only", action="store_true", help="time the import alone")
    parser.add_argument(
        "--seed-sql",
        action="store_true",
        help="write the cases by SQL (seeded, NOT imported; benchmarks/seed_sql.py)",
    )
    args = parser.parse_args()
    workers = args.workers or (2 if args.db == "postgresql" else 1)
    bench(
        args.db,
        args.cases,
        args.repeat,
        workers,
        args.file,
        args.import_only,
        args.seed_sql,
        args.keep_db,
        args.only,
    )


if __name__ == "__main__":
    main()
