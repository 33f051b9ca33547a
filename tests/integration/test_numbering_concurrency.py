"""Two OS processes numbering 500 applications each on one database, PostgreSQL and SQLite.

INTERFACE 2: numbers stay unique and gap-free with several hub processes on one database.
Each process runs the intake use case directly (service layer, one transaction each). On
SQLite the two queue for the one writer on the file lock beside the database (store.db).
"""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from tests.support.api import MONDAY, SMALL_REGISTRY, number_is_valid
from tests.support.hubctx import make_hub

PER_PROCESS = 500


def _worker(url: str, data_dir: str, count: int, start: Any, results: Any) -> None:
    """In a spawned process: wait for the start signal, then submit `count` applications."""
    from hub.bootstrap import bootstrap
    from hub.clock import FakeClock
    from hub.config import Settings
    from hub.services import intake
    from hub.services.principal import Principal, Role
    from tests.support.api import application_body

    settings = Settings(database_url=url, amqp_url=None, region="310000", data_dir=Path(data_dir))
    ctx = bootstrap(settings, clock=FakeClock(MONDAY), pool_size=1)
    portal = Principal(Role.PORTAL, "portal", "t-portal")
    # labour disputes have no mediation body in 310104 in the small registry: each case is
    # parked `undeliverable`, so the transaction is mostly the numbering under test
    body = application_body(category="labor")
    numbers: list[str] = []
    try:
        start.wait(30)
        for _ in range(count):
            with ctx.db.transaction() as session:
                numbers.append(intake.submit(ctx, session, portal, body)["application_no"])
        results.put(("ok", numbers))
    except BaseException as exc:  # report to the parent, never hang it
        results.put(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        ctx.db.dispose()


@pytest.mark.slow
def test_two_processes_get_distinct_gap_free_numbers(database_url: str, tmp_path: Path) -> None:
    ctx = make_hub(database_url, tmp_path, now=MONDAY, registry=SMALL_REGISTRY)
    spawn = multiprocessing.get_context("spawn")
    start = spawn.Event()
    results = spawn.Queue()
    procs = [
        spawn.Process(
            target=_worker, args=(database_url, str(tmp_path), PER_PROCESS, start, results)
        )
        for _ in range(2)
    ]
    try:
        for p in procs:
            p.start()
        start.set()
        began = time.monotonic()
        answers = [results.get(timeout=90) for _ in procs]
        elapsed = time.monotonic() - began
        for p in procs:
            p.join(timeout=10)
    finally:
        for p in procs:
            if p.is_alive():
                p.kill()
                p.join(5)
    errors = [a[1] for a in answers if a[0] != "ok"]
    assert not errors, errors
    first, second = (a[1] for a in answers)
    assert len(first) == len(second) == PER_PROCESS
    numbers = first + second
    assert len(set(numbers)) == 2 * PER_PROCESS
    assert all(number_is_valid(n) for n in numbers)
    assert sorted(int(n.split("-")[2]) for n in numbers) == list(range(1, 2 * PER_PROCESS + 1))
    # the two processes really ran at once: each holds numbers from the other's range
    assert max(int(n.split("-")[2]) for n in first) > min(int(n.split("-")[2]) for n in second)
    try:
        with ctx.db.engine.connect() as conn:
            rows = conn.execute(text("SELECT no, sequence FROM application")).all()
            last = conn.execute(text("SELECT last FROM day_sequence")).scalar_one()
    finally:
        ctx.db.dispose()
    assert sorted(r[1] for r in rows) == list(range(1, 2 * PER_PROCESS + 1))
    assert {r[0] for r in rows} == set(numbers)
    assert last == 2 * PER_PROCESS
    assert elapsed < 60, elapsed
