"""An in-process hub (TestClient over create_app) on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from hub.api.app import create_app
from tests.support.api import MONDAY, SMALL_REGISTRY, Api
from tests.support.hubctx import make_hub


@pytest.fixture
def api(database_url: str, tmp_path: Path) -> Iterator[Api]:
    """The small registry, a clock standing still on Monday 2026-11-23 10:00 Shanghai."""
    ctx = make_hub(database_url, tmp_path, now=MONDAY, registry=SMALL_REGISTRY)
    try:
        with TestClient(create_app(ctx)) as client:
            yield Api(ctx, client)
    finally:
        ctx.db.dispose()
