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
        h: dict[str, Any] = {"x-destination": self.destination}
        if self.attempt:  # absent means 0: one header less to encode on every first publish
            h["x-attempt"] = self.attempt
        if self.application_no:
            h["x-application-no"] = self.application_no
        if self.deliver_by is not None:
            h["x-deliver-by"] = self.deliver_by.isoformat()
        if self.party_seq is not None:
            h["x-party-seq"] = self.party_seq
        if self.outbox_id is not None:
            h["x-outbox-id"] = self.outbox_id
        return h

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

        def text(key: str) -> str | None:
            v = h.get(key)
            if v is None:
                return None
            return v.decode() if isinstance(v, bytes) else str(v)

        deliver_by = text("x-deliver-by")
        seq = h.get("x-party-seq")
        oid = h.get("x-outbox-id")
        return cls(
            message_id=props.message_id or "",
            destination=text("x-destination") or routing_key,
            type=props.type or "",
            application_no=text("x-application-no"),
            sealed=body.decode(),
            deliver_by=datetime.fromisoformat(deliver_by) if deliver_by else None,
            party_seq=int(seq) if seq is not None else None,
            attempt=int(h.get("x-attempt") or 0),
            outbox_id=int(oid) if oid is not None else None,
        )
