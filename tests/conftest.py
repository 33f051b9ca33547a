"""Shared fixtures: real SQLite files, a fresh real PostgreSQL database, the real RabbitMQ.

Under CI=true a test that cannot reach PostgreSQL or RabbitMQ fails; elsewhere it skips.
"""

from __future__ import annotations

import base64
import os
import secrets
import socket
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

PG_ADMIN_URL = os.environ.get("HUB_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
AMQP_URL = os.environ.get("HUB_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/%2F")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def need_service(name: str, host: str, port: int) -> None:
    if _reachable(host, port):
        return
    message = f"{name} is not reachable at {host}:{port}"
    if IN_CI:
        pytest.fail(message + " (CI runs every test against the real service)")
    pytest.skip(message)


def _b64key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


@pytest.fixture(scope="session", autouse=True)
def test_keys() -> Iterator[None]:
    """Throwaway keys for the whole run; never the demo's, never in the repository."""
    saved = {
        k: os.environ.get(k)
        for k in (
            "HUB_KEYS",
            "HUB_ACTIVE_KEY",
            "HUB_BLIND_INDEX_KEY",
            "HUB_PSEUDONYM_KEY",
            "HUB_AUDIT_KEY",
            "HUB_SIGNING_KEY",
            "HUB_KEYS_FILE",
        )
    }
    os.environ["HUB_KEYS"] = f"t1:{_b64key()}"
    os.environ["HUB_ACTIVE_KEY"] = "t1"
    os.environ["HUB_BLIND_INDEX_KEY"] = _b64key()
    os.environ["HUB_PSEUDONYM_KEY"] = _b64key()
    os.environ["HUB_AUDIT_KEY"] = _b64key()  # the audit chains' HMAC key, its own
    os.environ["HUB_SIGNING_KEY"] = _b64key()  # Ed25519 private key: checkpoints, bundles
    os.environ.pop("HUB_KEYS_FILE", None)
    # Tests stand the clock still; the masked feed's settle window has its own test.
    os.environ["HUB_SHARED_SETTLE_SECONDS"] = "0"
    yield
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture(autouse=True)
def working_calendar_of_the_package() -> Iterator[None]:
    """Each test starts with the installed calendar only: a year one test loads into this
    process's calendar must not leak into the next test's database."""
    from hub.services.calendar import forget_loaded

    forget_loaded()
    yield
    forget_loaded()


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    need_service("PostgreSQL", "127.0.0.1", 5432)
    return PG_ADMIN_URL


def create_pg_database(admin_url: str) -> str:
    """A new, empty database; answers its URL."""
    import psycopg

    name = f"hub_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + "/" + name


def drop_pg_database(admin_url: str, url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_url(pg_admin_url: str) -> Iterator[str]:
    url = create_pg_database(pg_admin_url)
    yield url
    drop_pg_database(pg_admin_url, url)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'hub.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The same test on both databases (the store's contract tests)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'hub.db'}"
        return
    admin = request.getfixturevalue("pg_admin_url")
    url = create_pg_database(admin)
    yield url
    drop_pg_database(admin, url)


@pytest.fixture(scope="session")
def amqp_url() -> str:
    need_service("RabbitMQ", "127.0.0.1", 5672)
    return AMQP_URL


@pytest.fixture(params=["rabbitmq", "memory"])
def broker_url(request: pytest.FixtureRequest) -> str | None:
    """The same delivery test over both transports: the real RabbitMQ, and the in-process
    broker of the embedded default (None: no HUB_AMQP_URL)."""
    if request.param == "rabbitmq":
        return str(request.getfixturevalue("amqp_url"))
    return None


@pytest.fixture
def fixed_now() -> datetime:
    return datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai
