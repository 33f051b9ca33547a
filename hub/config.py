"""Configuration from the environment (INTERFACE 11).

Every setting has an embedded default so `hub demo` runs with nothing configured:
SQLite in the working folder, no broker, region 310000 (Shanghai).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from hub.domain.dates import DateBounds


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
    #: Where the delivery limit, dead-lettering, overflow and the tiers' TTL live:
    #: "policy" (RabbitMQ policies, changed in place) or "arguments" (queue arguments, for
    #: a broker where no policy can be set; changing them means deleting the queues).
    limits: str = "policy"
    #: How `hub broker setup` writes the policies: the management API's URL, or a
    #: rabbitmqctl command line run on a broker host (`rabbitmqctl -n rabbit@node1`).
    management_url: str | None = None
    rabbitmqctl: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


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
      aggregate table (noise scale 4); `budget` (HUB_DP_BUDGET, default 2): what a party
      (the data bureau, all its tokens) may spend before an admin grants more.
    - `ceiling_per_year` (HUB_DP_EPSILON_CEILING_PER_YEAR, default 2): the most epsilon
      admins may grant one party in any 365 days (`hub privacy budget grant`); 0: none.
    - `settle_seconds` (HUB_SHARED_SETTLE_SECONDS, default 5): how long after a month ends
      its release waits for transactions stamped before the end to commit.
    """

    k: int = 5
    l_diversity: int = 2
    epsilon: float = 0.25
    budget: float = 2.0
    ceiling_per_year: float = 2.0
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
        if not 0 <= self.ceiling_per_year <= 2:
            raise ValueError("HUB_DP_EPSILON_CEILING_PER_YEAR may only be lowered from 2 (to 0)")

    @classmethod
    def from_env(cls) -> SharingSettings:
        return cls(
            k=_int("HUB_SHARED_K", 5),
            l_diversity=_int("HUB_SHARED_L", 2),
            epsilon=_float("HUB_DP_EPSILON", 0.25),
            budget=_float("HUB_DP_BUDGET", 2.0),
            ceiling_per_year=_float("HUB_DP_EPSILON_CEILING_PER_YEAR", 2.0),
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


def dates_from_env() -> DateBounds:
    """The plausible range of dates the hub accepts (hub.domain.dates)."""
    d = DateBounds()
    start = _text("HUB_PLATFORM_START")
    earliest = _text("HUB_EARLIEST_OCCURRENCE")
    return DateBounds(
        platform_start=date.fromisoformat(start) if start else d.platform_start,
        earliest_occurrence=date.fromisoformat(earliest) if earliest else d.earliest_occurrence,
        clock_skew=timedelta(seconds=_float("HUB_CLOCK_SKEW_SECONDS", 300)),
    )


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
        limits=_limits_mode(),
        management_url=_text("HUB_AMQP_MANAGEMENT_URL"),
        rabbitmqctl=_text("HUB_RABBITMQCTL"),
    )


def _flag(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    return raw in ("1", "true", "yes", "on") if raw else default


def _positive(name: str, default: float) -> float:
    """A positive number, or the default when unset, unreadable or not above 0."""
    try:
        value = float(os.environ.get(name, "") or default)
    except ValueError:
        return default
    return value if value > 0 else default


#: Working days a court or commission has to answer a referral (configurable). The statutes
#: count calendar days (司法确认 15 days from acceptance; 立案 7 days; 仲裁受理 5 days); the
#: hub's clock counts working days, which is never shorter.
DEFAULT_REFERRAL_DAYS = {
    "judicial_confirmation": 15,
    "arbitration_confirmation": 15,
    "arbitration": 5,
    "litigation": 7,
}


def _referral_days(raw: str | None) -> dict[str, int]:
    days = dict(DEFAULT_REFERRAL_DAYS)
    for part in (raw or "").split(","):
        name, _, value = part.partition("=")
        if name.strip() and value.strip().isdigit():
            days[name.strip()] = int(value)
    return days


@dataclass(frozen=True)
class SchedulerSettings:
    """Reminders, overdue marks and escalation (hub.ops.scheduler); `HUB_SCHEDULER=off`
    keeps `hub serve` from running it in a thread (`in_server`)."""

    remind_hours: float = 4.0
    escalate_after_days: int = 1
    escalation_unit: str = "sfj"
    interval_seconds: float = 30.0
    referral_days: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_REFERRAL_DAYS))
    in_server: bool = True

    @classmethod
    def from_env(cls) -> SchedulerSettings:
        env = os.environ
        return cls(
            remind_hours=float(env.get("HUB_REMIND_HOURS", "4")),
            escalate_after_days=int(env.get("HUB_ESCALATE_AFTER_DAYS", "1")),
            escalation_unit=env.get("HUB_ESCALATION_UNIT", "sfj"),
            interval_seconds=float(env.get("HUB_SCHEDULER_INTERVAL", "30")),
            referral_days=_referral_days(env.get("HUB_REFERRAL_ANSWER_DAYS")),
            in_server=env.get("HUB_SCHEDULER", "on").lower() not in ("off", "0", "false", "no"),
        )


