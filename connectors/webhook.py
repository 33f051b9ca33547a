"""Signed webhooks (INTERFACE 8, 18): POST the envelope to the party's URL.

Headers: `X-Hub-Message-Id: <message_id>`, `X-Hub-Timestamp: <Unix seconds>` and
`X-Hub-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" with the party's secret>`,
so a receiver can refuse a replayed or old delivery (`verify` below, 5 minutes by default).
2xx is delivered; 408, 425 and 429 and every 5xx, timeout or connection failure are retried
with backoff until the deadline; any other 4xx means the party refuses this message as it
is, so it is dead-lettered at once. A message whose copy was answered before (the journal,
`connectors.journal`, asked only about a copy that may have been) is settled without a
second POST.

Before every POST the target is checked again (`hub.services.webhook_targets`: https,
public addresses only, unless the operator allows otherwise for tests) and the connection
goes to the address the check looked at, so a name re-pointed at a private address after
the registry check is refused, not followed. A refused target is dead-lettered at once.

    WebhookError
    └── TransportError      no HTTP answer at all (refused, reset, timed out)
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import socket
import ssl
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.exc import SQLAlchemyError

from connectors.journal import Journal
from hub import jsonutil
from hub.delivery.directory import Directory, Party
from hub.delivery.message import Message
from hub.delivery.outcomes import Connector, Dead, Delivered, Outcome, RetryPolicy
from hub.logsafety import get_logger
from hub.services.webhook_targets import (
    Resolver,
    TargetPolicy,
    TargetRefused,
    resolve_target,
    system_resolver,
)
from hub.vault import Vault

log = get_logger("hub.webhook")

RETRYABLE_4XX = frozenset({408, 425, 429})
#: How old a delivery a receiver accepts by default (`verify`).
TIMESTAMP_TOLERANCE = 300


class WebhookError(Exception):
    pass


class TransportError(WebhookError):
    pass


def sign(secret: str, body: bytes, timestamp: int | str) -> str:
    """`X-Hub-Signature`: HMAC-SHA256 of "<timestamp>.<body>" with the party's secret."""
    message = str(timestamp).encode("ascii") + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(
    secret: str,
    body: bytes,
    header: str | None,
    timestamp: str | None,
    *,
    tolerance: int = TIMESTAMP_TOLERANCE,
    now: float | None = None,
) -> bool:
    """What a receiver checks: the signature over timestamp and body, and that the
    timestamp is within `tolerance` seconds of its own clock (a replay is refused)."""
    if not header or not timestamp or not timestamp.isascii() or not timestamp.isdigit():
        return False
    if len(timestamp) > 18:  # int() of thousands of digits raises; no clock is that far
        return False
    moment = time.time() if now is None else now
    if abs(moment - int(timestamp)) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, body, timestamp), header)


class WebhookTransport(ABC):
    """The HTTP port: one POST, its status code, or TransportError.

    `address`, when given, is the IP address to connect to for the URL's host (checked by
    the caller); the URL's host is still the one named in `Host` and checked by TLS.
    """

    @abstractmethod
    def post(
        self, url: str, body: bytes, headers: dict[str, str], address: str | None = None
    ) -> int: ...

    def close(self) -> None:  # noqa: B027 - optional hook
        pass


def _pin(conn: http.client.HTTPConnection, address: str) -> None:
    """Make `conn` connect to `address` whatever its host name resolves to now; TLS still
    names and verifies the host (HTTPSConnection wraps the socket with `server_hostname`)."""

    def create_connection(
        where: tuple[str, int], timeout: float | None = None, source: Any = None
    ) -> socket.socket:
        return socket.create_connection((address, where[1]), timeout, source)

    conn._create_connection = create_connection  # type: ignore[attr-defined]


