"""The journal of what went out (connectors.journal) on both databases: a webhook whose
copy was answered before is settled without a second POST; a failed one is posted again;
the retention purge forgets answers older than HUB_INBOX_DAYS."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pika
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from connectors.inbound import CONSUMER, InboundConnector, inbox_key
from connectors.journal import BufferedJournal, FlushingJournal, Journal, Key
from connectors.webhook import FakeTransport, WebhookConnector
from hub.broker.relay_claims import Batch, ExclusiveClaims, LockedClaims
from hub.broker.wiring import build, party_handler
from hub.broker.worker import outbox_handler
from hub.clock import SystemClock
from hub.config import RetentionSettings
from hub.delivery.directory import Party, Route
from hub.delivery.message import REPUBLISHED, Delivery, Message
from hub.delivery.outcomes import Delivered, Retry, RetryPolicy
from hub.delivery.settings import DeliverySettings
from hub.services import retention
from hub.services.context import HubContext
from hub.services.webhook_targets import TargetPolicy
from hub.store.models import InboxRecord
from hub.store.outbox_recorder import recorder_for
from tests.support.api import SMALL_REGISTRY
from tests.support.broker import submit_many
from tests.support.hubctx import make_hub


class _OneParty:
    def party(self, destination: str) -> Party:
        return Party("pm-a", Route.WEBHOOK, "http://127.0.0.1:9/hooks/pm-a", "s3cret-0001")


def _message(ctx: HubContext) -> Message:
    mid = str(uuid.uuid4())
    envelope = {"message_id": mid, "type": "application.dispatched", "data": {"n": 1}}
    sealed = ctx.vault.seal_json(envelope, table="outbox", field="envelope", record_id=mid)
    return Message(mid, "pm-a", "application.dispatched", None, sealed)


def _connector(ctx: HubContext, transport: FakeTransport) -> WebhookConnector:
    return WebhookConnector(
        ctx.vault,
        _OneParty(),  # type: ignore[arg-type]
        transport,
        RetryPolicy(DeliverySettings(), SystemClock()),
        TargetPolicy(allow_http=True, allow_private=True),
        lambda h, p: ["127.0.0.1"],
        journal=Journal(ctx),
    )


def test_an_answered_message_is_posted_once_and_a_refused_one_again(
    database_url: str, tmp_path: Path
) -> None:
    ctx = make_hub(database_url, tmp_path, registry=SMALL_REGISTRY)
    try:
        statuses = {"next": 200}
        fake = FakeTransport(respond=lambda url, body, headers: statuses["next"])
        first, second = _connector(ctx, fake), _connector(ctx, fake)  # two processes
        answered = _message(ctx)
        assert isinstance(first.handle(answered), Delivered)
        copy = second.handle(replace(answered, redelivered=True))
        assert isinstance(copy, Delivered) and not copy.sent
        assert len(fake.posted) == 1

        statuses["next"] = 503
        failed = _message(ctx)
        assert isinstance(first.handle(failed), Retry)
        statuses["next"] = 200
        again = second.handle(failed.retried())
        assert isinstance(again, Delivered) and again.sent
        assert [p.headers["X-Hub-Message-Id"] for p in fake.posted] == [
            answered.message_id,
            failed.message_id,
            failed.message_id,
        ]
    finally:
        ctx.db.dispose()


def test_the_purge_forgets_answers_older_than_the_retention(
    database_url: str, tmp_path: Path
) -> None:
    ctx = make_hub(database_url, tmp_path, registry=SMALL_REGISTRY)
    try:
        journal = Journal(ctx)
        journal.record([("webhook", "old-1"), ("webhook", "old-2")])
        with ctx.db.engine.begin() as conn:
            conn.execute(
                InboxRecord.__table__.update().values(  # type: ignore[attr-defined]
                    processed_at=ctx.clock.now() - timedelta(days=31)
                )
            )
        journal.record([("webhook", "fresh")])
        purged = ctx.db.run(lambda s: retention.purge(ctx, s, RetentionSettings(inbox_days=30)))
        assert purged["journal_rows"] == 2
        assert journal.done([("webhook", "old-1"), ("webhook", "fresh")]) == {("webhook", "fresh")}
        with ctx.db.engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(InboxRecord)).scalar() == 1
    finally:
        ctx.db.dispose()


def test_webhooks_ask_the_journal_over_rabbitmq_and_in_process(
    database_url: str, tmp_path: Path
) -> None:
    """Over RabbitMQ a journal of its own; in process the embedded default's BufferedJournal
    (a relay session that ends republishes what a connector still holds)."""
    from hub.delivery.directory import Directory

    ctx = make_hub(database_url, tmp_path, registry=SMALL_REGISTRY)
    try:
        broker = DeliverySettings(amqp_url="amqp://guest:guest@127.0.0.1:5672/%2F")
        over_rabbit = build(ctx, broker, Directory(ctx, broker))
        buffered = BufferedJournal(ctx)
        embedded = build(
            ctx, DeliverySettings(), Directory(ctx, DeliverySettings()), journal=buffered
        )
        assert isinstance(over_rabbit.webhook.journal, FlushingJournal)
        assert over_rabbit.notify.journal is over_rabbit.webhook.journal
        assert over_rabbit.portal.journal is over_rabbit.webhook.journal
        assert embedded.webhook.journal is buffered and embedded.portal.journal is buffered
        assert embedded.notify.journal is buffered
        over_rabbit.close()
        embedded.close()
    finally:
        ctx.db.dispose()


def test_the_purge_keeps_the_inbound_consumers_repeat_records(
    database_url: str, tmp_path: Path
) -> None:
    ctx = make_hub(database_url, tmp_path, registry=SMALL_REGISTRY)
    try:
        [no] = submit_many(ctx, 1, preferred_institution="pm-a")
        connector = InboundConnector(ctx)
        body = json.dumps(
            {"application_no": no, "event_id": str(uuid.uuid4()), "type": "accepted"}
        ).encode()
        mid = str(uuid.uuid4())
        props = pika.BasicProperties(message_id=mid, type="event")
        assert connector(Delivery("events.pm-a", props, body)) == Delivered()
        with ctx.db.engine.begin() as conn:  # the party's message was applied 31 days ago
            conn.execute(
                InboxRecord.__table__.update().values(  # type: ignore[attr-defined]
                    processed_at=ctx.clock.now() - timedelta(days=31)
                )
            )
        purged = ctx.db.run(lambda s: retention.purge(ctx, s, RetentionSettings()))
        with ctx.db.read() as s:
            kept = s.get(InboxRecord, (CONSUMER, inbox_key("pm-a", mid)))
        again = connector(Delivery("events.pm-a", props, body))
        assert kept is not None, f"the purge deleted the inbound repeat record ({purged})"
        assert isinstance(again, Delivered) and again.detail.startswith("repeat")
    finally:
        ctx.db.dispose()


def test_the_flushing_journal_answers_from_memory_and_writes_in_batches(
    database_url: str, tmp_path: Path
) -> None:
    """Over RabbitMQ the journal records in memory and a writer thread writes many records
    to one transaction: its own process sees a record at once, another once written."""
    ctx = make_hub(database_url, tmp_path, registry=SMALL_REGISTRY)
    try:
        mine = FlushingJournal(ctx, every=3600)  # the writer does not turn in this test
        other = Journal(ctx)
        keys = [("webhook", f"m-{n}") for n in range(50)]
        mine.record(keys)
        assert mine.done(keys[:2]) == set(keys[:2])
        assert other.done(keys[:2]) == set()  # not written yet
        mine.close()  # writes what is left
        assert other.done(keys) == set(keys)
        with ctx.db.engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(InboxRecord)).scalar() == 50

        turning = FlushingJournal(ctx, every=0.02)
        turning.record([("portal", "p-1")])
        deadline = time.monotonic() + 5
        while not other.done([("portal", "p-1")]) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert other.done([("portal", "p-1")]) == {("portal", "p-1")}
        turning.close()
    finally:
        ctx.db.dispose()


def test_a_failed_journal_write_keeps_the_records_for_the_next_turn(
    database_url: str, tmp_path: Path
) -> None:
    """The writer's transaction fails (the database is away): the records stay in memory,
    still answering `done`, and are written on a later turn."""
    ctx = make_hub(database_url, tmp_path, registry=SMALL_REGISTRY)
    try:
        journal = FlushingJournal(ctx, every=3600)  # turned by hand below
        failures = {"left": 1}
        real_write = journal.write

        def write_once_failing(conn: Any, keys: list[Key], at: Any) -> None:
            if failures["left"]:
                failures["left"] -= 1
                raise OperationalError("INSERT", {}, Exception("connection refused"))
            real_write(conn, keys, at)

        journal.write = write_once_failing  # type: ignore[method-assign]
        journal.record([("webhook", "w-1")])
        journal.flush()  # fails: kept
        assert journal.done([("webhook", "w-1")]) == {("webhook", "w-1")}
        assert Journal(ctx).done([("webhook", "w-1")]) == set()
        journal.flush()  # written
        assert not journal.waiting()
        assert Journal(ctx).done([("webhook", "w-1")]) == {("webhook", "w-1")}
        journal.close()
    finally:
        ctx.db.dispose()


# ---- which copies are looked up ------------------------------------------------------------
@contextmanager
def _journal_queries(ctx: HubContext) -> Iterator[list[str]]:
    """The statements that read the journal (the inbox table), as the database sees them."""
    seen: list[str] = []

    def on_execute(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if "inbox" in statement and statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    engine = ctx.db.read_engine
    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)


def _as_delivered(message: Message, redelivered: bool = False, **headers: Any) -> Delivery:
    """The copy a party queue hands over: as the relay published it, plus `headers`."""
    props = message.properties(**headers)
    return Delivery(message.destination, props, message.body, redelivered)


def test_a_first_delivery_does_not_ask_the_journal_and_every_kind_of_copy_does(
    database_url: str, tmp_path: Path
) -> None:
    """The first delivery of a first publish cannot have been answered: no journal query.
    Each way a second copy arrives is marked and looked up, and none is posted twice: the
    broker redelivered it (AMQP `redelivered`: a connector died before its ack, a node
    failed over), a quorum queue counted a delivery (`x-delivery-count`), the relay
    published the row again (`x-hub-republished`: killed between publish and mark, a
    confirm that never came, a replayed dead letter), or it is a retry (`x-attempt`: a
    retry copy published twice when a connector died between its publish and its ack)."""
    ctx = make_hub(database_url, tmp_path, registry=SMALL_REGISTRY)
    try:
        fake = FakeTransport()
        connector = _connector(ctx, fake)
        handle = outbox_handler(connector)
        copies = {
            "redelivered": {"redelivered": True},
            "quorum delivery count": {"x-delivery-count": 1},
            "republished by the relay": {REPUBLISHED: 1},
            "a retry": {"x-attempt": 1},
        }
        for name, how in copies.items():
            message = _message(ctx)
            with _journal_queries(ctx) as queries:
                first = handle(_as_delivered(message))
            assert isinstance(first, Delivered) and first.sent
            assert queries == [], f"a first delivery asked the journal ({name})"
            with _journal_queries(ctx) as queries:
                copy = handle(_as_delivered(message, **how))
            assert isinstance(copy, Delivered) and not copy.sent, name
            assert len(queries) == 1, f"{name}: {queries}"
        assert len(fake.posted) == len(copies)
        assert len({p.headers["X-Hub-Message-Id"] for p in fake.posted}) == len(copies)
    finally:
        ctx.db.dispose()


def test_the_party_handler_passes_the_brokers_redelivered_flag_on(
    database_url: str, tmp_path: Path
) -> None:
    """Webhooks are reached through `wiring.party_handler` (the route of the party now):
    the broker's `redelivered` must reach the connector there too."""
    ctx = make_hub(database_url, tmp_path, registry=SMALL_REGISTRY)
    try:
        fake = FakeTransport()
        connector = _connector(ctx, fake)

        class _Connectors:
            def for_route(self, route: Route) -> WebhookConnector:
                return connector

        handle = party_handler(_Connectors(), _OneParty())  # type: ignore[arg-type]
        message = _message(ctx)
        assert isinstance(handle(_as_delivered(message)), Delivered)
        with _journal_queries(ctx) as queries:
            copy = handle(_as_delivered(message, redelivered=True))
        assert isinstance(copy, Delivered) and not copy.sent and len(queries) == 1
        assert len(fake.posted) == 1
    finally:
        ctx.db.dispose()


