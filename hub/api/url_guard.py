"""Control characters in a URL are refused before any route sees it.

A NUL from `?institution=%00` or `/v1/registry/institutions/%00/history` would otherwise
reach PostgreSQL (which refuses NUL in text: a 500); no query value or path segment of the
hub has a reason to hold a control character. One ASGI middleware for every route, API and
web alike: 422 problem+json with the pointer `/query/<name>` or `/path`.
"""

from __future__ import annotations

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from hub.api.problems import problem
from hub.services.errors import Violation
from schemas.text import has_control

MESSAGE = "不能含有控制字符（如 %00） / must not contain control characters (such as %00)"


class RefuseControlCharacters:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            pointer = _offending(scope)
            if pointer is not None:
                response = problem(
                    422,
                    f"{pointer}: {MESSAGE}",
                    request=Request(scope),
                    errors=[Violation(pointer, MESSAGE)],
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _offending(scope: Scope) -> str | None:
    if has_control(scope.get("path", "")):
        return "/path"
    raw = scope.get("query_string", b"")
    if not raw:
        return None
    for name, value in QueryParams(raw).multi_items():
        if has_control(name) or has_control(value):
            clean = "".join(c if c.isprintable() else "?" for c in name)
            return "/query/" + clean.replace("~", "~0").replace("/", "~1")
    return None
