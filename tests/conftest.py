"""Shared fixtures: real SQLite files, a fresh real PostgreSQL database, the real RabbitMQ.

Under CI=true a test that cannot reach PostgreSQL or RabbitMQ fails; elsewhere it skips.

Each test gets a database of its own, already migrated to the head revision: a copy of a
template migrated once per test process (`CREATE DATABASE ... TEMPLATE` on PostgreSQL, a
file copy on SQLite), since running every migration again took about 1.4 s a PostgreSQL
test. A test marked `empty_database` (the migration tests, which start from an older
revision) gets an empty one instead.
"""

from __future__ import annotations

import base64
import os
import secrets
import shutil
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


def create_pg_database(admin_url: str, template: str | None = None) -> str:
    """A new database, empty or a copy of `template`; answers its URL."""
    import psycopg

    name = f"hub_test_{uuid.uuid4().hex[:12]}"
    copy = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"{copy}')
    return admin_url.rsplit("/", 1)[0] + "/" + name


def drop_pg_database(admin_url: str, url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _wants_empty(request: pytest.FixtureRequest) -> bool:
    return request.node.get_closest_marker("empty_database") is not None


@pytest.fixture(scope="session")
def hub_pg_template(pg_admin_url: str) -> Iterator[str]:
    """A PostgreSQL database migrated to head once, copied for each test (its name)."""
    from hub.store.migrate import upgrade

    url = create_pg_database(pg_admin_url)
    upgrade(url)  # the migration's engine is disposed: nobody stays connected to it
    yield url.rsplit("/", 1)[1]
    drop_pg_database(pg_admin_url, url)


@pytest.fixture(scope="session")
def hub_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once, copied for each test."""
    from hub.store.migrate import upgrade

    path = tmp_path_factory.mktemp("sqlite-template") / "hub.db"
    upgrade(f"sqlite:///{path}")
    return path


def _pg_database(request: pytest.FixtureRequest, admin: str) -> str:
    template = None if _wants_empty(request) else request.getfixturevalue("hub_pg_template")
    return create_pg_database(admin, template)


def _sqlite_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    path = tmp_path / "hub.db"
    if not _wants_empty(request):
        shutil.copyfile(request.getfixturevalue("hub_sqlite_template"), path)
    return f"sqlite:///{path}"


@pytest.fixture
def pg_url(request: pytest.FixtureRequest, pg_admin_url: str) -> Iterator[str]:
    url = _pg_database(request, pg_admin_url)
    yield url
    drop_pg_database(pg_admin_url, url)


@pytest.fixture
def sqlite_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return _sqlite_database(request, tmp_path)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The same test on both databases (the store's contract tests)."""
    if request.param == "sqlite":
        yield _sqlite_database(request, tmp_path)
        return
    admin = request.getfixturevalue("pg_admin_url")
    url = _pg_database(request, admin)
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
