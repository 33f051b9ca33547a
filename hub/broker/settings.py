"""Broker and delivery settings, from the environment (the embedded default needs none)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field


def _floats(raw: str | None, default: tuple[float, ...]) -> tuple[float, ...]:
    if not raw:
        return default
    values = tuple(float(x) for x in raw.split(",") if x.strip())
    if not values or any(v <= 0 for v in values):
        raise ValueError("HUB_RETRY_DELAYS must be positive seconds, comma separated")
    return tuple(sorted(values))


@dataclass(frozen=True)
class DeliverySettings:
    """How messages travel and how hard the hub tries.

    `retry_delays` are the retry tiers (seconds): a failed delivery waits in the tier queue
    that fits its backoff, then returns to its party's queue.
    """

    amqp_url: str | None = None
    prefix: str = "hub"
    delivery_limit: int = 5
    retry_delays: tuple[float, ...] = (1.0, 5.0, 30.0, 120.0, 600.0, 3600.0)
    backoff_base: float = 1.0
    default_deliver_within: float = 3 * 24 * 3600.0
    webhook_timeout: float = 10.0
    prefetch: int = 32
    party_concurrency: int = 8
    heartbeat: int = 30
    blocked_connection_timeout: float = 60.0
    portal_url: str | None = None
    portal_secret: str | None = None
    sms_url: str | None = None
    sms_key: str | None = None
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_sender: str = "noreply@onematter.example"
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> DeliverySettings:
        e = dict(os.environ if env is None else env)

        def get(name: str) -> str | None:
            return e.get(name) or None

        return cls(
            amqp_url=get("HUB_AMQP_URL"),
            prefix=get("HUB_AMQP_PREFIX") or "hub",
            delivery_limit=int(get("HUB_DELIVERY_LIMIT") or 5),
            retry_delays=_floats(get("HUB_RETRY_DELAYS"), cls.retry_delays),
            backoff_base=float(get("HUB_BACKOFF_BASE") or 1.0),
            default_deliver_within=float(get("HUB_DELIVER_WITHIN") or 3 * 24 * 3600),
            webhook_timeout=float(get("HUB_WEBHOOK_TIMEOUT") or 10.0),
            prefetch=int(get("HUB_PREFETCH") or 32),
            party_concurrency=int(get("HUB_PARTY_CONCURRENCY") or 8),
            heartbeat=int(get("HUB_AMQP_HEARTBEAT") or 30),
            blocked_connection_timeout=float(get("HUB_AMQP_BLOCKED_TIMEOUT") or 60),
            portal_url=get("HUB_PORTAL_URL"),
            portal_secret=get("HUB_PORTAL_SECRET"),
            sms_url=get("HUB_SMS_URL"),
            sms_key=get("HUB_SMS_KEY"),
            smtp_host=get("HUB_SMTP_HOST"),
            smtp_port=int(get("HUB_SMTP_PORT") or 25),
            smtp_sender=get("HUB_SMTP_SENDER") or "noreply@onematter.example",
            smtp_user=get("HUB_SMTP_USER"),
            smtp_password=get("HUB_SMTP_PASSWORD"),
            smtp_starttls=(get("HUB_SMTP_STARTTLS") or "").lower() in ("1", "true", "yes"),
        )
