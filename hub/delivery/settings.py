"""Broker and delivery settings (the embedded default needs none); read from the
environment by `hub.config.Settings.from_env`, the one place that reads it."""

from __future__ import annotations

from dataclasses import dataclass, field


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
