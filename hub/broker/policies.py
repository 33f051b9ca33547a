"""RabbitMQ policies: the delivery limit, dead-lettering, overflow and the retry tiers' TTL.

They are policies, not queue arguments, so an operator changes them in place (a queue's
own arguments win over a policy and can only change by deleting the queue). Policies
cannot be set over AMQP, so they are written through one of:

    ManagementApi   the management plugin's HTTP API (`HUB_AMQP_MANAGEMENT_URL`)
    Rabbitmqctl     `rabbitmqctl set_policy` on a broker host (`HUB_RABBITMQCTL`, or
                    `hub broker setup --rabbitmqctl`)
    memory          the in-process broker keeps them itself (`MemoryBroker.set_policy`)

`deploy/rabbitmq/definitions.json` carries the same policies for an import at boot.
"""

from __future__ import annotations

import json
import shlex
import subprocess
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote, urlsplit, urlunsplit

VHOST = "/"


@dataclass(frozen=True)
class Policy:
    name: str
    pattern: str
    definition: dict[str, Any]
    priority: int = 10
    apply_to: str = "queues"

    def as_definition(self) -> dict[str, Any]:
        return {
            "vhost": VHOST,
            "name": self.name,
            "pattern": self.pattern,
            "apply-to": self.apply_to,
            "definition": dict(self.definition),
            "priority": self.priority,
        }


class PolicyError(Exception):
    """A policy could not be written (refused, unreachable, no such command)."""


class PolicyWriter(Protocol):
    description: str

    def apply(self, policies: list[Policy]) -> None: ...


class ManagementApi:
    """PUT /api/policies/{vhost}/{name} on the management plugin (any node of a cluster)."""

    def __init__(self, url: str, *, timeout: float = 10.0) -> None:
        parts = urlsplit(url)
        self.user = parts.username or "guest"
        self.password = parts.password or "guest"
        netloc = parts.hostname or "localhost"
        if parts.port:
            netloc += f":{parts.port}"
        self.base = urlunsplit((parts.scheme or "http", netloc, parts.path.rstrip("/"), "", ""))
        self.description = f"management API {self.base}"
        self.timeout = timeout

    def apply(self, policies: list[Policy]) -> None:
        import httpx

        vhost = quote(VHOST, safe="")
        try:
            with httpx.Client(auth=(self.user, self.password), timeout=self.timeout) as client:
                for p in policies:
                    body = {
                        k: v for k, v in p.as_definition().items() if k not in ("vhost", "name")
                    }
                    answer = client.put(
                        f"{self.base}/api/policies/{vhost}/{quote(p.name, safe='')}", json=body
                    )
                    if answer.status_code >= 300:
                        raise PolicyError(
                            f"policy {p.name}: HTTP {answer.status_code} {answer.text[:200]}"
                        )
        except httpx.HTTPError as exc:
            raise PolicyError(f"{self.description}: {exc}") from exc


class Rabbitmqctl:
    """`rabbitmqctl set_policy` (the command may carry `-n node` and is run with this
    process's environment: its HOME holds the cookie)."""

    def __init__(self, command: str, *, timeout: float = 60.0) -> None:
        self.argv = shlex.split(command)
        if not self.argv:
            raise ValueError("empty rabbitmqctl command")
        self.description = " ".join(self.argv)
        self.timeout = timeout

    def apply(self, policies: list[Policy]) -> None:
        for p in policies:
            argv = [
                *self.argv,
                "set_policy",
                "--vhost",
                VHOST,
                "--apply-to",
                p.apply_to,
                "--priority",
                str(p.priority),
                p.name,
                p.pattern,
                json.dumps(p.definition),
            ]
            try:
                done = subprocess.run(argv, capture_output=True, text=True, timeout=self.timeout)
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise PolicyError(f"{self.argv[0]}: {exc}") from exc
            if done.returncode != 0:
                why = (done.stderr or done.stdout).strip().splitlines()
                raise PolicyError(f"policy {p.name}: {why[-1] if why else done.returncode}")


def writer_for(management_url: str | None, rabbitmqctl: str | None) -> PolicyWriter | None:
    """The management API if its URL is given, else rabbitmqctl if named, else none."""
    if management_url:
        return ManagementApi(management_url)
    if rabbitmqctl:
        return Rabbitmqctl(rabbitmqctl)
    return None


def effective_arguments(
    policies: list[Policy], queue: str, declared: dict[str, Any]
) -> dict[str, Any]:
    """A queue's arguments as RabbitMQ applies them: the matching policy of the highest
    priority, its keys as `x-` arguments, under the queue's own (which win, except the
    delivery limit, where the lower applies)."""
    import re

    matching = [
        p for p in policies if p.apply_to in ("queues", "all") and re.search(p.pattern, queue)
    ]
    out: dict[str, Any] = {}
    if matching:
        best = max(matching, key=lambda p: p.priority)
        out = {f"x-{k}": v for k, v in best.definition.items()}
    limit = out.get("x-delivery-limit")
    out.update(declared)
    if limit is not None and "x-delivery-limit" in declared:
        out["x-delivery-limit"] = min(int(limit), int(declared["x-delivery-limit"]))
    return out
