"""A small HTTP/1.1 load generator on raw asyncio streams (keep-alive, no client library).

Kept deliberately thin so that on a 2-core machine the hub, not the client, is measured.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    elapsed: float = 0.0

    def record(self, status: int, seconds: float) -> None:
        self.statuses[status] = self.statuses.get(status, 0) + 1
        self.latencies.append(seconds)

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000

    def summary(self) -> str:
        return (
            f"{len(self.latencies)} requests in {self.elapsed:.1f} s = {self.rate:.0f}/s; "
            f"p50 {self.percentile(50):.1f} ms, p99 {self.percentile(99):.1f} ms, "
            f"mean {statistics.fmean(self.latencies) * 1000:.1f} ms; statuses {self.statuses}"
        )


class Connection:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.body = b""  # the last answer's body

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def post(
        self, path: str, body: bytes, headers: dict[str, str], method: str = "POST"
    ) -> int:
        assert self.reader is not None and self.writer is not None
        head = f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\nContent-Length: {len(body)}\r\n"
        if body:
            head += "Content-Type: application/json\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
        self.writer.write(head.encode() + body)
        await self.writer.drain()
        status_line = await self.reader.readline()
        status = int(status_line.split()[1])
        length = 0
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        self.body = await self.reader.readexactly(length) if length else b""
        return status

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def closed_loop(
    host: str,
    port: int,
    path: str | Callable[[], str],
    make_body: Callable[[], bytes],
    headers: dict[str, str],
    *,
    connections: int,
    seconds: float,
    method: str = "POST",
) -> Result:
    """As fast as the server answers, `connections` requests in flight. `path` may be a
    function that names each request's path (a GET of many resources)."""
    next_path = path if callable(path) else (lambda: path)
    result = Result()
    stop_at = time.perf_counter() + seconds

    async def worker() -> None:
        conn = Connection(host, port)
        await conn.open()
        try:
            while time.perf_counter() < stop_at:
                t0 = time.perf_counter()
                status = await conn.post(next_path(), make_body(), headers, method)
                result.record(status, time.perf_counter() - t0)
        finally:
            conn.close()

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    result.elapsed = time.perf_counter() - start
    return result


async def open_loop(
    host: str,
    port: int,
    path: str,
    make_body: Callable[[], bytes],
    headers: dict[str, str],
    *,
    rate: float,
    seconds: float,
    connections: int = 64,
    on_answer: Callable[[float, int, bytes], None] | None = None,
) -> Result:
    """A steady `rate` of requests per second, latency measured from the scheduled send time.
    `on_answer(scheduled, status, body)` sees each answer (`scheduled`: perf_counter time)."""
    result = Result()
    pool: asyncio.Queue[Connection] = asyncio.Queue()
    for _ in range(connections):
        conn = Connection(host, port)
        await conn.open()
        pool.put_nowait(conn)
    total = int(rate * seconds)
    start = time.perf_counter()

    async def one(scheduled: float) -> None:
        conn = await pool.get()
        try:
            status = await conn.post(path, make_body(), headers)
            result.record(status, time.perf_counter() - scheduled)
            if on_answer is not None:
                on_answer(scheduled, status, conn.body)
        finally:
            pool.put_nowait(conn)

    tasks = []
    for i in range(total):
        scheduled = start + i / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(scheduled)))
    await asyncio.gather(*tasks)
    result.elapsed = time.perf_counter() - start
    while not pool.empty():
        pool.get_nowait().close()
    return result
