"""Issue 14 item 4: delivery through a real 3-node RabbitMQ cluster of the test's own.

`hub broker setup` writes the policies (rabbitmqctl on a node of the test's own) and
declares quorum queues with members on all three nodes; 2 `hub relay` and 2
`hub connector all` processes reach the cluster through one comma-separated HUB_AMQP_URL.
Mid-stream the node leading a party queue is stopped and brought back, then a relay and a
connector are killed with SIGKILL (and started again, as systemd would): every case reaches
its institution's webhook, and at most 2 % of the messages come twice. The nodes are
always stopped; the machine's shared broker is never touched.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from connectors.receiver import Receiver, ReceiverServer
from hub.broker.topology import Topology
from tests.support.api import SMALL_REGISTRY
from tests.support.broker import (
    SECRET,
    allow_local_webhooks,
    delivery_settings,
    env_for,
    set_delivery,
    submit_many,
    wait_for,
)
from tests.support.hub_processes import Processes
from tests.support.hubctx import make_hub
from tests.support.rabbit_nodes import BIN, RabbitNode, rabbit_nodes

pytestmark = [pytest.mark.rabbitmq, pytest.mark.postgres, pytest.mark.slow, pytest.mark.solo]

N = 1200  # applications at least, at RATE a second: the stream lasts 30 s or more
RATE = 40.0
#: The stream goes on until the faults are over (a node stop alone can take 20 s on a
#: loaded machine, longer than 1,200 applications at 40/s), up to this many applications.
N_MAX = 6000
PARTIES = ("pm-a", "pm-b", "cm-x")


@pytest.fixture(autouse=True)
def _local_receivers(monkeypatch: pytest.MonkeyPatch) -> None:
    allow_local_webhooks(monkeypatch)


def _queues(node: RabbitNode) -> list[dict[str, Any]]:
    out = node.ctl(
        "list_queues", "name", "policy", "leader", "members", "online", "--formatter", "json"
    )
    return list(json.loads(out))


def _hub_connections(node: RabbitNode, nodes: list[RabbitNode]) -> dict[str, int]:
    """How many of the hub's connections each node holds (a connection's name ends with
    the node's AMQP port)."""
    out = node.ctl("list_connections", "name", "client_properties", "--formatter", "json")
    by_port = {f":{n.port}": n.name for n in nodes}
    counts = dict.fromkeys((n.name for n in nodes), 0)
    for c in json.loads(out):
        props = {p[0]: p[2] for p in c["client_properties"]}
        if str(props.get("connection_name", "")).startswith("hub-"):
            port = ":" + c["name"].rsplit(":", 1)[1]
            counts[by_port[port]] += 1
    return counts


def _submit_steadily(
    ctx: Any, numbers: list[str], faults_over: threading.Event, done: threading.Event
) -> None:
    """Submit at RATE a second: N at least, then on until the faults are over."""
    started = time.monotonic()
    i = 0
    while i < N_MAX and (i < N or not faults_over.is_set()):
        numbers += submit_many(ctx, 1)
        i += 1
        ahead = i / RATE - (time.monotonic() - started)
        if ahead > 0:
            time.sleep(ahead)
    done.set()


