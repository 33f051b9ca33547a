"""The pull feed (INTERFACE 8): a party's own messages in order, opened for it."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from hub.services.context import HubContext
from hub.store.outbox_recorder import recorder_for


def read_feed(
    ctx: HubContext, session: Session, destination: str, after: int, limit: int
) -> tuple[list[dict[str, Any]], int]:
    """A destination's messages after `after`, in `party_seq` order; answers them and the
    next cursor. `party_seq` is taken in each writing transaction under the party's row
    lock, so a reader never sees a later number commit before an earlier one."""
    conn = session.connection()
    rows = recorder_for(conn).read_feed(conn, destination, after, limit)
    messages = [
        ctx.vault.open_json(sealed, table="outbox", field="envelope", record_id=message_id)
        for message_id, sealed, _ in rows
    ]
    return messages, (rows[-1][2] if rows else after)
