"""An in-process hub (TestClient over create_app) on SQLite and on PostgreSQL.

Each test gets its own fresh database, copied from a template made once per test process
from tests/conftest.py's migrated one, loaded with the small registry and given the test
parties' tokens (a PostgreSQL `CREATE DATABASE ... TEMPLATE`, a file copy for SQLite): the
same state `make_hub` builds, without paying for migrations in every test.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from hub.api.app import create_app
from hub.bootstrap import bootstrap
from hub.clock import FakeClock
from hub.config import Settings, SharingSettings
from hub.services.context import HubContext
from hub.store.db import Database
from tests.conftest import create_pg_database, drop_pg_database
from tests.support.api import MONDAY, PARTIES, SMALL_REGISTRY, Api, issue_token
from tests.support.hubctx import CHEAP_PASSWORDS, make_hub

Tokens = dict[tuple[str, str | None], str]


def _template(url: str, tmp: Path) -> Tokens:
    ctx = make_hub(url, tmp, now=MONDAY, registry=SMALL_REGISTRY)
    try:
        return {(role, party): issue_token(ctx, role, party) for role, party in PARTIES}
    finally:
        ctx.db.dispose()


@pytest.fixture(scope="session")
def sqlite_template(
    hub_sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Tokens]:
    tmp = tmp_path_factory.mktemp("sqlite-template")
    path = tmp / "template.db"
    shutil.copyfile(hub_sqlite_template, path)  # migrated once per process (tests/conftest)
    tokens = _template(f"sqlite:///{path}", tmp)
    return path, tokens


@pytest.fixture(scope="session")
def pg_template(
    pg_admin_url: str, hub_pg_template: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Tokens]]:
    url = create_pg_database(pg_admin_url, hub_pg_template)  # already migrated
    tokens = _template(url, tmp_path_factory.mktemp("pg-template"))
    yield url, tokens
    drop_pg_database(pg_admin_url, url)


@pytest.fixture(params=["sqlite", "postgresql"])
def hub_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Tokens]]:
    """A fresh migrated database with the small registry and tokens: (url, tokens)."""
    if request.param == "sqlite":
        path, tokens = request.getfixturevalue("sqlite_template")
        shutil.copyfile(path, tmp_path / "hub.db")
        yield f"sqlite:///{tmp_path / 'hub.db'}", tokens
        return
    admin = request.getfixturevalue("pg_admin_url")
    template, tokens = request.getfixturevalue("pg_template")
    url = create_pg_database(admin, template.rsplit("/", 1)[1])
    yield url, tokens
    drop_pg_database(admin, url)


@pytest.fixture
def db(hub_db: tuple[str, Tokens]) -> Iterator[Database]:
    """The hub's store alone (no app) over a fresh database of `hub_db`."""
    database = Database(hub_db[0], pool_size=2)
    try:
        yield database
    finally:
        database.dispose()


def hub_on(url: str, tmp: Path) -> HubContext:
    settings = Settings(
        database_url=url,
        amqp_url=None,
        region="310000",
        data_dir=tmp,
        sharing=SharingSettings.from_env(),  # tests run with a settle time of 0
        **CHEAP_PASSWORDS,
    )
    return bootstrap(settings, clock=FakeClock(MONDAY), pool_size=5)


@pytest.fixture
def api(hub_db: tuple[str, Tokens], tmp_path: Path) -> Iterator[Api]:
    """The small registry, a clock standing still on Monday 2026-11-23 10:00 Shanghai."""
    url, tokens = hub_db
    ctx = hub_on(url, tmp_path)
    try:
        with TestClient(create_app(ctx)) as client:
            yield Api(ctx, client, dict(tokens))
    finally:
        ctx.db.dispose()
