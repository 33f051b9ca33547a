"""RabbitMQ nodes of a test's own: names, ports, cookie and data under a temporary folder.

Never the machine's shared broker (rabbit@localhost on 5672): the scripts under
`/usr/sbin` switch to the rabbitmq user and use its cookie, so these run
`/usr/lib/rabbitmq/bin/*` with `HOME` holding a cookie of their own and every path set per
node (an empty enabled-plugins file: no plugins). Several nodes form a cluster at boot
(classic peer discovery), without `stop_app` / `join_cluster` / `start_app`. A test that
restarts a broker restarts one of these, whole: after the shared node had been cycled with
`stop_app` / `start_app` by several suites at once, its quorum dead-letter supervisor was
found terminated, and no queue with `x-dead-letter-strategy=at-least-once` could be
declared on it by anyone.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import pytest

BIN = Path("/usr/lib/rabbitmq/bin")


def available() -> bool:
    return (BIN / "rabbitmq-server").exists() and (BIN / "rabbitmqctl").exists()


def need_rabbitmq_binaries() -> None:
    if available():
        return
    from tests.conftest import IN_CI

    if IN_CI:
        pytest.fail(f"RabbitMQ server binaries are missing under {BIN}")
    pytest.skip(f"needs the RabbitMQ server binaries under {BIN}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class RabbitNode:
    """One node: `start()` boots it detached, `stop()` stops the whole node."""

    base: Path
    short: str
    home: Path
    peers: list[str] = field(default_factory=list)
    port: int = field(default_factory=free_port)
    dist_port: int = field(default_factory=free_port)

    @property
    def name(self) -> str:
        return f"{self.short}@localhost"

    @property
    def url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}/%2F"

    @property
    def dir(self) -> Path:
        return self.base / self.short

    @property
    def cwd(self) -> str:
        """Erlang writes its crash dumps (MnesiaCore.*, erl_crash.dump) here, not into the
        checkout the tests run from."""
        return str(self.dir if self.dir.exists() else self.base)

    def env(self) -> dict[str, str]:
        d = self.dir
        return {
            "PATH": f"{BIN}:{os.environ.get('PATH', '/usr/bin:/bin')}",
            "HOME": str(self.home),
            "LANG": "C.UTF-8",
            "RABBITMQ_CONF_ENV_FILE": str(d / "rabbitmq-env.conf"),
            "RABBITMQ_CONFIG_FILE": str(d / "rabbitmq.conf"),
            "RABBITMQ_ADVANCED_CONFIG_FILE": str(d / "advanced.config"),
            "RABBITMQ_NODENAME": self.name,
            "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "RABBITMQ_MNESIA_BASE": str(d / "mnesia"),
            "RABBITMQ_LOG_BASE": str(d / "log"),
            "RABBITMQ_PID_FILE": str(d / "pid"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(d / "enabled_plugins"),
            "RABBITMQ_PLUGINS_EXPAND_DIR": str(d / "plugins-expand"),
            "RABBITMQ_ENABLED_PLUGINS": "",
            "ERL_EPMD_ADDRESS": "127.0.0.1",
        }

    def prepare(self) -> None:
        d = self.dir
        (d / "log").mkdir(parents=True, exist_ok=True)
        (d / "mnesia").mkdir(parents=True, exist_ok=True)
        (d / "enabled_plugins").write_text("[].\n")
        (d / "rabbitmq-env.conf").write_text("")
        (d / "advanced.config").write_text("[].\n")
        lines = [
            f"listeners.tcp.1 = 127.0.0.1:{self.port}",
            "loopback_users = none",
            "log.console = false",
            "log.file.level = warning",
            # A small machine shared by several engineers: no alarm at the usual 40%.
            "vm_memory_high_watermark.relative = 0.8",
            "disk_free_limit.absolute = 50MB",
        ]
        if self.peers:
            lines.append("cluster_formation.peer_discovery_backend = classic_config")
            lines += [
                f"cluster_formation.classic_config.nodes.{i} = {p}"
                for i, p in enumerate(self.peers, 1)
            ]
        (d / "rabbitmq.conf").write_text("\n".join(lines) + "\n")

    def ctl(self, *args: str, timeout: float = 120, check: bool = True) -> str:
        done = subprocess.run(
            [str(BIN / "rabbitmqctl"), "-n", self.name, *args],
            env=self.env(),
            cwd=self.cwd,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and done.returncode != 0:
            raise RuntimeError(f"rabbitmqctl {' '.join(args)} on {self.name}: {done.stderr}")
        return done.stdout

    def start(self) -> None:
        self.prepare()
        subprocess.run(
            [str(BIN / "rabbitmq-server"), "-detached"],
            env=self.env(),
            cwd=self.cwd,
            check=True,
            capture_output=True,
            timeout=60,
        )

    def await_startup(self, timeout: float = 120) -> None:
        """Until the node's pid file exists and the broker application runs."""
        self.ctl(
            "wait", str(self.dir / "pid"), "--timeout", str(int(timeout)), timeout=timeout + 10
        )

    def stop(self) -> None:
        self.ctl("stop", timeout=120, check=False)

    def kill(self) -> None:
        """SIGKILL the node's Erlang VM (as a crash would)."""
        pid_file = self.dir / "pid"
        if pid_file.exists():
            with suppress(ProcessLookupError, ValueError):
                os.kill(int(pid_file.read_text().strip()), 9)

    def is_up(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
        except OSError:
            return False


def _home(base: Path) -> Path:
    home = base / "home"
    home.mkdir(parents=True, exist_ok=True)
    cookie = home / ".erlang.cookie"
    cookie.write_text(secrets.token_hex(20).upper())
    cookie.chmod(0o400)
    return home


@contextmanager
def rabbit_nodes(base: Path, count: int, prefix: str | None = None) -> Iterator[list[RabbitNode]]:
    """`count` nodes of a cluster of their own (one node: standalone), started and, at the
    end, stopped and their data deleted."""
    need_rabbitmq_binaries()
    prefix = prefix or f"t{secrets.token_hex(3)}"
    home = _home(base)
    shorts = [f"{prefix}n{i}" for i in range(1, count + 1)]
    peers = [f"{s}@localhost" for s in shorts] if count > 1 else []
    nodes = [RabbitNode(base, s, home, peers) for s in shorts]
    try:
        for n in nodes:
            n.start()
        for n in nodes:
            n.await_startup()
        if count > 1:
            _await_cluster(nodes)
        yield nodes
    finally:
        for n in nodes:
            n.stop()
        for n in nodes:
            if n.is_up():
                n.kill()
        time.sleep(0.2)
        shutil.rmtree(base / "home", ignore_errors=True)


def _await_cluster(nodes: list[RabbitNode], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while True:
        out = nodes[0].ctl("cluster_status", "--formatter", "json", check=False)
        if all(n.name in out for n in nodes) and out.count("@localhost") >= 2 * len(nodes):
            import json

            try:
                running = json.loads(out).get("running_nodes", [])
            except ValueError:
                running = []
            if len(running) == len(nodes):
                return
        if time.monotonic() > deadline:
            raise RuntimeError(f"the nodes did not form a cluster: {out}")
        time.sleep(1)
