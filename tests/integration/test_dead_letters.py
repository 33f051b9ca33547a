"""A new case whose delivery died is offered to the next institution, then announced
(issue 14.2); a replay settles each letter and says how."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import col, select

from hub.services.delivery_failures import list_dead, record_dead, replay
from hub.store.models import Application, OutboxMessage
from tests.support.api import Api

#: In the small registry, consumer cases of 310104 go to pm-a, pm-b (unit sfj) or cm-x (xbw).
COVERING = {"pm-a", "pm-b", "cm-x"}


def _new_case_letter(api: Api, no: str, institution: str) -> OutboxMessage:
    with api.ctx.db.read() as session:
        return session.exec(
            select(OutboxMessage)
            .where(
                OutboxMessage.application_no == no,
                OutboxMessage.type == "application.dispatched",
                OutboxMessage.destination == f"institution:{institution}",
            )
            .order_by(col(OutboxMessage.id).desc())
        ).first()  # type: ignore[return-value]


NEW_CASE = "application.new_case"


def _case(api: Api, no: str) -> Application:
    with api.ctx.db.read() as session:
        app = session.get(Application, no)
    assert app is not None
    return app


def _messages(api: Api, role: str, party: str, no: str) -> list[dict[str, Any]]:
    r = api.feed(role, party)
    assert r.status_code == 200, r.text
    return [m for m in r.json()["messages"] if m["application_no"] == no]


def _asked_to_dispatch(api: Api, unit: str, no: str) -> list[str]:
    """What a unit was asked to do about the case (beside being told it is new, Art. 7)."""
    return [m["type"] for m in _messages(api, "unit", unit, no) if m["type"] != NEW_CASE]


def test_a_dead_new_case_goes_to_the_next_institution_until_none_is_left(api: Api) -> None:
    no = api.submitted(preferred_institution="pm-a")["application_no"]
    first = _new_case_letter(api, no, "pm-a")
    assert api.ctx.db.run(
        lambda s: record_dead(
            api.ctx, s, first.message_id, "refused by the party: HTTP 410", attempts=1
        )
    )

    moved = _case(api, no)
    assert moved.status == "dispatched" and moved.institution_id in COVERING - {"pm-a"}
    second = _new_case_letter(api, no, moved.institution_id)
    # The next offer must still arrive by the first offer's deadline.
    assert second.deliver_by == first.deliver_by
    [offer] = _messages(api, "institution", moved.institution_id, no)
    assert offer["type"] == "application.dispatched"
    assert [m["type"] for m in _messages(api, "portal", "portal", no)][-1] == (
        "application.status_changed"
    )
    assert _asked_to_dispatch(api, "sfj", no) == [] and _asked_to_dispatch(api, "xbw", no) == []
    # pm-a's unit was told of the new case once, when it first went out
    assert [m["type"] for m in _messages(api, "unit", "sfj", no)].count(NEW_CASE) == 1

    assert api.ctx.db.run(
        lambda s: record_dead(api.ctx, s, second.message_id, "delivery limit reached", attempts=5)
    )
    third_holder = _case(api, no).institution_id
    assert third_holder in COVERING - {"pm-a", moved.institution_id}
    third = _new_case_letter(api, no, third_holder)
    assert api.ctx.db.run(
        lambda s: record_dead(
            api.ctx, s, third.message_id, "refused by the party: HTTP 400", attempts=1
        )
    )

    parked = _case(api, no)
    assert parked.status == "undeliverable" and parked.institution_id is None
    # Every unit covering the case is told, to dispatch it by hand; the portal too.
    for unit in ("sfj", "xbw"):
        assert _asked_to_dispatch(api, unit, no) == ["application.undeliverable"]
    portal = _messages(api, "portal", "portal", no)
    assert portal[-1]["data"]["status"] == "undeliverable"
    timeline = api.record(no).json()["timeline"]
    assert [s["type"] for s in timeline].count("dispatched") == 3
    assert timeline[-1]["type"] == "undeliverable"


def test_a_new_case_dead_after_its_deadline_is_announced_at_once(api: Api) -> None:
    no = api.submitted(preferred_institution="pm-a")["application_no"]
    letter = _new_case_letter(api, no, "pm-a")
    assert letter.deliver_by is not None
    api.ctx.clock.set(letter.deliver_by + timedelta(seconds=1))  # type: ignore[attr-defined]
    assert api.ctx.db.run(
        lambda s: record_dead(
            api.ctx, s, letter.message_id, "not delivered by its deadline", attempts=7
        )
    )
    app = _case(api, no)
    assert app.status == "undeliverable" and app.institution_id is None
    assert _asked_to_dispatch(api, "sfj", no) == ["application.undeliverable"]
    assert _asked_to_dispatch(api, "xbw", no) == ["application.undeliverable"]
    for other in COVERING - {"pm-a"}:
        assert _messages(api, "institution", other, no) == []


def test_replaying_the_letter_of_a_case_waiting_for_a_unit_dispatches_it_again(
    api: Api,
) -> None:
    no = api.submitted(preferred_institution="pm-a")["application_no"]
    letter = _new_case_letter(api, no, "pm-a")
    api.ctx.clock.set(letter.deliver_by + timedelta(seconds=1))  # type: ignore[attr-defined,operator]
    assert api.ctx.db.run(
        lambda s: record_dead(
            api.ctx, s, letter.message_id, "not delivered by its deadline", attempts=7
        )
    )
    with api.ctx.db.read() as session:
        [listed] = [d for d in list_dead(session)[0] if d["message_id"] == letter.message_id]
    assert listed["attempts"] == 7

    answer = api.ctx.db.run(lambda s: replay(api.ctx, s, [letter.message_id, "no-such-letter"]))
    assert (answer["redispatched"], answer["not_dead"], answer["replayed"]) == (1, 1, 0)
    outcomes = {x["message_id"]: x["outcome"] for x in answer["letters"]}
    assert outcomes == {letter.message_id: "redispatched", "no-such-letter": "not_dead"}
    app = _case(api, no)
    assert app.status == "dispatched" and app.institution_id == "pm-a"
    fresh = _new_case_letter(api, no, "pm-a")
    assert fresh.message_id != letter.message_id and fresh.dead_at is None
    assert fresh.deliver_by is not None and fresh.deliver_by > api.ctx.clock.now()
    with api.ctx.db.read() as session:
        assert list_dead(session)[0] == []  # settled: off the list, its row keeps why
        row = session.get(OutboxMessage, letter.id)
    assert row is not None and row.dead_resolution is not None
    assert row.dead_resolution.startswith("redispatched")
    # Idempotent: nothing left to settle.
    again = api.ctx.db.run(lambda s: replay(api.ctx, s, [letter.message_id]))
    assert again["not_dead"] == 1 and again["redispatched"] == 0
