"""A year becomes known (INTERFACE 16): loaded, counted again, told, and kept in step.

Wednesday 2026-12-30 10:00: a case gets acknowledge_by on Thu 12-31 (known) and
respondent_contact_by / decide_by on Mon 2027-01-04 (counting Fri 2027-01-01 as a weekday:
provisional). The test schedule makes 2027-01-01..03 holidays, so both move to Tue 01-05.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import text
from sqlmodel import col, select
from starlette.testclient import TestClient

from hub import cli
from hub.api.app import create_app
from hub.domain import calendar as domain_calendar
from hub.ops.cli import load_calendar
from hub.ops.scheduler import SchedulerSettings, run_once
from hub.services import calendar
from hub.store.models import CalendarYear, CaseEvent, Deadline, OutboxMessage
from hub.store.outbox import open_envelope
from tests.integration.ops_support import sh, small_hub, submit
from tests.unit.test_domain_calendar_years import CALENDAR_FILES, TEST_2027

FOUR = sh(2027, 1, 4, 23, 59, 59)
FIVE = sh(2027, 1, 5, 23, 59, 59)


def _dues(ctx) -> dict[str, tuple]:
    with ctx.db.read() as s:
        return {d.kind: (d.due_at, d.provisional) for d in s.exec(select(Deadline)).all()}


def _moved(ctx) -> list[dict]:
    with ctx.db.read() as s:
        rows = s.exec(
            select(OutboxMessage)
            .where(OutboxMessage.type == "deadline.moved")
            .order_by(col(OutboxMessage.id))
        ).all()
        return [{"to": r.destination, **open_envelope(ctx.vault, r)["data"]} for r in rows]


@pytest.mark.parametrize("legacy", [False, True], ids=["new-rows", "rows-before-0060"])
def test_loading_2027_recounts_and_tells_the_institution(
    database_url: str, tmp_path: Path, legacy: bool
) -> None:
    ctx = small_hub(database_url, tmp_path, sh(2026, 12, 30, 10))
    no = submit(ctx, institution="pm-a")
    assert _dues(ctx) == {
        "acknowledge_by": (sh(2026, 12, 31, 23, 59, 59), False),
        "respondent_contact_by": (FOUR, True),
        "decide_by": (FOUR, True),
    }
    if legacy:  # as migration 0060 leaves a deadline written before it
        with ctx.db.transaction() as s:
            s.execute(text("UPDATE deadline SET working_days = NULL"))

    report = load_calendar(ctx, calendar.parse(TEST_2027), actor="ops-li")
    assert (report.outcome, report.recounted, report.moved) == ("loaded", 2, 2)
    assert report.working_days == 255
    assert _dues(ctx) == {
        "acknowledge_by": (sh(2026, 12, 31, 23, 59, 59), False),
        "respondent_contact_by": (FIVE, False),
        "decide_by": (FIVE, False),
    }
    moved = _moved(ctx)
    assert sorted(m["deadline"] for m in moved) == ["decide_by", "respondent_contact_by"]
    for m in moved:
        assert m["to"] == "institution:pm-a"
        assert (m["previous_due_at"], m["due_at"]) == (FOUR.isoformat(), FIVE.isoformat())
        assert m["provisional"] is False
        assert "重新计算" in m["notice"]["zh"] and "recounted" in m["notice"]["en"]
    with ctx.db.read() as s:
        steps = s.exec(select(CaseEvent).where(CaseEvent.application_no == no)).all()
        assert [e.public for e in steps if e.type == "deadline_moved"] == [False, False]
        assert s.get(CalendarYear, 2027).loaded_by == "ops-li"
        with_days = s.exec(select(Deadline.working_days).order_by(col(Deadline.kind))).all()
        # the recount writes down what a deadline from before 0060 counted
        assert sorted(d for d in with_days if d is not None) == ([3, 3] if legacy else [1, 3, 3])

    again = load_calendar(ctx, calendar.parse(TEST_2027), actor="ops-li")
    assert (again.outcome, again.recounted, again.moved) == ("unchanged", 2, 0)
    assert len(_moved(ctx)) == 2

    with TestClient(create_app(ctx)) as client:
        body = client.get("/v1/calendar/2027").json()
        assert body["source"] == "file"
        assert body["holidays"][:3] == ["2027-01-01", "2027-01-02", "2027-01-03"]
        assert body["workdays"] == ["2027-02-20"] and body["working_days"] == 255
        assert client.get("/v1/calendar/2026").json()["source"] == "chinese-calendar"
        assert client.get("/v1/calendar/2031").json()["source"] == "weekdays"
        for bad in ("1999", "20x7", "２０２７", "99999"):
            r = client.get(f"/v1/calendar/{bad}")
            assert r.status_code == 422, bad
            assert r.json()["errors"][0]["pointer"] == "/path/year"


def test_a_process_not_yet_in_step_reads_the_year_before_a_provisional_answer(
    database_url: str, tmp_path: Path
) -> None:
    ctx = small_hub(database_url, tmp_path, sh(2026, 12, 30, 10))
    load_calendar(ctx, calendar.parse(TEST_2027), actor="ops")
    calendar.forget_loaded()  # as another process that has not read calendar_year yet
    assert domain_calendar.current().source(2027) == "weekdays"
    submit(ctx, institution="pm-a")
    assert _dues(ctx)["decide_by"] == (FIVE, False)


def test_the_scheduler_finishes_a_load_cut_short(database_url: str, tmp_path: Path) -> None:
    """The row committed, the recount did not run (a crash): the next pass does it."""
    ctx = small_hub(database_url, tmp_path, sh(2026, 12, 30, 10))
    submit(ctx, institution="pm-a")
    doc = calendar.parse(TEST_2027).as_document()
    days = [d.isoformat() for d in sorted(calendar.parse(TEST_2027).holidays)]
    with ctx.db.transaction() as s:
        s.add(
            CalendarYear(
                year=2027,
                holidays=days,
                workdays=doc["workdays"],
                loaded_at=ctx.clock.now(),
                loaded_by="ops",
            )
        )
    assert _dues(ctx)["decide_by"] == (FOUR, True)
    calendar.forget_loaded()  # half a minute on: the process reads calendar_year again
    run_once(ctx, SchedulerSettings())
    assert _dues(ctx)["decide_by"] == (FIVE, False)
    assert len(_moved(ctx)) == 2


def _write(tmp_path: Path, name: str, doc: object) -> str:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), "utf-8")
    return str(path)


def test_the_cli(sqlite_url: str, tmp_path: Path, monkeypatch, capsys) -> None:
    small_hub(sqlite_url, tmp_path, sh(2026, 12, 30, 10)).db.dispose()
    monkeypatch.setenv("HUB_DATABASE_URL", sqlite_url)

    bad = tmp_path / "bad.yaml"
    bad.write_text("year: 2027\nholidays:\n  - [2027-02-30, 2027-03-01]\nworkdays: [2027-02-22]\n")
    assert cli.main(["calendar", "load", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}#/holidays/0/0" in err and f"{bad}#/workdays/0" in err

    assert cli.main(["calendar", "load", str(CALENDAR_FILES[0])]) == 0
    assert "already installed" in capsys.readouterr().out

    doc = yaml.safe_load(CALENDAR_FILES[0].read_text("utf-8"))
    doc["workdays"] = doc["workdays"][1:]
    assert cli.main(["calendar", "load", _write(tmp_path, "wrong-2026.yaml", doc)]) == 2
    assert "2026-01-04" in capsys.readouterr().err

    assert cli.main(["calendar", "load", _write(tmp_path, "2027.yaml", TEST_2027)]) == 0
    out = capsys.readouterr().out
    assert "2027" in out and "255" in out and "已载入" in out

    assert cli.main(["calendar", "show", "2027"]) == 0
    assert '"source": "file"' in capsys.readouterr().out


def test_how_far_the_calendar_reaches(sqlite_url: str, tmp_path: Path) -> None:
    assert calendar.known_until(2026) == 2026
    assert calendar.known_until(2031) == 0
    ctx = small_hub(sqlite_url, tmp_path, sh(2026, 12, 1, 10))
    load_calendar(ctx, calendar.parse(TEST_2027), actor="ops")
    assert calendar.known_until(2026) == 2027


def test_migration_0060_gives_open_deadlines_their_start(database_url: str, tmp_path: Path) -> None:
    """Down to 0050 and up again: open deadlines count from their case's dispatch."""
    from alembic import command

    from hub.store.migrate import alembic_config, upgrade

    ctx = small_hub(database_url, tmp_path, sh(2026, 12, 30, 10))
    submit(ctx, institution="pm-a")
    with ctx.db.transaction() as s:
        s.execute(text("UPDATE deadline SET met_at = counted_from WHERE kind = 'acknowledge_by'"))
    ctx.db.dispose()
    command.downgrade(alembic_config(database_url), "0050")
    upgrade(database_url)
    with ctx.db.read() as s:
        rows = {d.kind: d for d in s.exec(select(Deadline)).all()}
    assert rows["decide_by"].counted_from == sh(2026, 12, 30, 10)
    assert rows["decide_by"].working_days is None  # worked out when first needed
    assert rows["acknowledge_by"].counted_from is None  # met: nothing to count again
    report = load_calendar(ctx, calendar.parse(TEST_2027), actor="ops")
    assert report.moved == 2


