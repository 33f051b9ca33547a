"""Dates the hub accepts lie in a plausible range (issue 12, item 1; hub.domain.dates).

The clock stands on Monday 2026-11-23 10:00 Shanghai; the platform's start is 2020-01-01.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest

from tests.support.api import MONDAY, Api, application_body, count_rows


def _pointers(r: httpx.Response) -> list[str]:
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    return [e["pointer"] for e in r.json()["errors"]]


def _window(api: Api, **over: Any) -> httpx.Response:
    body = application_body(channel="window", **over)
    return api.submit(body, role="institution", party="pm-b")


@pytest.mark.parametrize(
    "received_at",
    [
        "0001-01-01T00:00:00+00:00",  # the payload
        "2019-12-31T23:59:59+08:00",  # before the platform's start
        "2026-11-23T10:06:00+08:00",  # six minutes ahead: past the allowed skew
        "9999-12-31T23:59:59+00:00",
    ],
)
def test_a_window_application_dated_outside_the_range_is_refused(
    api: Api, received_at: str
) -> None:
    before = count_rows(api.ctx)
    assert _pointers(_window(api, received_at=received_at)) == ["/received_at"]
    assert count_rows(api.ctx) == before


def test_dates_inside_the_range_are_taken_and_answered_in_rfc3339(api: Api) -> None:
    # a clock running a minute ahead of ours is within the allowed skew
    r = _window(api, received_at="2026-11-23T10:01:00+08:00", occurred_on="2020-01-01")
    assert r.status_code == 201, r.text
    for due in r.json()["deadlines"].values():
        assert due.endswith("+08:00")
    r = _window(api, received_at="2020-01-01T00:00:00+08:00")
    assert r.status_code == 201, r.text
    assert r.json()["deadlines"]["decide_by"] == "2020-01-06T23:59:59+08:00"


@pytest.mark.parametrize("occurred_on", ["0001-01-01", "1989-12-31", "2026-11-24", "9999-12-31"])
def test_an_occurrence_date_outside_the_range_is_refused(api: Api, occurred_on: str) -> None:
    before = count_rows(api.ctx)
    assert _pointers(api.submit(application_body(occurred_on=occurred_on))) == ["/occurred_on"]
    assert count_rows(api.ctx) == before
    assert api.submit(application_body(occurred_on="1990-01-01")).status_code == 201


def test_a_referral_decision_dated_outside_the_range_is_refused(api: Api) -> None:
    no = api.submitted(preferred_institution="pm-a")["application_no"]
    api.ok_event(no, "pm-a", "accepted")
    api.ok_event(no, "pm-a", "closed", {"outcome": "failure", "remedies": "可起诉"})
    r = api.client.post(
        f"/v1/applications/{no}/referrals",
        json={"kind": "litigation"},
        headers=api.auth("institution", "pm-a"),
    )
    assert r.status_code == 201, r.text
    url = f"/v1/referrals/{r.json()['referral_id']}/result"
    court = api.auth("court", "court-310104")
    for day in ("0001-01-01", "2026-11-24"):
        r = api.client.post(url, json={"outcome": "filed", "decided_on": day}, headers=court)
        assert _pointers(r) == ["/decided_on"]
    r = api.client.post(url, json={"outcome": "filed", "decided_on": "2026-11-23"}, headers=court)
    assert r.status_code == 200, r.text


def test_a_grant_with_implausible_dates_is_refused(api: Api) -> None:
    good = {
        "purpose": "群体性纠纷预警核查 / checking a mass-dispute warning",
        "scope": {"categories": ["consumer"], "from": "2026-01-01", "to": "2026-12-31"},
        "fields": ["facts"],
        "expiry": (MONDAY + timedelta(days=7)).isoformat(),
        "approver": "李处长",
    }
    admin = api.auth("admin")
    for scope, expiry, pointer in (
        ({"from": "0001-01-01"}, None, "/scope/from"),
        ({"to": "9999-12-31"}, None, "/scope/to"),
        ({}, "9999-12-31T00:00:00+08:00", "/expiry"),
    ):
        body = {**good, "scope": {**good["scope"], **scope}, "expiry": expiry or good["expiry"]}
        r = api.client.post("/v1/shared/grants", json=body, headers=admin)
        assert _pointers(r) == [pointer]
    assert api.client.post("/v1/shared/grants", json=good, headers=admin).status_code == 201


def test_imported_history_dated_outside_the_range_is_refused(api: Api) -> None:
    from tests.support.imports import import_line, ndjson

    lines = ndjson(
        import_line(source_no="D1", received_at="0001-01-01T00:00:00+00:00", events=[]),
        import_line(
            source_no="D2", events=[{"type": "received", "at": "9999-01-01T00:00:00+08:00"}]
        ),
        import_line(source_no="D3", occurred_on="1900-01-01"),
        import_line(source_no="D4"),
    )
    r = api.client.post(
        "/v1/import/cases",
        content=lines,
        headers={**api.auth("admin"), "content-type": "application/x-ndjson"},
    )
    refused = {x["line"]: [e["pointer"] for e in x["errors"]] for x in r.json()["refused"]}
    assert refused == {1: ["/received_at"], 2: ["/events/0/at"], 3: ["/occurred_on"]}
    assert r.json()["imported"] == 1
