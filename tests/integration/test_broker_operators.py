"""Inbound AMQP events (real RabbitMQ), the dead-letter admin endpoint, and /metrics."""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pika
import pytest
from sqlmodel import col, func, select
from starlette.testclient import TestClient

from connectors.inbound import CONSUMER, InboundConnector, inbox_key
from hub.api.app import create_app
from hub.broker import metrics
from hub.broker.relay import Relay
from hub.broker.topology import Topology
from hub.broker.worker import Subscription, Worker
from hub.delivery.message import Delivery
from hub.delivery.outcomes import Dead, Delivered, Forward, Outcome
from hub.delivery.settings import DeliverySettings
from hub.services.context import HubContext
from hub.services.delivery_failures import record_dead
from hub.store.models import (
    Application,
    CaseEvent,
    InboxRecord,
    OutboxMessage,
    OutboxPending,
    OutboxSent,
)
from tests.support.api import SMALL_REGISTRY, Api
from tests.support.broker import (
    delivery_settings,
    drain,
    enqueue_many,
    set_delivery,
    submit_many,
    teardown,
    topology,
    wait_for,
)
from tests.support.hubctx import make_hub

PARTIES = ["institution:pm-a", "institution:pm-b", "hub:notify"]


# ---- inbound AMQP consumer --------------------------------------------------------------
@pytest.fixture
def inbound_hub(
    sqlite_url: str, tmp_path: Path, amqp_url: str
) -> Iterator[tuple[HubContext, DeliverySettings, Topology]]:
    ctx = make_hub(sqlite_url, tmp_path, registry=SMALL_REGISTRY)
    settings = delivery_settings(amqp_url)
    try:
        with topology(amqp_url, settings, PARTIES) as topo:
            yield ctx, settings, topo
    finally:
        ctx.db.dispose()


class Recording:
    """The real inbound connector, with every outcome kept for the test to look at."""

    def __init__(self, ctx: HubContext) -> None:
        self.inner = InboundConnector(ctx)
        self.outcomes: list[tuple[str, Outcome]] = []
        self.lock = threading.Lock()

    def __call__(self, d: Delivery) -> Outcome:
        outcome = self.inner(d)
        with self.lock:
            self.outcomes.append((d.properties.message_id or "", outcome))
        return outcome

    def of(self, message_id: str) -> list[Outcome]:
        with self.lock:
            return [o for m, o in self.outcomes if m == message_id]


def _publish(amqp_url: str, topo: Topology, party: str, messages: list[dict[str, Any]]) -> None:
    conn = pika.BlockingConnection(pika.URLParameters(amqp_url))
    try:
        ch = conn.channel()
        ch.confirm_delivery()
        for m in messages:
            ch.basic_publish(
                topo.inbound_exchange,
                f"events.{party}",
                m["body"],
                pika.BasicProperties(
                    message_id=m.get("message_id"),
                    type=m.get("type", "event"),
                    reply_to=m.get("reply_to"),
                    content_type="application/json",
                    delivery_mode=pika.DeliveryMode.Persistent,
                ),
                mandatory=True,
            )
    finally:
        conn.close()


@pytest.mark.rabbitmq
def test_a_party_publishes_an_event_and_a_repeated_message_id_has_no_second_effect(
    inbound_hub: tuple[HubContext, DeliverySettings, Topology], amqp_url: str
) -> None:
    ctx, settings, topo = inbound_hub
    [no] = submit_many(ctx, 1, preferred_institution="pm-a")
    handler = Recording(ctx)
    # One at a time, so the repeat meets the committed inbox row (not a racing twin).
    worker = Worker(settings, [Subscription(topo.inbound_queue, handler, "inbound", concurrency=1)])
    thread = threading.Thread(target=worker.run, kwargs={"max_seconds": 40}, daemon=True)
    thread.start()
    answers = f"{settings.prefix}.answers.{uuid.uuid4().hex[:6]}"
    conn = pika.BlockingConnection(pika.URLParameters(amqp_url))
    try:
        conn.channel().queue_declare(answers, durable=False, auto_delete=False)
        event = json.dumps(
            {"application_no": no, "event_id": str(uuid.uuid4()), "type": "accepted"}
        ).encode()
        mid, bad_json, bad_type = (str(uuid.uuid4()) for _ in range(3))
        _publish(
            amqp_url,
            topo,
            "pm-a",
            [
                {"message_id": mid, "body": event},
                {"message_id": mid, "body": event},  # the party's own retry: same message_id
                {"message_id": bad_json, "body": b"{not json"},
                {"message_id": bad_type, "body": b"{}", "type": "gossip", "reply_to": answers},
            ],
        )
        assert wait_for(lambda: len(handler.outcomes) >= 4, 20), handler.outcomes
        assert wait_for(lambda: worker.settled >= 4, 10)
    finally:
        worker.stop()
        thread.join(15)
    try:
        first, second = handler.of(mid)
        assert first == Delivered()
        assert isinstance(second, Delivered) and second.detail.startswith("repeat")
        with ctx.db.read() as session:
            accepted = session.exec(
                select(func.count())
                .select_from(CaseEvent)
                .where(CaseEvent.application_no == no, CaseEvent.type == "accepted")
            ).one()
            app = session.get(Application, no)
            inbox = session.get(InboxRecord, (CONSUMER, inbox_key("pm-a", mid)))
        assert accepted == 1  # once in effect
        assert app is not None and app.status == "accepted"
        assert inbox is not None
        # Refused without reply_to: dead-lettered with the reason, where operators look.
        [refused] = handler.of(bad_json)
        assert isinstance(refused, Dead) and "400" in refused.reason
        letters = drain(amqp_url, topo.dead_queue, expect=1, timeout=10)
        assert [p.message_id for p, _ in letters] == [bad_json]
        reason = letters[0][0].headers["x-hub-dead-reason"]
        assert "refused (400)" in (reason.decode() if isinstance(reason, bytes) else reason)
        # Refused with reply_to: answered to the party, with the status and the reason.
        [answered] = handler.of(bad_type)
        assert isinstance(answered, Forward)
        [(props, body)] = drain(amqp_url, answers, expect=1, timeout=10)
        answer = json.loads(body)
        assert answer["message_id"] == bad_type and answer["status"] == 422
        assert props.message_id == bad_type
    finally:
        conn.channel().queue_delete(answers)
        conn.close()


