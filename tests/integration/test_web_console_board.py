"""The console's morning pages in-process, on SQLite and on PostgreSQL: today's counts, the
red-light board with 催办 (dunning), dispatch by hand, dead letters and their replay. Each
page shows what the person's unit oversees (sfj and admin: all), acts through the same
service as the API, is audited with the person's login, refuses a bad form or another
unit's institution with the field named and nothing changed."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select

from hub.clock import FakeClock
from hub.services.delivery_failures import record_dead
from hub.store.models import Application, OutboxMessage
from tests.support.api import Api, count_changes, outbox_envelopes
from tests.support.web import audit_logins, browser, hidden_fields, person, post_form


def clock(api: Api) -> FakeClock:
    assert isinstance(api.ctx.clock, FakeClock)
    return api.ctx.clock


def late_case(api: Api, institution: str = "pm-a") -> str:
    """A case at `institution` whose acknowledgement is two working days late."""
    answer = api.submitted(preferred_institution=institution)
    assert answer["institution"]["id"] == institution
    clock(api).advance(timedelta(days=3))  # Mon 10:00 -> Thu 10:00; due Tue 24:00
    return str(answer["application_no"])


def parked_case(api: Api) -> str:
    """A consumer case of Xuhui (pm-a, pm-b of sfj and cm-x of xbw cover it) whose offers all
    failed to deliver: undeliverable, for sfj and xbw to dispatch by hand."""
    no = str(api.submitted()["application_no"])
    for _ in range(3):
        with api.ctx.db.read() as s:
            app = s.get(Application, no)
            assert app is not None and app.institution_id is not None
            letter = s.exec(
                select(OutboxMessage)
                .where(
                    OutboxMessage.application_no == no,
                    OutboxMessage.type == "application.dispatched",
                    OutboxMessage.destination == f"institution:{app.institution_id}",
                )
                .order_by(col(OutboxMessage.id).desc())
            ).first()
        assert letter is not None
        with api.ctx.db.transaction() as uow:
            assert record_dead(
                api.ctx, uow, letter.message_id, "refused by the party: HTTP 410", attempts=1
            )
    with api.ctx.db.read() as s:
        app = s.get(Application, no)
        assert app is not None and app.status == "undeliverable"
    return no


def test_a_unit_clerk_sees_only_its_institutions_and_presses_one(api: Api) -> None:
    ours = late_case(api, "cm-x")
    theirs = api.submitted(preferred_institution="pm-a")["application_no"]
    clerk = person(api, "xbw.clerk", "unit", "xbw")

    today = clerk.get("/web/console/")
    assert today.status_code == 200 and "超期督办（红灯）" in today.text
    assert "您可查看本单位所属机构" in today.text
    board = clerk.get("/web/console/overdue")
    assert board.status_code == 200
    assert ours in board.text and theirs not in board.text
    assert "超期 2 个工作日" in board.text and "接收期限" in board.text
    assert "消保委调解中心" in board.text
    # the institution filter offers the unit's own institutions only
    assert 'value="cm-x"' in board.text and 'value="pm-a"' not in board.text

    fields = post_form(board.text, "/web/console/overdue")
    assert fields["no"] == ours
    r = clerk.post("/web/console/overdue", data={**fields, "note": "请今天内联系申请人"})
    assert r.status_code == 303, r.text
    again = clerk.post("/web/console/overdue", data={**fields, "note": "请今天内联系申请人"})
    assert again.status_code == 303  # the same form twice is one dunning

    pressed = [
        m for m in outbox_envelopes(api.ctx, "institution:cm-x") if m["type"] == "deadline.dunning"
    ]
    assert len(pressed) == 1
    data = pressed[0]["data"]
    assert data["deadline"] == "acknowledge_by" and data["working_days_late"] == 2
    assert data["note"] == "请今天内联系申请人" and data["by"] == "xbw"
    assert "催办" in data["notice"]["zh"]
    assert audit_logins(api, "deadline.dunning") == ["xbw.clerk"]
    record = api.record(ours).json()
    assert "dunned" in [step["type"] for step in record["timeline"]]
    done = clerk.get(r.headers["location"])
    assert f"已向承办机构发出催办：{ours}" in done.text

    # another unit's case: refused as unknown, nothing written
    other = {**fields, "no": theirs, "nonce": fields["nonce"] + "x"}
    before = count_changes(api.ctx)
    r = clerk.post("/web/console/overdue", data=other)
    assert r.status_code == 404
    assert count_changes(api.ctx) == before


def test_the_api_dunning_needs_a_late_deadline(api: Api) -> None:
    answer = api.submitted(preferred_institution="pm-a")
    no = answer["application_no"]
    r = api.client.post(f"/v1/applications/{no}/dunning", json={}, headers=api.auth("unit", "sfj"))
    assert r.status_code == 409, r.text  # nothing is late yet
    clock(api).advance(timedelta(days=3))
    r = api.client.post(
        f"/v1/applications/{no}/dunning", json={"note": 5}, headers=api.auth("unit", "sfj")
    )
    assert r.status_code == 422 and r.json()["errors"][0]["pointer"] == "/note"
    r = api.client.post(f"/v1/applications/{no}/dunning", json={}, headers=api.auth("unit", "xbw"))
    assert r.status_code == 404  # not one of xbw's institutions
    r = api.client.post(f"/v1/applications/{no}/dunning", json={}, headers=api.auth("unit", "sfj"))
    assert r.status_code == 201, r.text
    assert r.json()["working_days_late"] == 2


def test_a_bad_dunning_form_names_the_field_and_keeps_what_was_typed(api: Api) -> None:
    no = late_case(api)
    clerk = person(api, "sfj.clerk", "unit", "sfj")
    board = clerk.get("/web/console/overdue")
    assert "您可查看全部机构" in clerk.get("/web/console/").text
    fields = post_form(board.text, "/web/console/overdue")
    before = count_changes(api.ctx)
    typed = "很长" * 1001  # over the note's 2000 characters
    r = clerk.post("/web/console/overdue", data={**fields, "note": typed})
    assert r.status_code == 422
    assert "备注（Note）：" in r.text
    assert typed in r.text and 'aria-invalid="true"' in r.text
    assert count_changes(api.ctx) == before
    r = clerk.post("/web/console/overdue", data={**fields, "csrf": "0" * 64})
    assert r.status_code == 403 and count_changes(api.ctx) == before
    assert no in board.text


def test_dispatch_by_hand_from_the_list(api: Api) -> None:
    no = parked_case(api)
    sfj = person(api, "sfj.dispatcher", "unit", "sfj")
    xbw = person(api, "xbw.dispatcher", "unit", "xbw")
    theirs = xbw.get("/web/console/undeliverable")
    assert no in theirs.text  # xbw covers it too, and may offer it to its own only
    assert 'value="cm-x"' in theirs.text and 'value="pm-a"' not in theirs.text
    nobody = api.submitted(category="labor", district="310101")["application_no"]
    assert nobody not in theirs.text  # labour in Huangpu: sfj's to find a way
    page = sfj.get("/web/console/undeliverable")
    assert page.status_code == 200 and no in page.text
    assert "甲人民调解委员会" in page.text
    assert 'value="court-310104"' not in page.text  # courts take no dispatched cases
    fields = post_form(page.text, "/web/console/undeliverable")

    before = count_changes(api.ctx)
    r = sfj.post("/web/console/undeliverable", data={**fields, "institution": "", "note": "急"})
    assert r.status_code == 422 and "解纷机构" in r.text and 'value="急"' in r.text
    assert count_changes(api.ctx) == before

    r = sfj.post("/web/console/undeliverable", data={**fields, "institution": "pm-b"})
    assert r.status_code == 303, r.text
    with api.ctx.db.read() as s:
        app = s.get(Application, no)
        assert app is not None and app.institution_id == "pm-b" and app.status == "dispatched"
    assert audit_logins(api, "application.dispatched_by_unit") == ["sfj.dispatcher"]
    assert no not in sfj.get("/web/console/undeliverable").text


def test_a_unit_cannot_dispatch_to_another_units_institution(api: Api) -> None:
    no = parked_case(api)
    clerk = person(api, "xbw.hand", "unit", "xbw")
    # the list would not offer it; a hand-made form is refused with the field named
    csrf = hidden_fields(clerk.get("/web/console/undeliverable").text)["csrf"]
    before = count_changes(api.ctx)
    r = clerk.post(
        "/web/console/undeliverable",
        data={"csrf": csrf, "nonce": "a1b2c3d4e5", "no": no, "institution": "pm-a"},
    )
    assert r.status_code in (404, 422)
    assert count_changes(api.ctx) == before


def test_dead_letters_are_listed_with_their_reason_and_replayed(api: Api) -> None:
    no = api.submitted(preferred_institution="pm-a")["application_no"]
    with api.ctx.db.read() as s:
        letter = s.exec(
            select(OutboxMessage)
            .where(OutboxMessage.application_no == no, OutboxMessage.destination == "portal:portal")
            .order_by(col(OutboxMessage.id))
        ).first()
    assert letter is not None
    assert api.ctx.db.run(
        lambda s: record_dead(
            api.ctx, s, letter.message_id, "refused by the party: HTTP 410", attempts=3
        )
    )
    unit = person(api, "unit.nosy", "unit", "sfj")
    assert unit.get("/web/console/deadletters").status_code == 403
    assert "/web/console/deadletters" not in unit.get("/web/console/").text
    admin = person(api, "ops.admin", "admin", None)
    page = admin.get("/web/console/deadletters")
    assert page.status_code == 200
    assert "refused by the party: HTTP 410" in page.text and no in page.text
    assert "办件状态变化（门户）（application.status_changed）" in page.text
    fields = post_form(page.text, "/web/console/deadletters/replay", 1)  # 0: the destination's
    assert fields["message_id"] == letter.message_id
    r = admin.post("/web/console/deadletters/replay", data=fields)
    assert r.status_code == 303
    done = admin.get(r.headers["location"])
    assert "重新排队 1 条" in done.text
    assert "refused by the party: HTTP 410" not in done.text
    assert audit_logins(api, "delivery.replayed") == ["ops.admin"]
    assert browser(api).get("/web/console/deadletters").status_code == 303  # sign in first


def test_every_console_page_speaks_english_too(api: Api) -> None:
    late_case(api)
    admin = person(api, "ops.english", "admin", None)
    for path, words in (
        ("/web/console/", "Today"),
        ("/web/console/overdue", "working days late"),
        ("/web/console/undeliverable", "Awaiting dispatch by hand"),
        ("/web/console/deadletters", "Failed deliveries"),
        ("/web/console/registry", "Registry approvals"),
        ("/web/console/complaints", "Complaints"),
        ("/web/console/workorders", "Work orders"),
        ("/web/console/stats", "Mediation KPIs"),
        ("/web/console/alerts", "Early warnings"),
        ("/web/console/help", "Add an article"),
        ("/web/console/grants", "Create a consent grant"),
    ):
        r = admin.get(path, params={"lang": "en"})
        assert r.status_code == 200, path
        assert '<html lang="en">' in r.text and words in r.text, path
        assert "超期督办" not in r.text, path  # the menu too
