"""`hub keys rotate` mid-traffic, on SQLite and PostgreSQL: a thread submits applications
while the rotation runs; afterwards every record reads, no value is left under the old key,
and the old key is retired from the key file."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from starlette.testclient import TestClient

from hub import privacy_cli
from hub.api.app import create_app
from hub.clock import FakeClock
from hub.services.context import HubContext
from tests.integration.conftest import Tokens, hub_on
from tests.support.api import APPLICANT_NAME, MONDAY, Api


@pytest.fixture
def key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The run's data key `t1` moved into a key file (0600), as production configures it."""
    spec = os.environ["HUB_KEYS"]
    key_id, _, material = spec.partition(":")
    path = tmp_path / "keys.json"
    path.write_text(json.dumps({"keys": {key_id: material}, "active": key_id}))
    path.chmod(0o600)
    monkeypatch.delenv("HUB_KEYS")
    monkeypatch.delenv("HUB_ACTIVE_KEY", raising=False)
    monkeypatch.setenv("HUB_KEYS_FILE", str(path))
    return path


@pytest.fixture
def file_api(hub_db: tuple[str, Tokens], tmp_path: Path, key_file: Path) -> Iterator[Api]:
    url, tokens = hub_db
    ctx = hub_on(url, tmp_path)
    try:
        with TestClient(create_app(ctx)) as client:
            yield Api(ctx, client, dict(tokens))
    finally:
        ctx.db.dispose()


def _old_key_rows(ctx: HubContext, key_id: str) -> int:
    n = 0
    with ctx.db.engine.connect() as conn:
        for sc in privacy_cli.SEALED:
            n += int(
                conn.execute(
                    text(f"SELECT count(*) FROM {sc.table} WHERE {sc.column} LIKE :p"),
                    {"p": f"v1.{key_id}.%"},
                ).scalar_one()
            )
    return n


def test_rotation_while_applications_arrive(
    file_api: Api, key_file: Path, hub_db: tuple[str, Tokens], tmp_path: Path
) -> None:
    api = file_api
    before = []
    keyed = []  # answers kept for a repeat are sealed too, and re-encrypted with the rest
    for i in range(12):
        r = api.submit(key=f"rotate-{i}") if i % 4 == 0 else api.submit()
        assert r.status_code == 201, r.text
        if i % 4 == 0:
            keyed.append((f"rotate-{i}", r.json()))
        no = r.json()["application_no"]
        institution = api.record(no).json()["institution"]["id"]
        api.ok_event(no, institution, "received")
        before.append(no)
    assert _old_key_rows(api.ctx, "t1") > 0

    # retiring the active key, or a key still in use, is refused
    with pytest.raises(privacy_cli.KeyInUse):
        privacy_cli.retire(api.ctx, "t1")

    during: list[str] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def traffic() -> None:
        try:
            while not stop.is_set():
                r = api.submit()
                assert r.status_code == 201, r.text
                during.append(r.json()["application_no"])
        except BaseException as exc:  # reported below
            errors.append(exc)

    rotator = hub_on(hub_db[0], tmp_path)  # `hub keys rotate` is a process of its own
    worker = threading.Thread(target=traffic)
    worker.start()
    try:
        report = privacy_cli.rotate(rotator, batch=5, settle=1.5)
    finally:
        stop.set()
        worker.join(timeout=60)
    assert not errors, errors
    assert len(during) > 0
    assert report.new_key == "k2"
    assert sum(report.rotated.values()) > 0

    # the hub noticed the new key (its vault re-reads a changed key file) and the passes
    # caught what it sealed before: nothing is left under the old key
    assert all(v.get("t1", 0) == 0 for v in report.remaining.values()), report.remaining
    assert _old_key_rows(api.ctx, "t1") == 0
    usage = privacy_cli.retire(rotator, "t1")
    assert not any(usage.values())
    keys = json.loads(key_file.read_text())
    assert list(keys["keys"]) == ["k2"] and keys["active"] == "k2"
    rotator.db.dispose()

    # every record still reads, in this process (it holds t1 and k2) and in a new one
    for no in before + during:
        r = api.record(no)
        assert r.status_code == 200, r.text
        assert r.json()["applicants"][0]["name"] == APPLICANT_NAME
    fresh = hub_on(hub_db[0], tmp_path)
    assert isinstance(fresh.clock, FakeClock)
    fresh.clock.set(MONDAY + timedelta(days=10))  # November has ended: its release runs
    try:
        assert fresh.vault.cipher.keyring.ids == ("k2",)
        with TestClient(create_app(fresh)) as client:
            again = Api(fresh, client, dict(hub_db[1]))
            for no in before + during:
                assert again.record(no).status_code == 200
            for key, first in keyed:
                repeat = again.submit(key=key)
                assert repeat.status_code == 201 and repeat.json() == first
            holder = again.record(before[0]).json()["institution"]["id"]
            feed = again.feed("institution", holder, limit=1000)
            assert feed.status_code == 200 and feed.json()["messages"]
            shared = client.get("/v1/shared/cases", headers=again.auth("databureau"))
            assert shared.status_code == 200
            assert len(shared.json()["cases"]) == min(100, len(before) + len(during))
    finally:
        fresh.db.dispose()


def test_retire_refuses_a_key_still_in_use(file_api: Api, key_file: Path) -> None:
    file_api.submitted()
    from privacy.config import add_key_to_file

    add_key_to_file(key_file, "k9")  # a new active key, nothing re-encrypted yet
    with pytest.raises(privacy_cli.KeyInUse) as refused:
        privacy_cli.retire(file_api.ctx, "t1")
    assert refused.value.usage["application.personal"] == 1
    assert "t1" in json.loads(key_file.read_text())["keys"]
    status = privacy_cli.key_usage(file_api.ctx)
    assert status["application.personal"] == {"t1": 1, "k9": 0}
