"""Read benchmark (issue 12, audited reads): `GET /v1/applications/{no}` against `hub serve`.

Each read of a case record writes a `record.read` audit entry on the case's chain before it
answers (hub.services.disclosures), so a read is a write transaction too. This measures what
that costs: run it against the build before that change and after, interleaved, e.g.

    PYTHONPATH=/path/to/old/checkout .venv/bin/python benchmarks/reads.py --db sqlite
    .venv/bin/python benchmarks/reads.py --db sqlite

(the hub processes import the hub from PYTHONPATH). It seeds `--cases` applications, then
reads them in turn with an admin token, `--connections` in flight, for `--seconds`, and
prints reads per second and p50/p99 latency.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import sys
import tempfile
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent))
from intake import HUB, drop_database, payloads, prepare, run, start_hub
from loadgen import Connection, closed_loop


async def seed(port: int, token: str, n: int) -> list[str]:
    bodies = payloads()
    conn = Connection("127.0.0.1", port)
    await conn.open()
    numbers = []
    try:
        for i in range(n):
            status = await conn.post(
                "/v1/applications", bodies[i % len(bodies)], {"Authorization": f"Bearer {token}"}
            )
            assert status == 201, (status, conn.body[:200])
            numbers.append(json.loads(conn.body)["application_no"])
    finally:
        conn.close()
    return numbers


def bench(db: str, seconds: float, workers: int, connections: int, cases: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env, dropped = prepare(db, Path(tmp))
        portal = run([HUB, "token", "issue", "--role", "portal", "--party", "portal"], env)
        admin = run([HUB, "token", "issue", "--role", "admin"], env)
        port, server = start_hub(env, workers)
        try:
            numbers = asyncio.run(seed(port, portal, cases))
            turn = itertools.cycle(numbers)

            def path() -> str:
                return f"/v1/applications/{next(turn)}"

            headers = {"Authorization": f"Bearer {admin}"}
            asyncio.run(
                closed_loop(
                    "127.0.0.1",
                    port,
                    path,
                    lambda: b"",
                    headers,
                    connections=8,
                    seconds=2,
                    method="GET",
                )
            )
            result = asyncio.run(
                closed_loop(
                    "127.0.0.1",
                    port,
                    path,
                    lambda: b"",
                    headers,
                    connections=connections,
                    seconds=seconds,
                    method="GET",
                )
            )
            print(f"[{db}, {workers} worker(s)] reads of case records: {result.summary()}")
        finally:
            server.terminate()
            server.wait(timeout=20)
            drop_database(dropped)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--cases", type=int, default=200)
    args = parser.parse_args()
    for db in args.db.split(","):
        bench(db, args.seconds, args.workers, args.connections, args.cases)


if __name__ == "__main__":
    main()