def _outbox_rows(ctx: HubContext, ids: range) -> None:
    from tests.integration.outbox_recorder_contract import row, write

    with ctx.db.engine.begin() as conn:
        write(conn, [row(n) for n in ids])


def _prepare(batch: Batch, rows: list[Any]) -> None:
    for r in rows:
        batch.rows[r[0]] = r[1]


def test_the_one_relay_marks_what_it_publishes_again(database_url: str, tmp_path: Path) -> None:
    """ExclusiveClaims (SQLite, the in-process broker: one relay): a row pending when the
    relay started may have been published by the relay before it; a nacked publish and
    the rows a lost connection let go go out again marked; a row first published is not."""
    ctx = make_hub(database_url, tmp_path, registry=SMALL_REGISTRY)
    try:
        _outbox_rows(ctx, range(1, 3))  # pending before this relay: perhaps published
        recorder = recorder_for(ctx.db.engine)
        claims = ExclusiveClaims(
            recorder,
            ctx.db.engine,
            ctx.db.read_engine,
            10,
            _prepare,
            ctx.clock.now,
            settles_late=False,
        )
        first = claims.claim()
        assert first is not None and first.republished == {1, 2}
        claims.published(first)
        claims.acked(first, 1)
        claims.failed(first, 2)  # a nack, or a confirm that never came
        _outbox_rows(ctx, range(3, 6))  # written while this relay runs
        second = claims.claim()
        assert second is not None and list(second.rows) == [2, 3, 4, 5]
        assert second.republished == {2}
        claims.published(second)
        claims.acked(second, 3)
        claims.abandon()  # the connection is lost: 1 and 3 marked, 2, 4 and 5 let go
        third = claims.claim()
        assert third is not None and list(third.rows) == [2, 4, 5]
        assert third.republished == {2, 4, 5}
        _outbox_rows(ctx, range(6, 7))
        claims.published(third)
        for oid in (2, 4, 5):
            claims.acked(third, oid)
        claims.flush()
        fourth = claims.claim()
        assert fourth is not None and list(fourth.rows) == [6] and fourth.republished == set()
    finally:
        ctx.db.dispose()


