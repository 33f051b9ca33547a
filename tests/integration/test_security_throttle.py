"""Throttling (issue 12, item 5; INTERFACE 13, 18): per client address and number, counted
in the database so every process and a restart see it; 429 problem+json with Retry-After,
and the right code refused too until the wait is over."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from starlette.testclient import TestClient

from hub.api.app import create_app
from hub.clock import FakeClock
from hub.domain.throttle import GUESS, client_key
from hub.services import retention
from hub.store import throttle as store
from tests.integration.conftest import Tokens, hub_on
from tests.support.api import Api
from tests.support.web import hidden_fields

ATTACKER = ("198.51.100.7", 40000)
NEIGHBOUR = ("198.51.100.8", 40000)


def _client(api: Api, address: tuple[str, int] = ATTACKER) -> TestClient:
    return TestClient(api.client.app, client=address, follow_redirects=False)


def _wrong(code: str) -> str:
    return ("2" if code[0] != "2" else "3") + code[1:]


def _assert_throttled(r, max_wait: int) -> int:  # type: ignore[no-untyped-def]
    assert r.status_code == 429, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    wait = int(r.headers["retry-after"])
    assert 0 < wait <= max_wait
    return wait


def test_ten_wrong_codes_for_a_number_then_even_the_right_one_waits(api: Api) -> None:
    case = api.submitted()
    no, code = case["application_no"], case["query_code"]
    attacker = _client(api)
    for _ in range(10):
        assert attacker.get(f"/v1/status/{no}", params={"code": _wrong(code)}).status_code == 404
    r = attacker.get(f"/v1/status/{no}", params={"code": code})
    _assert_throttled(r, 3600)
    # another client is not held up, nor is this client on another number
    assert _client(api, NEIGHBOUR).get(f"/v1/status/{no}", params={"code": code}).status_code == 200
    other = api.submitted()
    assert (
        attacker.get(
            f"/v1/status/{other['application_no']}", params={"code": other["query_code"]}
        ).status_code
        == 200
    )
    # an hour later the right code is answered again
    assert isinstance(api.ctx.clock, FakeClock)
    api.ctx.clock.advance(timedelta(hours=1, seconds=1))
    assert attacker.get(f"/v1/status/{no}", params={"code": code}).status_code == 200


def test_right_codes_are_not_counted(api: Api) -> None:
    case = api.submitted()
    me = _client(api)
    for _ in range(15):
        r = me.get(f"/v1/status/{case['application_no']}", params={"code": case["query_code"]})
        assert r.status_code == 200


def test_the_count_holds_on_every_process_and_after_a_restart(
    api: Api, hub_db: tuple[str, Tokens]
) -> None:
    case = api.submitted()
    no, code = case["application_no"], case["query_code"]
    attacker = _client(api)
    for _ in range(6):
        attacker.get(f"/v1/status/{no}", params={"code": _wrong(code)})
    other = hub_on(hub_db[0], Path(api.ctx.settings.data_dir))  # another process, or a restart
    try:
        assert isinstance(other.clock, FakeClock) and isinstance(api.ctx.clock, FakeClock)
        other.clock.set(api.ctx.clock.now())
        with TestClient(create_app(other), client=ATTACKER) as elsewhere:
            for _ in range(4):
                r = elsewhere.get(f"/v1/status/{no}", params={"code": _wrong(code)})
                assert r.status_code == 404
            _assert_throttled(elsewhere.get(f"/v1/status/{no}", params={"code": code}), 3600)
    finally:
        other.db.dispose()
    _assert_throttled(attacker.get(f"/v1/status/{no}", params={"code": code}), 3600)


def test_a_thousand_wrong_guesses_a_day_in_all(api: Api) -> None:
    case = api.submitted()
    ctx = api.ctx
    client = ctx.vault.index(client_key(ATTACKER[0]), purpose="throttle_client")
    now = ctx.clock.now()
    with ctx.db.transaction() as session:  # 1,000 guesses at 100 numbers over the last 20 h
        for i in range(1000):
            store.record(
                session,
                client,
                GUESS,
                now - timedelta(hours=20) + timedelta(seconds=i),
                f"310000-20261101-{i % 100:06d}-0",
            )
    r = _client(api).get(
        f"/v1/status/{case['application_no']}", params={"code": case["query_code"]}
    )
    wait = _assert_throttled(r, 24 * 3600)
    assert 4 * 3600 - 5 <= wait <= 4 * 3600 + 5  # when the first of them is a day old
    assert (
        _client(api, NEIGHBOUR)
        .get(f"/v1/status/{case['application_no']}", params={"code": case["query_code"]})
        .status_code
        == 200
    )
    # the purge keeps what a budget still counts
    assert ctx.db.run(lambda s: retention.purge(ctx, s))["throttle_events"] == 0
    assert isinstance(ctx.clock, FakeClock)
    ctx.clock.advance(timedelta(hours=5))
    assert ctx.db.run(lambda s: retention.purge(ctx, s))["throttle_events"] == 1000


def test_complaint_progress_is_throttled_too(api: Api) -> None:
    portal = api.auth("portal")
    body = {
        "institution": "pm-a",
        "type": "attitude",
        "content": "接待人员态度恶劣。",
        "contact": {"phone": "13912345678"},
    }
    made = api.client.post("/v1/complaints", json=body, headers=portal)
    assert made.status_code == 201, made.text
    no, code = made.json()["complaint_no"], made.json()["query_code"]
    attacker = _client(api)
    for _ in range(10):
        assert attacker.get(f"/v1/complaints/{no}", params={"code": _wrong(code)}).status_code == (
            404
        )
    _assert_throttled(attacker.get(f"/v1/complaints/{no}", params={"code": code}), 3600)


def test_the_status_page_is_throttled_with_a_page_that_says_so(api: Api) -> None:
    case = api.submitted()
    no, code = case["application_no"], case["query_code"]
    browser = _client(api)
    for _ in range(10):
        r = browser.post("/web/status", data={"no": no, "code": _wrong(code)})
        assert r.status_code == 404
    r = browser.post("/web/status", data={"no": no, "code": code})
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
    assert "尝试次数过多" in r.text and "text/html" in r.headers["content-type"]
    assert code not in r.text


def _sign_in(c: TestClient, token: str) -> int:
    c.cookies.clear()  # a new browser each time, from the same address
    page = c.get("/web/login")
    return c.post(
        "/web/login", data={"csrf": hidden_fields(page.text)["csrf"], "token": token}
    ).status_code


def test_twenty_sign_ins_a_minute_then_429_even_with_the_right_token(api: Api) -> None:
    token = api.token("institution", "pm-a")
    c = _client(api)
    outcomes = [_sign_in(c, token if i % 2 else "om_wrong") for i in range(20)]
    assert outcomes == [401, 303] * 10
    r_status = _sign_in(c, token)
    assert r_status == 429
    c.cookies.clear()
    page = c.get("/web/login")
    r = c.post("/web/login", data={"csrf": hidden_fields(page.text)["csrf"], "token": token})
    assert r.status_code == 429 and int(r.headers["retry-after"]) <= 60
    assert "尝试次数过多" in r.text
    assert _sign_in(_client(api, NEIGHBOUR), token) == 303
    assert isinstance(api.ctx.clock, FakeClock)
    api.ctx.clock.advance(timedelta(minutes=1, seconds=1))
    assert _sign_in(c, token) == 303


def test_work_order_progress_is_throttled_too(api: Api) -> None:
    made = api.client.post(
        "/v1/workorders",
        json={
            "type": "consultation",
            "institution": "pm-a",
            "content": "想咨询调解需要准备什么材料？",
            "contact": {"phone": "13812345678"},
        },
        headers=api.auth("portal"),
    )
    assert made.status_code == 201, made.text
    no, code = made.json()["workorder_no"], made.json()["query_code"]
    attacker = _client(api)
    for _ in range(10):
        r = attacker.get(f"/v1/workorders/{no}", params={"code": _wrong(code)})
        assert r.status_code == 404
    _assert_throttled(attacker.get(f"/v1/workorders/{no}", params={"code": code}), 3600)
    assert (
        _client(api, NEIGHBOUR).get(f"/v1/workorders/{no}", params={"code": code}).status_code
        == 200
    )
