"""The pull feed (INTERFACE 8): the caller's own messages, in order, with a cursor and long poll."""

from __future__ import annotations

import threading
import time

from tests.support.api import Api


def _messages(api: Api, role: str, party: str | None = None, **params: object) -> dict:
    r = api.feed(role, party, **params)
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_feed_answers_only_the_callers_messages_in_order(api: Api) -> None:
    to_a = [api.submitted(preferred_institution="pm-a")["application_no"] for _ in range(3)]
    to_b = api.submitted(preferred_institution="pm-b")["application_no"]

    a = _messages(api, "institution", "pm-a")
    assert [m["application_no"] for m in a["messages"]] == to_a
    assert {m["type"] for m in a["messages"]} == {"application.dispatched"}
    assert len({m["message_id"] for m in a["messages"]}) == 3
    b = _messages(api, "institution", "pm-b")
    assert [m["application_no"] for m in b["messages"]] == [to_b]
    assert _messages(api, "institution", "cm-x")["messages"] == []
    assert _messages(api, "portal", "another-portal")["messages"] == []
    assert _messages(api, "court", "court-310104")["messages"] == []

    portal = _messages(api, "portal")
    assert [m["application_no"] for m in portal["messages"]] == [*to_a, to_b]
    assert all(m["type"] == "application.status_changed" for m in portal["messages"])
    # the portal's status messages carry no personal data
    assert "王小明" not in str(portal) and "13912345678" not in str(portal)


def test_after_advances_and_limit_pages(api: Api) -> None:
    numbers = [api.submitted(preferred_institution="pm-a")["application_no"] for _ in range(5)]
    page1 = _messages(api, "institution", "pm-a", limit=2)
    page2 = _messages(api, "institution", "pm-a", limit=2, after=page1["next"])
    page3 = _messages(api, "institution", "pm-a", limit=2, after=page2["next"])
    end = _messages(api, "institution", "pm-a", limit=2, after=page3["next"])
    seen = [m["application_no"] for p in (page1, page2, page3) for m in p["messages"]]
    assert seen == numbers
    assert [len(p["messages"]) for p in (page1, page2, page3)] == [2, 2, 1]
    assert end == {"messages": [], "next": page3["next"]}
    # a new message appears after the cursor, and only it
    api.ok_event(numbers[0], "pm-a", "received")
    more = api.submitted(preferred_institution="pm-a")["application_no"]
    after = _messages(api, "institution", "pm-a", after=page3["next"])
    assert [m["application_no"] for m in after["messages"]] == [more]


def test_long_poll_returns_after_wait_when_nothing_comes(api: Api) -> None:
    start = time.monotonic()
    body = _messages(api, "institution", "pm-a", wait=1)
    elapsed = time.monotonic() - start
    assert body == {"messages": [], "next": "0"}
    assert 0.9 <= elapsed < 1.6, elapsed


def test_long_poll_returns_promptly_when_a_message_arrives(api: Api) -> None:
    submitted: list[str] = []

    def later() -> None:
        time.sleep(0.3)
        submitted.append(api.submitted(preferred_institution="pm-a")["application_no"])

    thread = threading.Thread(target=later)
    start = time.monotonic()
    thread.start()
    try:
        body = _messages(api, "institution", "pm-a", wait=10)
        elapsed = time.monotonic() - start
    finally:
        thread.join(timeout=10)
    assert submitted and [m["application_no"] for m in body["messages"]] == submitted
    assert elapsed < 2.0, elapsed


def test_feed_parameters_are_checked(api: Api) -> None:
    for params in ({"after": "-1"}, {"limit": "0"}, {"limit": "abc"}, {"wait": "9999"}):
        r = api.client.get("/v1/feed", params=params, headers=api.auth("portal"))
        assert r.status_code == 422, params
        assert r.json()["errors"][0]["pointer"].startswith("/query/")
    assert api.client.get("/v1/feed").status_code == 401
