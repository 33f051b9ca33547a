"""The hub's tables (SQLModel). Alembic migrations in `hub/store/migrations` create them.

Personal data never sits in these rows in clear: `Application.personal` and
`OutboxMessage.envelope` hold ciphertext from `privacy.crypto.FieldCipher`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from hub.store.types import UTCDateTime


def _ts(nullable: bool = False, index: bool = False) -> Any:
    return Field(default=None, sa_column=Column(UTCDateTime(), nullable=nullable, index=index))


def _json(default: Any = None) -> Any:
    return Field(default=default, sa_column=Column(JSON, nullable=default is None))


class Unit(SQLModel, table=True):
    """办事单位: a supervising unit (e.g. the justice bureau) with its institutions."""

    __tablename__ = "unit"
    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    liaison: dict[str, Any] | None = _json()
    #: auto: the hub dispatches new cases on the unit's behalf; manual: the unit does (Art. 7)
    dispatch: str = Field(default="auto", max_length=10)
    updated_at: datetime = _ts()


class Institution(SQLModel, table=True):
    """解纷机构: a mediation body, arbitration commission or court."""

    __tablename__ = "institution"
    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=40, index=True)
    unit_id: str = Field(max_length=64, index=True)
    categories: list[str] = _json(default=[])
    districts: list[str] = _json(default=[])
    capacity: int | None = None
    visible: bool = True
    state: str = Field(default="active", max_length=20)  # active | suspended | closed
    phone: str | None = Field(default=None, max_length=40)
    address: str | None = Field(default=None, max_length=300)
    delivery: dict[str, Any] = _json(default={"kind": "feed"})
    delivery_secret: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    open_cases: int = 0
    #: how many mediators it has (KPI, seed 003); who takes reminders by SMS (待办提醒)
    mediators: int | None = None
    duty: dict[str, Any] | None = _json()
    last_assigned_at: datetime | None = _ts(nullable=True)
    updated_at: datetime = _ts()


class RegistryRevision(SQLModel, table=True):
    """One row: moved by every change of units and institutions, in its transaction, so
    every process knows by reading it when its cached registry is out of date (0091)."""

    __tablename__ = "registry_revision"
    id: int = Field(default=1, primary_key=True, sa_column_kwargs={"autoincrement": False})
    revision: int = Field(default=0, sa_type=BigInteger)
    changed_at: datetime | None = _ts(nullable=True)


class Application(SQLModel, table=True):
    """办件: one dispute application and where it stands."""

    __tablename__ = "application"
    __table_args__ = (
        UniqueConstraint("region", "day", "sequence", name="uq_application_day_seq"),
        # the portal's own number is unique per portal (INTERFACE 17, migration 0113)
        UniqueConstraint("submitted_by_party", "source_no", name="uq_application_source_no"),
        # an imported case: its source system and number there (INTERFACE 12, migration 0150)
        UniqueConstraint("source", "source_no", name="uq_application_import_source"),
        # the cases not yet overdue, read by the statistics' overdue count (migration 0170)
        Index(
            "ix_application_late_since",
            "late_since",
            "received_at",
            "institution_id",
            "district",
            "category",
        ),
    )
    no: str = Field(primary_key=True, max_length=24)
    region: str = Field(max_length=6)
    day: date
    sequence: int
    channel: str = Field(max_length=10)
    category: str = Field(max_length=40, index=True)
    district: str = Field(max_length=6, index=True)
    status: str = Field(max_length=32, index=True)
    institution_id: str | None = Field(default=None, max_length=64, index=True)
    #: the unit that dispatches this case by hand (its unit's `dispatch: manual`, Art. 7);
    #: set while the case waits for it, cleared when it is dispatched
    awaiting_unit: str | None = Field(default=None, max_length=64, index=True)
    preferred_institution: str | None = Field(default=None, max_length=64)
    arbitration_agreement: bool = False
    returned_by: list[str] = _json(default=[])
    submitted_by_role: str = Field(max_length=20)
    submitted_by_party: str | None = Field(default=None, max_length=64, index=True)
    query_code_hash: str = Field(max_length=64)
    personal: str = Field(sa_column=Column(Text, nullable=False))
    source_no: str | None = Field(default=None, max_length=64)
    #: digest of the body that came with `source_no`: a repeat is told from a conflict
    source_hash: str | None = Field(default=None, max_length=64)
    #: the outside system an imported case came from (`hub import cases`); None for live ones
    source: str | None = Field(default=None, max_length=64)
    outcome: str | None = Field(default=None, max_length=20)
    received_at: datetime = _ts(index=True)
    created_at: datetime = _ts()
    dispatched_at: datetime | None = _ts(nullable=True)
    accepted_at: datetime | None = _ts(nullable=True)
    #: working hours from dispatch to acceptance, fixed when accepted (statistics, 0151)
    accept_hours: float | None = None
    closed_at: datetime | None = _ts(nullable=True)
    updated_at: datetime = _ts(index=True)
    version: int = 1
    #: overdue at `now` exactly when `late_since < now` (its deadlines', kept by their every
    #: write: hub.store.stats_late; migration 0170); not a field of the case
    late_since: datetime | None = _ts(nullable=True)


class CaseEvent(SQLModel, table=True):
    """One step in a case's timeline; `event_id` makes institution events idempotent."""

    __tablename__ = "case_event"
    id: int | None = Field(default=None, primary_key=True)
    application_no: str = Field(max_length=24, index=True)
    event_id: str | None = Field(default=None, max_length=64, unique=True)
    type: str = Field(max_length=40)
    status_after: str = Field(max_length=32)
    public: bool = True
    data: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    request_hash: str | None = Field(default=None, max_length=64)
    actor_role: str = Field(max_length=20)
    actor_party: str | None = Field(default=None, max_length=64)
    occurred_at: datetime = _ts()


