"""The outbox: messages owed to parties, written in the transaction of the change they report.

Each row is written with its `outbox_pending` row; the relay publishes the pending rows and
marks them sent (the pending row goes, an `outbox_sent` row records when). The pull feed
reads a destination's rows by `party_seq`, which is gap-free and in commit order per
destination. Everything that reads or marks the outbox is `outbox_recorder`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from hub import jsonutil
from hub.domain import destinations
from hub.store.models import OutboxMessage
from hub.store.unit_of_work import emit
from hub.vault import Vault


@dataclass(frozen=True)
class Envelope:
    """INTERFACE 8: what a party receives, whatever the channel."""

    message_id: str
    type: str
    application_no: str | None
    occurred_at: datetime
    data: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {
            "message_id": self.message_id,
            "type": self.type,
            "application_no": self.application_no,
            "occurred_at": jsonutil.rfc3339(self.occurred_at),
            "data": self.data,
        }


def enqueue(
    session: Session,
    vault: Vault,
    *,
    destination: str,
    type: str,
    application_no: str | None,
    data: dict[str, Any],
    occurred_at: datetime,
    deliver_by: datetime | None = None,
) -> str:
    """Write one message for `destination` (qualified by its party's kind,
    `hub.domain.destinations`); answers its message id."""
    if not destinations.is_qualified(destination):  # routing asks the kind first
        raise ValueError(f"destination {destination!r} names no kind of party")
    message_id = str(uuid.uuid4())
    envelope = Envelope(message_id, type, application_no, occurred_at, data)
    row: dict[str, Any] = {
        "message_id": message_id,
        "destination": destination,
        "type": type,
        "application_no": application_no,
        "envelope": vault.seal_json(
            envelope.as_json(), table="outbox", field="envelope", record_id=message_id
        ),
        "occurred_at": occurred_at,
        "deliver_by": deliver_by,
        "created_at": occurred_at,
    }
    # Its id, feed number and pending row are given when the unit of work writes it.
    emit(session, OutboxMessage, row)
    return message_id


def open_envelope(vault: Vault, row: OutboxMessage) -> dict[str, Any]:
    value: dict[str, Any] = vault.open_json(
        row.envelope, table="outbox", field="envelope", record_id=row.message_id
    )
    return value
