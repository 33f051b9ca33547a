"""Reconnecting to RabbitMQ: the one retry policy the relay and the connector workers share."""

from __future__ import annotations

import threading
import time

from pika.exceptions import AMQPError
from tenacity import Retrying, retry_if_exception_type, wait_exponential_jitter

from hub.logsafety import get_logger

log = get_logger("hub.broker")


def reconnecting(what: str, stopping: threading.Event, deadline: float | None) -> Retrying:
    """Retry a broker session after a lost connection, with exponential backoff and jitter,
    until `stopping` is set or the monotonic `deadline` has passed."""
    return Retrying(
        retry=retry_if_exception_type((AMQPError, OSError)),
        wait=wait_exponential_jitter(multiplier=0.2, max=10.0, jitter=0.5),
        stop=lambda _s: stopping.is_set() or bool(deadline and time.monotonic() > deadline),
        reraise=True,
        before_sleep=lambda rs: log.warning(
            "%s connection lost (%s); reconnecting",
            what,
            rs.outcome.exception() if rs.outcome else "?",
        ),
    )
