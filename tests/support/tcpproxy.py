"""A small TCP proxy on 127.0.0.1 that a test can cut, as pika's acceptance tests do.

`cut()` resets every open connection through the proxy (the listener stays up, so clients
reconnect through it); `pause()` refuses new connections until `resume()`.
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading
from typing import Any


class TcpProxy:
    def __init__(self, target_port: int, target_host: str = "127.0.0.1") -> None:
        self.target = (target_host, target_port)
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = int(self.listener.getsockname()[1])
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._refuse = threading.Event()
        self.cuts = 0
        self.accepted = 0
        self._thread = threading.Thread(target=self._accept, daemon=True, name="tcpproxy")

    def __enter__(self) -> TcpProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self.listener.close()
        self.cut()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                r, _, _ = select.select([self.listener], [], [], 0.1)
                if not r:
                    continue
                client, _ = self.listener.accept()
            except OSError:
                return
            if self._refuse.is_set():
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._pairs.append((client, upstream))
                self.accepted += 1
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    def _pump(self, a: socket.socket, b: socket.socket) -> None:
        socks = [a, b]
        try:
            while not self._stop.is_set():
                r, _, _ = select.select(socks, [], [], 0.2)
                for s in r:
                    data = s.recv(65536)
                    if not data:
                        return
                    (b if s is a else a).sendall(data)
        except OSError:
            return
        finally:
            for s in socks:
                with contextlib.suppress(OSError):
                    s.close()

    def cut(self) -> int:
        """Reset every connection now; answers how many were cut."""
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for a, b in pairs:
            for s in (a, b):
                try:
                    s.setsockopt(
                        socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
                    )
                    s.shutdown(socket.SHUT_RDWR)
                    s.close()
                except OSError:
                    pass
        self.cuts += 1
        return len(pairs)

    def pause(self) -> None:
        self._refuse.set()

    def resume(self) -> None:
        self._refuse.clear()
