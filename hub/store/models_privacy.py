"""Privacy tables (INTERFACE 9): consent grants for unmasked reads by the data bureau, and
the parts of cases the data bureau's feed could not open.

Migrations `0020_privacy`, `0070_shared_release`, `0115_dp_budget_per_party` and
`0125_dp_budget_grants` create them. A grant names its purpose, its scope (case numbers,
dates, categories, districts), the Article 23 fields it opens, its expiry and the
approver; it is usable only once a second admin (never the requester) approved it.
Every read under a grant is an entry of the `grants` audit chain.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field, SQLModel

from hub.store.types import UTCDateTime


def _ts(nullable: bool = False, index: bool = False) -> Any:
    return Field(default=None, sa_column=Column(UTCDateTime(), nullable=nullable, index=index))


class Grant(SQLModel, table=True):
    """数据使用授权: consent to read named Article 23 fields of cases in a scope, until expiry."""

    __tablename__ = "consent_grant"
    id: str = Field(primary_key=True, max_length=36)
    purpose: str = Field(sa_column=Column(Text, nullable=False))
    scope: dict[str, Any] = Field(default={}, sa_column=Column(JSON, nullable=False))
    fields: list[str] = Field(default=[], sa_column=Column(JSON, nullable=False))
    expiry: datetime = _ts()
    approver: str = Field(max_length=200)
    grantee: str | None = Field(default=None, max_length=64)
    consent_reference: str | None = Field(default=None, max_length=500)
    status: str = Field(default="pending", max_length=10, index=True)  # pending|approved|revoked
    requested_by_role: str = Field(max_length=20)
    requested_by_party: str | None = Field(default=None, max_length=64)
    requested_by_token: str = Field(default="", max_length=36)
    requested_by_login: str | None = Field(default=None, max_length=64)
    approved_by_party: str | None = Field(default=None, max_length=64)
    approved_by_token: str | None = Field(default=None, max_length=36)
    approved_by_login: str | None = Field(default=None, max_length=64)
    created_at: datetime = _ts()
    approved_at: datetime | None = _ts(nullable=True)
    revoked_at: datetime | None = _ts(nullable=True)
    revoked_by_party: str | None = Field(default=None, max_length=64)
    revoked_by_token: str | None = Field(default=None, max_length=36)


class SharedUnreadable(SQLModel, table=True):
    """无法解密的办件: a part of a case the data bureau's feed could not open (a damaged or
    foreign ciphertext, or a key no longer held). The feed skips the case and serves the
    rest; admins list these (`GET /v1/admin/shared/unreadable`) to repair them."""

    __tablename__ = "shared_unreadable"
    application_no: str = Field(primary_key=True, max_length=24)
    part: str = Field(primary_key=True, max_length=80)  # application.personal | case_event:<id>
    error: str = Field(max_length=80)  # the exception's class, never its text
    first_seen: datetime = _ts()
    last_seen: datetime = _ts()
    times: int = 1


class SharedRound(SQLModel, table=True):
    """One monthly release of the masked feed (`privacy.release`): every change made
    before `cutoff` (the start of the month after `round`, Shanghai) released at once."""

    __tablename__ = "shared_round"
    round: str = Field(primary_key=True, max_length=7)  # YYYY-MM, the month released
    cutoff: datetime = _ts()
    k: int
    l_diversity: int
    released: int = 0  # records written this round
    generalised: int = 0  # of them, released above the finest level
    held_back: int = 0  # cases whose state is not released, after this round
    unreadable: int = 0  # cases skipped because they do not decrypt
    created_at: datetime = _ts()


class SharedCase(SQLModel, table=True):
    """Where a case stands in the masked feed: its static class (fixed at its first
    release), the progress level and values last released, its trajectory digest."""

    __tablename__ = "shared_case"
    application_no: str = Field(primary_key=True, max_length=24)
    first_round: str | None = Field(default=None, max_length=7)
    class_key: str | None = Field(default=None, sa_column=Column(Text, nullable=True, index=True))
    static_level: int | None = None
    static_values: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    progress_level: int | None = None
    progress_values: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    trajectory: str = Field(default="", max_length=32)
    state: str | None = Field(default=None, max_length=32)  # digest of the state last seen
    held: bool = Field(default=True, index=True)  # the state seen is not released


class SharedRelease(SQLModel, table=True):
    """A released masked record: the feed serves these in `id` order."""

    __tablename__ = "shared_release"
    id: int | None = Field(default=None, primary_key=True)
    round: str = Field(max_length=7, index=True)
    case: str = Field(max_length=24, index=True)  # the case pseudonym C-...
    record: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))


class DpBudget(SQLModel, table=True):
    """隐私预算: the differential-privacy cost already spent on aggregates by one holder,
    the data bureau as a party (every token and person of it together; migration 0115),
    and what admins granted it beyond `HUB_DP_BUDGET` (the sum of its `DpGrant`s, 0125)."""

    __tablename__ = "shared_dp_budget"
    holder: str = Field(primary_key=True, max_length=100)
    spent: float = 0.0
    releases: int = 0
    granted: float = 0.0


class DpGrant(SQLModel, table=True):
    """预算追加: epsilon an admin added to a holder's budget, when, by whom and why (the
    reason scrubbed of personal data; also an entry of the `privacy-budget` audit chain)."""

    __tablename__ = "shared_dp_grant"
    id: int | None = Field(default=None, primary_key=True)
    holder: str = Field(max_length=100, index=True)
    epsilon: float
    reason: str = Field(sa_column=Column(Text, nullable=False))
    granted_at: datetime = _ts(index=True)
    granted_by_role: str = Field(max_length=20)
    granted_by_party: str | None = Field(default=None, max_length=64)
    granted_by_login: str | None = Field(default=None, max_length=64)
    granted_by_token: str | None = Field(default=None, max_length=36)


class DpRelease(SQLModel, table=True):
    """One noisy aggregate table released to a holder: the same question, asked again by
    any of its tokens in the same month, gets this same answer (no averaging, no cost)."""

    __tablename__ = "shared_dp_release"
    holder: str = Field(primary_key=True, max_length=100)
    question: str = Field(primary_key=True, max_length=64)  # digest of (as_of, by, from, to)
    epsilon: float
    cells: list[Any] = Field(sa_column=Column(JSON, nullable=False))  # [[coords..., noisy]]
    created_at: datetime = _ts()