def test_a_relay_that_died_after_publishing_leaves_its_rows_marked_for_the_next(
    pg_url: str, tmp_path: Path
) -> None:
    """LockedClaims (PostgreSQL and RabbitMQ, several relays): a relay killed between its
    publish and its mark (its claim's transaction rolls back) leaves the count of its sends
    committed; the relay that claims the rows next publishes them marked."""
    ctx = make_hub(pg_url, tmp_path, registry=SMALL_REGISTRY)
    try:
        _outbox_rows(ctx, range(1, 4))
        recorder = recorder_for(ctx.db.engine)
        dying = LockedClaims(
            recorder, ctx.db.engine, ctx.db.read_engine, 2, _prepare, ctx.clock.now
        )
        batch = dying.claim()
        assert batch is not None and list(batch.rows) == [1, 2] and batch.republished == set()
        assert batch.conn is not None
        batch.conn.rollback()  # the process is killed: its transaction goes, locks with it
        batch.conn.close()
        nxt = LockedClaims(recorder, ctx.db.engine, ctx.db.read_engine, 10, _prepare, ctx.clock.now)
        again = nxt.claim()
        assert again is not None and list(again.rows) == [1, 2, 3]
        assert again.republished == {1, 2}
        again.acked.extend([1, 2, 3])
        nxt.mark_batch(again)
        assert nxt.claim() is None
    finally:
        ctx.db.dispose()


