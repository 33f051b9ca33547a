"""Personal accounts of the web pages (INTERFACE 13). Migration `0100_accounts` creates them.

A person (个人账号) signs in with a login and a password stored only as an argon2id hash.
`sign_in_lock` counts wrong passwords per login, keyed by a digest of the login so that a
login that does not exist is counted (and locked) exactly like one that does.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from hub.store.types import UTCDateTime


def _ts(nullable: bool = False) -> Any:
    return Field(default=None, sa_column=Column(UTCDateTime(), nullable=nullable))


class WebUser(SQLModel, table=True):
    """A person who signs in to the console or the workbench, acting for a role and party."""

    __tablename__ = "web_user"
    login: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=100)
    role: str = Field(max_length=20)
    party_id: str | None = Field(default=None, max_length=64)
    password_hash: str = Field(sa_column=Column(Text, nullable=False))
    #: The password is a one-time one from `hub user add` or `reset`: change it first.
    must_change: bool = True
    #: Raised by disabling and by a password change: every older session ends.
    session_epoch: int = 0
    created_at: datetime = _ts()
    created_by: str = Field(max_length=64)
    password_set_at: datetime = _ts()
    last_sign_in_at: datetime | None = _ts(nullable=True)
    disabled_at: datetime | None = _ts(nullable=True)
    disabled_by: str | None = Field(default=None, max_length=64)


class SignInLock(SQLModel, table=True):
    """Wrong passwords in a row for one login (existing or not), and the lock they caused."""

    __tablename__ = "sign_in_lock"
    key: str = Field(primary_key=True, max_length=64)
    failures: int = 0
    locked_until: datetime | None = _ts(nullable=True)
    updated_at: datetime = _ts()
