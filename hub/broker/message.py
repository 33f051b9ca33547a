"""One outbox message in transit: what the relay publishes and what a connector receives.

The body on the wire is the sealed envelope exactly as stored in the outbox (personal data is
never in clear on the broker); routing facts travel as AMQP properties and headers.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import pika

from hub.vault import Vault

SEALED = "application/vnd.onematter.sealed-envelope"
#: The routing facts travel in one header, "destination|application_no|deliver_by|
#: party_seq|outbox_id" (empty where absent): one table entry for pika to encode and the
#: broker to store instead of five, about a tenth of the broker's cost per message.
FACTS = "x-hub-facts"


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

    def envelope(self, vault: Vault) -> dict[str, Any]:
        value: dict[str, Any] = vault.open_json(
            self.sealed, table="outbox", field="envelope", record_id=self.message_id
        )
        return value

    def retried(self) -> Message:
        return replace(self, attempt=self.attempt + 1)

    def headers(self) -> dict[str, Any]:
        h: dict[str, Any] = {FACTS: self.packed_facts()}
        if self.attempt:  # absent means 0: one header less to encode on every first publish
            h["x-attempt"] = self.attempt
        return h

    def packed_facts(self) -> str:
        return "|".join(
            (
                self.destination,
                self.application_no or "",
                self.deliver_by.isoformat() if self.deliver_by is not None else "",
                str(self.party_seq) if self.party_seq is not None else "",
                str(self.outbox_id) if self.outbox_id is not None else "",
            )
        )

    def properties(self, **extra_headers: Any) -> pika.BasicProperties:
        return pika.BasicProperties(
            message_id=self.message_id,
            type=self.type,
            content_type=SEALED,
            delivery_mode=pika.DeliveryMode.Persistent,
            headers={**self.headers(), **extra_headers},
        )

    @property
    def body(self) -> bytes:
        return self.sealed.encode()

    @classmethod
    def from_delivery(cls, routing_key: str, props: pika.BasicProperties, body: bytes) -> Message:
        h = dict(props.headers or {})
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


def unpack_facts(headers: dict[str, Any]) -> dict[str, str]:
    """The routing facts of a delivery's headers ("" where absent)."""
    packed = _text(headers.get(FACTS))
    if packed is not None:
        # From the right: only the destination (a party id) could ever hold a "|".
        return dict(zip(_FIELDS, packed.rsplit("|", len(_FIELDS) - 1), strict=True))
    return {f: _text(headers.get(_SEPARATE[f])) or "" for f in _FIELDS}


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value.decode() if isinstance(value, bytes) else str(value)
