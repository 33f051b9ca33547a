"""Throttling rules (限流, INTERFACE 13 and 18): budgets over sliding windows, no I/O.

Public look-ups answer a number and a code (`/v1/status/{no}`, `/v1/complaints/{no}`,
`/web/status`); sign-ins answer a credential. Each wrong answer is a guess. Per client:

- at most `per_number` (10) wrong guesses for one number in any `number_window` (1 hour);
- at most `per_client` (1,000) wrong guesses in all in any `client_window` (24 hours);
- at most `signins` (20) sign-in attempts in any `signin_window` (1 minute).

Past a budget the client waits until the oldest counted guess leaves its window: the answer
is `429` with `Retry-After`, and a right code is refused too until then.

A client is its address; IPv6 addresses count per /64, the block one subscriber holds.
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

#: Kinds of counted events.
GUESS = "guess"  # a wrong code (or an unknown number) on a public look-up, a bad sign-in
SIGNIN = "signin"  # every sign-in attempt


@dataclass(frozen=True)
class Budget:
    """At most `limit` events in any `window`."""

    limit: int
    window: timedelta

    def wait(self, events: Sequence[datetime], now: datetime) -> float | None:
        """Seconds until one more event fits, or None when it fits now. `events` are the
        times of the counted events inside the window (any order)."""
        recent = sorted(at for at in events if at > now - self.window)
        if len(recent) < self.limit:
            return None
        # The event that must leave the window for one more to fit.
        leaving = recent[len(recent) - self.limit]
        return max(1.0, math.ceil((leaving + self.window - now).total_seconds()))


@dataclass(frozen=True)
class Limits:
    per_number: Budget = Budget(10, timedelta(hours=1))
    per_client: Budget = Budget(1000, timedelta(hours=24))
    signins: Budget = Budget(20, timedelta(minutes=1))

    @property
    def longest(self) -> timedelta:
        return max(self.per_number.window, self.per_client.window, self.signins.window)


def client_key(address: str | None) -> str:
    """The unit a budget is kept for: an IPv4 address, an IPv6 /64, or the text given."""
    if not address:
        return "unknown"
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return address[:64]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((int(ip) >> 64 << 64, 64)))
    return str(ip)
