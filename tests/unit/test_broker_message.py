"""A message's routing facts survive the trip through the broker, in each of its formats."""

from __future__ import annotations

from datetime import UTC, datetime

import pika
import pytest

from hub.delivery.message import FACTS, SEALED, Message, destination_of

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
def test_a_message_round_trips_through_its_properties_and_body(msg: Message) -> None:
    props = msg.properties()
    assert props.content_type is None
    # No headers table on a first publish: the facts ride in the body's first line.
    assert (props.headers or {}) == ({"x-attempt": msg.attempt} if msg.attempt else {})
    assert msg.body == f"{msg.packed_facts()}\n{msg.sealed}".encode()
    assert Message.from_delivery("ignored", props, msg.body) == msg
    assert destination_of(props, msg.body) == msg.destination


def test_a_first_publish_carries_no_headers_table() -> None:
    assert BARE.properties().headers is None


def test_messages_with_the_facts_in_one_header_are_still_read() -> None:
    props = pika.BasicProperties(
        message_id="m-1",
        type="application.dispatched",
        content_type=SEALED,
        headers={
            FACTS: "pm-310104-01|310000-20261123-000001-X|2026-11-24T01:00:00+00:00|42|7",
            "x-attempt": 2,
        },
    )
    assert Message.from_delivery("pm-310104-01", props, b"v1:sealed") == FULL
    assert destination_of(props, b"v1:sealed") == "pm-310104-01"


def test_messages_with_the_facts_in_separate_headers_are_still_read() -> None:
    props = pika.BasicProperties(
        message_id="m-1",
        type="application.dispatched",
        content_type=SEALED,
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
    got = Message.from_delivery("portal", props, BARE.body)
    assert got.deliver_by == datetime(2026, 11, 25, tzinfo=UTC)


def test_a_destination_holding_the_separator_still_round_trips() -> None:
    odd = Message("m-3", "portal|east", "status.changed", "310000-20261123-000001-X", "v1:x")
    assert Message.from_delivery("", odd.properties(), odd.body) == odd
