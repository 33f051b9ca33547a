"""Time limits on a request's arrival, for `hub serve` (issue 12, item 10).

uvicorn waits for ever for a request's headers, and for a body that stops coming: 50 clients
sending half a request each held 50 connections for as long as they liked. This protocol is
uvicorn's own (httptools) with two timers:

- the headers of a request must be complete `HUB_HEADER_TIMEOUT` seconds (10) after the
  connection opened, or after the request's first byte on a kept-alive connection (the
  idle time between requests is uvicorn's keep-alive timeout, 5 s);
- the body must not pause longer than `HUB_BODY_TIMEOUT` seconds (30) between two pieces.

When a timer runs out the client is answered `408 Request Timeout` (if nothing was answered
yet) and the connection is closed; a handler waiting for the body then sees the client gone.
`hub serve` selects it with uvicorn's `http=` setting.
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from hub.config import ServeSettings

IMPORT_PATH = "hub.arrival_limits:TimedHttpToolsProtocol"

_REQUEST_TIMEOUT = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
    b"content-length: 17\r\nconnection: close\r\n\r\nrequest timed out"
)


@functools.cache
def _limits() -> ServeSettings:
    """uvicorn builds the protocol, with no hub context at hand: read once per process."""
    return ServeSettings.from_env()


class TimedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a headers deadline and a body idle timeout."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limits = _limits()
        self.header_timeout = limits.header_timeout
        self.body_timeout = limits.body_timeout
        self._limit: asyncio.TimerHandle | None = None

    # -- timers ----------------------------------------------------------------------
    def _arm(self, seconds: float) -> None:
        self._disarm()
        self._limit = self.loop.call_later(seconds, self._timed_out)

    def _disarm(self) -> None:
        if self._limit is not None:
            self._limit.cancel()
            self._limit = None

    def _timed_out(self) -> None:
        self._limit = None
        if self.transport.is_closing():
            return
        if self.flow is not None and self.flow.read_paused:
            # The hub stopped reading (the handler has not taken the body yet): not the
            # client's stall. Look again later.
            self._arm(self.body_timeout)
            return
        if self.cycle is None or self.cycle.response_complete or not self.cycle.response_started:
            self.transport.write(_REQUEST_TIMEOUT)
        self.transport.close()

    # -- protocol and parser callbacks -------------------------------------------------
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm(self.header_timeout)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._limit is None:  # a later request on a kept connection: its own deadline
            self._arm(self.header_timeout)

    def on_headers_complete(self) -> None:
        self._arm(self.body_timeout)
        super().on_headers_complete()

    def on_body(self, body: bytes) -> None:
        self._arm(self.body_timeout)
        super().on_body(body)

    def on_message_complete(self) -> None:
        self._disarm()
        super().on_message_complete()
