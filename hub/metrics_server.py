"""`--metrics-port`: GET /metrics (Prometheus) and GET /healthz of a long-running process
(`hub serve`, `hub relay`, `hub connector`, `hub scheduler`), on a port of its own.

A small threaded HTTP server from the standard library, in a daemon thread: the relay's
and the connectors' counters live in their own processes, so each one serves its own.
`/healthz` is liveness: 200 while the process's `alive()` holds (its loop runs), else 503,
whatever its dependencies do (a restart would not bring the broker back). `/readyz` is
readiness: 503 also while `ready()` does not hold (the relay's and the connectors' broker
connection is down), so a probe takes the pod out of service without restarting it.
With `hub serve --workers N` the API workers keep their counters in prometheus_client's
multiprocess files, and the metrics port answers for the workers and the supervisor alike.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest

from hub.config import MetricsSettings
from hub.logsafety import get_logger

log = get_logger("hub.metrics")


class _Merged:
    """This process's registry and the API workers' (prometheus_client's multiprocess
    files), one family per name: `hub serve --workers N` answers for all its processes."""

    def __init__(self, multiprocess_dir: str) -> None:
        from prometheus_client import CollectorRegistry
        from prometheus_client.multiprocess import MultiProcessCollector

        self.workers = CollectorRegistry()
        MultiProcessCollector(self.workers, path=multiprocess_dir)  # type: ignore[no-untyped-call]

    def collect(self) -> Iterator[Any]:
        families: dict[str, Any] = {}
        for registry in (REGISTRY, self.workers):
            for family in registry.collect():
                if family.name in families:
                    families[family.name].samples.extend(family.samples)
                else:
                    families[family.name] = family
        yield from families.values()


def prepare_worker_metrics() -> str:
    """A fresh folder for the API workers' metrics, in the environment they inherit; call
    before they start (prometheus_client reads it when a worker first imports it)."""
    import tempfile

    from hub.config import export_worker_metrics_dir

    folder = tempfile.mkdtemp(prefix="hub-metrics-")
    export_worker_metrics_dir(folder)
    return folder


class MetricsServer:
    def __init__(
        self,
        port: int,
        *,
        host: str = "127.0.0.1",
        process: str,
        alive: Callable[[], bool] = lambda: True,
        ready: Callable[[], bool] = lambda: True,
        details: Callable[[], dict[str, Any]] = dict,
        multiprocess_dir: str | None = None,
    ) -> None:
        owner = self
        source: Any = _Merged(multiprocess_dir) if multiprocess_dir else REGISTRY

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                if path == "/metrics":
                    self._answer(200, generate_latest(source), CONTENT_TYPE_LATEST)
                elif path == "/healthz":
                    ok = owner.alive()
                    self._health(ok, "ok" if ok else "failing")
                elif path == "/readyz":
                    ok = owner.alive() and owner.ready()
                    self._health(ok, "ready" if ok else "not ready")
                else:
                    self._answer(404, b'{"status":404}', "application/json")

            def _health(self, ok: bool, status: str) -> None:
                body = {"status": status, "process": owner.process, "pid": os.getpid()}
                body.update(owner.details())
                self._answer(200 if ok else 503, json.dumps(body).encode(), "application/json")

            def _answer(self, status: int, body: bytes, media_type: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", media_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:  # scrapes are not news
                return

        self.process = process
        self.alive = alive
        self.ready = ready
        self.details = details
        self.httpd = ThreadingHTTPServer((host, port), Handler)
        self.httpd.daemon_threads = True
        self.port = int(self.httpd.server_address[1])
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, name="hub-metrics", daemon=True
        )

    def start(self) -> MetricsServer:
        self._thread.start()
        log.info("%s: /metrics, /healthz and /readyz on port %d", self.process, self.port)
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def add_arguments(parser: Any) -> None:
    """`--metrics-port` and `--metrics-host` of a long-running command."""
    parser.add_argument(
        "--metrics-port",
        type=int,
        default=None,
        metavar="PORT",
        help="serve /metrics, /healthz and /readyz on this port (default: HUB_METRICS_PORT)",
    )
    parser.add_argument(
        "--metrics-host",
        default=None,
        metavar="HOST",
        help="address of the metrics port (default: HUB_METRICS_HOST or 127.0.0.1)",
    )


def wanted(args: Any) -> bool:
    return args.metrics_port is not None or MetricsSettings.from_env().port is not None


def start_from_args(
    args: Any,
    process: str,
    *,
    alive: Callable[[], bool] = lambda: True,
    ready: Callable[[], bool] = lambda: True,
    details: Callable[[], dict[str, Any]] = dict,
    multiprocess_dir: str | None = None,
) -> MetricsServer | None:
    configured = MetricsSettings.from_env()
    port = args.metrics_port if args.metrics_port is not None else configured.port
    if port is None:
        return None
    host = args.metrics_host or configured.host
    return MetricsServer(
        port,
        host=host,
        process=process,
        alive=alive,
        ready=ready,
        details=details,
        multiprocess_dir=multiprocess_dir,
    ).start()
