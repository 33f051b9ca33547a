"""A reference webhook receiver: what a party's endpoint should do, used by tests and benchmarks.

It checks `X-Hub-Signature` over `X-Hub-Timestamp` and the body with the party's secret, and
that the timestamp is at most 5 minutes from its clock (401 if wrong, missing or old), applies
each `message_id` once (a repeat answers 200 and changes nothing), and can be told to be
down (503) or to refuse. Run: `python -m connectors.receiver --port 8081 --secret S`.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from connectors.webhook import verify


class Receiver:
    """Thread-safe state of the reference receiver; one secret per path (party)."""

    def __init__(self, secrets: dict[str, str] | str) -> None:
        self.secrets = secrets
        self.lock = threading.Lock()
        self.applied: dict[str, dict[str, Any]] = {}
        self.received_at: dict[str, float] = {}
        self.repeats = 0
        self.bad_signatures = 0
        self.requests = 0
        self.down = False
        #: Optional hook: answer this status instead of applying (e.g. 400 for one message).
        self.status_for: Callable[[str, dict[str, Any]], int | None] | None = None

    def secret_for(self, path: str) -> str | None:
        if isinstance(self.secrets, str):
            return self.secrets
        return self.secrets.get(path.strip("/").split("/")[-1])

    def handle(self, path: str, body: bytes, headers: dict[str, str]) -> int:
        with self.lock:
            self.requests += 1
            if self.down:
                return 503
        secret = self.secret_for(path)
        signature, timestamp = headers.get("x-hub-signature"), headers.get("x-hub-timestamp")
        if secret is None or not verify(secret, body, signature, timestamp):
            with self.lock:
                self.bad_signatures += 1
            return 401
        try:
            envelope = json.loads(body)
        except ValueError:
            return 400
        mid = headers.get("x-hub-message-id") or envelope.get("message_id")
        if not mid or mid != envelope.get("message_id"):
            return 400
        if self.status_for is not None:
            forced = self.status_for(mid, envelope)
            if forced is not None:
                return forced
        with self.lock:
            if mid in self.applied:
                self.repeats += 1
                return 200
            self.applied[mid] = envelope
            self.received_at[mid] = time.time()
        return 200

    def count(self) -> int:
        with self.lock:
            return len(self.applied)


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length)
            headers = {k.lower(): v for k, v in self.headers.items()}
            status = receiver.handle(self.path, body, headers)
            payload = b'{"ok":true}' if status == 200 else b'{"ok":false}'
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A sender that hangs up (a connector stopped mid keep-alive) is not an error."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class ReceiverServer:
    """The receiver on 127.0.0.1 in a background thread (port 0: any free port)."""

    def __init__(self, receiver: Receiver, port: int = 0) -> None:
        self.receiver = receiver
        self.httpd = _QuietServer(("127.0.0.1", port), _handler(receiver))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    def url(self, party: str) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/{party}"

    def __enter__(self) -> ReceiverServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def main() -> None:
    p = argparse.ArgumentParser(description="reference webhook receiver")
    p.add_argument("--port", type=int, default=8081)
    p.add_argument("--secret", required=True)
    args = p.parse_args()
    with ReceiverServer(Receiver(args.secret), args.port) as server:
        print(f"receiving on http://127.0.0.1:{server.port}/hooks/<party>", flush=True)
        server.thread.join()


if __name__ == "__main__":
    main()
