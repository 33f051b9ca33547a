"""Bearer tokens looked up off the event loop (issue 12, item 1).

A token this process has not seen in the last `CACHE_SECONDS` needs a database read. Made on
the event loop, that read stopped every other request, `/healthz` too, whenever the
database was slow or its pool exhausted (a burst of unknown tokens is enough). So each HTTP
request's bearer token is resolved before routing: from the cache, in the loop, when the
cache holds it fresh; else in a worker thread. `authenticate` (hub.api.support) then only
reads the answer from the request's state.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from hub.api.token_cache import TokenCache
from hub.services.principal import Principal

#: Where the answer goes in the request's state: (token, principal or None, or the error).
STATE_KEY = "hub_bearer"


def bearer_token(header: str) -> str | None:
    scheme, _, token = header.partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


class BearerLookup:
    """ASGI middleware: resolve the request's bearer token without blocking the loop."""

    def __init__(self, app: ASGIApp, tokens: TokenCache) -> None:
        self.app = app
        self.tokens = tokens

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            header = next(
                (v for k, v in scope.get("headers", ()) if k == b"authorization"), b""
            ).decode("latin-1")
            token = bearer_token(header)
            if token is not None:
                answer: Principal | Exception | None
                try:
                    if self.tokens.fresh(token):
                        answer = self.tokens.authenticate(token)  # no I/O
                    else:
                        answer = await run_in_threadpool(self.tokens.authenticate, token)
                except Exception as exc:  # raised where the route asks, as before
                    answer = exc
                state: dict[str, Any] = scope.setdefault("state", {})
                state[STATE_KEY] = (token, answer)
        await self.app(scope, receive, send)
