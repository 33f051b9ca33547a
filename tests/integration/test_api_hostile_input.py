"""Hostile input (issue 12 item 6): never a 500, always a problem+json 400/422 with a
pointer, and nothing written. On both databases (PostgreSQL refuses NUL in text)."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from hub.api.app import create_app
from hub.api.intake_batch import IntakeBatcher, Submission
from hub.services.errors import Invalid
from hub.services.principal import Principal, Role
from schemas import text
from tests.integration.test_api_bad_input import assert_problem
from tests.support.api import Api, application_body, count_rows, make_number

#: Every role the hub knows, each with a party the small registry has.
CALLERS = (
    ("portal", "portal"),
    ("institution", "pm-a"),
    ("unit", "sfj"),
    ("admin", None),
    ("court", "court-310104"),
    ("arbitration", "arb-commercial"),
    ("databureau", None),
)
DEEP_ARRAY = "[" * 1000 + "]" * 1000
DEEP_OBJECT = '{"a":' * 1000 + "1" + "}" * 1000
JSON = {"content-type": "application/json"}


@pytest.fixture
def hub(api: Api) -> Iterator[Api]:
    """The same hub, but a server error is answered (500) instead of raised in the test."""
    api.client = TestClient(api.client.app, raise_server_exceptions=False)
    yield api


def post_raw(hub: Api, path: str, body: Any, role: str = "portal", party: str | None = None):
    """JSON with \\u escapes (httpx's own encoder cannot write a lone surrogate)."""
    return hub.client.post(path, content=json.dumps(body), headers=hub.auth(role, party, **JSON))


def _strings(value: Any, at: str = "") -> Iterator[str]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, f"{at}/{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, f"{at}/{i}")
    elif isinstance(value, str):
        yield at


def _replace(body: Any, pointer: str, new: str) -> Any:
    copy = json.loads(json.dumps(body))
    *path, last = pointer.strip("/").split("/")
    node = copy
    for part in path:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if isinstance(node, list):
        node[int(last)] = new
    else:
        node[last] = new
    return copy


def test_json_nested_1000_deep_on_every_post_is_400_for_every_role(hub: Api) -> None:
    no = make_number("20261123", 1)
    reached = set()
    for route in hub.client.app.routes:  # type: ignore[attr-defined]
        methods = set(getattr(route, "methods", None) or ()) & {"POST", "PUT"}
        if not methods or route.path.startswith("/web/"):
            continue
        path = route.path.replace("{no}", no).replace("{id}", "1")
        path = path.replace("{message_id}", "00000000-0000-0000-0000-000000000000")
        for method in methods:
            for role, party in CALLERS:
                for deep in (DEEP_ARRAY, DEEP_OBJECT):
                    r = hub.client.request(
                        method, path, content=deep, headers=hub.auth(role, party, **JSON)
                    )
                    assert r.status_code < 500, (method, path, role, r.text)
                    if r.status_code >= 400:  # (a replay of one message reads no body)
                        assert r.headers["content-type"].startswith("application/problem+json")
                    if r.status_code == 400:
                        assert r.json()["errors"][0]["pointer"] == "", r.text
                        reached.add(route.path)
    # every JSON route read the body (and refused it) for the role allowed to call it
    assert len(reached) >= 20, sorted(reached)
    assert "/v1/applications" in reached and "/v1/admin/deadletters/replay" in reached


def test_nesting_the_parser_takes_is_still_refused_before_validation(hub: Api) -> None:
    body = application_body(facts=json.loads("[" * 200 + "]" * 200))  # parses; too deep
    before = count_rows(hub.ctx)
    r = post_raw(hub, "/v1/applications", body)
    assert_problem(r, 422)
    assert r.json()["errors"][0]["pointer"].startswith("/facts/0/0/0")
    assert count_rows(hub.ctx) == before


def test_a_lone_surrogate_in_any_text_field_is_422_at_that_field(hub: Api) -> None:
    body = application_body(
        source_no="P-1",
        attachments=[],
        applicants=[
            {**application_body()["applicants"][0], "address": "徐汇区", "email": "a@b.cn"}
        ],
    )
    before = count_rows(hub.ctx)
    pointers = list(_strings(body))
    assert len(pointers) >= 20
    for pointer in pointers:
        r = post_raw(hub, "/v1/applications", _replace(body, pointer, "王\ud800明"))
        assert_problem(r, 422, [pointer])
    # and in a member name
    r = post_raw(hub, "/v1/applications", {**body, "\udfff": "x"})
    assert_problem(r, 422, ["/\ufffd"])
    assert count_rows(hub.ctx) == before


def test_a_lone_surrogate_in_an_intake_batch_refuses_that_one_only(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    portal = Principal(Role.PORTAL, "portal")
    bodies = [application_body(), application_body(facts="事实\ud800"), application_body()]
    items = [Submission(portal, b, None, f"digest-{i}") for i, b in enumerate(bodies)]
    batcher = IntakeBatcher(api.ctx)
    with caplog.at_level(logging.WARNING, logger="hub.intake"):
        batcher.run_batch(items)
    refused = items[1].future.exception()
    assert isinstance(refused, Invalid)
    assert [v.pointer for v in refused.errors] == ["/facts"]
    assert [items[i].future.result().status for i in (0, 2)] == [201, 201]
    assert batcher.batches == 1  # one transaction: never run again one by one
    assert "one by one" not in caplog.text

    # and through HTTP, arriving together: the bad one 422, the others in one batch
    app = create_app(api.ctx)
    app.state.intake.linger = 0.2
    answers: dict[int, httpx.Response] = {}
    with TestClient(app) as client:

        def post(i: int) -> None:
            body = application_body(claims="诉求\ud800") if i == 2 else application_body()
            answers[i] = client.post(
                "/v1/applications",
                content=json.dumps(body),
                headers=api.auth("portal", **JSON),
            )

        threads = [threading.Thread(target=post, args=(i,)) for i in range(5)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert_problem(answers[2], 422, ["/claims"])
    assert sorted(answers[i].status_code for i in (0, 1, 3, 4)) == [201] * 4
    assert "one by one" not in caplog.text


CONTROL_NAMES = {
    "NUL": "王\x00明",
    "bidi override": "王\u202e明",
    "bidi isolate": "\u2066王明\u2069",
    "zero-width space": "王\u200b明",
    "zero-width joiner": "王\u200d明",
    "byte-order mark": "\ufeff王明",
    "line feed": "王明\n",
}


@pytest.mark.parametrize("label", sorted(CONTROL_NAMES))
def test_names_and_identifiers_refuse_control_bidi_and_zero_width(hub: Api, label: str) -> None:
    bad = CONTROL_NAMES[label]
    party = application_body()["applicants"][0]
    fields = {
        "/applicants/0/name": application_body(applicants=[{**party, "name": bad}]),
        "/applicants/0/id_number": application_body(
            applicants=[{**party, "id_type": "other", "id_number": "AB" + bad}]
        ),
        "/source_no": application_body(source_no="P1" + bad),
        "/preferred_institution": application_body(preferred_institution="pm-a" + bad),
        "/occurred_place": application_body(occurred_place=bad),
    }
    before = count_rows(hub.ctx)
    for pointer, body in fields.items():
        r = post_raw(hub, "/v1/applications", body)
        assert_problem(r, 422, [pointer])
    change = {"action": "add", "institution": "notify" + bad[-1], "reason": "新增"}
    assert_problem(post_raw(hub, "/v1/registry/changes", change, "unit", "sfj"), 422)
    assert count_rows(hub.ctx) == before
    # free text may hold a line feed (and right-to-left marks of quoted Arabic, say)
    assert post_raw(hub, "/v1/applications", application_body(facts="第一行\n第二行")).is_success


def test_nul_in_texts_urls_and_forms_is_422_not_a_database_error(hub: Api) -> None:
    before = count_rows(hub.ctx)
    article = {"title": "如何申请\x00调解", "body": "正文"}
    assert_problem(post_raw(hub, "/v1/help/articles", article, "admin"), 422, ["/title"])
    r = hub.client.put(
        "/v1/help/articles/1",
        content=json.dumps({"title": "标题", "body": "正\x00文"}),
        headers=hub.auth("admin", **JSON),
    )
    assert_problem(r, 422, ["/body"])
    change = {"action": "suspend", "institution": "pm-a", "reason": "停\x00业"}
    assert_problem(post_raw(hub, "/v1/registry/changes", change, "unit", "sfj"), 422, ["/reason"])
    note = hub.client.post(
        "/v1/registry/changes/1/approve",
        content=json.dumps({"note": "同\x00意"}),
        headers=hub.auth("admin", **JSON),
    )
    assert_problem(note, 422, ["/note"])
    replay = post_raw(hub, "/v1/admin/deadletters/replay", {"message_ids": ["a\x00"]}, "admin")
    assert_problem(replay, 422, ["/message_ids/0"])
    for url, pointer in (
        ("/v1/applications?institution=%00", "/query/institution"),
        ("/v1/applications?status=%00", "/query/status"),
        ("/v1/registry/institutions/pm%00/history", "/path"),
        ("/v1/help?q=%00", "/query/q"),
        ("/v1/status/310000-20261123-000001-3?code=%00", "/query/code"),
    ):
        assert_problem(hub.client.get(url, headers=hub.auth("admin")), 422, [pointer])
    form = hub.client.post(
        "/web/login",
        content=b"login=a%00b&password=x",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert_problem(form, 422, ["/login"])
    assert count_rows(hub.ctx) == before


def test_query_dates_far_out_are_422(hub: Api) -> None:
    admin = hub.auth("admin")
    for url, pointer in (
        ("/v1/stats?from=0001-01-01", "/query/from"),
        ("/v1/stats?to=9999-12-31", "/query/to"),
        ("/v1/stats?from=２０２６-01-01", "/query/from"),
        ("/v1/registry/as-of?date=9999-12-31", "/query/date"),
        ("/v1/registry/as-of?date=0001-01-01", "/query/date"),
        ("/v1/registry/as-of?at=9999-12-31T23:59:59%2B00:00", "/query/at"),
        ("/v1/registry/as-of?at=0001-01-01T00:00:00%2B08:00", "/query/at"),
        ("/v1/workorders?from=0001-01-01", "/query/from"),
    ):
        assert_problem(hub.client.get(url, headers=admin), 422, [pointer])
    bureau = hub.auth("databureau")
    for url, pointer in (
        ("/v1/shared/aggregates?to=9999-12-31", "/query/to"),
        ("/v1/shared/aggregates?from=0001-01", "/query/from"),
        ("/v1/shared/cases?updated_after=0001-01-01T00:00:00%2B08:00", "/query/updated_after"),
    ):
        assert_problem(hub.client.get(url, headers=bureau), 422, [pointer])
    assert hub.client.get("/v1/stats?from=2026-11-01&to=2026-11-23", headers=admin).is_success


def test_digits_are_ascii_wherever_a_number_is_parsed(hub: Api) -> None:
    before = count_rows(hub.ctx)
    assert_problem(hub.submit(application_body(amount="１２００.００")), 422, ["/amount"])
    assert_problem(hub.submit(application_body(amount="١٢٠٠")), 422, ["/amount"])
    fullwidth = "TS-２０２６１１２３-０００００１-1"
    r = hub.client.get(f"/v1/complaints/{fullwidth}?code=ABCDEFGH")
    assert_problem(r, 422, ["/complaint_no"])
    r = hub.client.get("/v1/status/３１００００-20261123-000001-3?code=ABCDEFGH")
    assert r.status_code in (404, 422) and r.status_code < 500
    admin = hub.auth("admin")
    for url, pointer in (
        ("/v1/applications?limit=１０", "/query/limit"),
        ("/v1/applications?limit=²", "/query/limit"),
        ("/v1/workorders?limit=１０", "/query/limit"),
    ):
        assert_problem(hub.client.get(url, headers=admin), 422, [pointer])
    feed = hub.client.get("/v1/feed?limit=²", headers=hub.auth("institution", "pm-a"))
    assert_problem(feed, 422, ["/query/limit"])
    shared = hub.client.get("/v1/shared/cases?limit=²", headers=hub.auth("databureau"))
    assert_problem(shared, 422, ["/query/limit"])
    assert count_rows(hub.ctx) == before
    assert hub.submit(application_body(amount="1200.00")).status_code == 201


def test_unknown_filter_values_are_422(hub: Api) -> None:
    for url, role, party in (
        ("/v1/complaints?status=bogus", "admin", None),
        ("/v1/registry/changes?status=bogus", "admin", None),
        ("/v1/applications?status=bogus", "admin", None),
        ("/v1/referrals?status=bogus", "court", "court-310104"),
        ("/v1/workorders?status=bogus", "admin", None),
        ("/v1/institutions?category=bogus", "admin", None),
    ):
        r = hub.client.get(url, headers=hub.auth(role, party))
        pointer = "/query/" + url.split("?")[1].split("=")[0]
        assert_problem(r, 422, [pointer])
    for url, role, party in (
        ("/v1/complaints?status=submitted", "admin", None),
        ("/v1/registry/changes?status=pending", "admin", None),
        ("/v1/referrals?status=pending", "court", "court-310104"),
    ):
        assert hub.client.get(url, headers=hub.auth(role, party)).status_code == 200


def test_inbound_amqp_messages_with_hostile_content_are_refused_not_raised(api: Api) -> None:
    """The inbound connector reads institutions' events from RabbitMQ: the same rules."""
    import pika

    from connectors.inbound import InboundConnector
    from hub.delivery.message import Delivery
    from hub.delivery.outcomes import Dead

    connector = InboundConnector(api.ctx)
    no = api.submitted()["application_no"]
    before = count_rows(api.ctx)

    def deliver(body: bytes, message_id: str = "m-1", key: str = "events.cm-x") -> object:
        props = pika.BasicProperties(message_id=message_id, type="event")
        return connector(Delivery(key, props, body))

    event = {"application_no": no, "event_id": "0" * 8 + "-0000-4000-8000-" + "0" * 12}
    for body, message_id, key in (
        (DEEP_OBJECT.encode(), "m-1", "events.cm-x"),
        (
            json.dumps({**event, "type": "received", "note": "a\x00b"}).encode(),
            "m-2",
            "events.cm-x",
        ),
        (json.dumps({**event, "type": "rece\ud800ived"}).encode(), "m-3", "events.cm-x"),
        (json.dumps({**event, "type": "received"}).encode(), "m\x00-4", "events.cm-x"),
        (json.dumps({**event, "type": "received"}).encode(), "m-5", "events.cm\x00-x"),
    ):
        outcome = deliver(body, message_id, key)
        assert isinstance(outcome, Dead), outcome
        assert "refused (4" in outcome.reason
    assert count_rows(api.ctx) == before


def test_console_pages_read_numbers_in_ascii_digits_only(hub: Api) -> None:
    from tests.support.web import person

    admin = person(hub, "ops.digits", "admin", None)  # a server error is raised here
    for url in (
        "/web/console/deadletters?after=%C2%B2",  # "²": isdigit() says yes, int() says no
        "/web/console/deadletters?after=%EF%BC%91%EF%BC%90",  # "１０"
        "/web/console/deadletters?replayed=%C2%B2",
    ):
        r = admin.get(url)
        assert r.status_code < 500, (url, r.status_code)


@pytest.mark.parametrize("name", ["王\u202e明", "王\x00明", "\u200b"])
def test_a_person_account_name_is_printable(api: Api, name: str) -> None:
    from hub.services import accounts

    with pytest.raises(Invalid) as refused, api.ctx.db.transaction() as s:
        accounts.add_user(api.ctx, s, login="clerk.one", name=name, role="admin", party=None)
    assert [v.pointer for v in refused.value.errors] == ["/name"]


#: Bodies and declared integer parameters given an integer of 5,000 digits (Python's
#: int() takes at most 4,300): (method, path, query, role, party).
HUGE = "9" * 5000
HUGE_INTEGERS = [
    ("POST", "/v1/applications", {}, "portal", "portal"),
    ("POST", "/v1/workorders", {}, "portal", "portal"),
    ("POST", "/v1/complaints", {}, "portal", "portal"),
    ("GET", "/v1/feed", {"after": HUGE}, "portal", "portal"),
    ("GET", "/v1/feed", {"limit": HUGE}, "institution", "pm-a"),
    ("GET", "/v1/applications", {"limit": HUGE}, "admin", None),
    ("GET", "/v1/alerts", {"limit": HUGE}, "unit", "sfj"),
    ("GET", "/v1/alerts", {"cursor": HUGE}, "unit", "sfj"),
    ("GET", "/v1/shared/cases", {"limit": HUGE}, "databureau", None),
    ("GET", f"/v1/help/articles/{HUGE}", {}, "admin", None),
]


@pytest.mark.parametrize(
    ("method", "path", "query", "role", "party"),
    HUGE_INTEGERS,
    ids=[f"{m} {p[:24]} {','.join(q) or 'body'}" for m, p, q, _, _ in HUGE_INTEGERS],
)
def test_a_number_with_thousands_of_digits_is_refused_not_a_500(
    hub: Api, method: str, path: str, query: dict[str, str], role: str, party: str | None
) -> None:
    """Outside review 2026-12-03: an integer past int()'s digit limit raised ValueError in
    the body decoder and in the declared parameters' coercion: a 500. Now a 422 at the
    number's pointer (a body) or the parameter's, Chinese first, nothing written."""
    raw = ('{"channel": "online", "amount": ' + HUGE + "}").encode()
    before = count_rows(hub.ctx)
    r = hub.client.request(
        method,
        path,
        params=query,
        content=raw if method == "POST" else None,
        headers=hub.auth(role, party, **JSON),
    )
    assert r.status_code in (404, 422), r.text[:500]
    assert r.headers["content-type"].startswith("application/problem+json")
    if r.status_code == 422:
        [error] = r.json()["errors"]
        pointers = [f"/query/{name}" for name in query] or ["/amount"]
        assert [error["pointer"]] == pointers
        assert error["message"].split(" / ")[0] != error["message"]
    assert count_rows(hub.ctx) == before


def test_a_number_too_long_is_refused_at_its_pointer_by_every_json_reader(api: Api) -> None:
    """The inbound AMQP connector and the case import read JSON too: the same refusal."""
    import pika

    from connectors.inbound import InboundConnector
    from hub.delivery.message import Delivery
    from hub.delivery.outcomes import Dead

    nested = ('{"a": [1, {"b~/": ' + HUGE + "}]}").encode()
    with pytest.raises(text.LongInteger) as caught:
        text.loads_json(nested)
    assert caught.value.pointer == "/a/1/b~0~1"
    assert text.loads_json(b'{"a": [1, 2.5, "x"]}') == {"a": [1, 2.5, "x"]}
    before = count_rows(api.ctx)
    props = pika.BasicProperties(message_id="m-huge", type="event")
    outcome = InboundConnector(api.ctx)(Delivery("events.cm-x", props, nested))
    assert isinstance(outcome, Dead) and "/a/1/b~0~1" in outcome.reason, outcome
    line = ('{"source": "legacy-platform", "source_no": ' + HUGE + "}\n").encode()
    r = api.client.post(
        "/v1/import/cases",
        content=line,
        headers=api.auth("institution", "pm-a", **{"Content-Type": "application/x-ndjson"}),
    )
    assert r.status_code == 200, r.text[:300]
    assert "/source_no" in r.text and "整数位数过多" in r.text, r.text[:500]
    assert count_rows(api.ctx) == before