@dataclass(frozen=True)
class ComplaintQuota:
    """At most `per_phone` complaints a day from one contact phone, and `per_party` an hour
    from one portal (a complaint from a portal is someone's; a flood of them is not)."""

    per_phone: int = 5
    per_party: int = 200

    @classmethod
    def from_env(cls) -> ComplaintQuota:
        def read(name: str, default: int) -> int:
            raw = os.environ.get(name, "")
            return int(raw) if raw.isdigit() and int(raw) > 0 else default

        return cls(
            per_phone=read("HUB_COMPLAINTS_PER_PHONE_DAY", 5),
            per_party=read("HUB_COMPLAINTS_PER_PARTY_HOUR", 200),
        )


@dataclass(frozen=True)
class RetentionSettings:
    idempotency_hours: float = 168.0
    #: Days the journal of what went out (`inbox`) remembers an answered message: longer
    #: than any copy can wait in the broker (a delivery's deadline is 3 days by default).
    inbox_days: float = 30.0

    @classmethod
    def from_env(cls) -> RetentionSettings:
        return cls(
            idempotency_hours=float(os.environ.get("HUB_IDEMPOTENCY_HOURS", "168")),
            inbox_days=float(os.environ.get("HUB_INBOX_DAYS", "30")),
        )


@dataclass(frozen=True)
class TargetPolicy:
    """Which webhook targets are allowed (hub.services.webhook_targets): production refuses
    plain http and private addresses; `HUB_WEBHOOK_ALLOW_HTTP` / `_PRIVATE` open them."""

    allow_http: bool = False
    allow_private: bool = False

    @classmethod
    def from_env(cls) -> TargetPolicy:
        return cls(
            allow_http=_flag("HUB_WEBHOOK_ALLOW_HTTP"),
            allow_private=_flag("HUB_WEBHOOK_ALLOW_PRIVATE"),
        )


@dataclass(frozen=True)
class AlertSettings:
    """Early-warning thresholds (hub.ops.alerts)."""

    surge_min: float = 5
    surge_sigma: float = 3
    mass_min: int = 3
    mass_days: int = 30

    @classmethod
    def from_env(cls) -> AlertSettings:
        return cls(
            surge_min=_float("HUB_ALERT_SURGE_MIN", 5),
            surge_sigma=_float("HUB_ALERT_SURGE_SIGMA", 3),
            mass_min=int(_float("HUB_ALERT_MASS_MIN", 3)),
            mass_days=int(_float("HUB_ALERT_MASS_DAYS", 30)),
        )


@dataclass(frozen=True)
class AuditSettings:
    """Signed checkpoints (hub.services.audit_trail): every `checkpoint_seconds` (at most 60)
    to `checkpoint_file` (default `<data dir>/audit-checkpoints.ndjson`)."""

    checkpoint_seconds: float = 30.0
    checkpoint_file: Path | None = None

    @classmethod
    def from_env(cls) -> AuditSettings:
        configured = os.environ.get("HUB_AUDIT_CHECKPOINT_FILE")
        return cls(
            checkpoint_seconds=min(_positive("HUB_AUDIT_CHECKPOINT_SECONDS", 30.0), 60.0),
            checkpoint_file=Path(configured) if configured else None,
        )


@dataclass(frozen=True)
class IntakeSettings:
    """Group commit of intake (hub.api.intake_batch)."""

    max_batch: int = 64
    linger_seconds: float = 0.002

    @classmethod
    def from_env(cls) -> IntakeSettings:
        return cls(
            max_batch=_int("HUB_INTAKE_MAX_BATCH", 64),
            linger_seconds=_float("HUB_INTAKE_LINGER_MS", 2) / 1000,
        )


@dataclass(frozen=True)
class ServeSettings:
    """`hub serve`: how long a request may take to arrive (hub.arrival_limits), which proxies
    may name the client (X-Forwarded-For), and the background parts left out
    (`HUB_BACKGROUND_OFF=embedded,scheduler`)."""

    header_timeout: float = 10.0
    body_timeout: float = 30.0
    trusted_proxies: str = "127.0.0.1"
    background_off: frozenset[str] = frozenset()

    @classmethod
    def from_env(cls) -> ServeSettings:
        off = os.environ.get("HUB_BACKGROUND_OFF", "")
        return cls(
            header_timeout=_positive("HUB_HEADER_TIMEOUT", 10.0),
            body_timeout=_positive("HUB_BODY_TIMEOUT", 30.0),
            trusted_proxies=os.environ.get("HUB_TRUSTED_PROXIES", "127.0.0.1"),
            background_off=frozenset(m.strip() for m in off.split(",") if m.strip()),
        )


