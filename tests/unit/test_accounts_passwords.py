"""Passwords of personal accounts: argon2id at RFC 9106's cost by default, one-time passwords
that can be read out, and no answer that tells a missing account from a wrong password."""

from __future__ import annotations

from pathlib import Path

from hub.config import Settings
from hub.services.accounts import MIN_PASSWORD, Passwords, one_time_password


def test_production_cost_is_rfc_9106_second_recommendation() -> None:
    settings = Settings(database_url="sqlite://", amqp_url=None, region="310000", data_dir=Path())
    stored = Passwords(settings).hash("correct horse battery staple")
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_verify_and_outdated_cost() -> None:
    cheap = Settings(
        database_url="sqlite://",
        amqp_url=None,
        region="310000",
        data_dir=Path(),
        password_time_cost=1,
        password_memory_kib=8192,
        password_parallelism=1,
    )
    hasher = Passwords(cheap)
    stored = hasher.hash("一句只有我知道的话")
    assert hasher.verify(stored, "一句只有我知道的话")
    assert not hasher.verify(stored, "一句只有我知道的话 ")
    assert not hasher.verify(None, "anything at all")  # a login that does not exist
    assert not hasher.verify("not a hash", "anything at all")
    assert not hasher.outdated(stored)
    costlier = Passwords(
        Settings(
            database_url="sqlite://",
            amqp_url=None,
            region="310000",
            data_dir=Path(),
            password_time_cost=2,
            password_memory_kib=8192,
            password_parallelism=1,
        )
    )
    assert costlier.outdated(stored) and costlier.verify(stored, "一句只有我知道的话")


def test_one_time_passwords_are_long_enough_and_unambiguous() -> None:
    seen = {one_time_password() for _ in range(200)}
    assert len(seen) == 200
    for otp in seen:
        assert len(otp.replace("-", "")) == 16 and len(otp) >= MIN_PASSWORD
        assert not set(otp) & set("0O1lI")