# ---- dead-letter admin endpoint ---------------------------------------------------------
def _outbox_row(api: Api, no: str, type_prefix: str) -> OutboxMessage:
    with api.ctx.db.read() as session:
        rows = session.exec(
            select(OutboxMessage)
            .where(OutboxMessage.application_no == no)
            .order_by(col(OutboxMessage.id))
        ).all()
    return next(r for r in rows if r.type.startswith(type_prefix))


def test_dead_letters_are_listed_and_replayed_by_admins_only(api: Api) -> None:
    no = api.submitted(preferred_institution="pm-a")["application_no"]
    notice = _outbox_row(api, no, "notice.")
    new_case = _outbox_row(api, no, "application.dispatched")
    assert api.ctx.db.run(
        lambda s: record_dead(
            api.ctx, s, notice.message_id, "refused by the party: HTTP 400", attempts=1
        )
    )
    api.ctx.clock.advance(timedelta(days=3))  # type: ignore[attr-defined]  # past its deadline
    assert api.ctx.db.run(
        lambda s: record_dead(
            api.ctx, s, new_case.message_id, "not delivered by its deadline", attempts=4
        )
    )
    admin = api.auth("admin")

    r = api.client.get("/v1/admin/deadletters", headers=admin)
    assert r.status_code == 200, r.text
    listed = {d["message_id"]: d for d in r.json()["deadletters"]}
    assert set(listed) == {notice.message_id, new_case.message_id}
    assert listed[notice.message_id]["reason"] == "refused by the party: HTTP 400"
    assert listed[notice.message_id]["attempts"] == 1
    assert listed[new_case.message_id]["attempts"] == 4
    assert listed[new_case.message_id]["destination"] == "institution:pm-a"
    r = api.client.get(
        "/v1/admin/deadletters", params={"destination": "institution:pm-a"}, headers=admin
    )
    assert [d["message_id"] for d in r.json()["deadletters"]] == [new_case.message_id]

    for role, party in (
        ("portal", "portal"),
        ("institution", "pm-a"),
        ("unit", "sfj"),
        ("court", "court-310104"),
        ("databureau", None),
    ):
        other = api.auth(role, party)
        assert api.client.get("/v1/admin/deadletters", headers=other).status_code == 403
        assert (
            api.client.post(
                "/v1/admin/deadletters/replay", json={"all": True}, headers=other
            ).status_code
            == 403
        )
        assert (
            api.client.post(
                f"/v1/admin/deadletters/{notice.message_id}/replay", headers=other
            ).status_code
            == 403
        )
    assert api.client.get("/v1/admin/deadletters").status_code == 401

    # The new case was dispatched by hand meanwhile: its old offer is not sent again, and
    # the letter is settled (off the list), saying why.
    r = api.client.post(
        f"/v1/applications/{no}/dispatch",
        json={"institution": "pm-b"},
        headers=api.auth("unit", "sfj"),
    )
    assert r.status_code == 200, r.text
    r = api.client.post(
        "/v1/admin/deadletters/replay", json={"message_ids": [new_case.message_id]}, headers=admin
    )
    assert r.status_code == 200
    answer = r.json()
    assert {k: answer[k] for k in ("replayed", "redispatched", "superseded", "not_dead")} == {
        "replayed": 0,
        "redispatched": 0,
        "superseded": 1,
        "not_dead": 0,
    }
    [letter] = answer["letters"]
    assert letter["message_id"] == new_case.message_id and letter["outcome"] == "superseded"
    assert "pm-b" in letter["detail"]
    r = api.client.post(f"/v1/admin/deadletters/{notice.message_id}/replay", headers=admin)
    assert r.status_code == 200 and r.json()["replayed"] == 1
    with api.ctx.db.read() as session:
        row = session.get(OutboxMessage, notice.id)
        pending = session.get(OutboxPending, notice.id)
        sent = session.get(OutboxSent, notice.id)
    # To be sent again: pending once more. Its send count is kept, so the relay marks the
    # copy as published before and the connector asks the journal whether it went out.
    assert row is not None and row.dead_at is None and pending is not None
    assert sent is not None and sent.attempts >= 1
    # Idempotent: a second replay finds nothing dead.
    r = api.client.post(f"/v1/admin/deadletters/{notice.message_id}/replay", headers=admin)
    assert r.json()["not_dead"] == 1 and r.json()["replayed"] == 0
    assert [x["outcome"] for x in r.json()["letters"]] == ["not_dead"]
    r = api.client.get("/v1/admin/deadletters", headers=admin)
    assert r.json()["deadletters"] == []
    r = api.client.post("/v1/admin/deadletters/replay", json={}, headers=admin)
    assert r.status_code == 422


