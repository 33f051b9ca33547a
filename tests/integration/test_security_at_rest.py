"""Secrets at rest (issue 12, item 4): replayable answers sealed and purged, data files 0600."""

from __future__ import annotations

import os
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from hub.bootstrap import ensure_demo_keys
from hub.clock import FakeClock
from hub.config import Settings
from hub.services import retention
from hub.services.idempotency import Answer, remember, replay
from hub.services.principal import Principal, Role
from hub.store.migrate import upgrade
from privacy.crypto import TamperedCiphertext
from tests.support.api import Api, application_body
from tests.support.hubctx import make_hub

PORTAL = Principal(Role.PORTAL, "portal", "t-portal")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _stored(api: Api, key: str) -> str:
    with api.ctx.db.engine.connect() as conn:
        return str(
            conn.execute(
                text("SELECT response FROM idempotency_record WHERE key = :k"), {"k": key}
            ).scalar_one()
        )


def test_a_replayable_answer_is_sealed_and_a_repeat_still_returns_it(api: Api) -> None:
    first = api.submit(key="sealed-1")
    assert first.status_code == 201, first.text
    code, no = first.json()["query_code"], first.json()["application_no"]

    stored = _stored(api, "sealed-1")
    assert stored.startswith("v1.")
    assert code not in stored and no not in stored

    again = api.submit(key="sealed-1")
    assert again.status_code == 201
    assert again.json() == first.json()


def test_a_sealed_answer_moved_to_another_record_does_not_open(api: Api) -> None:
    for key in ("moved-a", "moved-b"):
        assert api.submit(application_body(), key=key).status_code == 201
    with api.ctx.db.engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE idempotency_record SET response = "
                "(SELECT response FROM idempotency_record WHERE key = 'moved-a') "
                "WHERE key = 'moved-b'"
            )
        )
        digest = conn.execute(
            text("SELECT request_hash FROM idempotency_record WHERE key = 'moved-b'")
        ).scalar_one()
    principal = Principal(Role.PORTAL, "portal")
    with api.ctx.db.read() as session, pytest.raises(TamperedCiphertext):
        replay(session, api.ctx.vault, principal, "moved-b", digest)


def test_idempotency_records_are_purged_after_the_retention(api: Api) -> None:
    ctx = api.ctx
    assert isinstance(ctx.clock, FakeClock)
    start = ctx.clock.now()
    with ctx.db.transaction() as session:
        remember(session, ctx.vault, PORTAL, "old", "d-old", Answer(201, "{}"), start)
        remember(
            session,
            ctx.vault,
            PORTAL,
            "recent",
            "d-recent",
            Answer(201, "{}"),
            start + timedelta(hours=100),
        )
    ctx.clock.advance(timedelta(hours=169))
    purged = ctx.db.run(
        lambda s: retention.purge(ctx, s, retention.RetentionSettings(idempotency_hours=168))
    )
    assert purged["idempotency_records"] == 1
    with ctx.db.read() as session:
        assert replay(session, ctx.vault, PORTAL, "old", "d-old") is None
        assert replay(session, ctx.vault, PORTAL, "recent", "d-recent") == Answer(201, "{}")


def test_the_sqlite_files_are_readable_by_the_hub_alone(tmp_path: Path) -> None:
    db = tmp_path / "data" / "hub.db"
    ctx = make_hub(f"sqlite:///{db}", tmp_path)
    try:
        api_principal = Principal(Role.PORTAL, "portal")
        with ctx.db.transaction() as session:
            remember(
                session, ctx.vault, api_principal, "k", "d", Answer(201, "{}"), ctx.clock.now()
            )
        with ctx.db.read() as session:  # the reader opens the shared-memory file too
            assert replay(session, ctx.vault, api_principal, "k", "d") is not None
        for name in ("hub.db", "hub.db-wal", "hub.db-shm", "hub.db.writer-lock"):
            assert _mode(db.parent / name) == 0o600, name
        assert _mode(db.parent) == 0o700
    finally:
        ctx.db.dispose()


def test_files_left_world_readable_by_an_older_build_are_tightened(tmp_path: Path) -> None:
    db = tmp_path / "hub.db"
    upgrade(f"sqlite:///{db}")
    for name in ("hub.db", "hub.db-wal", "hub.db-shm"):
        path = tmp_path / name
        if path.exists():
            path.chmod(0o644)
    ctx = make_hub(f"sqlite:///{db}", tmp_path)
    try:
        for name in ("hub.db", "hub.db-wal", "hub.db-shm"):
            path = tmp_path / name
            if path.exists():
                assert _mode(path) == 0o600, name
    finally:
        ctx.db.dispose()


def test_the_demo_key_file_is_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("HUB_KEYS", "HUB_KEYS_FILE"):
        monkeypatch.delenv(var, raising=False)
    data = tmp_path / "var"
    settings = Settings(database_url="sqlite://", amqp_url=None, region="310000", data_dir=data)
    ensure_demo_keys(settings)
    assert _mode(Path(os.environ["HUB_KEYS_FILE"])) == 0o600
    assert _mode(data) == 0o700


def _revision_before(revision: str, url: str) -> str:
    from alembic.script import ScriptDirectory

    from hub.store.migrate import alembic_config

    down = ScriptDirectory.from_config(alembic_config(url)).get_revision(revision).down_revision
    assert isinstance(down, str)
    return down


def test_the_upgrade_seals_answers_an_older_build_kept_in_clear(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    before = _revision_before("0085", url)
    upgrade(url, before)
    body = '{"application_no": "310000-20261123-000001-X", "query_code": "ABCD2345"}'
    from hub.store.db import make_engine

    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO idempotency_record (principal, key, request_hash, status_code, "
                    "response, created_at) VALUES ('portal:portal', 'old', 'd', 201, :b, "
                    "'2026-11-23 02:00:00.000000')"
                ),
                {"b": body},
            )
    finally:
        engine.dispose()
    ctx = make_hub(url, tmp_path)
    try:
        with ctx.db.engine.connect() as conn:
            stored = conn.execute(text("SELECT response FROM idempotency_record")).scalar_one()
        assert "ABCD2345" not in stored
        with ctx.db.read() as session:
            principal = Principal(Role.PORTAL, "portal")
            assert replay(session, ctx.vault, principal, "old", "d") == Answer(201, body)
    finally:
        ctx.db.dispose()
    from alembic import command

    from hub.store.migrate import alembic_config

    command.downgrade(alembic_config(url), before)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT response FROM idempotency_record")).scalar_one() == (
                body
            )
    finally:
        engine.dispose()