class PartyIndex(SQLModel, table=True):
    """Blind indexes of the parties' ID numbers: match across cases without decrypting."""

    __tablename__ = "party_index"
    __table_args__ = (
        # the mass-dispute alert (hub.store.alerts_queries): a window's respondents, and
        # the window's cases of a few respondents, each one range of one index
        Index("ix_party_index_role_received", "role", "received_at", "value", "application_no"),
        Index(
            "ix_party_index_role_value_received", "role", "value", "received_at", "application_no"
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    application_no: str = Field(max_length=24, index=True)
    role: str = Field(max_length=12)  # applicant | respondent
    value: str = Field(max_length=64)
    received_at: datetime = _ts()  # the case's, copied (migration 0180)
    created_at: datetime = _ts()


class DaySequence(SQLModel, table=True):
    """The gap-free daily counter behind application numbers (INTERFACE 2)."""

    __tablename__ = "day_sequence"
    region: str = Field(primary_key=True, max_length=6)
    day: date = Field(primary_key=True)
    last: int = 0


class PartySequence(SQLModel, table=True):
    """Per-destination counter: the pull feed's order is the commit order."""

    __tablename__ = "party_sequence"
    party: str = Field(primary_key=True, max_length=100)
    last: int = 0


class OutboxMessage(SQLModel, table=True):
    """A message owed to a party, written in the same transaction as the change it reports.

    Written once and then only marked dead or alive again: whether it is still to send is
    `OutboxPending`, when it was sent is `OutboxSent` (migration 0050). Updating this wide
    row on every send rewrote it and four of its indexes, half the database's work per
    message in a relay run.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("destination", "party_seq", name="uq_outbox_party_seq"),
        # Dead letters, for operators and the dead-letter gauge (migration 0040).
        Index(
            "ix_outbox_dead",
            "id",
            postgresql_where=text("dead_at IS NOT NULL"),
            sqlite_where=text("dead_at IS NOT NULL"),
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    message_id: str = Field(max_length=36, unique=True)
    destination: str = Field(max_length=100)
    party_seq: int
    type: str = Field(max_length=60)
    application_no: str | None = Field(default=None, max_length=24, index=True)
    envelope: str = Field(sa_column=Column(Text, nullable=False))
    occurred_at: datetime = _ts()
    deliver_by: datetime | None = _ts(nullable=True)
    created_at: datetime = _ts()
    dead_at: datetime | None = _ts(nullable=True)
    dead_reason: str | None = Field(default=None, max_length=500)
    #: Delivery attempts made before it died; and how a replay settled it without sending
    #: it again, which takes it off the operators' list (migration 0090).
    dead_attempts: int | None = None
    dead_resolved_at: datetime | None = _ts(nullable=True)
    dead_resolution: str | None = Field(default=None, max_length=300)


class OutboxPending(SQLModel, table=True):
    """An outbox row still to send: written with it, deleted when the broker (or the
    embedded drain's connector) has it, or when it is dead; written again by a replay.

    The relay claims from here, in outbox id order, and locks these narrow rows, not the
    outbox's. The destination and case are copied so that the per-case order check
    (an earlier pending row of the same case for the same party holds a row back) reads
    this table alone.
    """

    __tablename__ = "outbox_pending"
    __table_args__ = (
        Index("ix_outbox_pending_case", "application_no", "destination", "outbox_id"),
    )
    outbox_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    destination: str = Field(max_length=100)
    application_no: str | None = Field(default=None, max_length=24)

    @staticmethod
    def row_for(outbox_id: Any, row: dict[str, Any]) -> dict[str, Any]:
        """The pending row, as a dict to insert, of the outbox row `row`."""
        return {
            "outbox_id": outbox_id,
            "destination": row["destination"],
            "application_no": row["application_no"],
        }


class OutboxSent(SQLModel, table=True):
    """When an outbox row was last sent, and how many times it was (a replay starts over)."""

    __tablename__ = "outbox_sent"
    outbox_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    sent_at: datetime = _ts()
    attempts: int = 1


class Referral(SQLModel, table=True):
    """A hand-off to a court or commission (司法确认, 仲裁, 诉讼) and its result."""

    __tablename__ = "referral"
    id: str = Field(primary_key=True, max_length=36)
    application_no: str = Field(max_length=24, index=True)
    kind: str = Field(max_length=40)
    target_id: str = Field(max_length=64, index=True)
    requested_by: str = Field(max_length=64)
    status: str = Field(default="pending", max_length=20, index=True)
    documents: list[dict[str, Any]] = _json(default=[])
    outcome: str | None = Field(default=None, max_length=20)
    case_no: str | None = Field(default=None, max_length=100)
    decided_on: date | None = None
    result_document: dict[str, Any] | None = _json()
    created_at: datetime = _ts()
    decided_at: datetime | None = _ts(nullable=True)


class Deadline(SQLModel, table=True):
    """A working-day clock on a case (INTERFACE 6); met when the step it waits for happens."""

    __tablename__ = "deadline"
    __table_args__ = (Index("ix_deadline_open", "met_at", "due_at"),)
    id: int | None = Field(default=None, primary_key=True)
    application_no: str = Field(max_length=24, index=True)
    kind: str = Field(max_length=40)
    institution_id: str | None = Field(default=None, max_length=64)
    #: a clock addressed to a unit instead (`dispatch_by` of a case it dispatches by hand)
    unit_id: str | None = Field(default=None, max_length=64)
    due_at: datetime = _ts()
    provisional: bool = False
    #: What it counts: `working_days` from the Shanghai day of `counted_from` (migration
    #: 0060), so that a provisional deadline can be counted again when its year is known.
    counted_from: datetime | None = _ts(nullable=True)
    working_days: int | None = None
    met_at: datetime | None = _ts(nullable=True)
    reminded_at: datetime | None = _ts(nullable=True)
    overdue_at: datetime | None = _ts(nullable=True)
    escalated_at: datetime | None = _ts(nullable=True)


class CalendarYear(SQLModel, table=True):
    """A year's holidays and adjusted workdays loaded from a file (INTERFACE 16).

    Only for years the installed `chinese-calendar` does not know; every process reads
    these rows into its working-day calendar.
    """

    __tablename__ = "calendar_year"
    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    holidays: list[str] = _json(default=[])
    workdays: list[str] = _json(default=[])
    loaded_at: datetime = _ts()
    loaded_by: str = Field(max_length=64)


class AuditEntry(SQLModel, table=True):
    """Tamper-evident audit trail: each entry's keyed hash covers its predecessor's in the
    same chain (hub.store.audit)."""

    __tablename__ = "audit_entry"
    id: int | None = Field(default=None, primary_key=True)
    chain: str = Field(max_length=64, index=True)
    at: datetime = _ts()
    actor_role: str = Field(max_length=20)
    actor_party: str | None = Field(default=None, max_length=64)
    #: The person (web login) who acted for the party, when a person did (migration 0100).
    actor_login: str | None = Field(default=None, max_length=64)
    action: str = Field(max_length=60)
    application_no: str | None = Field(default=None, max_length=24, index=True)
    detail: dict[str, Any] | None = _json()
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class AuditCheckpoint(SQLModel, table=True):
    """A signed statement of the audit trail up to an entry (hub.services.audit_trail):
    the count and digest of the entries after the previous checkpoint, up to `upto_id`,
    chained to the previous checkpoint's hash and signed (Ed25519). Each is also appended to
    an append-only file (migration 0088)."""

    __tablename__ = "audit_checkpoint"
    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    at: datetime = _ts()
    from_id: int
    upto_id: int
    entries: int
    digest: str = Field(max_length=64)
    prev: str = Field(max_length=64)
    hash: str = Field(max_length=64)
    key_id: str = Field(max_length=16)
    signature: str = Field(max_length=100)


class IdempotencyRecord(SQLModel, table=True):
    """The first answer to a creating POST, replayed for a repeat with the same key.

    `response` is sealed (it carries query codes), bound to `principal|key`; rows older than
    the retention are purged by `created_at` (migration 0085).
    """

    __tablename__ = "idempotency_record"
    principal: str = Field(primary_key=True, max_length=100)
    key: str = Field(primary_key=True, max_length=200)
    request_hash: str = Field(max_length=64)
    status_code: int
    response: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = _ts(index=True)


class ApiToken(SQLModel, table=True):
    """A bearer token, stored only as its SHA-256 hash.

    `expires_at` (optional, `hub token issue --expires DAYS`), `last_used_at` (to the
    minute, written in the background) and `revoked_at` (`hub token revoke`): migration 0086.
    """

    __tablename__ = "api_token"
    id: str = Field(primary_key=True, max_length=36)
    token_hash: str = Field(max_length=64, unique=True)
    role: str = Field(max_length=20)
    party_id: str | None = Field(default=None, max_length=64)
    label: str | None = Field(default=None, max_length=200)
    created_at: datetime = _ts()
    revoked_at: datetime | None = _ts(nullable=True)
    expires_at: datetime | None = _ts(nullable=True)
    last_used_at: datetime | None = _ts(nullable=True)


class WebSessionRecord(SQLModel, table=True):
    """A signed-in web session (`om_web` cookie), kept so that signing out holds on every
    process and across restarts. Keyed by the SHA-256 of the session id: the id itself,
    half of what a cookie proves, is not stored. `kind` person|pending|token, `ref` the login
    or the api_token id (migration 0086)."""

    __tablename__ = "web_session"
    __table_args__ = (Index("ix_web_session_ref", "kind", "ref"),)
    id: str = Field(primary_key=True, max_length=64)
    kind: str = Field(max_length=10)
    ref: str = Field(max_length=64)
    created_at: datetime = _ts()
    expires_at: datetime = _ts(index=True)
    ended_at: datetime | None = _ts(nullable=True)
    end_reason: str | None = Field(default=None, max_length=40)


class InboxRecord(SQLModel, table=True):
    """Messages a consumer has applied: a repeated `message_id` has no second effect."""

    __tablename__ = "inbox"
    consumer: str = Field(primary_key=True, max_length=64)
    message_id: str = Field(primary_key=True, max_length=64)
    processed_at: datetime = _ts(index=True)  # the retention purge (HUB_INBOX_DAYS)


#: The inbox's consumers that are the journal of what went out (connectors.journal), purged
#: after HUB_INBOX_DAYS; the others (the inbound connector's repeat records) are kept.
JOURNAL_CONSUMERS = ("webhook", "portal", "notify.sms", "notify.mail")


class CaseDocument(SQLModel, table=True):
    """A document an institution serves on the parties (电子送达, INTERFACE 15): sealed at
    rest, with when it was served and when the party signed for it (签收)."""

    __tablename__ = "case_document"
    id: str = Field(primary_key=True, max_length=36)
    application_no: str = Field(max_length=24, index=True)
    institution_id: str = Field(max_length=64)
    kind: str = Field(max_length=30)
    name: str = Field(max_length=255)
    media_type: str = Field(max_length=100)
    size: int
    sha256: str = Field(max_length=64)
    content_sealed: str = Field(sa_column=Column(Text, nullable=False))
    serve_to: str = Field(max_length=12)  # applicants | respondents | both
    served_at: datetime = _ts()
    received_at: datetime | None = _ts(nullable=True)
    received_by: str | None = Field(default=None, max_length=64)
