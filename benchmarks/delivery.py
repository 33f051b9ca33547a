"""Delivery benchmark: prints three figures from one run on this machine.

1. raw pika publish rate with publisher confirms to one quorum queue (the ceiling here);
2. the outbox relay's rate (PostgreSQL outbox -> RabbitMQ, confirms, rows marked sent);
3. end to end: portal POST /v1/applications -> institution webhook receipt, p50 / p99, at a
   steady rate (default 200 applications/s), with `hub serve`, `hub relay` and
   `hub connector webhook` as separate processes, as in production.

Needs the local RabbitMQ and PostgreSQL:
    .venv/bin/python -m benchmarks.delivery [--messages 20000] [--rounds 3]
        [--rate 200] [--seconds 20] [--skip-e2e | --only-e2e] [--cluster | --only-cluster]

4. with --cluster / --only-cluster: the relay's rate against a 3-node RabbitMQ cluster of
   its own beside raw confirmed publish to the same cluster.
"""

from __future__ import annotations

import argparse
import base64
import json
import multiprocessing
import os
import resource
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import pika
from pika.adapters.select_connection import SelectConnection

AMQP = os.environ.get("HUB_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/%2F")
PG_ADMIN = os.environ.get("HUB_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
SECRET = "bench-secret-0123456789abcdef"
ROOT = Path(__file__).resolve().parent.parent


def _keys() -> None:
    def k() -> str:
        return base64.b64encode(secrets.token_bytes(32)).decode()

    os.environ.setdefault("HUB_KEYS", f"b1:{k()}")
    os.environ.setdefault("HUB_ACTIVE_KEY", "b1")
    os.environ.setdefault("HUB_BLIND_INDEX_KEY", k())
    os.environ.setdefault("HUB_PSEUDONYM_KEY", k())
    os.environ.setdefault("HUB_AUDIT_KEY", k())
    os.environ.setdefault("HUB_SIGNING_KEY", k())
    # The benchmark's receiver listens on http://127.0.0.1 (production refuses both).
    os.environ.setdefault("HUB_WEBHOOK_ALLOW_HTTP", "1")
    os.environ.setdefault("HUB_WEBHOOK_ALLOW_PRIVATE", "1")


def raw_publish_rate(n: int, size: int = 1200, window: int = 5000, amqp: str = AMQP) -> float:
    """Publish n messages to one quorum queue, many in flight, counting broker acks."""
    queue = f"bench.raw.{uuid.uuid4().hex[:8]}"
    body = b"x" * size
    state = {"sent": 0, "acked": 0, "t0": 0.0, "t1": 0.0}
    holder: dict[str, Any] = {}

    def pump() -> None:
        ch = holder["ch"]
        while state["sent"] < n and state["sent"] - state["acked"] < window:
            ch.basic_publish("", queue, body, pika.BasicProperties(delivery_mode=2))
            state["sent"] += 1

    def on_confirm(frame: Any) -> None:
        m = frame.method
        state["acked"] = m.delivery_tag if m.multiple else max(state["acked"], m.delivery_tag)
        if state["acked"] >= n:
            state["t1"] = time.perf_counter()
            holder["ch"].queue_delete(queue, callback=lambda _f: holder["conn"].close())
            return
        pump()

    def on_declared(_frame: Any) -> None:
        holder["ch"].confirm_delivery(on_confirm, callback=lambda _f: start())

    def start() -> None:
        state["t0"] = time.perf_counter()
        pump()

    def on_channel(ch: Any) -> None:
        holder["ch"] = ch
        ch.queue_declare(
            queue, durable=True, arguments={"x-queue-type": "quorum"}, callback=on_declared
        )

    conn = SelectConnection(
        pika.URLParameters(amqp.split(",")[0]),
        on_open_callback=lambda c: c.channel(on_open_callback=on_channel),
        on_close_callback=lambda c, r: c.ioloop.stop(),
    )
    holder["conn"] = conn
    conn.ioloop.start()
    return n / (state["t1"] - state["t0"])


def _pg_database() -> str:
    import psycopg

    name = f"hub_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + name


def _drop(url: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


def _registry(path: Path, hook_url: str) -> None:
    path.write_text(
        json.dumps(
            {
                "units": [{"id": "sfj", "name": "市司法局"}],
                "institutions": [
                    {
                        "id": f"pm-bench-{i}",
                        "name": f"基准调解委员会{i}",
                        "kind": "people_mediation",
                        "unit": "sfj",
                        "categories": ["consumer"],
                        "districts": ["310104"],
                        "visible": True,
                        "delivery": {
                            "kind": "webhook",
                            "url": f"{hook_url}/pm-bench-{i}",
                            "secret": SECRET,
                        },
                    }
                    for i in range(4)
                ],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )


#: The three messages one application owes, by the length of their sealed envelopes as
#: intake writes them: the institution's new case 1,634 B, the portal's status 525 B, the
#: applicant's notice 448 B. Text of these many characters seals to those lengths. All go
#: to one queue here, as the raw rate's do.
MESSAGE_MIX = (342, 65, 45)


def relay_rate(
    db_url: str, prefix: str, n: int, amqp: str = AMQP, limits: str = "arguments"
) -> tuple[float, int]:
    """Messages per second, and the mean size of the bodies it published. The shared
    broker takes no policy from us: its queues carry their limits as arguments."""
    from sqlalchemy import text

    from hub.bootstrap import bootstrap
    from hub.broker.relay import Relay
    from hub.config import Settings
    from hub.delivery.settings import DeliverySettings
    from hub.services.registry import load
    from hub.store.outbox import enqueue

    ctx = bootstrap(
        Settings(
            database_url=db_url,
            amqp_url=amqp,
            region="310000",
            data_dir=Path(tempfile.gettempdir()),
        )
    )
    reg = Path(tempfile.mkdtemp(prefix="hub-bench-")) / "registry.json"
    _registry(reg, "http://127.0.0.1:9/hooks")
    ctx.db.run(lambda s: load(ctx, s, reg))
    now = ctx.clock.now()
    for start in range(0, n, 2000):
        with ctx.db.transaction() as s:
            for i in range(start, min(n, start + 2000)):
                enqueue(
                    s,
                    ctx.vault,
                    destination="institution:pm-bench-0",  # qualified, as intake writes them
                    type="bench",
                    # A case of its own per row: the claim checks each row's case for an
                    # earlier unsent message, as it does for real rows, and none holds back.
                    application_no=f"310000-20261123-{i:06d}-X",
                    data={"text": "测" * MESSAGE_MIX[i % len(MESSAGE_MIX)], "i": i},
                    occurred_at=now,
                )
    settings = DeliverySettings(amqp_url=amqp, prefix=prefix, limits=limits)
    with ctx.db.engine.connect() as c:
        size = int(c.execute(text("SELECT avg(length(envelope)) FROM outbox")).scalar() or 0)
    relay = Relay(ctx, settings)  # its defaults, as `hub relay` runs
    relay.declare_topology()
    # Filling the outbox left tens of MB for the kernel and PostgreSQL to write back: let
    # that finish first, so the relay is measured on a quiet disk, as the raw rate is. And
    # the outbox gets the statistics autovacuum would have given it by now (the relay
    # takes them itself when they are missing, but within the timed run).
    with ctx.db.engine.connect() as c:
        c.execute(text("ANALYZE outbox"))
        c.commit()  # rolled back, an ANALYZE leaves no statistics
        c.execute(text("CHECKPOINT"))
    os.sync()
    t0 = time.perf_counter()
    stats = relay.run(until_idle=True, max_seconds=120)
    elapsed = time.perf_counter() - t0
    assert stats.confirmed == n, stats
    ctx.db.dispose()
    conn = pika.BlockingConnection(pika.URLParameters(amqp.split(",")[0]))
    try:  # nobody consumes them; do not leave the broker carrying them
        conn.channel().queue_purge(relay.topology.party_queue("institution:pm-bench-0"))
    finally:
        conn.close()
    return n / elapsed, size


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a child process so far (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] if ordered else float("nan")


def _stages(db_url: str, sent: dict[str, float], answered: dict[str, float]) -> str:
    """Where the time went, per application: the API's answer, the outbox row's wait until
    the relay marked it sent (after the broker's confirm), from the outbox's own stamps."""
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as c:
        rows = c.execute(
            text(
                "SELECT o.application_no, o.created_at, s.sent_at FROM outbox o "
                "LEFT JOIN outbox_sent s ON s.outbox_id = o.id "
                "WHERE o.type = 'application.dispatched'"
            )
        ).all()
    engine.dispose()
    api = [(answered[no] - t) * 1000 for no, t in sent.items() if no in answered]
    wait = [
        (r.created_at.timestamp() - sent[r.application_no]) * 1000
        for r in rows
        if r.application_no in sent
    ]
    relay = [
        (r.sent_at - r.created_at).total_seconds() * 1000
        for r in rows
        if r.application_no in sent and r.sent_at is not None
    ]
    return (
        f"  stages p50/p99 ms: API answer {_pct(api, 0.5):.0f}/{_pct(api, 0.99):.0f}; "
        f"POST -> outbox row written {_pct(wait, 0.5):.0f}/{_pct(wait, 0.99):.0f}; "
        f"outbox row -> marked sent (relay, confirm) {_pct(relay, 0.5):.0f}/"
        f"{_pct(relay, 0.99):.0f}"
    )


def _send(port: int, token: str, payload: bytes, rate: float, seconds: float, answers: Any) -> None:
    """In a spawned process: POST applications at a steady `rate`; put back, per created
    application, its number, scheduled send time and answer time (wall clock)."""
    import asyncio

    from benchmarks.loadgen import open_loop

    wall = time.time() - time.perf_counter()
    records: list[tuple[str, float, float]] = []
    errors = 0

    def on_answer(scheduled: float, status: int, body: bytes) -> None:
        nonlocal errors
        if status != 201:
            errors += 1
            return
        records.append((json.loads(body)["application_no"], wall + scheduled, time.time()))

    headers = {"Authorization": f"Bearer {token}"}
    asyncio.run(
        open_loop(
            "127.0.0.1",
            port,
            "/v1/applications",
            lambda: payload,
            headers,
            rate=rate,
            seconds=seconds,
            on_answer=on_answer,
        )
    )
    answers.put((records, errors))


def end_to_end(
    db_url: str, prefix: str, rate: float, seconds: float
) -> tuple[float, float, int, str]:
    from connectors.receiver import Receiver, ReceiverServer
    from tests.support.api import application_body

    before = resource.getrusage(resource.RUSAGE_SELF)
    receiver = Receiver(SECRET)
    server = ReceiverServer(receiver).__enter__()
    api_port = _free_port()
    tmp = Path(tempfile.mkdtemp(prefix="hub-bench-"))
    reg = tmp / "registry.json"
    _registry(reg, f"http://127.0.0.1:{server.port}/hooks")
    env = dict(
        os.environ,
        HUB_DATABASE_URL=db_url,
        HUB_AMQP_URL=AMQP,
        HUB_AMQP_LIMITS="arguments",  # the shared broker takes no policy from us
        HUB_AMQP_PREFIX=prefix,
        HUB_DATA_DIR=str(tmp),
    )
    hub = [sys.executable, "-m", "hub.cli"]
    subprocess.run([*hub, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run([*hub, "registry", "load", str(reg)], env=env, check=True, capture_output=True)
    subprocess.run([*hub, "broker", "setup"], env=env, check=True, capture_output=True)
    token = subprocess.run(
        [*hub, "token", "issue", "--role", "portal", "--party", "portal"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    log = open(tmp / "procs.log", "w")  # noqa: SIM115
    procs = [
        subprocess.Popen([*hub, *args], env=env, stdout=log, stderr=log)
        for args in (
            ["serve", "--port", str(api_port)],
            ["relay"],
            ["connector", "webhook"],
        )
    ]
    import httpx

    sent: dict[str, float] = {}
    answered: dict[str, float] = {}
    errors = 0
    try:
        client = httpx.Client(
            base_url=f"http://127.0.0.1:{api_port}",
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        # On a loaded machine `hub serve` may take a minute or more to listen; a load
        # generator started before it dies on its first refused connection.
        up = time.monotonic() + 300
        while True:
            try:
                if client.get("/healthz").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > up:
                raise RuntimeError("hub serve did not answer /healthz within 300 s")
            time.sleep(0.2)
        payload = json.dumps(application_body(), ensure_ascii=False).encode()
        # The load comes from its own process on asyncio (benchmarks/loadgen.py): a few
        # hundredths of a core at this rate, and no GIL shared with the receiver, whose
        # receipt times are the other end of each measurement.
        spawn = multiprocessing.get_context("spawn")
        answers = spawn.Queue()
        sender = spawn.Process(
            target=_send, args=(api_port, token, payload, rate, seconds, answers)
        )
        sender.start()
        records, errors = answers.get(timeout=seconds + 120)
        sender.join(30)
        for no, t, done in records:
            sent[no] = t
            answered[no] = done
        deadline = time.time() + 60

        def received() -> dict[str, float]:
            with receiver.lock:
                return {
                    e["application_no"]: receiver.received_at[m]
                    for m, e in receiver.applied.items()
                    if e["type"] == "application.dispatched"
                }

        while time.time() < deadline and len(received()) < len(sent):
            time.sleep(0.2)
        got = received()
        lat = sorted((got[no] - t) * 1000 for no, t in sent.items() if no in got)
        if not lat:
            raise RuntimeError(f"nothing delivered; see {tmp / 'procs.log'}")
        p50 = lat[len(lat) // 2]
        p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))]
        missing = len(sent) - len(lat)
        cpu = ", ".join(
            f"{name} {_cpu_seconds(p.pid):.1f}"
            for name, p in zip(("serve", "relay", "connector"), procs, strict=True)
        )
        own = resource.getrusage(resource.RUSAGE_SELF)
        stages = _stages(db_url, sent, answered) + (
            f"\n  CPU seconds during the run: {cpu}, "
            "load generator + receiver "
            f"{own.ru_utime + own.ru_stime - before.ru_utime - before.ru_stime:.1f}"
        )
        return p50, p99, missing + errors, stages
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()
        server.__exit__(None, None, None)


def _cleanup(prefix: str) -> None:
    from hub.broker.topology import Topology
    from hub.delivery.settings import DeliverySettings

    conn = pika.BlockingConnection(pika.URLParameters(AMQP))
    try:
        Topology(DeliverySettings(prefix=prefix)).teardown(
            conn.channel(), [f"pm-bench-{i}" for i in range(4)] + ["notify", "portal"]
        )
    finally:
        conn.close()


def _report_e2e(db: str, prefix: str, rate: float, seconds: float) -> None:
    p50, p99, lost, stages = end_to_end(db, prefix, rate, seconds)
    print(
        f"end to end portal POST -> webhook receipt at {rate:.0f}/s for "
        f"{seconds:.0f}s: p50 {p50:.0f} ms, p99 {p99:.0f} ms, "
        f"not delivered/failed {lost}",
        flush=True,
    )
    print(stages, flush=True)


def _e2e_only(rate: float, seconds: float) -> int:
    prefix = f"bench{uuid.uuid4().hex[:6]}e"
    db = _pg_database()
    try:
        _report_e2e(db, prefix, rate, seconds)
    finally:
        _cleanup(prefix)
        _drop(db)
    return 0


def cluster_rounds(messages: int, rounds: int) -> None:
    """The relay against a 3-node cluster of the benchmark's own (tests.support.rabbit_nodes:
    own names, ports, cookie, data under a temporary folder), beside raw confirmed publish
    to the same cluster; the queues are quorum queues with a member on every node, their
    limits set as policies (as `hub broker setup` does)."""
    from hub.broker.topology import Topology
    from hub.delivery.settings import DeliverySettings
    from hub.store.migrate import upgrade
    from tests.support.rabbit_nodes import rabbit_nodes

    base = Path(tempfile.mkdtemp(prefix="hub-bench-cluster-"))
    t0 = time.perf_counter()
    with rabbit_nodes(base / "rabbit", 3) as nodes:
        print(f"cluster of 3 nodes formed in {time.perf_counter() - t0:.0f} s", flush=True)
        url = ",".join([nodes[0].url, *(f"127.0.0.1:{n.port}" for n in nodes[1:])])
        results: list[tuple[float, float, float]] = []
        for n in range(1, rounds + 1):
            raw = raw_publish_rate(messages, amqp=url)
            prefix = f"bench{uuid.uuid4().hex[:6]}c"
            for policy in Topology(DeliverySettings(prefix=prefix)).policies():
                nodes[0].ctl(
                    "set_policy",
                    "--apply-to",
                    policy.apply_to,
                    policy.name,
                    policy.pattern,
                    json.dumps(policy.definition),
                )
            db = _pg_database()
            try:
                upgrade(db)
                rel, size = relay_rate(db, prefix, messages, amqp=url, limits="policy")
            finally:
                _drop(db)
            same = raw_publish_rate(messages, size=size, amqp=url)
            results.append((raw, rel, same))
            print(
                f"cluster round {n}: raw pika publish, confirms, one quorum queue on 3 nodes, "
                f"1200 B bodies {raw:,.0f} msg/s; outbox relay (PostgreSQL -> the cluster, "
                f"confirms, marked, {size} B bodies) {rel:,.0f} msg/s ({rel / raw:.0%} of raw); "
                f"raw again with {size} B bodies {same:,.0f} msg/s (relay {rel / same:.0%} of it)",
                flush=True,
            )
        raw, rel, same = (statistics.median(r[i] for r in results) for i in range(3))
        print(
            f"cluster median of {len(results)}: raw {raw:,.0f} msg/s, relay {rel:,.0f} msg/s "
            f"({rel / raw:.0%} of raw), raw at the relay's size {same:,.0f} msg/s "
            f"({rel / same:.0%})",
            flush=True,
        )


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--messages", type=int, default=20000)
    p.add_argument("--rate", type=float, default=200.0)
    p.add_argument("--seconds", type=float, default=20.0)
    p.add_argument("--rounds", type=int, default=3, help="raw / relay / raw rounds")
    p.add_argument("--skip-e2e", action="store_true")
    p.add_argument("--only-e2e", action="store_true", help="the end-to-end figure alone")
    p.add_argument(
        "--only-cluster",
        action="store_true",
        help="the cluster round alone: relay and raw publish against a 3-node cluster",
    )
    p.add_argument("--cluster", action="store_true", help="the cluster round too, at the end")
    args = p.parse_args()
    sys.path.insert(0, str(ROOT))
    _keys()
    if args.only_e2e:
        return _e2e_only(args.rate, args.seconds)
    if args.only_cluster:
        cluster_rounds(args.messages, args.rounds)
        return 0
    from hub.store.migrate import upgrade

    # Rounds, each raw / relay / raw again on the same broker: one pair of half-second
    # measurements swings by a fifth either way here, so the ratio is judged on the median.
    rounds: list[tuple[float, float, float]] = []
    prefixes: list[str] = []
    db = ""
    try:
        for n in range(1, args.rounds + 1):
            raw = raw_publish_rate(args.messages)
            prefix = f"bench{uuid.uuid4().hex[:6]}"
            prefixes.append(prefix)
            db = _pg_database()
            upgrade(db)
            rel, size = relay_rate(db, prefix, args.messages)
            _drop(db)
            db = ""
            same = raw_publish_rate(args.messages, size=size)
            rounds.append((raw, rel, same))
            print(
                f"round {n}: raw pika publish, confirms, one quorum queue, 1200 B bodies "
                f"{raw:,.0f} msg/s; outbox relay (PostgreSQL -> RabbitMQ, confirms, marked, "
                f"{size} B bodies) {rel:,.0f} msg/s ({rel / raw:.0%} of raw); raw again with "
                f"{size} B bodies {same:,.0f} msg/s (relay {rel / same:.0%} of it)",
                flush=True,
            )
        raw, rel, same = (statistics.median(r[i] for r in rounds) for i in range(3))
        print(
            f"median of {len(rounds)}: raw {raw:,.0f} msg/s, relay {rel:,.0f} msg/s "
            f"({rel / raw:.0%} of raw), raw at the relay's size {same:,.0f} msg/s "
            f"({rel / same:.0%}); relay >= half of raw in "
            f"{sum(r[1] >= r[0] / 2 for r in rounds)} of {len(rounds)} rounds, "
            f">= half of raw at its size in {sum(r[1] >= r[2] / 2 for r in rounds)}",
            flush=True,
        )
        if not args.skip_e2e:
            db = _pg_database()
            # Queues of its own, apart from the relay rounds' (purged, then torn down below),
            # so the webhook connector delivers the real cases alone.
            e2e_prefix = f"bench{uuid.uuid4().hex[:6]}e"
            prefixes.append(e2e_prefix)
            _report_e2e(db, e2e_prefix, args.rate, args.seconds)
        if args.cluster:
            cluster_rounds(args.messages, args.rounds)
    finally:
        for used in prefixes:
            _cleanup(used)
        if db:
            _drop(db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