def test_notices_ask_the_journal_only_about_a_copy(database_url: str, tmp_path: Path) -> None:
    """SMS and mail: a first delivery sends without a journal query; a redelivered copy
    asks and sends nothing twice."""
    from connectors.notify import Mailer, NotifyConnector, SmsGateway

    class _Sms(SmsGateway):
        def __init__(self) -> None:
            self.sent: list[str] = []

        def send(self, phone: str, text: str, *, client_ref: str) -> None:
            self.sent.append(client_ref)

    class _Mail(Mailer):
        def __init__(self) -> None:
            self.sent: list[str] = []

        def send(self, to: str, subject: str, text: str, *, message_id: str) -> None:
            self.sent.append(message_id)

    ctx = make_hub(database_url, tmp_path, registry=SMALL_REGISTRY)
    try:
        sms, mail = _Sms(), _Mail()
        policy = RetryPolicy(DeliverySettings(), SystemClock())
        connector = NotifyConnector(ctx, sms, mail, policy, journal=Journal(ctx))
        mid = str(uuid.uuid4())
        envelope = {
            "message_id": mid,
            "type": "notice.accepted",
            "application_no": "310104-20261203-000001-X",
            "data": {
                "notice": "accepted",
                "recipients": [{"phone": "13800000000", "email": "a@example.org"}],
            },
        }
        sealed = ctx.vault.seal_json(envelope, table="outbox", field="envelope", record_id=mid)
        message = Message(mid, "notify", "notice.accepted", None, sealed)
        with _journal_queries(ctx) as queries:
            first = connector.handle(message)
        assert isinstance(first, Delivered) and first.sent and queries == []
        with _journal_queries(ctx) as queries:
            copy = connector.handle(replace(message, redelivered=True))
        assert isinstance(copy, Delivered) and not copy.sent and len(queries) == 1
        assert sms.sent == [f"{mid}:0"] and mail.sent == [f"{mid}:0"]
    finally:
        ctx.db.dispose()
