"""The dead-letter queue's consumer: every dead letter is recorded on its outbox row.

Letters come from the connectors (header `x-hub-dead-reason`) and from the broker itself
(a poison message past `x-delivery-limit`: `x-death` says why). Recording is idempotent,
so a letter seen twice changes nothing; `hub deadletters list` and the admin endpoint read
the rows, `hub deadletters replay` sends them again.
"""

from __future__ import annotations

from typing import Any

from hub.delivery.message import Delivery
from hub.delivery.outcomes import Delivered, Outcome
from hub.logsafety import get_logger
from hub.services.context import HubContext
from hub.services.delivery_failures import record_dead

log = get_logger("hub.deadletters")


def _text(v: Any) -> str:
    return v.decode() if isinstance(v, bytes) else str(v)


def reason_of(headers: dict[str, Any]) -> str:
    if headers.get("x-hub-dead-reason"):
        return _text(headers["x-hub-dead-reason"])
    deaths = headers.get("x-death") or []
    if deaths:
        d = deaths[0]
        why = _text(d.get("reason", "?"))
        queue = _text(d.get("queue", "?"))
        if why == "delivery_limit":
            return f"delivery limit reached on {queue} (the connector failed on every try)"
        return f"dead-lettered by the broker: {why} on {queue}"
    return "dead-lettered (no reason given)"


def attempts_of(headers: dict[str, Any]) -> int:
    """Delivery attempts the letter had: the retries before it (`x-attempt`) and the try
    that killed it (the connector's count), or the broker's deliveries past the limit."""
    if headers.get("x-hub-dead-attempts") is not None:
        return int(headers["x-hub-dead-attempts"])
    retried = int(headers.get("x-attempt") or 0)
    return retried + max(1, int(headers.get("x-delivery-count") or 0))


class DeadLetterRecorder:
    name = "deadletters"

    def __init__(self, ctx: HubContext) -> None:
        self.ctx = ctx

    def __call__(self, d: Delivery) -> Outcome:
        headers = dict(d.properties.headers or {})
        reason = reason_of(headers)
        mid = d.properties.message_id
        attempts = attempts_of(headers)
        # One unit of work per letter, opened here: this consumer is an entrypoint.
        if not mid or not self.ctx.db.run(
            lambda s: record_dead(self.ctx, s, mid, reason, attempts=attempts)
        ):
            log.error(
                "dead letter %s (%s): not an outbox message, or already recorded", mid, reason
            )
        else:
            log.warning("dead letter recorded: %s %s", mid, reason)
        return Delivered("recorded")
