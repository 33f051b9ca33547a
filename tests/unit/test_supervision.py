"""Background threads come back when they die (issue 12, item 1; hub.supervision)."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import pytest

from hub.store.db import Database
from hub.supervision import RESTARTS, Supervised


def _wait(condition: object, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.01)
    return False


def test_a_loop_that_raises_is_run_again_with_a_log_line(caplog: pytest.LogCaptureFixture) -> None:
    stop = threading.Event()
    runs: list[int] = []

    def loop() -> None:
        runs.append(1)
        if len(runs) <= 2:
            raise RuntimeError("13912345678")  # a message may hold personal values
        stop.wait()

    before = RESTARTS.labels("test-loop")._value.get()
    with caplog.at_level(logging.ERROR, logger="hub.supervision"):
        sup = Supervised("test-loop", loop, stop, first_delay=0.01).start()
        assert _wait(lambda: len(runs) == 3)
    assert sup.restarts == 2 and sup.is_alive()
    assert RESTARTS.labels("test-loop")._value.get() == before + 2
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 2
    assert all("test-loop" in line and "RuntimeError" in line for line in lines)
    assert not any("13912345678" in line for line in lines)
    stop.set()
    sup.join(5)
    assert not sup.is_alive()


def test_a_loop_that_returns_unasked_is_run_again() -> None:
    stop = threading.Event()
    runs: list[int] = []

    def loop() -> None:
        runs.append(1)
        if len(runs) > 1:
            stop.wait()

    sup = Supervised("test-return", loop, stop, first_delay=0.01).start()
    assert _wait(lambda: len(runs) == 2)
    stop.set()
    sup.join(5)
    assert sup.restarts == 1


def test_the_wal_checkpointer_survives_an_exhausted_pool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = Database(f"sqlite:///{tmp_path / 'hub.db'}", pool_size=1)
    real = db.read_engine.raw_connection
    calls = {"failed": 0, "ok": 0}

    def flaky() -> object:
        if calls["failed"] < 1:
            calls["failed"] += 1
            raise TimeoutError("QueuePool limit reached")  # what a full pool raises
        calls["ok"] += 1
        return real()

    monkeypatch.setattr(db.read_engine, "raw_connection", flaky)
    halt = db.start_checkpointer(interval=0.05)
    assert halt is not None
    try:
        checkpointer = next(t for t in threading.enumerate() if t.name == "hub-checkpoint")
        assert _wait(lambda: calls["ok"] >= 2, 15), "the checkpointer did not come back"
        assert checkpointer.is_alive()
    finally:
        halt()
        db.dispose()


def test_the_embedded_relay_comes_back_and_delivers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from connectors.notify import FakeMailer, FakeSms
    from hub.broker.embedded import EmbeddedDelivery
    from hub.broker.relay import Relay
    from hub.broker.wiring import build
    from hub.delivery.directory import Directory
    from tests.support.api import SMALL_REGISTRY
    from tests.support.broker import delivery_settings, submit_many
    from tests.support.hubctx import make_hub

    ctx = make_hub(f"sqlite:///{tmp_path / 'hub.db'}", tmp_path, registry=SMALL_REGISTRY)
    settings = delivery_settings(None)
    sms = FakeSms()
    directory = Directory(ctx, settings, check_every=0.2)
    connectors = build(ctx, settings, directory, sms=sms, mailer=FakeMailer())
    real_run = Relay.run
    died: list[int] = []

    def dies_once(self: Relay, **kwargs: object) -> object:
        if not died:
            died.append(1)
            raise RuntimeError("relay bug")
        return real_run(self, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Relay, "run", dies_once)
    delivery = EmbeddedDelivery(ctx, settings, connectors=connectors, directory=directory)
    submit_many(ctx, 3, preferred_institution="pm-a")
    delivery.start()
    try:
        assert _wait(lambda: len(sms.sent) >= 3, 20), "nothing delivered after the relay died"
    finally:
        delivery.stop()
        ctx.db.dispose()
    assert died == [1]
