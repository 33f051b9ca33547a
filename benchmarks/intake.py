"""Intake benchmark (issue 2): `hub serve` in its own process, driven over HTTP.

Prints sustained applications per second (closed loop) and p50/p99 latency at a steady
200/s (open loop), on SQLite and on PostgreSQL. Every answered application is committed
(SQLite: WAL with synchronous=FULL; PostgreSQL: synchronous_commit as configured, default on);
after each run the benchmark counts the applications in the database and checks that there
is one per 201 answer, numbered 1..N with no gap.

The hub runs as production would on this 2-core machine: `hub serve --workers 2`, one
process per core (on SQLite they queue for the one writer on a file lock), with the relay
and the scheduler left out (HUB_BACKGROUND_OFF=embedded,scheduler). 128 connections keep
the pipeline full: with 32, each connection waits out a whole batch and throughput is
bounded by connections / latency rather than by the hub.

    .venv/bin/python benchmarks/intake.py [--seconds 20] [--db sqlite,postgresql]
        [--workers 2] [--connections 128]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import itertools
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent))
from loadgen import Result, closed_loop, open_loop

ROOT = Path(__file__).resolve().parent.parent
HUB = str(ROOT / ".venv" / "bin" / "hub")
PG_ADMIN = os.environ.get("HUB_BENCH_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")

BODY = {
    "channel": "online",
    "category": "consumer",
    "district": "310104",
    "applicants": [
        {
            "kind": "person",
            "name": "张三",
            "id_type": "resident_id",
            "id_number": "11010519491231002X",
            "phone": "13800138000",
        }
    ],
    "respondents": [
        {
            "kind": "organization",
            "name": "上海某某健身有限公司",
            "id_type": "uscc",
            "id_number": "91350100M000100Y43",
            "phone": "021-62345678",
        }
    ],
    "facts": "本人于2026年9月在被申请人处办理健身年卡，现门店停业无法继续消费。",
    "claims": "退还剩余会员费",
    "amount": "3000.00",
    "occurred_on": "2026-11-01",
    "occurred_place": "徐汇区漕溪北路1号",
}


CATEGORIES = ("consumer", "neighbor", "family", "labor", "property_management", "traffic")
DISTRICTS = (
    "310101",
    "310104",
    "310105",
    "310106",
    "310107",
    "310109",
    "310110",
    "310112",
    "310113",
    "310114",
    "310115",
    "310116",
    "310117",
    "310118",
    "310120",
    "310151",
)


def payloads() -> list[bytes]:
    """A mix of categories and districts, so cases spread over the registry as in life."""
    out = []
    for category in CATEGORIES:
        for district in DISTRICTS:
            out.append(
                json.dumps(
                    {**BODY, "category": category, "district": district}, ensure_ascii=False
                ).encode()
            )
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def run(cmd: list[str], env: dict[str, str]) -> str:
    return subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout.strip()


def prepare(db: str, workdir: Path, name: str | None = None) -> tuple[dict[str, str], str | None]:
    env = {
        **os.environ,
        "HUB_DATA_DIR": str(workdir),
        "HUB_KEYS": f"b1:{key()}",
        "HUB_ACTIVE_KEY": "b1",
        "HUB_BLIND_INDEX_KEY": key(),
        "HUB_PSEUDONYM_KEY": key(),
        "HUB_AUDIT_KEY": key(),
        "HUB_SIGNING_KEY": key(),
    }
    env.pop("HUB_KEYS_FILE", None)
    dropped = None
    if db == "postgresql":
        import psycopg

        name = name or f"hub_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        env["HUB_DATABASE_URL"] = PG_ADMIN.rsplit("/", 1)[0] + "/" + name
        dropped = name
    else:
        env["HUB_DATABASE_URL"] = f"sqlite:///{workdir / 'bench.db'}"
    run([HUB, "db", "upgrade"], env)
    run([HUB, "registry", "load", str(ROOT / "deploy" / "registry" / "demo.yaml")], env)
    return env, dropped


def wait_ready(port: int, timeout: float = 120) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("hub serve did not start")


def start_hub(env: dict[str, str], workers: int) -> tuple[int, subprocess.Popen[bytes]]:
    """`hub serve --workers N` on a free port, answering /healthz: (port, process)."""
    port = free_port()
    server = subprocess.Popen(
        [HUB, "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_ready(port)
    return port, server


def drop_database(name: str | None) -> None:
    if name:
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def bench(db: str, seconds: float, workers: int, connections: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env, dropped = prepare(db, Path(tmp))
        token = run([HUB, "token", "issue", "--role", "portal", "--party", "portal"], env)
        port, server = start_hub(env, workers)
        try:
            bodies = payloads()
            counter = itertools.count()

            def payload() -> bytes:
                return bodies[next(counter) % len(bodies)]

            headers = {"Authorization": f"Bearer {token}"}
            warm = asyncio.run(
                closed_loop(
                    "127.0.0.1",
                    port,
                    "/v1/applications",
                    payload,
                    headers,
                    connections=8,
                    seconds=2,
                )
            )
            peak = asyncio.run(
                closed_loop(
                    "127.0.0.1",
                    port,
                    "/v1/applications",
                    payload,
                    headers,
                    connections=connections,
                    seconds=seconds,
                )
            )

            def steady_round() -> Result:
                return asyncio.run(
                    open_loop(
                        "127.0.0.1",
                        port,
                        "/v1/applications",
                        payload,
                        headers,
                        rate=200,
                        seconds=seconds,
                    )
                )

            steady = steady_round()
            rounds = [warm, peak, steady]
            print(f"[{db}, {workers} worker(s)] warm-up: {warm.rate:.0f}/s")
            print(f"[{db}] sustained (closed loop, {connections} connections): {peak.summary()}")
            print(f"[{db}] steady 200/s (open loop, right after): {steady.summary()}")
            # With delivery in the process (the embedded default), the sustained round leaves
            # a backlog of messages that delivery works off during the round above; a second
            # round once the outbox is empty measures the steady state itself.
            waited = drained(env["HUB_DATABASE_URL"])
            if waited is not None:
                calm = steady_round()
                print(f"[{db}] outbox drained in {waited:.1f} s")
                print(f"[{db}] steady 200/s (open loop, outbox drained): {calm.summary()}")
                rounds.append(calm)
        finally:
            server.terminate()
            server.wait(timeout=20)
        try:
            answered = sum(r.statuses.get(201, 0) for r in rounds)
            print(f"[{db}] durability: {stored(env['HUB_DATABASE_URL'], answered)}")
        finally:
            drop_database(dropped)


def drained(url: str, timeout: float = 120) -> float | None:
    """Seconds until nothing is pending in the outbox, or None when no delivery runs in
    the hub (HUB_BACKGROUND_OFF names `embedded`) or it does not drain within `timeout`."""
    if "embedded" in os.environ.get("HUB_BACKGROUND_OFF", ""):
        return None
    from sqlalchemy import create_engine, text

    if url.startswith("postgresql://"):
        url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(url)
    started = time.monotonic()
    try:
        while time.monotonic() - started < timeout:
            with engine.connect() as conn:
                if not conn.execute(text("SELECT count(*) FROM outbox_pending")).scalar():
                    return time.monotonic() - started
            time.sleep(0.5)
    finally:
        engine.dispose()
    return None


def stored(url: str, answered: int) -> str:
    """Read back from the database (after the hub stopped) what the 201 answers promised."""
    from sqlalchemy import create_engine, text

    if url.startswith("postgresql://"):
        url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            count, top, days = conn.execute(
                text("SELECT count(*), max(sequence), count(DISTINCT day) FROM application")
            ).one()
    finally:
        engine.dispose()
    ok = count == answered and (days != 1 or top == count)
    verdict = "OK" if ok else "MISMATCH"
    return f"{count} applications stored for {answered} answered 201, top number {top}: {verdict}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=128)
    args = parser.parse_args()
    for db in args.db.split(","):
        bench(db, args.seconds, args.workers, args.connections)


if __name__ == "__main__":
    main()
