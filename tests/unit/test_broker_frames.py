"""The relay's own publish encoding writes exactly the bytes pika writes for the same publish."""

from __future__ import annotations

import math
import struct
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pika import frame, spec
from pika.exceptions import ShortStringTooLong

from hub.broker.frames import PublishFrames
from hub.delivery.message import Message


def pika_bytes(msg: Message, channel: int, exchange: str, body_max: int) -> bytes:
    """What pika's Connection._send_message marshals for channel.basic_publish(...)."""
    body = msg.body
    pieces = [
        frame.Method(
            channel, spec.Basic.Publish(exchange=exchange, routing_key=msg.destination,
                                        mandatory=True)
        ).marshal(),
        frame.Header(channel, len(body), msg.properties()).marshal(),
    ]
    for i in range(math.ceil(len(body) / body_max)):
        pieces.append(frame.Body(channel, body[i * body_max : (i + 1) * body_max]).marshal())
    return b"".join(pieces)


CASES = [
    Message("m-1", "pm-310104-01", "application.dispatched", "310000-20261123-000001-X",
            "v1:" + "密" * 300, datetime(2026, 11, 24, 1, tzinfo=UTC), 42, 0, 7),
    Message("m-2", "portal", "status.changed", None, "v1:x"),
    Message("m-3", "notify", "notice", None, "v1:y", attempt=3),
    Message("m-4", "court|east", "referral", None, "v1:z", attempt=2**40),
    Message("m-5", "portal", "status.changed", None, "v1:" + "a" * 20000, party_seq=1),
]


@pytest.mark.parametrize("msg", CASES, ids=lambda m: m.message_id)
@pytest.mark.parametrize("body_max", [131064, 4088])
def test_the_bytes_are_pikas(msg: Message, body_max: int) -> None:
    encoder = PublishFrames(3, "hub.delivery", body_max)
    assert encoder.encode(msg) == pika_bytes(msg, 3, "hub.delivery", body_max)


def test_a_large_body_is_split_into_frames_of_the_negotiated_size() -> None:
    msg = CASES[-1]  # a 20,003-byte envelope
    body_size = len(msg.body)  # with its facts line
    assert 20003 < body_size < 5 * 4088
    wire = PublishFrames(1, "x", 4088).encode(msg)
    kinds, sizes, at = [], [], 0
    while at < len(wire):
        kind, _channel, size = struct.unpack_from(">BHI", wire, at)
        assert wire[at + 7 + size] == 0xCE
        kinds.append(kind)
        sizes.append(size)
        at += 8 + size
    assert kinds == [1, 2, 3, 3, 3, 3, 3]
    assert sizes[2:] == [4088, 4088, 4088, 4088, body_size - 4 * 4088]


@given(
    destination=st.text(min_size=1, max_size=60),
    type_=st.text(min_size=1, max_size=60),
    body=st.text(max_size=3000),
    attempt=st.integers(min_value=0, max_value=2**62),
)
def test_any_message_encodes_as_pika_encodes_it(
    destination: str, type_: str, body: str, attempt: int
) -> None:
    msg = Message("m-h", destination, type_, None, body, attempt=attempt)
    assert PublishFrames(2, "p.delivery", 1000).encode(msg) == pika_bytes(
        msg, 2, "p.delivery", 1000
    )


def test_a_field_too_long_for_amqp_is_refused_as_pika_refuses_it() -> None:
    msg = Message("m-6", "p" * 256, "t", None, "v1:x")
    with pytest.raises(ShortStringTooLong):
        PublishFrames(1, "x", 4088).encode(msg)
    with pytest.raises(ShortStringTooLong):
        pika_bytes(msg, 1, "x", 4088)
