"""Art. 7: a unit that dispatches by hand (`dispatch: manual`) gets its new cases in a queue
with a `dispatch_by` clock of its own; either way a unit is told of every new case."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import col, select

from hub.ops import casebook
from hub.ops.scheduler import SchedulerSettings, run_once
from hub.services import lifecycle
from hub.services.access import may_view
from hub.services.principal import Principal, Role
from hub.store.models import Application, CaseEvent, Deadline, OutboxMessage
from hub.store.outbox import open_envelope
from tests.integration.ops_support import SMALL, clock, event, sh, submit
from tests.support.hubctx import make_hub

SFJ = Principal(Role.UNIT, "sfj", "t-sfj")
XBW = Principal(Role.UNIT, "xbw", "t-xbw")


def _manual_registry(tmp: Path) -> Path:
    """The small registry with the justice bureau's unit dispatching by hand."""
    text = SMALL.read_text(encoding="utf-8").replace(
        "{id: sfj, name: 市司法局}", "{id: sfj, name: 市司法局, dispatch: manual}"
    )
    assert "dispatch: manual" in text
    path = tmp / "registry.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _messages(ctx, destination: str) -> list[dict]:
    with ctx.db.read() as s:
        rows = s.exec(
            select(OutboxMessage)
            .where(OutboxMessage.destination == destination)
            .order_by(col(OutboxMessage.id))
        ).all()
        return [open_envelope(ctx.vault, r) for r in rows]


def _case(ctx, no: str) -> Application:
    with ctx.db.read() as s:
        app = s.get(Application, no)
        assert app is not None
        s.expunge(app)
        return app


def _list(ctx, principal: Principal, **query: str) -> list[str]:
    with ctx.db.read() as s:
        answer = casebook.list_applications(ctx, s, principal, casebook.parse_query(query))
    return [i["application_no"] for i in answer["items"]]


def test_a_manual_unit_dispatches_its_new_cases_itself(database_url: str, tmp_path: Path) -> None:
    ctx = make_hub(
        database_url, tmp_path, now=sh(2026, 11, 23, 10), registry=_manual_registry(tmp_path)
    )
    no = submit(ctx, institution="pm-a", category="neighbor")  # pm-a and pm-b: unit sfj

    app = _case(ctx, no)
    assert (app.status, app.institution_id, app.awaiting_unit) == ("submitted", None, "sfj")
    with ctx.db.read() as s:
        clocks = [
            (d.kind, d.unit_id, d.institution_id, d.due_at)
            for d in s.exec(select(Deadline).where(Deadline.application_no == no))
        ]
        assert may_view(ctx, s, SFJ, s.get(Application, no))
        assert not may_view(ctx, s, XBW, s.get(Application, no))
    # one working day for the unit: Tuesday 24 November, end of day
    assert clocks == [("dispatch_by", "sfj", None, sh(2026, 11, 24, 23, 59, 59))]
    assert _messages(ctx, "institution:pm-a") == []  # no institution has it yet
    told = [m for m in _messages(ctx, "unit:sfj") if m["type"] == "application.awaiting_dispatch"]
    assert [m["application_no"] for m in told] == [no]
    assert told[0]["data"]["suggested_institution"] == "pm-a"
    assert "applicants" not in told[0]["data"]  # the unit opens the case to see who
    assert _list(ctx, SFJ, awaiting="true") == [no]
    assert no not in _list(ctx, XBW)

    with ctx.db.transaction() as s:
        answer = lifecycle.unit_dispatch(ctx, s, SFJ, no, {"institution": "pm-b"})
    assert answer["status"] == "dispatched"
    app = _case(ctx, no)
    assert (app.institution_id, app.awaiting_unit) == ("pm-b", None)
    with ctx.db.read() as s:
        open_kinds = sorted(
            d.kind
            for d in s.exec(select(Deadline).where(Deadline.application_no == no))
            if d.met_at is None
        )
    assert open_kinds == ["acknowledge_by", "decide_by", "respondent_contact_by"]
    assert [m["type"] for m in _messages(ctx, "institution:pm-b")] == ["application.dispatched"]
    # the unit dispatched it itself: no second "new case" message to it
    assert "application.new_case" not in [m["type"] for m in _messages(ctx, "unit:sfj")]
    assert _list(ctx, SFJ, awaiting="true") == []
    assert event(ctx, no, "pm-b", "received")["status"] == "received"


def test_a_late_unit_is_reminded_marked_overdue_and_escalated(
    sqlite_url: str, tmp_path: Path
) -> None:
    ctx = make_hub(
        sqlite_url, tmp_path, now=sh(2026, 11, 23, 10), registry=_manual_registry(tmp_path)
    )
    no = submit(ctx, institution="pm-a", category="neighbor")
    settings = SchedulerSettings(escalation_unit="hotline")
    seen = []
    for moment in (
        sh(2026, 11, 24, 21),
        sh(2026, 11, 24, 23, 59, 59),
        sh(2026, 11, 25, 23, 59, 59),
    ):
        clock(ctx).set(moment)
        seen.append(run_once(ctx, settings))
    assert [(c["reminded"], c["overdue"], c["escalated"]) for c in seen] == [
        (1, 0, 0),
        (0, 1, 0),
        (0, 0, 1),
    ]
    to_unit = [m["type"] for m in _messages(ctx, "unit:sfj") if m["type"].startswith("deadline.")]
    assert to_unit == ["deadline.reminder", "deadline.overdue"]
    escalated = [m for m in _messages(ctx, "unit:hotline") if m["type"] == "deadline.escalated"]
    assert [(m["application_no"], m["data"]["deadline"]) for m in escalated] == [
        (no, "dispatch_by")
    ]
    assert escalated[0]["data"]["unit"] == "sfj"
    assert "市司法局" in escalated[0]["data"]["notice"]["zh"]


def test_an_automatic_unit_is_told_of_every_new_case(sqlite_url: str, tmp_path: Path) -> None:
    ctx = make_hub(sqlite_url, tmp_path, now=sh(2026, 11, 23, 10), registry=SMALL)
    online = submit(ctx, institution="cm-x")  # unit xbw dispatches automatically
    window = submit(ctx, institution="cm-x", channel="window")
    app = _case(ctx, online)
    assert (app.status, app.institution_id, app.awaiting_unit) == ("dispatched", "cm-x", None)
    with ctx.db.read() as s:  # the hub dispatched it on the unit's behalf, not the portal
        steps = s.exec(select(CaseEvent).where(CaseEvent.application_no == online)).all()
        assert [(e.type, e.actor_party) for e in steps] == [
            ("submitted", "portal"),
            ("dispatched", "hub"),
        ]
    new = [m for m in _messages(ctx, "unit:xbw") if m["type"] == "application.new_case"]
    assert [m["application_no"] for m in new] == [online, window]
    assert new[0]["data"] == {
        "institution": "cm-x",
        "channel": "online",
        "category": "consumer",
        "district": "310104",
    }
    # a case moving on (returned, dispatched again) is not a new case
    event(ctx, online, "cm-x", "returned", reason="不属本会受理范围")
    new_after = [m for m in _messages(ctx, "unit:sfj") if m["type"] == "application.new_case"]
    assert new_after == []
