"""Privacy tables (INTERFACE 9): consent grants for unmasked reads by the data bureau.

Migration `0020_privacy` creates them. A grant names its purpose, its scope (case
numbers, dates, categories, districts), the Article 23 fields it opens, its expiry and
the approver; it is usable only once a second admin (never the requester) approved it.
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
    status: str = Field(default="pending", max_length=10, index=True)  # pending | approved
    requested_by_role: str = Field(max_length=20)
    requested_by_party: str | None = Field(default=None, max_length=64)
    requested_by_token: str = Field(default="", max_length=36)
    requested_by_login: str | None = Field(default=None, max_length=64)
    approved_by_party: str | None = Field(default=None, max_length=64)
    approved_by_token: str | None = Field(default=None, max_length=36)
    approved_by_login: str | None = Field(default=None, max_length=64)
    created_at: datetime = _ts()
    approved_at: datetime | None = _ts(nullable=True)
