"""The API process's token cache (INTERFACE 1) and its background writer of last uses.

A token looked up once is remembered for at most `tokens.CACHE_SECONDS`; the uses seen are
counted in memory and written every `tokens.USAGE_FLUSH_SECONDS` by a thread of this
process, which opens the unit of work for them (hub.services.tokens.write_usage).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import select

from hub.logsafety import get_logger
from hub.services import tokens
from hub.services.context import HubContext
from hub.services.principal import Principal, Role
from hub.services.tokens import CACHE_SECONDS, USAGE_FLUSH_SECONDS, token_hash
from hub.store.models import ApiToken
from hub.supervision import Supervised

log = get_logger("hub.tokens")


@dataclass(frozen=True)
class _Entry:
    until: float  # monotonic
    principal: Principal | None
    expires_at: datetime | None


class TokenCache:
    """Tokens looked up once and remembered for `ttl` seconds (at most `CACHE_SECONDS`), so
    intake does not pay a query per call; the uses are counted here and written in the
    background (`flush_usage`, started with the first use)."""

    def __init__(
        self,
        ctx: HubContext,
        ttl: float = CACHE_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
        flush_every: float = USAGE_FLUSH_SECONDS,
    ) -> None:
        self._ctx = ctx
        self._ttl = min(ttl, CACHE_SECONDS)
        self._monotonic = monotonic
        self._flush_every = flush_every
        self._lock = threading.Lock()
        self._entries: dict[str, _Entry] = {}
        self._used: dict[str, datetime] = {}
        self._flusher: Supervised | None = None
        self._stop = threading.Event()

    def fresh(self, token: str) -> bool:
        """Whether `authenticate(token)` would answer from memory, without the database."""
        with self._lock:
            hit = self._entries.get(token_hash(token))
        return hit is not None and hit.until > self._monotonic()

    def authenticate(self, token: str) -> Principal | None:
        digest = token_hash(token)
        now = self._monotonic()
        with self._lock:
            hit = self._entries.get(digest)
        if hit is None or hit.until <= now:
            hit = self._look_up(digest, now)
        principal = hit.principal
        if principal is None:
            return None
        wall = self._ctx.clock.now()
        if hit.expires_at is not None and hit.expires_at <= wall:
            return None
        with self._lock:
            self._used[principal.token_id] = wall
        self._ensure_flusher()
        return principal

    def _look_up(self, digest: str, now: float) -> _Entry:
        with self._ctx.db.read() as session:
            row = session.exec(select(ApiToken).where(ApiToken.token_hash == digest)).first()
        entry = _Entry(
            now + self._ttl,
            Principal(Role(row.role), row.party_id, row.id)
            if row is not None and row.revoked_at is None
            else None,
            row.expires_at if row is not None else None,
        )
        with self._lock:
            if len(self._entries) > 10000:
                self._entries.clear()
            self._entries[digest] = entry
        return entry

    # -- last use ------------------------------------------------------------------
    def flush_usage(self) -> int:
        """Write the last use of every token used since the last flush, in a transaction of
        its own: the uses of many requests, apart from any of them (a request's rollback
        does not undo them). Answers how many rows changed."""
        with self._lock:
            used, self._used = self._used, {}
        if not used:
            return 0
        return self._ctx.db.run(lambda uow: tokens.write_usage(uow, used))

    def _ensure_flusher(self) -> None:
        if self._flusher is not None or self._flush_every <= 0:
            return
        with self._lock:
            if self._flusher is not None:
                return
            self._flusher = Supervised("hub-token-usage", self._flush_loop, self._stop).start()

    def _flush_loop(self) -> None:
        while not self._stop.wait(self._flush_every):
            try:
                self.flush_usage()
            except Exception as exc:  # the next round tries again; usage is not a rule
                log.warning("token last-use flush failed: %s", type(exc).__name__)

    def close(self) -> None:
        """Stop the background writer and write what is left (at shutdown)."""
        self._stop.set()
        try:
            self.flush_usage()
        except Exception as exc:
            log.warning("token last-use flush failed: %s", type(exc).__name__)
