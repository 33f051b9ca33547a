"""The hub's processes of a test (`hub relay`, `hub connector`, `hub serve`, ...), each
logging to a file of its own; killed with SIGKILL and started again as systemd would."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import IO


class Processes:
    """The hub's processes of the test, each logging to a file of its own."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env = env
        self.logs = logs
        self.running: dict[str, subprocess.Popen[bytes]] = {}
        self._files: list[IO[bytes]] = []
        self.started = 0

    def start(self, name: str, *args: str) -> None:
        self.started += 1
        log = (self.logs / f"{name}-{self.started}.log").open("wb")
        self._files.append(log)
        self.running[name] = subprocess.Popen(
            [sys.executable, "-m", "hub.cli", *args], env=self.env, stdout=log, stderr=log
        )

    def kill(self, name: str) -> None:
        proc = self.running[name]
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)

    def stop_all(self) -> None:
        for proc in self.running.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in self.running.values():
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
        for f in self._files:
            f.close()

    def tail_all(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in sorted(self.logs.glob("*.log")))

    def tail(self) -> str:
        return "\n".join(
            f"--- {p.name}\n" + p.read_text(errors="replace")[-1500:]
            for p in sorted(self.logs.glob("*.log"))
        )
