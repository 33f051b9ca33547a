"""Configuration from the environment (INTERFACE 11).

Every setting has an embedded default so `hub demo` runs with nothing configured:
SQLite in the working folder, no broker, region 310000 (Shanghai).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from hub.delivery.settings import DeliverySettings


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    return float(raw) if raw else default


@dataclass(frozen=True)
class SharingSettings:
    """What the data bureau receives (INTERFACE 9, 9a). Every parameter may only be made
    stricter than its default: k and l raised, the noise's epsilon and the budget lowered.

    - `k` (HUB_SHARED_K, default 5): every released record shares its quasi-identifiers
      with at least k-1 others; `l` (HUB_SHARED_L, default 2): distinct outcomes per class.
    - `epsilon` (HUB_DP_EPSILON, default 0.25): the differential-privacy cost of one
      aggregate table (noise scale 4); `budget` (HUB_DP_BUDGET, default 2): the total a
      token may spend, so one token learns at most what eight tables tell.
    - `settle_seconds` (HUB_SHARED_SETTLE_SECONDS, default 5): how long after a month ends
      its release waits for transactions stamped before the end to commit.
    """

    k: int = 5
    l_diversity: int = 2
    epsilon: float = 0.25
    budget: float = 2.0
    settle_seconds: float = 5.0

    def __post_init__(self) -> None:
        if self.k < 5:
            raise ValueError("HUB_SHARED_K may only be raised from 5")
        if self.l_diversity < 2:
            raise ValueError("HUB_SHARED_L may only be raised from 2")
        if not 0 < self.epsilon <= 0.25:
            raise ValueError("HUB_DP_EPSILON may only be lowered from 0.25 (and above 0)")
        if not self.epsilon <= self.budget <= 2:
            raise ValueError("HUB_DP_BUDGET may only be lowered from 2 (and not below epsilon)")

    @classmethod
    def from_env(cls) -> SharingSettings:
        return cls(
            k=_int("HUB_SHARED_K", 5),
            l_diversity=_int("HUB_SHARED_L", 2),
            epsilon=_float("HUB_DP_EPSILON", 0.25),
            budget=_float("HUB_DP_BUDGET", 2.0),
            settle_seconds=_float("HUB_SHARED_SETTLE_SECONDS", 5.0),
        )


def _floats(name: str, default: tuple[float, ...]) -> tuple[float, ...]:
    raw = os.environ.get(name)
    if not raw:
        return default
    values = tuple(float(x) for x in raw.split(",") if x.strip())
    if not values or any(v <= 0 for v in values):
        raise ValueError(f"{name} must be positive seconds, comma separated")
    return tuple(sorted(values))


def _text(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name) or default


def delivery_from_env() -> DeliverySettings:
    """The broker and delivery settings (`HUB_AMQP_*`, `HUB_DELIVERY_*`, ...)."""
    d = DeliverySettings
    return DeliverySettings(
        amqp_url=_text("HUB_AMQP_URL"),
        prefix=_text("HUB_AMQP_PREFIX", d.prefix) or d.prefix,
        delivery_limit=_int("HUB_DELIVERY_LIMIT", d.delivery_limit),
        retry_delays=_floats("HUB_RETRY_DELAYS", d.retry_delays),
        backoff_base=float(_text("HUB_BACKOFF_BASE") or d.backoff_base),
        default_deliver_within=float(_text("HUB_DELIVER_WITHIN") or d.default_deliver_within),
        webhook_timeout=float(_text("HUB_WEBHOOK_TIMEOUT") or d.webhook_timeout),
        prefetch=_int("HUB_PREFETCH", d.prefetch),
        party_concurrency=_int("HUB_PARTY_CONCURRENCY", d.party_concurrency),
        heartbeat=_int("HUB_AMQP_HEARTBEAT", d.heartbeat),
        blocked_connection_timeout=float(
            _text("HUB_AMQP_BLOCKED_TIMEOUT") or d.blocked_connection_timeout
        ),
        portal_url=_text("HUB_PORTAL_URL"),
        portal_secret=_text("HUB_PORTAL_SECRET"),
        sms_url=_text("HUB_SMS_URL"),
        sms_key=_text("HUB_SMS_KEY"),
        smtp_host=_text("HUB_SMTP_HOST"),
        smtp_port=_int("HUB_SMTP_PORT", d.smtp_port),
        smtp_sender=_text("HUB_SMTP_SENDER", d.smtp_sender) or d.smtp_sender,
        smtp_user=_text("HUB_SMTP_USER"),
        smtp_password=_text("HUB_SMTP_PASSWORD"),
        smtp_starttls=(_text("HUB_SMTP_STARTTLS") or "").lower() in ("1", "true", "yes"),
    )


@dataclass(frozen=True)
class Settings:
    database_url: str
    amqp_url: str | None
    region: str
    data_dir: Path
    decide_days: int = 3
    max_body_bytes: int = 8 * 1024 * 1024
    feed_max_wait_seconds: int = 30
    #: Where a party opens a served document on the portal ({document_id} is filled in);
    #: the SMS of a service carries it (INTERFACE 15).
    portal_document_url: str = "https://portal.invalid/onematter/documents/{document_id}"
    #: The justice bureau's unit id (市司法局): it oversees every institution, as admins do.
    justice_bureau: str = "sfj"
    #: argon2id cost of web passwords (RFC 9106's second recommendation by default).
    password_time_cost: int = 3
    password_memory_kib: int = 64 * 1024
    password_parallelism: int = 4
    sharing: SharingSettings = field(default_factory=SharingSettings)
    #: Broker and delivery (`DeliverySettings`); its `amqp_url` is kept equal to the
    #: one above by `delivery_settings()`.
    delivery: DeliverySettings = field(default_factory=DeliverySettings)
    extra: dict[str, str] = field(default_factory=dict)

    def delivery_settings(self) -> DeliverySettings:
        """The delivery settings, with this hub's broker URL."""
        from dataclasses import replace

        return replace(self.delivery, amqp_url=self.amqp_url)

    @classmethod
    def from_env(cls) -> Settings:
        data_dir = Path(os.environ.get("HUB_DATA_DIR", "var")).resolve()
        default_db = f"sqlite:///{data_dir / 'hub.db'}"
        region = os.environ.get("HUB_REGION", "310000")
        if not (len(region) == 6 and region.isdigit()):
            raise ValueError("HUB_REGION must be a 6-digit administrative division code")
        return cls(
            database_url=os.environ.get("HUB_DATABASE_URL", default_db),
            amqp_url=os.environ.get("HUB_AMQP_URL") or None,
            region=region,
            data_dir=data_dir,
            decide_days=_int("HUB_DECIDE_DAYS", 3),
            max_body_bytes=_int("HUB_MAX_BODY_BYTES", 8 * 1024 * 1024),
            feed_max_wait_seconds=_int("HUB_FEED_MAX_WAIT", 30),
            portal_document_url=os.environ.get("HUB_PORTAL_DOCUMENT_URL", cls.portal_document_url),
            justice_bureau=os.environ.get("HUB_ESCALATION_UNIT") or "sfj",
            password_time_cost=_int("HUB_PASSWORD_TIME_COST", 3),
            password_memory_kib=_int("HUB_PASSWORD_MEMORY_KIB", 64 * 1024),
            password_parallelism=_int("HUB_PASSWORD_PARALLELISM", 4),
            sharing=SharingSettings.from_env(),
            delivery=delivery_from_env(),
        )
