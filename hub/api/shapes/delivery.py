"""Answers about delivery: the pull feed and dead letters (INTERFACE 8)."""

from __future__ import annotations

from hub.api.shapes.base import (
    ANY_OBJECT,
    COUNT,
    STRING,
    TIME,
    Schema,
    array,
    enum,
    nullable,
    obj,
)
from hub.services.delivery_failures import NOT_DEAD, REDISPATCHED, REPLAYED, SUPERSEDED

_OUTCOMES = (REPLAYED, REDISPATCHED, SUPERSEDED, NOT_DEAD)

SHAPES: dict[str, Schema] = {
    "Feed": obj(
        ("messages", "next"),
        "INTERFACE 8: the caller's messages after `after`, in order; `next` is the cursor",
        messages=array(
            obj(
                ("message_id", "type", "occurred_at"),
                message_id=STRING,
                type=STRING,
                application_no=nullable(STRING),
                occurred_at=TIME,
                data=ANY_OBJECT,
            )
        ),
        next=STRING,
    ),
    "DeadLetters": obj(
        ("deadletters", "next"),
        "Messages that could not be delivered, with the reason; `next` is the cursor",
        deadletters=array(
            obj(
                ("message_id", "destination", "type", "occurred_at", "attempts"),
                "死信 hub.services.delivery_failures.dead_letter_view",
                message_id=STRING,
                destination=STRING,
                type=STRING,
                application_no=nullable(STRING),
                occurred_at=TIME,
                deliver_by=nullable(TIME),
                dead_at=nullable(TIME),
                reason=nullable(STRING),
                attempts=COUNT,
            )
        ),
        next=STRING,
    ),
    "ReplayCounts": obj(
        (*_OUTCOMES, "letters"),
        "How many dead letters went out again, and why the others did not",
        **{outcome: COUNT for outcome in _OUTCOMES},
        letters=array(
            obj(
                ("message_id", "outcome", "detail"),
                message_id=STRING,
                outcome=enum(*_OUTCOMES),
                detail={"type": "string", "description": "中文 / English"},
                application_no=nullable(STRING),
                destination=nullable(STRING),
            )
        ),
    ),
}
