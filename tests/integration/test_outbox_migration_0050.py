"""Migration 0050 moved what is still to send (`outbox_pending`) and when it was sent
(`outbox_sent`) out of the outbox row; the recorder's contract is `outbox_recorder_contract`."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hub.store.db import Database
from hub.store.migrate import upgrade
from hub.store.models import OutboxSent


@pytest.mark.empty_database
def test_migration_0050_keeps_what_was_sent_and_what_is_still_to_send(
    database_url: str,
) -> None:
    """Rows of the old layout: unsent ones become pending, sent ones keep their time and
    attempts, dead ones are neither; downgrading gives the old columns back."""
    from sqlalchemy import text

    from hub.store.migrate import alembic_config

    upgrade(database_url, "0040")
    db = Database(database_url)
    try:
        with db.engine.begin() as conn:
            for n, sent, attempts, dead in (
                (1, "2026-11-23 02:00:00", 2, None),
                (2, None, 0, None),
                (3, None, 1, "2026-11-23 03:00:00"),
            ):
                conn.execute(
                    text(
                        "INSERT INTO outbox (id, message_id, destination, party_seq, type, "
                        "application_no, envelope, occurred_at, created_at, sent_at, attempts, "
                        "dead_at) VALUES (:n, :m, 'pm-a', :n, 't', 'A', 'x', :at, :at, "
                        ":sent, :attempts, :dead)"
                    ),
                    {
                        "n": n,
                        "m": f"m-{n}",
                        "at": "2026-11-23 01:00:00",
                        "sent": sent,
                        "attempts": attempts,
                        "dead": dead,
                    },
                )
        db.dispose()
        upgrade(database_url)
        with db.engine.connect() as conn:
            pending = conn.execute(text("SELECT outbox_id, application_no FROM outbox_pending"))
            sent = conn.execute(text("SELECT outbox_id, attempts FROM outbox_sent")).all()
            assert pending.all() == [(2, "A")]
            assert sent == [(1, 2)]
        with db.read() as s:
            stored = s.get(OutboxSent, 1)
            assert stored is not None
            assert stored.sent_at == datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
        db.dispose()
        from alembic import command

        command.downgrade(alembic_config(database_url), "0040")
        with db.engine.connect() as conn:
            rows = conn.execute(
                text("SELECT id, sent_at IS NOT NULL, attempts FROM outbox ORDER BY id")
            ).all()
        assert [tuple(r) for r in rows] == [(1, True, 2), (2, False, 0), (3, False, 0)]
    finally:
        db.dispose()
