"""Process CPU of intake (issue 13's floors on a busy machine).

`benchmarks/intake.py`'s phases, with its own functions (2 s warm-up, a closed loop with
128 connections, an open loop at a steady 200/s), and the CPU of `hub serve` and its
worker processes (and, on PostgreSQL, of the benchmark database's backends) read from
`/proc` before and after the closed loop. The CPU an application does not depend on how
much of the two cores other work leaves the hub, as the rates do.

    HUB_BACKGROUND_OFF=embedded,scheduler .venv/bin/python benchmarks/intake_cpu.py \
        [--db sqlite|postgresql] [--workers 2] [--seconds 10]

With delivery in the hub (the embedded default: `--db sqlite --workers 1` without
HUB_BACKGROUND_OFF) it also prints the CPU end to end: from the closed loop's start until
the outbox is empty again (relay and connectors included), and of the steady round until
its outbox is empty.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import tempfile
import time
from pathlib import Path

import intake
from loadgen import closed_loop, open_loop

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of one process so far (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def process_tree(pid: int) -> list[int]:
    found = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in children:
            found += process_tree(int(child))
    return found


def backends(database: str | None) -> list[int]:
    """PostgreSQL backends of the benchmark's database (their titles name it)."""
    if not database:
        return []
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if database.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def snapshot(server: int, database: str | None) -> tuple[dict[int, float], dict[int, float]]:
    hub = {pid: cpu_seconds(pid) for pid in process_tree(server)}
    return hub, {pid: cpu_seconds(pid) for pid in backends(database)}


def spent(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(value - before.get(pid, 0.0) for pid, value in after.items())


def load() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


def bench(db: str, workers: int, seconds: float, connections: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env, database = intake.prepare(db, Path(tmp))
        token = intake.run(
            [intake.HUB, "token", "issue", "--role", "portal", "--party", "portal"], env
        )
        port, server = intake.start_hub(env, workers)
        try:
            bodies = intake.payloads()
            counter = itertools.count()

            def payload() -> bytes:
                return bodies[next(counter) % len(bodies)]

            headers = {"Authorization": f"Bearer {token}"}
            path = "/v1/applications"
            load_before = load()
            warm = asyncio.run(
                closed_loop("127.0.0.1", port, path, payload, headers, connections=8, seconds=2)
            )
            first, wall, own = snapshot(server.pid, database), time.monotonic(), time.process_time()
            peak = asyncio.run(
                closed_loop(
                    "127.0.0.1",
                    port,
                    path,
                    payload,
                    headers,
                    connections=connections,
                    seconds=seconds,
                )
            )
            last = snapshot(server.pid, database)
            wall, own = time.monotonic() - wall, time.process_time() - own
            # With delivery in the process, what the closed loop published is still being
            # delivered: the CPU until the outbox is empty belongs to those applications.
            waited = intake.drained(env["HUB_DATABASE_URL"])
            drain = snapshot(server.pid, database)
            steady = asyncio.run(
                open_loop("127.0.0.1", port, path, payload, headers, rate=200, seconds=seconds)
            )
            calm_wait = intake.drained(env["HUB_DATABASE_URL"])
            calm = snapshot(server.pid, database)
            answered = max(peak.statuses.get(201, 0), 1)
            hub, backend = spent(first[0], last[0]), spent(first[1], last[1])
            share = 1 if workers == 1 else 2  # one process runs on one core at most
            print(f"[{db}, {workers} worker(s), load {load_before} -> {load()}]")
            print(f"  sustained: {peak.summary()}")
            print(f"  steady 200/s: {steady.summary()}")
            print(
                f"  CPU in the closed loop ({wall:.1f} s): hub {hub:.2f} s, database backends"
                f" {backend:.2f} s, load generator {own:.2f} s; an application"
                f" {1e6 * hub / answered:.0f} µs hub + {1e6 * backend / answered:.0f} µs database;"
                f" {share} core(s) would allow {share * answered / (hub + backend):.0f}/s;"
                f" cores the hub got {(hub + backend) / wall:.2f}"
            )
            if waited is not None and calm_wait is not None:
                through = spent(first[0], drain[0]) + spent(first[1], drain[1])
                at_200 = spent(drain[0], calm[0]) + spent(drain[1], calm[1])
                print(
                    f"  end to end (delivery in the process): the closed loop's applications"
                    f" {1e6 * through / answered:.0f} µs each until the outbox was empty"
                    f" ({waited:.1f} s after it), so {share * answered / through:.0f}/s on"
                    f" {share} core(s); at a steady 200/s"
                    f" {1e6 * at_200 / max(steady.statuses.get(201, 0), 1):.0f} µs each"
                )
        finally:
            server.terminate()
            server.wait(timeout=20)
        try:
            total = sum(r.statuses.get(201, 0) for r in (warm, peak, steady))
            print(f"  durability: {intake.stored(env['HUB_DATABASE_URL'], total)}")
        finally:
            intake.drop_database(database)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=128)
    args = parser.parse_args()
    for db in args.db.split(","):
        bench(db, args.workers, args.seconds, args.connections)


if __name__ == "__main__":
    main()
