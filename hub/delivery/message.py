"""One outbox message in transit: what the relay publishes and what a connector receives.

The body on the wire is one line of routing facts, then the sealed envelope exactly as
stored in the outbox (personal data is never in clear on the broker):

    destination|application_no|deliver_by|party_seq|outbox_id\n<sealed envelope>

and the AMQP properties are only `message_id`, `type` and persistence (`x-attempt` is added
once a message is retried). The facts ride in the body rather than in a headers table, and
there is no content type, because the broker decodes every property of every message it
routes: the table and the content type cost it 10-15 µs a message here (50-57 µs against
38-48), more than the relay's own work per message. Messages of the earlier formats
(content type `SEALED`, facts in an `x-hub-facts` header or one header each, the bare
envelope as body) are still read.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import pika

from hub.vault import Vault

#: The content type of the earlier formats, whose body is the sealed envelope alone; a
#: message without it has the facts line first.
SEALED = "application/vnd.onematter.sealed-envelope"
#: The header that carried the packed facts in the earlier format.
FACTS = "x-hub-facts"
#: The relay's mark on a copy of a row it may have published before (a relay killed
#: between publish and mark, a confirm that never came, a lost connection, a dead letter's
#: replay). A first publish carries no header at all (the broker decodes every property).
REPUBLISHED = "x-hub-republished"


@dataclass(frozen=True)
class Delivery:
    """A message as a queue handed it over (before it is read as a `Message`)."""

    routing_key: str
    properties: pika.BasicProperties
    body: bytes
    redelivered: bool = False


@dataclass(frozen=True)
class Message:
    message_id: str
    destination: str
    type: str
    application_no: str | None
    sealed: str
    deliver_by: datetime | None = None
    party_seq: int | None = None
    attempt: int = 0
    outbox_id: int | None = None
    #: The broker handed this copy out before (AMQP `redelivered`, or a quorum queue's
    #: `x-delivery-count`): a connector may have answered it and died before its ack.
    redelivered: bool = False
    #: The relay published this row before (`REPUBLISHED`).
    republished: bool = False

    @property
    def may_have_been_answered(self) -> bool:
        """Whether an earlier copy of this message could have reached the party: only then
        does a connector ask its journal (a database round trip). The first delivery of a
        first publish, not retried, cannot have been answered before: every other way a
        second copy comes about sets one of these (`connectors.journal`)."""
        return self.redelivered or self.republished or self.attempt > 0

    def envelope(self, vault: Vault) -> dict[str, Any]:
        value: dict[str, Any] = vault.open_json(
            self.sealed, table="outbox", field="envelope", record_id=self.message_id
        )
        return value

    def retried(self) -> Message:
        return replace(self, attempt=self.attempt + 1)

    def headers(self) -> dict[str, Any]:
        # Absent means 0: a first publish carries no headers table at all.
        return {"x-attempt": self.attempt} if self.attempt else {}

    def packed_facts(self) -> str:
        return pack_facts(
            self.destination, self.application_no, self.deliver_by, self.party_seq, self.outbox_id
        )

    def properties(self, **extra_headers: Any) -> pika.BasicProperties:
        headers = {**self.headers(), **extra_headers}
        return pika.BasicProperties(
            message_id=self.message_id,
            type=self.type,
            delivery_mode=pika.DeliveryMode.Persistent,
            headers=headers or None,
        )

    @property
    def body(self) -> bytes:
        """The facts line and the sealed envelope, as published."""
        return framed_body(self.packed_facts(), self.sealed)

    @classmethod
    def from_delivery(
        cls,
        routing_key: str,
        props: pika.BasicProperties,
        body: bytes,
        redelivered: bool = False,
    ) -> Message:
        h = dict(props.headers or {})
        if props.content_type != SEALED:
            facts, body = _read_framed(body)
        else:
            facts = unpack_facts(h)
        # A retry tier may have stamped the deadline on its own (worker); it takes precedence.
        deliver_by = _text(h.get("x-deliver-by")) or facts["deliver_by"]
        return cls(
            message_id=props.message_id or "",
            destination=facts["destination"] or routing_key,
            type=props.type or "",
            application_no=facts["application_no"] or None,
            sealed=body.decode(),
            deliver_by=datetime.fromisoformat(deliver_by) if deliver_by else None,
            party_seq=int(facts["party_seq"]) if facts["party_seq"] else None,
            attempt=int(h.get("x-attempt") or 0),
            outbox_id=int(facts["outbox_id"]) if facts["outbox_id"] else None,
            redelivered=redelivered or int(h.get("x-delivery-count") or 0) > 0,
            republished=bool(h.get(REPUBLISHED)),
        )


_FIELDS = ("destination", "application_no", "deliver_by", "party_seq", "outbox_id")
#: Headers of the same facts one by one, as messages published before FACTS carry them.
_SEPARATE = {
    "destination": "x-destination",
    "application_no": "x-application-no",
    "deliver_by": "x-deliver-by",
    "party_seq": "x-party-seq",
    "outbox_id": "x-outbox-id",
}


def pack_facts(
    destination: str,
    application_no: str | None,
    deliver_by: datetime | None,
    party_seq: int | None,
    outbox_id: int | None,
) -> str:
    """ "destination|application_no|deliver_by|party_seq|outbox_id", empty where absent."""
    return "|".join(
        (
            destination,
            application_no or "",
            deliver_by.isoformat() if deliver_by is not None else "",
            str(party_seq) if party_seq is not None else "",
            str(outbox_id) if outbox_id is not None else "",
        )
    )


def framed_body(packed_facts: str, sealed: str) -> bytes:
    """A body of the current format: the facts line, a newline, the sealed envelope."""
    return f"{packed_facts}\n{sealed}".encode()


def destination_of(props: pika.BasicProperties, body: bytes) -> str:
    """The destination a published message was meant for, in any format."""
    if props.content_type != SEALED:
        return _read_framed(body)[0]["destination"]
    return unpack_facts(dict(props.headers or {}))["destination"]


def _read_framed(body: bytes) -> tuple[dict[str, str], bytes]:
    """The facts and the sealed envelope of a body of the current format."""
    line, _, sealed = body.partition(b"\n")
    return _split_facts(line.decode()), sealed


def _split_facts(packed: str) -> dict[str, str]:
    # From the right: only the destination (a party id) could ever hold a "|".
    return dict(zip(_FIELDS, packed.rsplit("|", len(_FIELDS) - 1), strict=True))


def unpack_facts(headers: dict[str, Any]) -> dict[str, str]:
    """The routing facts of an earlier-format delivery's headers ("" where absent)."""
    packed = _text(headers.get(FACTS))
    if packed is not None:
        return _split_facts(packed)
    return {f: _text(headers.get(_SEPARATE[f])) or "" for f in _FIELDS}


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value.decode() if isinstance(value, bytes) else str(value)
