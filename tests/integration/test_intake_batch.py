"""Group commit (hub.api.intake_batch) and repeatable registry loads, on both databases."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import func, select

from hub.api.intake_batch import IntakeBatcher, Submission
from hub.services import intake
from hub.services.errors import Conflict, Forbidden, Invalid
from hub.services.idempotency import request_hash
from hub.services.principal import Principal, Role
from hub.services.registry import load
from hub.store.models import Application, Institution, Unit
from hub.store.unit_of_work import UnitOfWork
from tests.support.api import SMALL_REGISTRY, Api, application_body, count_rows, number_is_valid

PORTAL = Principal(Role.PORTAL, "portal")


def _digest(body: dict[str, object]) -> str:
    raw = json.dumps(body, ensure_ascii=False).encode()
    return request_hash("POST", "/v1/applications", raw)


def test_one_batch_answers_each_and_refuses_only_the_bad_ones(api: Api) -> None:
    good = [application_body(), application_body(category="neighbor"), application_body()]
    unknown_pick = application_body(preferred_institution="no-such-body")
    window_from_portal = application_body(channel="window", received_at="2026-11-20T16:00:00+08:00")
    items = [
        Submission(PORTAL, good[0], None, _digest(good[0])),
        Submission(PORTAL, unknown_pick, None, _digest(unknown_pick)),
        Submission(PORTAL, good[1], None, _digest(good[1])),
        Submission(PORTAL, window_from_portal, None, _digest(window_from_portal)),
        Submission(PORTAL, good[2], None, _digest(good[2])),
    ]
    before = count_rows(api.ctx)
    IntakeBatcher(api.ctx).run_batch(items)

    answers = [json.loads(items[i].future.result().body) for i in (0, 2, 4)]
    numbers = [a["application_no"] for a in answers]
    assert [n.split("-")[2] for n in numbers] == ["000001", "000002", "000003"]
    assert all(number_is_valid(n) for n in numbers)
    assert all(a["status"] == "dispatched" and a["deadlines"]["decide_by"] for a in answers)
    assert isinstance(items[1].future.exception(), Invalid)
    assert isinstance(items[3].future.exception(), Forbidden)
    after = count_rows(api.ctx)
    assert after["application"] - before["application"] == 3
    # Every accepted application has its submitted and dispatched steps, nothing more.
    assert after["case_event"] - before["case_event"] == 6


def test_same_key_with_two_bodies_in_one_batch_gives_one_case_and_a_409(api: Api) -> None:
    first, second = application_body(), application_body(category="neighbor")
    items = [
        Submission(PORTAL, first, "key-1", _digest(first)),
        Submission(PORTAL, second, "key-1", _digest(second)),
    ]
    IntakeBatcher(api.ctx).run_batch(items)
    answer = json.loads(items[0].future.result().body)
    assert isinstance(items[1].future.exception(), Conflict)
    with api.ctx.db.read() as session:
        nos = session.exec(select(Application.no)).all()
    assert list(nos) == [answer["application_no"]]


def test_concurrent_repeats_of_one_key_create_one_application(api: Api) -> None:
    body = application_body()
    answers: list[tuple[int, str]] = []
    lock = threading.Lock()

    def post() -> None:
        r = api.submit(body, key="same-key-from-a-retrying-portal")
        with lock:
            answers.append((r.status_code, r.text))

    threads = [threading.Thread(target=post) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(answers) == 8
    assert {code for code, _ in answers} == {201}
    assert len({text for _, text in answers}) == 1  # every repeat got the first answer
    with api.ctx.db.read() as session:
        count = session.exec(select(func.count()).select_from(Application)).one()
    assert count == 1


def test_registry_load_is_safe_to_repeat(api: Api, tmp_path: Path) -> None:
    api.submitted()  # one open case: the load must not reset institutions' counters
    with api.ctx.db.read() as session:
        open_before = {i.id: i.open_cases for i in session.exec(select(Institution))}
    report = api.ctx.db.run(lambda s: load(api.ctx, s, SMALL_REGISTRY))
    assert report.units_added == 0 and report.institutions_added == 0
    assert report.institutions_updated == len(open_before)
    with api.ctx.db.read() as session:
        institutions = list(session.exec(select(Institution)))
        units = session.exec(select(func.count()).select_from(Unit)).one()
    assert {i.id: i.open_cases for i in institutions} == open_before
    assert sum(open_before.values()) == 1
    assert units == 4


def test_a_caller_that_gave_up_does_not_stop_intake(api: Api) -> None:
    """A cancelled request (client gone) is still written, and the next callers are answered."""
    batcher = IntakeBatcher(api.ctx)
    gone = Submission(PORTAL, application_body(), "retry-me", _digest(application_body()))
    assert gone.future.cancel()
    batcher.run_batch([gone])
    later = batcher.submit(PORTAL, application_body(), None, _digest(application_body()))
    assert json.loads(later.result(timeout=60).body)["application_no"].split("-")[2] == "000002"
    again = batcher.submit(PORTAL, application_body(), "retry-me", _digest(application_body()))
    assert json.loads(again.result(timeout=60).body)["application_no"].split("-")[2] == "000001"
    batcher.stop()


@pytest.mark.parametrize("when", ["before commit", "after commit"])
def test_a_batch_whose_transaction_breaks_writes_each_application_once(
    api: Api, monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    """The connection breaks once: before COMMIT (nothing written: run again one by one) or
    after COMMIT reached the database (written: not run again). Either way each application
    is written once, answered with its own number, with no gap."""
    from contextlib import contextmanager

    from sqlalchemy.exc import OperationalError

    real = api.ctx.db.transaction
    broke = {"once": False}

    def lost() -> OperationalError:
        broke["once"] = True
        return OperationalError(when, {}, Exception("connection lost"))

    @contextmanager
    def breaking():  # type: ignore[no-untyped-def]
        with real() as session:
            yield session
            if when == "before commit" and not broke["once"]:
                raise lost()
        if when == "after commit" and not broke["once"]:
            raise lost()

    monkeypatch.setattr(api.ctx.db, "transaction", breaking)
    bodies = [application_body(), application_body(category="neighbor")]
    items = [Submission(PORTAL, b, None, _digest(b)) for b in bodies]
    IntakeBatcher(api.ctx).run_batch(items)
    answers = [json.loads(i.future.result().body)["application_no"] for i in items]
    with api.ctx.db.read() as session:
        stored = sorted(session.exec(select(Application.no)))
    assert broke["once"]
    assert sorted(answers) == stored
    assert [n.split("-")[2] for n in stored] == ["000001", "000002"]


def test_a_batch_writes_each_outbox_row_with_its_pending_row(api: Api) -> None:
    """The batch takes its outbox ids first, so each row's pending copy (what the relay
    claims from) carries the same id, destination and case; two batches in a row."""
    from sqlmodel import col

    from hub.store.models import OutboxMessage, OutboxPending

    for _ in range(2):
        bodies = [application_body(), application_body(category="neighbor")]
        items = [Submission(PORTAL, b, None, _digest(b)) for b in bodies]
        IntakeBatcher(api.ctx).run_batch(items)
        assert all(item.future.exception() is None for item in items)
    with api.ctx.db.read() as session:
        outbox = session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all()
        pending = session.exec(select(OutboxPending).order_by(col(OutboxPending.outbox_id))).all()
    assert len(outbox) >= 4 and len({r.application_no for r in outbox}) == 4
    assert [(p.outbox_id, p.destination, p.application_no) for p in pending] == [
        (r.id, r.destination, r.application_no) for r in outbox
    ]


def test_a_batch_is_written_once_at_its_end(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reads an application needs (registry, idempotency, calendar) name no buffered
    table: nothing makes the unit of work write before the batch ends (group commit)."""
    writes: list[int] = []
    real = UnitOfWork.write_buffer

    def counted(uow: UnitOfWork) -> None:
        writes.append(sum(len(rows) for rows in uow.buffer.rows.values()))
        real(uow)

    monkeypatch.setattr(UnitOfWork, "write_buffer", counted)
    bodies = [application_body(), application_body(category="neighbor")] * 4
    bodies.append(application_body(channel="window", received_at="2026-11-20T16:00:00+08:00"))
    window = Principal(Role.INSTITUTION, "pm-a")
    items = [
        Submission(PORTAL if b["channel"] == "online" else window, b, f"k-{i}", _digest(b))
        for i, b in enumerate(bodies)
    ]
    IntakeBatcher(api.ctx).run_batch(items)
    assert all(item.future.result().status == 201 for item in items)
    assert len([w for w in writes if w]) == 1, writes


