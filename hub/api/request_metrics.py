"""HTTP request counts and latency by route template (`/v1/applications/{no}`, never the
number itself: a label per case would be personal data and an unbounded series)."""

from __future__ import annotations

import time
from typing import Any

from prometheus_client import Counter, Histogram

REQUESTS = Counter(
    "hub_http_requests_total", "HTTP requests answered", ["method", "route", "status"]
)
LATENCY = Histogram(
    "hub_http_request_seconds",
    "Time to answer an HTTP request",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
#: Requests no route matched (404s, scans): one label for all of them.
UNMATCHED = "unmatched"


def route_template(scope: dict[str, Any]) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    if not path:
        return UNMATCHED
    return str(scope.get("root_path", "") or "") + str(path)


class RequestMetrics:
    """Pure ASGI middleware: times each request from its start to the response's end."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def sending(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            route = route_template(scope)
            method = scope.get("method", "GET")
            REQUESTS.labels(method, route, str(status)).inc()
            LATENCY.labels(method, route).observe(time.perf_counter() - started)
