"""A message's routing facts survive the trip through AMQP properties, packed or not."""

from __future__ import annotations

from datetime import UTC, datetime

import pika
import pytest

from hub.broker.message import FACTS, Message

FULL = Message(
    message_id="m-1",
    destination="pm-310104-01",
    type="application.dispatched",
    application_no="310000-20261123-000001-X",
    sealed="v1:sealed",
    deliver_by=datetime(2026, 11, 24, 1, 0, tzinfo=UTC),
    party_seq=42,
    attempt=2,
    outbox_id=7,
)
BARE = Message("m-2", "portal", "status.changed", None, "v1:sealed")


@pytest.mark.parametrize("msg", [FULL, BARE], ids=["every fact", "no optional fact"])
def test_a_message_round_trips_through_its_properties(msg: Message) -> None:
    props = msg.properties()
    assert set(props.headers) <= {FACTS, "x-attempt"}  # one header for the facts
    assert Message.from_delivery("ignored", props, msg.sealed.encode()) == msg


def test_messages_with_the_facts_in_separate_headers_are_still_read() -> None:
    props = pika.BasicProperties(
        message_id="m-1",
        type="application.dispatched",
        headers={
            "x-destination": b"pm-310104-01",
            "x-application-no": "310000-20261123-000001-X",
            "x-deliver-by": "2026-11-24T01:00:00+00:00",
            "x-party-seq": 42,
            "x-attempt": 2,
            "x-outbox-id": 7,
        },
    )
    assert Message.from_delivery("pm-310104-01", props, b"v1:sealed") == FULL


def test_a_deadline_stamped_by_a_retry_tier_wins() -> None:
    props = BARE.properties(**{"x-deliver-by": "2026-11-25T00:00:00+00:00"})
    got = Message.from_delivery("portal", props, b"v1:sealed")
    assert got.deliver_by == datetime(2026, 11, 25, tzinfo=UTC)


def test_a_destination_holding_the_separator_still_round_trips() -> None:
    odd = Message("m-3", "portal|east", "status.changed", "310000-20261123-000001-X", "v1:x")
    assert Message.from_delivery("", odd.properties(), b"v1:x") == odd
