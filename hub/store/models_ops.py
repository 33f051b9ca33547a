"""Operations tables (INTERFACE 10): registry governance, institution history, complaints,
the FAQ knowledge base and the operations counters. Migration `0010_operations` creates them.

Personal data is sealed here too: a complaint's content and contact are one ciphertext
(`Complaint.sealed`), a requested webhook secret is sealed until the change is approved.
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


class RegistryChange(SQLModel, table=True):
    """A unit's request to change the registry (Art. 17, 20); only an approved one applies."""

    __tablename__ = "registry_change"
    id: str = Field(primary_key=True, max_length=36)
    action: str = Field(max_length=10)  # add | update | suspend | close | show | hide
    institution_id: str = Field(max_length=64, index=True)
    data: dict[str, Any] | None = _json()
    secret_sealed: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    reason: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default="pending", max_length=10, index=True)  # pending|approved|rejected
    requested_by_role: str = Field(max_length=20)
    requested_by_party: str | None = Field(default=None, max_length=64, index=True)
    requested_by_token: str = Field(default="", max_length=36)
    requested_by_login: str | None = Field(default=None, max_length=64)
    decided_by_role: str | None = Field(default=None, max_length=20)
    decided_by_party: str | None = Field(default=None, max_length=64)
    decided_by_token: str | None = Field(default=None, max_length=36)
    decided_by_login: str | None = Field(default=None, max_length=64)
    decision_note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime = _ts()
    decided_at: datetime | None = _ts(nullable=True)


class InstitutionVersion(SQLModel, table=True):
    """One version of an institution, valid over [valid_from, valid_to) (valid_to null: now)."""

    __tablename__ = "institution_version"
    __table_args__ = (
        UniqueConstraint("institution_id", "version", name="uq_institution_version"),
        Index("ix_institution_version_valid", "institution_id", "valid_from"),
    )
    id: int | None = Field(default=None, primary_key=True)
    institution_id: str = Field(max_length=64)
    version: int
    valid_from: datetime = _ts()
    valid_to: datetime | None = _ts(nullable=True)
    snapshot: dict[str, Any] = _json(default={})
    source: str = Field(max_length=20)  # baseline | registry_load | change
    change_id: str | None = Field(default=None, max_length=36)
    recorded_at: datetime = _ts()


class OpsCounter(SQLModel, table=True):
    """Gap-free daily counters for numbers the operations side hands out (complaints)."""

    __tablename__ = "ops_counter"
    name: str = Field(primary_key=True, max_length=20)
    day: date = Field(primary_key=True)
    last: int = 0


class Complaint(SQLModel, table=True):
    """投诉: a complaint about an institution, answered by its unit (Art. 20)."""

    __tablename__ = "complaint"
    no: str = Field(primary_key=True, max_length=24)
    institution_id: str = Field(max_length=64, index=True)
    unit_id: str = Field(max_length=64, index=True)
    type: str = Field(max_length=20)
    application_no: str | None = Field(default=None, max_length=24, index=True)
    sealed: str = Field(sa_column=Column(Text, nullable=False))  # content + contact
    contact_index: str = Field(max_length=64, index=True)
    query_code_hash: str = Field(max_length=64)
    status: str = Field(default="submitted", max_length=20, index=True)
    answer_sealed: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    answered_by: str | None = Field(default=None, max_length=64)
    submitted_by_role: str = Field(max_length=20)
    submitted_by_party: str | None = Field(default=None, max_length=64)
    created_at: datetime = _ts(index=True)
    answered_at: datetime | None = _ts(nullable=True)


class HelpArticle(SQLModel, table=True):
    """A question and answer of the online help (Art. 14), kept by the units."""

    __tablename__ = "help_article"
    id: int | None = Field(default=None, primary_key=True)
    slug: str | None = Field(default=None, max_length=80, unique=True)
    title: str = Field(max_length=200)
    body: str = Field(sa_column=Column(Text, nullable=False))
    category: str | None = Field(default=None, max_length=40)
    tags: list[str] = _json(default=[])
    author: str = Field(max_length=64)
    created_at: datetime = _ts()
    updated_at: datetime = _ts()
    #: English text beside the Chinese, for citizens who read English (optional)
    title_en: str | None = Field(default=None, max_length=200)
    body_en: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    version: int = 1
    retired_at: datetime | None = _ts(nullable=True)


class HelpArticleVersion(SQLModel, table=True):
    """Every version of a help article, as it was published: edits and retirement keep the
    history (INTERFACE 17)."""

    __tablename__ = "help_article_version"
    article_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    version: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    title: str = Field(max_length=200)
    body: str = Field(sa_column=Column(Text, nullable=False))
    title_en: str | None = Field(default=None, max_length=200)
    body_en: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    category: str | None = Field(default=None, max_length=40)
    tags: list[str] = _json(default=[])
    action: str = Field(max_length=10)  # added | edited | retired
    changed_by: str = Field(max_length=100)
    changed_at: datetime = _ts()