# ---- /metrics ---------------------------------------------------------------------------
def _figures(text: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for line in text.splitlines():
        m = re.match(r"^([a-zA-Z_:][\w:]*(?:\{[^}]*\})?) (\S+)$", line)
        if m:
            out[m.group(1)] = float(m.group(2))
    return out


@pytest.mark.rabbitmq
def test_metrics_expose_relay_counters_lag_dead_letters_and_queue_depths(
    sqlite_url: str, tmp_path: Path, amqp_url: str
) -> None:
    ctx = make_hub(sqlite_url, tmp_path, registry=SMALL_REGISTRY)
    settings = delivery_settings(amqp_url)
    set_delivery(ctx, "pm-a", "webhook", "http://127.0.0.1:9/hooks/pm-a")
    try:
        metrics.install(ctx, settings)
        with TestClient(create_app(ctx)) as client:
            before = _figures(client.get("/metrics").text)
            enqueue_many(ctx, "pm-a", 30)
            [dead] = enqueue_many(ctx, "pm-b", 1)
            assert ctx.db.run(lambda s: record_dead(ctx, s, dead, "refused by the party: HTTP 400"))
            time.sleep(0.05)  # the oldest unsent row has an age
            lagging = _figures(client.get("/metrics").text)
            assert lagging["hub_outbox_lag_seconds"] > 0
            assert lagging["hub_outbox_dead"] == 1
            stats = Relay(ctx, settings).run(until_idle=True, max_seconds=30)
            assert stats.confirmed == 30
            after = _figures(client.get("/metrics").text)
        queue = Topology(settings).party_queue("pm-a")
        assert after[f'hub_queue_messages{{queue="{queue}"}}'] == 30  # nobody consumes it
        assert after[f'hub_queue_messages{{queue="{Topology(settings).dead_queue}"}}'] == 0
        assert after["hub_outbox_lag_seconds"] == 0
        for name in ("hub_relay_published_total", "hub_relay_confirmed_total"):
            assert after[name] - before.get(name, 0) == 30
        assert "hub_relay_lag_seconds" in after
    finally:
        metrics.install(ctx, DeliverySettings())  # later tests scrape without this broker
        teardown(amqp_url, settings, PARTIES)
        ctx.db.dispose()


# ---- the default webhook transport (standard library http.client) -----------------------
def test_http_client_transport_posts_signed_keeps_connections_and_reports_failures() -> None:
    from connectors.receiver import Receiver, ReceiverServer
    from connectors.webhook import HttpClientTransport, TransportError, sign

    receiver = Receiver("s3cret-s3cret-s3cret")
    transport = HttpClientTransport(timeout=2.0)
    try:
        with ReceiverServer(receiver) as server:
            for i in range(3):  # the same kept connection each time
                body = json.dumps({"message_id": f"m{i}", "n": i}).encode()
                ts = str(int(time.time()))
                headers = {
                    "X-Hub-Message-Id": f"m{i}",
                    "X-Hub-Timestamp": ts,
                    "X-Hub-Signature": sign("s3cret-s3cret-s3cret", body, ts),
                }
                assert transport.post(server.url("pm-a"), body, headers) == 200
            assert receiver.count() == 3
            bad = json.dumps({"message_id": "m9"}).encode()
            assert (
                transport.post(
                    server.url("pm-a"),
                    bad,
                    {"X-Hub-Message-Id": "m9", "X-Hub-Signature": "sha256=00"},
                )
                == 401
            )
            receiver.down = True
            assert transport.post(server.url("pm-a"), bad, {}) == 503
            port = server.port
        with pytest.raises(TransportError):  # nobody listens any more (a new connection)
            HttpClientTransport(timeout=2.0).post(f"http://127.0.0.1:{port}/hooks/pm-a", bad, {})
        with pytest.raises(TransportError):
            transport.post("ftp://127.0.0.1/x", bad, {})
    finally:
        transport.close()