class HttpClientTransport(WebhookTransport):
    """The standard library's `http.client`, one keep-alive connection per thread and host.

    About a third of httpx's CPU per POST (0.5 ms against 1.7 ms here), which matters when
    the connectors share a small machine with the API. No redirects are followed. A kept
    connection the party closed while idle is detected on the next use and that POST is
    made once more on a fresh connection (the party drops a repeat by `message_id`).
    """

    def __init__(self, timeout: float = 10.0) -> None:
        self.timeout = timeout
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: list[http.client.HTTPConnection] = []

    def _connection(
        self, scheme: str, host: str, port: int | None, address: str | None
    ) -> http.client.HTTPConnection:
        conns: dict[tuple[str, str, int | None, str | None], http.client.HTTPConnection] | None = (
            getattr(self._local, "conns", None)
        )
        if conns is None:
            conns = self._local.conns = {}
        key = (scheme, host, port, address)
        conn = conns.get(key)
        if conn is None:
            if scheme == "https":
                conn = http.client.HTTPSConnection(
                    host, port, timeout=self.timeout, context=ssl.create_default_context()
                )
            else:
                conn = http.client.HTTPConnection(host, port, timeout=self.timeout)
            if address is not None:
                _pin(conn, address)
            conns[key] = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def _drop(self, scheme: str, host: str, port: int | None, address: str | None) -> None:
        conn = self._local.conns.pop((scheme, host, port, address), None)
        if conn is not None:
            conn.close()
            with self._lock:  # forget it, or a party that closes every connection grows the list
                self._all = [c for c in self._all if c is not conn]

    def post(
        self, url: str, body: bytes, headers: dict[str, str], address: str | None = None
    ) -> int:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise TransportError(f"not an http(s) URL: {url[:200]}")
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        key = (parts.scheme, parts.hostname, parts.port, address)
        for attempt in (1, 2):
            conn = self._connection(*key)
            reused = conn.sock is not None
            try:
                conn.request("POST", target, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.will_close:
                    self._drop(*key)
                return int(response.status)
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
                self._drop(*key)
                if reused and attempt == 1:
                    continue  # the party closed an idle kept connection: once more, fresh
                raise TransportError(f"{type(exc).__name__}: {exc}") from exc
            except (OSError, http.client.HTTPException) as exc:
                self._drop(*key)
                raise TransportError(f"{type(exc).__name__}: {exc}") from exc
        raise TransportError("unreachable")  # pragma: no cover

    def close(self) -> None:
        with self._lock:
            conns, self._all = self._all, []
        for conn in conns:
            conn.close()


@dataclass
class Posted:
    url: str
    body: bytes
    headers: dict[str, str]
    address: str | None = None


@dataclass
class FakeTransport(WebhookTransport):
    """In memory: records every POST; `respond(url, body, headers)` decides the status."""

    respond: Callable[[str, bytes, dict[str, str]], int] = lambda url, body, headers: 200
    posted: list[Posted] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def post(
        self, url: str, body: bytes, headers: dict[str, str], address: str | None = None
    ) -> int:
        with self._lock:
            self.posted.append(Posted(url, body, headers, address))
        return self.respond(url, body, headers)


def envelope_body(message: Message, vault: Vault) -> bytes:
    return jsonutil.dumps(message.envelope(vault)).encode()


def post_signed(
    transport: WebhookTransport,
    party: Party,
    message: Message,
    body: bytes,
    address: str | None = None,
    now: float | None = None,
) -> int:
    timestamp = str(int(time.time() if now is None else now))
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "X-Hub-Message-Id": message.message_id,
        "X-Hub-Message-Type": message.type,
        "X-Hub-Timestamp": timestamp,
        "User-Agent": "onematter-hub/1",
    }
    if party.secret:
        headers["X-Hub-Signature"] = sign(party.secret, body, timestamp)
    assert party.url
    return transport.post(party.url, body, headers, address)


def classify(status: int, policy: RetryPolicy, message: Message) -> Outcome:
    if 200 <= status < 300:
        return Delivered(f"HTTP {status}")
    if 400 <= status < 500 and status not in RETRYABLE_4XX:
        return Dead(f"refused by the party: HTTP {status}")
    return policy.after_failure(message, f"HTTP {status}")


class WebhookConnector(Connector):
    name = "webhook"

    def __init__(
        self,
        vault: Vault,
        directory: Directory,
        transport: WebhookTransport,
        policy: RetryPolicy,
        targets: TargetPolicy | None = None,
        resolver: Resolver = system_resolver,
        journal: Journal | None = None,
    ) -> None:
        self.vault = vault
        #: What was answered already (connectors.journal); None: every copy is posted.
        self.journal = journal
        self.directory = directory
        self.transport = transport
        self.policy = policy
        self.targets = targets if targets is not None else TargetPolicy.from_env()
        self.resolver = resolver

    def party(self, message: Message) -> Party:
        return self.directory.party(message.destination)

    def handle(self, message: Message) -> Outcome:
        key = (self.name, message.message_id)
        if self._answered_before(key, message):
            return Delivered("answered before: a copy", sent=False)
        outcome = self._post(message)
        if self.journal is not None and isinstance(outcome, Delivered):
            try:
                self.journal.record([key])
            except SQLAlchemyError:  # the party has it: a lost record costs a repeat at most
                log.warning("journal unreachable: the answer is not recorded", exc_info=True)
        return outcome

    def _answered_before(self, key: tuple[str, str], message: Message) -> bool:
        """Whether the journal knows the message answered. Only a copy that may have been
        answered before (redelivered by the broker, republished by the relay, or retried:
        `Message.may_have_been_answered`) is asked about; a first delivery of a first
        publish is not, which saves a database round trip on nearly every webhook. A
        journal that cannot be read says no: delivery is at least once, and a webhook must
        not wait for the database (a message nacked meanwhile would be dead-lettered past
        the delivery limit)."""
        if self.journal is None or not message.may_have_been_answered:
            return False
        try:
            return bool(self.journal.done([key], message))
        except SQLAlchemyError:
            log.warning("journal unreachable: posting without asking it", exc_info=True)
            return False

    def _post(self, message: Message) -> Outcome:
        party = self.party(message)
        if not party.url:
            return self.policy.after_failure(message, "no webhook URL in the registry")
        try:  # again at each delivery: the name may point elsewhere than when it was checked
            address = resolve_target(party.url, self.targets, self.resolver)
        except TargetRefused as exc:
            return Dead(f"webhook target refused: {exc}"[:300])
        except OSError as exc:
            return self.policy.after_failure(message, f"cannot resolve: {exc}"[:300])
        body = envelope_body(message, self.vault)
        try:
            status = post_signed(self.transport, party, message, body, address)
        except TransportError as exc:
            return self.policy.after_failure(message, str(exc)[:300])
        return classify(status, self.policy, message)

    def close(self) -> None:
        self.transport.close()