def test_delivery_holds_across_a_leader_stop_and_killed_relay_and_connector(
    pg_url: str, tmp_path: Path
) -> None:
    ctx = make_hub(pg_url, tmp_path, registry=SMALL_REGISTRY)
    receiver = Receiver(SECRET)
    logs = tmp_path / "logs"
    logs.mkdir()
    with rabbit_nodes(tmp_path / "rabbit", 3) as nodes:
        # one URL for the cluster: the first node whole, the others as host:port
        url = ",".join([nodes[0].url, *(f"127.0.0.1:{n.port}" for n in nodes[1:])])
        settings = replace(delivery_settings(url, limits="policy"), heartbeat=5)
        topo = Topology(settings)
        env = env_for(settings, pg_url) | {"HUB_DATA_DIR": str(tmp_path)}
        procs = Processes(env, logs)
        try:
            with ReceiverServer(receiver) as server:
                for party in PARTIES:
                    set_delivery(ctx, party, "webhook", server.url(party))
                # policies through rabbitmqctl, with the HOME that holds the cluster's cookie
                setup = subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "hub.cli",
                        "broker",
                        "setup",
                        "--rabbitmqctl",
                        f"{BIN / 'rabbitmqctl'} -n {nodes[0].name}",
                    ],
                    env=env | nodes[0].env(),
                    capture_output=True,
                    text=True,
                    timeout=180,
                )
                assert setup.returncode == 0, setup.stderr
                assert "策略 policies" in setup.stdout and "limits as policies" in setup.stdout
                party_queues = {topo.party_queue(p): p for p in PARTIES}
                queues = {q["name"]: q for q in _queues(nodes[0])}
                names = {n.name for n in nodes}
                for name in party_queues:
                    assert queues[name]["policy"] == f"{settings.prefix}.parties"
                    assert set(queues[name]["members"]) == names  # a member on every node
                for t in settings.retry_delays:
                    assert queues[topo.retry_queue(t)]["policy"] == topo.retry_queue(t)

                for name in ("relay-1", "relay-2"):
                    procs.start(name, "relay")
                for name in ("connector-1", "connector-2"):
                    procs.start(name, "connector", "all")

                numbers: list[str] = []
                submitted, faults_over = threading.Event(), threading.Event()
                feeder = threading.Thread(
                    target=_submit_steadily,
                    args=(ctx, numbers, faults_over, submitted),
                    daemon=True,
                )
                feeder.start()

                # 1. stop the node leading a party queue mid-stream, then bring it back: of
                # the party queues' leaders, the one most of the hub's connections are on
                assert wait_for(lambda: receiver.count() >= 150, 90), procs.tail()
                leaders = {
                    q["name"]: q["leader"] for q in _queues(nodes[0]) if q["name"] in party_queues
                }
                on_node = _hub_connections(nodes[0], nodes)
                queue = max(sorted(leaders), key=lambda q: on_node[leaders[q]])
                leader_name = leaders[queue]
                leader = next(n for n in nodes if n.name == leader_name)
                others = [n for n in nodes if n is not leader]
                cut = on_node[leader_name]
                leader.stop()
                at_stop = receiver.count()
                # delivery goes on while the leader is down
                assert wait_for(lambda: receiver.count() >= at_stop + 100, 60), procs.tail()
                moved = next(q["leader"] for q in _queues(others[0]) if q["name"] == queue)
                assert moved != leader_name
                if cut:  # the processes that were on it reconnected to a live node
                    assert "reconnecting" in procs.tail_all(), procs.tail()
                leader.start()
                leader.await_startup()

                # 2. SIGKILL a relay, then a connector; each is started again
                at = receiver.count()
                assert wait_for(lambda: receiver.count() >= at + 100, 60), procs.tail()
                procs.kill("relay-1")
                procs.start("relay-1", "relay")
                at = receiver.count()
                assert wait_for(lambda: receiver.count() >= at + 100, 60), procs.tail()
                procs.kill("connector-1")
                procs.start("connector-1", "connector", "all")
                assert not submitted.is_set(), "the faults fell after the stream had ended"
                faults_over.set()

                feeder.join(180)
                assert submitted.is_set()

                def dispatched() -> set[str]:
                    return {
                        e["application_no"]
                        for e in list(receiver.applied.values())
                        if e["type"] == "application.dispatched"
                    }

                assert len(numbers) >= N
                assert wait_for(lambda: len(dispatched()) == len(numbers), 120), (
                    len(dispatched()),
                    procs.tail(),
                )
                time.sleep(max(settings.retry_delays) * 2.5)  # late copies, if any, arrive
            assert dispatched() == set(numbers)
            delivered = len(receiver.applied)
            assert receiver.repeats <= 0.02 * delivered, (receiver.repeats, delivered)
            with ctx.db.engine.connect() as conn:
                unsent = conn.execute(
                    text("SELECT COUNT(*) FROM outbox_pending WHERE destination <> 'notify'")
                ).scalar()
                dead = conn.execute(
                    text("SELECT COUNT(*) FROM outbox WHERE dead_at IS NOT NULL")
                ).scalar()
            assert unsent == 0 and dead == 0
            print(
                f"cluster run: {delivered} messages delivered, {receiver.repeats} repeats "
                f"({100 * receiver.repeats / delivered:.2f} %); stopped {leader_name}, leader "
                f"of {queue}, with {cut} of the hub's connections on it"
            )
        finally:
            procs.stop_all()
            ctx.db.dispose()
