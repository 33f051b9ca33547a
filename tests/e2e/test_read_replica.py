"""HUB_DATABASE_READ_URL (issue 15 item 4): statistics, alerts and case lists are read from
a real PostgreSQL standby, and its lag is exposed in /metrics.

The test builds a throwaway cluster of its own under a temp folder (initdb, a primary on
its own port, `pg_basebackup -R` for a streaming standby on another), never the machine's
shared cluster, and stops both at the end. While the standby's replay is paused, a case
imported on the primary is not counted by the statistics (they come from the standby) and
the lag grows; once replay resumes, it is counted.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from starlette.testclient import TestClient

from hub.api.app import create_app
from hub.bootstrap import bootstrap
from hub.clock import FakeClock
from hub.config import Settings, SharingSettings
from tests.support.api import MONDAY, SMALL_REGISTRY, issue_token
from tests.support.hubctx import CHEAP_PASSWORDS, make_hub
from tests.support.imports import import_line, ndjson

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        pytest.skip(f"no PostgreSQL server binaries ({name})")
    return found[-1]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(cmd: list[str]) -> None:
    if os.geteuid() == 0:  # initdb refuses root
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    subprocess.run(cmd, check=True, capture_output=True, timeout=120)


def _start(data: Path, port: int, log: Path) -> None:
    _as_postgres(
        [
            _bin("pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(log),
            "-w",
            "-o",
            f"-p {port} -k {data.parent} -c listen_addresses=127.0.0.1",
            "start",
        ]
    )


def _stop(data: Path) -> None:
    if data.exists():
        subprocess.run(
            [
                "runuser",
                "-u",
                "postgres",
                "--",
                _bin("pg_ctl"),
                "-D",
                str(data),
                "-m",
                "fast",
                "stop",
            ]
            if os.geteuid() == 0
            else [_bin("pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
            capture_output=True,
            timeout=60,
        )


@pytest.fixture
def cluster() -> Iterator[tuple[str, str]]:
    """(primary url, standby url) of a fresh primary with a streaming standby."""
    # pytest's own temp folders are private to root: the server's user could not enter them
    root = Path(tempfile.mkdtemp(prefix="hub-replica-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    try:
        yield from _cluster(root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _cluster(root: Path) -> Iterator[tuple[str, str]]:
    primary, standby = root / "primary", root / "standby"
    p1, p2 = _port(), _port()
    _as_postgres(
        [_bin("initdb"), "-D", str(primary), "-U", "postgres", "--auth=trust", "-E", "UTF8"]
    )
    with (primary / "pg_hba.conf").open("a") as hba:
        hba.write("host replication all 127.0.0.1/32 trust\n")
    _start(primary, p1, root / "primary.log")
    try:
        _as_postgres(
            [
                _bin("pg_basebackup"),
                "-h",
                "127.0.0.1",
                "-p",
                str(p1),
                "-U",
                "postgres",
                "-D",
                str(standby),
                "-R",
                "-X",
                "stream",
            ]
        )
        _start(standby, p2, root / "standby.log")
        try:
            with psycopg.connect(
                f"host=127.0.0.1 port={p1} user=postgres dbname=postgres", autocommit=True
            ) as conn:
                conn.execute("CREATE DATABASE hub")
            base = "postgresql+psycopg://postgres@127.0.0.1"
            yield f"{base}:{p1}/hub", f"{base}:{p2}/hub"
        finally:
            _stop(standby)
    finally:
        _stop(primary)


def _standby(url: str) -> Any:
    return psycopg.connect(url.replace("postgresql+psycopg", "postgresql"), autocommit=True)


def _wait_replayed(standby_url: str, primary_url: str) -> None:
    with _standby(primary_url) as p:
        lsn = p.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
    with _standby(standby_url) as s:
        for _ in range(200):
            done = s.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", (lsn,)).fetchone()
            if done[0]:
                return
            time.sleep(0.05)
    raise AssertionError("the standby did not catch up")


def _lag(client: TestClient) -> float:
    for line in client.get("/metrics").text.splitlines():
        if line.startswith("hub_database_replica_lag_seconds "):
            return float(line.split()[1])
    raise AssertionError("no replica lag in /metrics")


def test_heavy_reads_come_from_the_standby(cluster: tuple[str, str], tmp_path: Path) -> None:
    primary, standby = cluster
    ctx = make_hub(primary, tmp_path, now=MONDAY, registry=SMALL_REGISTRY)
    admin = issue_token(ctx, "admin", None)
    ctx.db.dispose()
    settings = Settings(
        database_url=primary,
        amqp_url=None,
        region="310000",
        data_dir=tmp_path,
        database_read_url=standby,
        sharing=SharingSettings.from_env(),
        **CHEAP_PASSWORDS,
    )
    hub = bootstrap(settings, clock=FakeClock(MONDAY), pool_size=3)
    auth = {"authorization": f"Bearer {admin}"}
    stats = {"by": "institution", "from": "2025-03-01", "to": "2025-03-31"}
    try:
        with TestClient(create_app(hub)) as client:
            with hub.db.replica_read() as s:
                assert s.connection().exec_driver_sql("SELECT pg_is_in_recovery()").scalar()

            def imported(line: dict[str, Any]) -> None:
                r = client.post(
                    "/v1/import/cases",
                    content=ndjson(line),
                    headers={**auth, "content-type": "application/x-ndjson"},
                )
                assert r.json()["imported"] == 1, r.text

            imported(import_line(source_no="P1"))
            _wait_replayed(standby, primary)
            assert (
                client.get("/v1/stats", params=stats, headers=auth).json()["rows"][0]["received"]
                == 1
            )
            assert _lag(client) == 0

            with _standby(standby) as s:
                s.execute("SELECT pg_wal_replay_pause()")
                imported(import_line(source_no="P2"))
                time.sleep(1.5)
                # the primary has two; the statistics, read from the paused standby, one
                rows = client.get("/v1/stats", params=stats, headers=auth).json()["rows"]
                assert rows[0]["received"] == 1
                listed = client.get("/v1/applications", headers=auth).json()["items"]
                assert len(listed) == 1
                assert _lag(client) > 0
                s.execute("SELECT pg_wal_replay_resume()")
            _wait_replayed(standby, primary)
            assert (
                client.get("/v1/stats", params=stats, headers=auth).json()["rows"][0]["received"]
                == 2
            )
    finally:
        hub.db.dispose()
