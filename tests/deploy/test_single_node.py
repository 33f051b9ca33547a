"""The single-node walk-through of the README, rehearsed without systemd: the environment
is deploy/env.example read as systemd reads an EnvironmentFile, the commands are the
ExecStart= lines of deploy/systemd/, and the key file is written as the README says. Only
what must differ on a shared test machine is changed: the database (a fresh one), the
broker's name prefix, the ports, the data folder, and the delivery limits as queue arguments
(env.example's documented alternative: the machine's shared RabbitMQ takes no policies from
tests). Then one application goes in through the API and reaches its institution's webhook
through the relay, RabbitMQ and the connector, and every process answers its health check.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from connectors.receiver import Receiver, ReceiverServer
from hub.delivery.settings import DeliverySettings
from tests.deploy.test_systemd import unit
from tests.support.api import SMALL_REGISTRY, application_body
from tests.support.broker import SECRET, teardown, unique_prefix, wait_for
from tests.unit.test_deploy_env import ENV_EXAMPLE

pytestmark = [pytest.mark.rabbitmq, pytest.mark.postgres, pytest.mark.slow]

HUB = str(Path(sys.executable).parent / "hub")
PARTIES = ["pm-a", "pm-b", "cm-x", "court-310104", "arb-commercial", "arb-labor"]
PARTIES += ["notify", "portal"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def environment_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines as systemd's EnvironmentFile= reads them (comments and blanks skipped)."""
    env = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key.strip()] = value
    return env


def exec_start(name: str, ports: dict[str, int]) -> list[str]:
    """The unit's command, with this checkout's hub and free ports in place of the fixed ones."""
    argv = shlex.split(unit(name)["Service"]["ExecStart"])
    argv[0] = HUB
    for option, port in ports.items():
        argv[argv.index(option) + 1] = str(port)
    return argv


@contextlib.contextmanager
def running(argv: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("w") as out:
        process = subprocess.Popen(
            argv, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            yield process
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()


def healthy(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def test_the_single_node_walk_through(pg_url: str, amqp_url: str, tmp_path: Path) -> None:
    prefix = unique_prefix()
    keys = tmp_path / "keys" / "hub-keys.json"
    keys.parent.mkdir(mode=0o700)
    env = {k: v for k, v in os.environ.items() if not k.startswith("HUB_")}
    env.update(environment_file(ENV_EXAMPLE))
    assert env["HUB_KEYS_FILE"] == "/etc/onematter/keys/hub-keys.json"
    env.update(
        HUB_DATABASE_URL=pg_url,
        HUB_AMQP_URL=amqp_url,
        HUB_AMQP_PREFIX=prefix,
        HUB_AMQP_LIMITS="arguments",
        HUB_DATA_DIR=str(tmp_path / "state"),
        HUB_KEYS_FILE=str(keys),
        HUB_WEBHOOK_ALLOW_HTTP="1",  # the receiver below is http://127.0.0.1
        HUB_WEBHOOK_ALLOW_PRIVATE="1",
        HUB_RETRY_DELAYS="0.5,1",
    )

    def hub(*args: str) -> str:
        done = subprocess.run(
            [HUB, *args], env=env, capture_output=True, text=True, timeout=120, check=False
        )
        assert done.returncode == 0, (args, done.stdout, done.stderr[-2000:])
        return done.stdout

    # 3. the key file, as the README writes it
    subprocess.run(
        [
            sys.executable,
            "-c",
            f"from privacy.config import generate_key_file; generate_key_file({str(keys)!r})",
        ],
        env=env,
        check=True,
    )
    assert keys.stat().st_mode & 0o777 == 0o600

    receiver = Receiver(SECRET)
    settings = DeliverySettings(amqp_url=amqp_url, prefix=prefix, limits="arguments")
    with ReceiverServer(receiver) as server:
        registry = yaml.safe_load(SMALL_REGISTRY.read_text(encoding="utf-8"))
        for inst in registry["institutions"]:
            if inst["id"] == "pm-a":
                inst["delivery"] = {"kind": "webhook", "url": server.url("pm-a"), "secret": SECRET}
        (tmp_path / "registry.yaml").write_text(yaml.safe_dump(registry), encoding="utf-8")

        # 4. schema, registry, topology, then the processes
        migrate = exec_start("onematter-migrate.service", {})
        assert migrate[1:] == ["db", "upgrade"]
        hub(*migrate[1:])
        hub("registry", "load", str(tmp_path / "registry.yaml"))
        hub("broker", "setup")
        ports = {name: free_port() for name in ("api", "relay", "connector", "scheduler")}
        commands = {
            "api": exec_start("onematter-api.service", {"--port": ports["api"]}),
            "relay": exec_start("onematter-relay.service", {"--metrics-port": ports["relay"]}),
            "connector": exec_start(
                "onematter-connector.service", {"--metrics-port": ports["connector"]}
            ),
            "scheduler": exec_start(
                "onematter-scheduler.service", {"--metrics-port": ports["scheduler"]}
            ),
        }
        try:
            with contextlib.ExitStack() as stack:
                processes = {
                    name: stack.enter_context(running(argv, env, tmp_path / f"{name}.log"))
                    for name, argv in commands.items()
                }
                api = f"http://127.0.0.1:{ports['api']}"
                for name, port in ports.items():
                    ok = wait_for(lambda p=port: healthy(f"http://127.0.0.1:{p}/healthz"), 60)
                    assert ok, (name, (tmp_path / f"{name}.log").read_text()[-3000:])
                ready = httpx.get(f"{api}/readyz").json()
                assert ready["status"] == "ready", ready
                assert ready["checks"]["broker"] == "ok"

                token = hub("token", "issue", "--role", "portal", "--party", "portal").strip()
                answer = httpx.post(
                    f"{api}/v1/applications",
                    json=application_body(preferred_institution="pm-a"),
                    headers={"Authorization": f"Bearer {token}"},
                    timeout=30,
                )
                assert answer.status_code == 201, answer.text
                number = answer.json()["application_no"]
                assert wait_for(lambda: receiver.count() >= 1, 30), [
                    (tmp_path / f"{n}.log").read_text()[-1500:] for n in ("relay", "connector")
                ]
                delivered = list(receiver.applied.values())
                assert any(number in str(body) for body in delivered)
                metrics = httpx.get(f"http://127.0.0.1:{ports['relay']}/metrics").text
                published = [
                    float(line.split()[-1])
                    for line in metrics.splitlines()
                    if line.startswith("hub_relay_published_total")
                ]
                assert published and published[0] >= 1
                assert all(p.poll() is None for p in processes.values())
        finally:
            teardown(amqp_url, settings, PARTIES)