class WorkOrder(SQLModel, table=True):
    """工单: a citizen's query, consultation, request to contact the handler, petition or
    complaint, numbered, dispatched, answered and called back (12368 rules; INTERFACE 14).

    Content, contact and answer are sealed; `contact_index` is a keyed digest of the phone.
    The clocks are columns of the row: `dispatch_by` (2 working hours), `answer_by` (3
    working days, 1 to contact the handler); each scheduler action claims its column once.
    """

    __tablename__ = "work_order"
    __table_args__ = (Index("ix_work_order_open", "status", "answer_by"),)
    no: str = Field(primary_key=True, max_length=24)
    type: str = Field(max_length=20, index=True)
    status: str = Field(default="submitted", max_length=20)  # submitted|dispatched|answered|closed
    application_no: str | None = Field(default=None, max_length=24, index=True)
    institution_id: str | None = Field(default=None, max_length=64, index=True)
    unit_id: str | None = Field(default=None, max_length=64, index=True)
    sealed: str = Field(sa_column=Column(Text, nullable=False))  # content + contact
    contact_index: str = Field(max_length=64, index=True)
    reply_by: str = Field(default="sms", max_length=10)
    query_code_hash: str = Field(max_length=64)
    submitted_by_role: str = Field(max_length=20)
    submitted_by_party: str | None = Field(default=None, max_length=64)
    created_at: datetime = _ts(index=True)
    dispatch_by: datetime = _ts()
    dispatched_at: datetime | None = _ts(nullable=True)
    dispatched_by: str | None = Field(default=None, max_length=64)
    answer_by: datetime = _ts()
    answered_at: datetime | None = _ts(nullable=True)
    answered_by: str | None = Field(default=None, max_length=64)
    answer_sealed: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    reminded_at: datetime | None = _ts(nullable=True)
    dispatch_overdue_at: datetime | None = _ts(nullable=True)
    overdue_at: datetime | None = _ts(nullable=True)
    dunned_at: datetime | None = _ts(nullable=True)
    callback_at: datetime | None = _ts(nullable=True)
    satisfied: bool | None = None
    callback_note_sealed: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    help_article_id: int | None = None


class ThrottleEvent(SQLModel, table=True):
    """A counted guess or sign-in attempt of one client (限流, hub.services.throttle).

    `client` is a keyed digest of the client's address (an IPv6 /64), never the address;
    `subject` the number guessed at. Migration 0087.
    """

    __tablename__ = "throttle_event"
    __table_args__ = (
        Index("ix_throttle_event_client", "client", "kind", "at"),
        Index("ix_throttle_event_subject", "client", "subject", "at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    client: str = Field(max_length=64)
    kind: str = Field(max_length=16)
    subject: str | None = Field(default=None, max_length=32)
    at: datetime = _ts(index=True)


class StatsRollup(SQLModel, table=True):
    """How many cases share a Shanghai day of `received_at` and a group (institution,
    district, category, channel, status, outcome, accepted or not). Kept in the write path,
    in the unit of work of the change it counts (hub.store.stats_rollup), not by triggers;
    `GET /v1/stats` sums it instead of counting cases. Migration 0155 fills it."""

    __tablename__ = "stats_rollup"
    day: date = Field(primary_key=True)
    institution_id: str = Field(primary_key=True, max_length=64)  # `(none)` if none
    district: str = Field(primary_key=True, max_length=6)
    category: str = Field(primary_key=True, max_length=40)
    channel: str = Field(primary_key=True, max_length=10)
    status: str = Field(primary_key=True, max_length=32)
    outcome: str = Field(primary_key=True, max_length=20)  # '' if none
    accepted: int = Field(primary_key=True)  # 1 if accepted_at is set
    n: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))


def _count() -> Any:
    return Field(default=0, sa_column=Column(BigInteger, nullable=False))


class StatsDaily(SQLModel, table=True):
    """stats_rollup summed per Shanghai day and one grouping (`grp`: institution, district
    or category; `value` its value), the counters as columns: a year of one grouping is a
    few hundred rows per value whatever the number of cases (stats_rollup has a row per
    combination of every key, nearly a row per case when the keys are independent).
    Kept in the same upsert as stats_rollup (hub.store.stats_rollup.write). Migration 0160
    fills it."""

    __tablename__ = "stats_daily"
    day: date = Field(primary_key=True)
    grp: str = Field(primary_key=True, max_length=12)
    value: str = Field(primary_key=True, max_length=64)
    received: int = _count()
    online: int = _count()
    accepted: int = _count()
    rejected: int = _count()
    success: int = _count()
    failure: int = _count()
    withdrawn: int = _count()
    open: int = _count()
    #: the cases with a `late_since` (hub.store.stats_late; migration 0170)
    late: int = Field(
        default=0, sa_column=Column(BigInteger, nullable=False, server_default=text("0"))
    )


class RespondentTally(SQLModel, table=True):
    """Per respondent blind index: how many cases name it (at least: a case written twice
    counts twice) and the latest `received_at` among them. Kept in the write path with
    the party_index rows (hub.store.respondent_tally.write); migration 0180 fills it.

    The mass-dispute alert reads the window's cases of only the respondents named more
    than once and lately (hub.store.alerts_queries), not every respondent of the window.
    """

    __tablename__ = "respondent_tally"
    __table_args__ = (
        Index(
            "ix_respondent_tally_repeated",
            "last_received_at",
            postgresql_where=text("cases >= 2"),
            sqlite_where=text("cases >= 2"),
        ),
    )
    value: str = Field(primary_key=True, max_length=64)
    cases: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    last_received_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