def test_twins_of_one_source_no_in_one_batch_both_get_the_first_answer(api: Api) -> None:
    """A portal resending while the first is in flight (outside review 2026-12-03): the
    twin was answered as a repeat (200, no query code) instead of the first answer."""
    body = intake.with_district(application_body(source_no="SSB-20261203-0042"))
    key, digest = intake.source_no_key(body), intake.body_digest(body)
    items = [Submission(PORTAL, body, key, digest) for _ in range(3)]
    before = count_rows(api.ctx)
    IntakeBatcher(api.ctx).run_batch(items)
    first, *twins = (item.future.result() for item in items)
    assert first.status == 201
    assert all((t.status, t.body) == (201, first.body) for t in twins)
    assert json.loads(first.body)["query_code"]
    assert count_rows(api.ctx)["application"] - before["application"] == 1


def test_twins_of_one_key_in_a_failed_batch_still_get_the_first_answer(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The batch fails as a whole (a lost connection): run again one by one, the twin
    replays what its first stored; one case, nothing lost."""
    real = IntakeBatcher._in_one_transaction
    calls: list[int] = []

    def fails_once(self: IntakeBatcher, batch: list[Submission]) -> list[Any]:
        calls.append(len(batch))
        if len(calls) == 1:
            raise RuntimeError("connection lost")
        return real(self, batch)

    monkeypatch.setattr(IntakeBatcher, "_in_one_transaction", fails_once)
    body = application_body()
    items = [Submission(PORTAL, body, "resent", _digest(body)) for _ in range(2)]
    before = count_rows(api.ctx)
    IntakeBatcher(api.ctx).run_batch(items)
    first, twin = (item.future.result() for item in items)
    assert calls == [1, 1, 1]  # the twin was not run in the batch: each then alone
    assert (first.status, twin.status, twin.body) == (201, 201, first.body)
    assert count_rows(api.ctx)["application"] - before["application"] == 1
