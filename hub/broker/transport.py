"""The broker port: how the relay and the connector workers reach a broker.

    Transport
    ├── AmqpTransport     RabbitMQ through pika: one node or a cluster (HUB_AMQP_URL lists
    │                     them, comma-separated); each connection goes to the first live node
    └── MemoryTransport   the in-process broker of the embedded default (`memory.py`)

Both hand out connections with the part of pika's interface the hub uses: `async_connection`
is a `SelectConnection` (the relay's I/O loop, publisher confirms), `blocking_connection` a
`BlockingConnection` (the workers, topology declarations). The relay and the workers are
the same code over either.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, Protocol

import pika
from pika.adapters.select_connection import IOLoop, SelectConnection

from hub.broker.memory import MemoryAsyncConnection, MemoryBlockingConnection, MemoryBroker
from hub.broker.policies import Policy, PolicyWriter, writer_for
from hub.delivery.settings import DeliverySettings

#: What `HUB_AMQP_URL` names when delivery is embedded (no RabbitMQ).
MEMORY_URL = "memory://"


class Transport(Protocol):
    #: Publishes are confirmed once delivered (in-process), not once stored (RabbitMQ):
    #: the relay must not hold a batch open, or database locks, until then.
    settles_late: bool
    #: Where it goes, without credentials (logs, health).
    description: str

    def async_connection(
        self,
        on_open: Callable[[Any], None],
        on_open_error: Callable[[Any, BaseException], None],
        on_close: Callable[[Any, BaseException], None],
        name: str,
    ) -> Any:
        """Start opening a connection; answers an object with `ioloop` (run it to open)."""
        ...

    def blocking_connection(self, name: str, *, timeout: float | None = None) -> Any: ...

    def policy_writer(self) -> PolicyWriter | None:
        """Where policies can be written from here, if anywhere."""
        ...


def node_urls(amqp_url: str) -> list[str]:
    """The nodes of a `HUB_AMQP_URL`: one URL, or several separated by commas (a cluster);
    a node given as `host:port` alone takes the scheme, credentials and vhost of the first."""
    parts = [p.strip() for p in amqp_url.split(",") if p.strip()]
    if not parts:
        raise ValueError("HUB_AMQP_URL is empty")
    first = pika.URLParameters(parts[0])
    urls = [parts[0]]
    for p in parts[1:]:
        if "://" in p:
            urls.append(p)
            continue
        scheme = "amqps" if first.ssl_options else "amqp"
        creds = first.credentials
        vhost = "%2F" if first.virtual_host == "/" else first.virtual_host
        urls.append(f"{scheme}://{creds.username}:{creds.password}@{p}/{vhost}")
    return urls


def connection_parameters(
    settings: DeliverySettings,
    name: str,
    *,
    timeout: float | None = None,
    start: int = 0,
) -> list[pika.URLParameters]:
    """The one reading of `HUB_AMQP_URL` into pika parameters: one per node, from the
    `start`-th round; pika tries them in turn (broker setup, relay, workers, the readiness
    probe and queue depths all connect through this)."""
    if not settings.amqp_url:
        raise ValueError("no HUB_AMQP_URL: delivery is embedded")
    urls = node_urls(settings.amqp_url)
    start %= len(urls)
    out = []
    for url in urls[start:] + urls[:start]:
        params = pika.URLParameters(url)
        params.heartbeat = settings.heartbeat
        params.blocked_connection_timeout = settings.blocked_connection_timeout
        params.connection_attempts = 1
        params.socket_timeout = timeout or 5
        params.stack_timeout = (timeout or 5) * 2
        params.client_properties = {"connection_name": f"hub-{name}-{os.getpid()}"}
        out.append(params)
    return out


def redacted(url: str) -> str:
    """A node URL without its password."""
    params = pika.URLParameters(url)
    return f"{params.host}:{params.port}"


class AmqpTransport:
    settles_late = False

    def __init__(self, settings: DeliverySettings, *, start: int | None = None) -> None:
        if not settings.amqp_url:
            raise ValueError("no HUB_AMQP_URL: delivery is embedded")
        self.settings = settings
        self.urls = node_urls(settings.amqp_url)
        # Each process starts from another node, so relays and connectors spread over the
        # cluster; a connection still tries every node before it fails.
        self._start = (os.getpid() if start is None else start) % len(self.urls)
        self.description = ", ".join(redacted(u) for u in self.urls)

    def parameters(self, name: str, timeout: float | None = None) -> list[pika.URLParameters]:
        return connection_parameters(self.settings, name, timeout=timeout, start=self._start)

    def policy_writer(self) -> PolicyWriter | None:
        return writer_for(self.settings.management_url, self.settings.rabbitmqctl)

    def async_connection(
        self,
        on_open: Callable[[Any], None],
        on_open_error: Callable[[Any, BaseException], None],
        on_close: Callable[[Any, BaseException], None],
        name: str,
    ) -> Any:
        loop = IOLoop()
        opening = _Opening(loop)

        def done(result: Any) -> None:
            if isinstance(result, BaseException):
                on_open_error(opening, result)
                return
            opening.connection = result
            result.add_on_close_callback(on_close)
            on_open(result)

        SelectConnection.create_connection(self.parameters(name), done, custom_ioloop=loop)
        return opening

    def blocking_connection(self, name: str, *, timeout: float | None = None) -> Any:
        return pika.BlockingConnection(self.parameters(name, timeout))


class _Opening:
    """A connection being opened over the nodes in turn: its loop, and once open, itself."""

    def __init__(self, loop: IOLoop) -> None:
        self.ioloop = loop
        self.connection: Any = None

    @property
    def is_open(self) -> bool:
        return bool(self.connection is not None and self.connection.is_open)

    @property
    def is_closed(self) -> bool:
        return self.connection is None or bool(self.connection.is_closed)

    def close(self) -> None:
        if self.connection is not None and self.connection.is_open:
            self.connection.close()
        else:
            self.ioloop.stop()


class _MemoryPolicies:
    description = "in-process broker"

    def __init__(self, broker: MemoryBroker) -> None:
        self.broker = broker

    def apply(self, policies: list[Policy]) -> None:
        for p in policies:
            self.broker.set_policy(p)


class MemoryTransport:
    settles_late = True
    description = MEMORY_URL

    def __init__(self, broker: MemoryBroker | None = None) -> None:
        self.broker = broker or MemoryBroker()

    def async_connection(
        self,
        on_open: Callable[[Any], None],
        on_open_error: Callable[[Any, BaseException], None],
        on_close: Callable[[Any, BaseException], None],
        name: str,
    ) -> Any:
        return MemoryAsyncConnection(self.broker, on_open, on_open_error, on_close)

    def blocking_connection(self, name: str, *, timeout: float | None = None) -> Any:
        return MemoryBlockingConnection(self.broker)

    def policy_writer(self) -> PolicyWriter | None:
        return _MemoryPolicies(self.broker)

    def close(self) -> None:
        self.broker.close()


def transport_for(settings: DeliverySettings) -> Transport:
    """RabbitMQ if `amqp_url` names it; else a new in-process broker."""
    if settings.amqp_url and settings.amqp_url != MEMORY_URL:
        return AmqpTransport(settings)
    return MemoryTransport()


def broker_reachable(settings: DeliverySettings, timeout: float = 2.0) -> bool:
    """The readiness probe: some node of `HUB_AMQP_URL` accepts a connection (and login)."""
    try:
        AmqpTransport(settings).blocking_connection("probe", timeout=timeout).close()
        return True
    except Exception:  # readiness reports, never raises
        return False