def test_loading_a_year_counts_the_hours_to_acceptance_again(
    database_url: str, tmp_path: Path
) -> None:
    """A case accepted across 2027-01-01 was counted with that day a weekday; the schedule
    makes it a holiday, and statistics answer the hours the new calendar counts."""
    from datetime import timedelta

    from hub.ops import stats
    from hub.services.principal import Principal, Role
    from hub.store import cases
    from hub.store.models import Application

    ctx = small_hub(database_url, tmp_path, sh(2026, 12, 30, 10))
    no = submit(ctx, institution="pm-a")
    accepted = sh(2027, 1, 4, 10)
    with ctx.db.transaction() as s:
        app = cases.load(s, no, for_update=True)
        assert app is not None and app.dispatched_at is not None
        app.accepted_at, app.status, app.version = accepted, "accepted", app.version + 1
        app.accept_hours = domain_calendar.working_hours_between(app.dispatched_at, accepted)
        dispatched = app.dispatched_at
        cases.save(s, app)
    before = domain_calendar.working_hours_between(dispatched, accepted)
    load_calendar(ctx, calendar.parse(TEST_2027), actor="ops")
    after = domain_calendar.working_hours_between(dispatched, accepted)
    assert after == pytest.approx(before - 24)  # 2027-01-01 no longer counts
    query = {
        "by": "institution",
        "format": "json",
        "from": sh(2026, 12, 1).date(),
        "to": sh(2026, 12, 1).date() + timedelta(days=60),
    }
    with ctx.db.read() as s:
        assert s.get(Application, no).accept_hours == after
        rows = stats.compute(ctx, s, Principal(Role.ADMIN, None), query)["rows"]
    assert [r["hours_to_accept"]["median"] for r in rows] == [round(after, 2)]
    # a second count changes nothing
    assert ctx.db.run(lambda s: calendar.recount_accept_hours(s, 2027)) == 0
