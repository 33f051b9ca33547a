"""/readyz reads the database's pages (outside trial, defect a): `SELECT 1` touches no
page, so a SQLite file whose header and schema are sound but whose data pages are not
answered "database ok"."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from hub.api.app import create_app
from hub.services.context import HubContext
from tests.integration.conftest import Tokens
from tests.support.api import SMALL_REGISTRY
from tests.support.hubctx import make_hub


def _ready(ctx: HubContext) -> tuple[int, str]:
    with TestClient(create_app(ctx)) as client:
        answer = client.get("/readyz")
    return answer.status_code, answer.json()["checks"]["database"]


@pytest.mark.parametrize("damage", ["data page", "truncated", "not a database"])
def test_readyz_is_not_ready_on_a_malformed_sqlite_file(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "hub.db"
    ctx = make_hub(f"sqlite:///{path}", tmp_path, registry=SMALL_REGISTRY)
    try:
        assert _ready(ctx) == (200, "ok")
        ctx.db.dispose()  # the hub restarts on the damaged file: no page cached
        with sqlite3.connect(path) as conn:
            size = conn.execute("PRAGMA page_size").fetchone()[0]
            (root,) = conn.execute(
                "SELECT rootpage FROM sqlite_master WHERE name = 'alembic_version'"
            ).fetchone()
        conn.close()
        data = bytearray(path.read_bytes())
        if damage == "data page":  # page 1 (header, schema) intact, a table's page not
            data[(root - 1) * size : root * size] = b"\xa5" * size
        elif damage == "truncated":
            del data[size:]
        else:
            data[:] = b"not a database " * 100
        path.write_bytes(bytes(data))
        status, database = _ready(ctx)
        assert status == 503 and database.startswith("unreachable"), database
    finally:
        ctx.db.dispose()


def test_readyz_is_ready_on_a_sound_database(hub_db: tuple[str, Tokens], tmp_path: Path) -> None:
    ctx = make_hub(hub_db[0], tmp_path, registry=SMALL_REGISTRY)
    try:
        assert _ready(ctx) == (200, "ok")
    finally:
        ctx.db.dispose()
