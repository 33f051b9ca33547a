"""The connector port and what a delivery attempt can come to.

Outcome
├── Delivered         the party has it: ack (or mark sent)
├── Retry(reason)     try again after a backoff, until the message's deadline
├── Dead(reason)      never deliverable as it is: dead-letter now, operators see it
└── Forward(...)      publish a copy elsewhere on the broker, then ack
"""

from __future__ import annotations

import random
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from hub.clock import Clock
from hub.delivery.message import Message
from hub.delivery.settings import DeliverySettings


class Outcome:
    pass


@dataclass(frozen=True)
class Delivered(Outcome):
    detail: str = ""
    #: False when settled without sending anything (no recipient, all sent before): the
    #: metrics count it as "skipped", not "delivered".
    sent: bool = True


@dataclass(frozen=True)
class Retry(Outcome):
    reason: str
    delay: float = 1.0
    deliver_by: datetime | None = None


@dataclass(frozen=True)
class Dead(Outcome):
    reason: str


@dataclass(frozen=True)
class Forward(Outcome):
    exchange: str
    routing_key: str
    body: bytes
    headers: dict[str, Any]
    content_type: str = "application/json"


class RetryPolicy:
    """Exponential backoff with jitter, bounded by the message's deadline.

    A message with no deadline of its own gets one at its first failure:
    `default_deliver_within` seconds later. A retry that would end past the deadline is
    not attempted: the message is dead instead (and a new case is flagged).
    """

    def __init__(self, settings: DeliverySettings, clock: Clock, rng: random.Random | None = None):
        self.settings = settings
        self.clock = clock
        self.rng = rng or random.Random()

    def delay(self, attempt: int) -> float:
        cap = self.settings.retry_delays[-1]
        base = min(cap, self.settings.backoff_base * (2 ** min(attempt, 30)))
        return float(min(cap, base * self.rng.uniform(0.8, 1.2)))

    def after_failure(self, message: Message, reason: str) -> Outcome:
        now = self.clock.now()
        deadline = message.deliver_by or (
            now + timedelta(seconds=self.settings.default_deliver_within)
        )
        delay = self.delay(message.attempt)
        if now + timedelta(seconds=delay) > deadline:
            return Dead(f"not delivered by its deadline {deadline.isoformat()}: {reason}")
        return Retry(reason, delay, deadline)


class Connector(ABC):
    """Delivers one outbox message to its party, once per call; says what came of it."""

    name: str = "connector"
    #: True: one message at a time per queue and retries in place (order matters).
    ordered: bool = False

    @abstractmethod
    def handle(self, message: Message) -> Outcome: ...

    def close(self) -> None:  # noqa: B027 - optional hook
        pass
