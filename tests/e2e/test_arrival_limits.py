"""Half-sent requests against a real `hub serve` (issue 12, item 10): a request whose headers
are not complete in 10 s, or whose body stalls for 30 s, is closed; the hub keeps answering
everyone else meanwhile."""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.e2e.test_serve_e2e import run_hub, serving

pytestmark = [pytest.mark.slow]


def _closed_after(host: str, port: int, first: bytes, results: dict[str, float], name: str) -> None:
    """Send `first`, then nothing: how long until the hub closes the connection, and what
    it said."""
    with socket.create_connection((host, port), timeout=60) as sock:
        started = time.monotonic()
        if first:
            sock.sendall(first)
        answer = b""
        while True:
            try:
                chunk = sock.recv(4096)
            except (ConnectionResetError, TimeoutError):
                break
            if not chunk:
                break
            answer += chunk
        results[name] = time.monotonic() - started
        results[name + ":answer"] = float(answer.startswith(b"HTTP/1.1 408"))


def test_half_sent_requests_are_closed(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "HUB_DATABASE_URL": f"sqlite:///{tmp_path / 'hub.db'}",
        "HUB_DATA_DIR": str(tmp_path),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("HUB_AMQP_URL", None)
    for name in ("HUB_HEADER_TIMEOUT", "HUB_BODY_TIMEOUT"):  # the defaults: 10 s and 30 s
        env.pop(name, None)
    run_hub(env, "db", "upgrade")
    with serving(env, tmp_path / "serve.log") as base:
        host, port = base.removeprefix("http://").split(":")
        results: dict[str, float] = {}
        cases = {
            "silent": b"",  # connects and says nothing
            "headers": b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ",  # never ends
            "body": (  # the status form, which reads its body first: 8 of 200 bytes
                b"POST /web/status HTTP/1.1\r\nHost: x\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\n"
                b"Content-Length: 200\r\n\r\nno=3100"
            ),
        }
        threads = [
            threading.Thread(target=_closed_after, args=(host, int(port), first, results, name))
            for name, first in cases.items()
        ]
        for t in threads:
            t.start()
        time.sleep(2)
        # meanwhile the hub answers others at once
        assert httpx.get(f"{base}/healthz", timeout=2).status_code == 200
        for t in threads:
            t.join(timeout=60)
    assert 9.0 <= results["silent"] <= 13.0, results
    assert 9.0 <= results["headers"] <= 13.0, results
    assert results["silent:answer"] == 1.0 and results["headers:answer"] == 1.0, results
    assert 29.0 <= results["body"] <= 34.0, results
    assert results["body:answer"] == 1.0, results
