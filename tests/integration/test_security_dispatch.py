"""Dispatch by a unit and event ids (issue 12, items 2 and 8).

A unit dispatches only a case it may see (one its institutions hold, or an undeliverable one
it is offered), only to one of its own institutions covering the case's category and
district; anything else, and an event id reused on another party's case, is answered exactly
as a case that does not exist, with nothing changed.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.support.api import Api, count_rows, make_number

UNKNOWN = make_number("20261123", 999)


def _dispatch(api: Api, no: str, institution: str, unit: str) -> httpx.Response:
    return api.client.post(
        f"/v1/applications/{no}/dispatch",
        json={"institution": institution},
        headers=api.auth("unit", unit),
    )


def _absent(r: httpx.Response, api: Api, unit: str, institution: str) -> None:
    """`r` is what a dispatch of a case that does not exist answers: status and body."""
    unknown = _dispatch(api, UNKNOWN, institution, unit)
    assert unknown.status_code == 404
    assert (r.status_code, r.json()) == (404, unknown.json())


def _undeliverable(api: Api, **over: Any) -> str:
    """A case every covering institution returned."""
    answer = api.submitted(**over)
    no = answer["application_no"]
    holder = answer["institution"]["id"]
    while holder is not None:
        r = api.event(no, holder, "returned", {"reason": "不属本会受理范围"})
        assert r.status_code == 201, r.text
        holder = (api.record(no).json()["institution"] or {}).get("id")
    assert api.record(no).json()["status"] == "undeliverable"
    return str(no)


def test_a_unit_cannot_take_an_undeliverable_case_it_is_not_offered(api: Api) -> None:
    no = _undeliverable(api, category="neighbor")  # offered to sfj (pm-a, pm-b) only
    assert api.record(no, "unit", "xbw").status_code == 404
    before = count_rows(api.ctx)
    r = _dispatch(api, no, "cm-x", "xbw")  # its own institution, but not offered the case
    _absent(r, api, "xbw", "cm-x")
    assert count_rows(api.ctx) == before
    assert api.record(no).json()["status"] == "undeliverable"
    # the unit it is offered to dispatches it
    r = _dispatch(api, no, "pm-a", "sfj")
    assert r.status_code == 200, r.text
    assert r.json()["institution"]["id"] == "pm-a"


def test_only_to_an_institution_covering_the_category_and_district(api: Api) -> None:
    # consumer disputes in 310105: only cm-x (unit xbw) takes them
    no = _undeliverable(api, district="310105", occurred_place="长宁区某路1号")
    before = count_rows(api.ctx)
    # sfj (the justice bureau) sees every case, but pm-a is 310104 only and the
    # commission is no mediation body
    for target in ("pm-a", "arb-commercial"):
        _absent(_dispatch(api, no, target, "sfj"), api, "sfj", target)
    assert count_rows(api.ctx) == before
    r = _dispatch(api, no, "cm-x", "xbw")
    assert r.status_code == 200, r.text
    assert api.record(no).json()["institution"]["id"] == "cm-x"


def test_a_foreign_target_answers_as_for_no_case(api: Api) -> None:
    no = api.submitted(preferred_institution="pm-a")["application_no"]
    before = count_rows(api.ctx)
    # xbw neither sees the case nor owns pm-b: the same answer as for no case at all
    _absent(_dispatch(api, no, "pm-b", "xbw"), api, "xbw", "pm-b")
    _absent(_dispatch(api, no, "no-such-institution", "xbw"), api, "xbw", "no-such-institution")
    assert count_rows(api.ctx) == before
    assert api.record(no).json()["institution"]["id"] == "pm-a"


def test_reusing_ones_own_event_id_on_another_case_answers_as_for_no_case(api: Api) -> None:
    mine = api.submitted(preferred_institution="pm-a")["application_no"]
    theirs = api.submitted(preferred_institution="pm-b")["application_no"]
    event_id = str(uuid.uuid4())
    assert api.event(mine, "pm-a", "received", event_id=event_id).status_code == 201
    before = count_rows(api.ctx)
    unknown = api.event(UNKNOWN, "pm-a", "received", event_id=event_id)
    assert unknown.status_code == 404
    r = api.event(theirs, "pm-a", "received", event_id=event_id)
    assert (r.status_code, r.json()) == (404, unknown.json())
    assert count_rows(api.ctx) == before
    # on one's own cases a reused id is still a conflict (INTERFACE 1)
    other_mine = api.submitted(preferred_institution="pm-a")["application_no"]
    assert api.event(other_mine, "pm-a", "received", event_id=event_id).status_code == 409
