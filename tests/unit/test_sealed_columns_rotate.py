"""Every sealed column is one `hub keys rotate` re-encrypts: a new one left out of
`privacy_cli.SEALED` would become unreadable once its old key is retired."""

from __future__ import annotations

from sqlmodel import SQLModel

import hub.store.models
import hub.store.models_ops
import hub.store.models_privacy  # noqa: F401 - registers the tables
from hub import privacy_cli

#: Sealed columns whose names do not say so (named before the convention).
OLDER = {
    ("application", "personal"),
    ("case_event", "data"),
    ("outbox", "envelope"),
    ("institution", "delivery_secret"),
    ("idempotency_record", "response"),
}


def test_every_sealed_column_is_rotated() -> None:
    listed = {(sc.table, sc.column) for sc in privacy_cli.SEALED}
    named = {
        (table.name, column.name)
        for table in SQLModel.metadata.tables.values()
        for column in table.columns
        if column.name.endswith("sealed")
    }
    assert named, "the models have sealed columns"
    assert named | OLDER <= listed, (named | OLDER) - listed