@dataclass(frozen=True)
class MetricsSettings:
    """`/metrics` and `/healthz` of a relay, connector or scheduler process on a port of
    its own (`HUB_METRICS_PORT`, `HUB_METRICS_HOST`); `--metrics-port` wins."""

    port: int | None = None
    host: str = "127.0.0.1"

    @classmethod
    def from_env(cls) -> MetricsSettings:
        raw = os.environ.get("HUB_METRICS_PORT")
        return cls(
            port=int(raw) if raw else None,
            host=os.environ.get("HUB_METRICS_HOST") or "127.0.0.1",
        )


@dataclass(frozen=True)
class LogSettings:
    """`HUB_LOG_FORMAT`: `text` (default, a line for people) or `json` (production: one
    JSON object a line, for a log collector). hub.logsafety renders both."""

    format: str = "text"

    def __post_init__(self) -> None:
        if self.format not in ("text", "json"):
            raise ValueError("HUB_LOG_FORMAT must be text or json")

    @classmethod
    def from_env(cls) -> LogSettings:
        return cls(format=(os.environ.get("HUB_LOG_FORMAT") or "text").strip().lower())


DEFAULT_CASE_FILE_BYTES = 50 * 1024 * 1024


def _case_file_bytes() -> int:
    raw = os.environ.get("HUB_CASE_FILE_BYTES", "")
    return int(raw) if raw.isdigit() else DEFAULT_CASE_FILE_BYTES


def _limits_mode() -> str:
    mode = (_text("HUB_AMQP_LIMITS") or "policy").lower()
    if mode not in ("policy", "arguments"):
        raise ValueError("HUB_AMQP_LIMITS must be policy or arguments")
    return mode


@dataclass(frozen=True)
class Settings:
    database_url: str
    amqp_url: str | None
    region: str
    data_dir: Path
    decide_days: int = 3
    #: Working days a unit that dispatches by hand (`dispatch: manual`) has for a new case.
    unit_dispatch_days: int = 1
    max_body_bytes: int = 8 * 1024 * 1024
    #: A PostgreSQL standby for the heavy reads (statistics, alerts, case lists, the data
    #: bureau's bulk pull): HUB_DATABASE_READ_URL; None reads the primary (issue 15).
    database_read_url: str | None = None
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
    scheduler: SchedulerSettings = field(default_factory=SchedulerSettings)
    complaints: ComplaintQuota = field(default_factory=ComplaintQuota)
    retention: RetentionSettings = field(default_factory=RetentionSettings)
    alerts: AlertSettings = field(default_factory=AlertSettings)
    audit: AuditSettings = field(default_factory=AuditSettings)
    intake: IntakeSettings = field(default_factory=IntakeSettings)
    serve: ServeSettings = field(default_factory=ServeSettings)
    logs: LogSettings = field(default_factory=LogSettings)
    #: Bytes of files one case may hold (attachments, referral documents, served documents).
    case_file_bytes: int = DEFAULT_CASE_FILE_BYTES
    #: The plausible range of dates taken from outside (HUB_PLATFORM_START, ...).
    dates: DateBounds = field(default_factory=DateBounds)
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
            database_read_url=os.environ.get("HUB_DATABASE_READ_URL") or None,
            region=region,
            data_dir=data_dir,
            decide_days=_int("HUB_DECIDE_DAYS", 3),
            unit_dispatch_days=_int("HUB_UNIT_DISPATCH_DAYS", 1),
            max_body_bytes=_int("HUB_MAX_BODY_BYTES", 8 * 1024 * 1024),
            feed_max_wait_seconds=_int("HUB_FEED_MAX_WAIT", 30),
            portal_document_url=os.environ.get("HUB_PORTAL_DOCUMENT_URL", cls.portal_document_url),
            justice_bureau=os.environ.get("HUB_ESCALATION_UNIT") or "sfj",
            password_time_cost=_int("HUB_PASSWORD_TIME_COST", 3),
            password_memory_kib=_int("HUB_PASSWORD_MEMORY_KIB", 64 * 1024),
            password_parallelism=_int("HUB_PASSWORD_PARALLELISM", 4),
            sharing=SharingSettings.from_env(),
            delivery=delivery_from_env(),
            scheduler=SchedulerSettings.from_env(),
            complaints=ComplaintQuota.from_env(),
            retention=RetentionSettings.from_env(),
            alerts=AlertSettings.from_env(),
            audit=AuditSettings.from_env(),
            intake=IntakeSettings.from_env(),
            serve=ServeSettings.from_env(),
            logs=LogSettings.from_env(),
            case_file_bytes=_case_file_bytes(),
            dates=dates_from_env(),
        )


def export_worker_metrics_dir(folder: str) -> None:
    """`hub serve --workers N --metrics-port`: the folder where prometheus_client keeps the
    workers' counters, in the environment they are started with (it reads it at import)."""
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder
