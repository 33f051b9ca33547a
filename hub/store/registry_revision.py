"""The registry's revision: one counter moved by every change of units and institutions.

Moved from the ORM flush that writes the change (a mapper event), so no write path can
forget it; read by every process that caches the registry, at most once a second.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select, update

from hub.store.models import RegistryRevision

_T = RegistryRevision.__table__  # type: ignore[attr-defined]
_READ = select(_T.c.revision).where(_T.c.id == 1)
_BUMP = update(_T).where(_T.c.id == 1).values(revision=_T.c.revision + 1)


def bump(conn: Connection, at: datetime | None = None) -> None:
    """Move the revision in `conn`'s transaction (that of the change)."""
    conn.execute(_BUMP.values(changed_at=at or datetime.now(UTC)))


def read(conn: Any) -> int:
    """The current revision."""
    value = conn.execute(_READ).scalar()
    return int(value or 0)


def _moved(_mapper: Any, connection: Connection, _target: Any) -> None:
    bump(connection)


def _listen() -> None:
    from sqlalchemy import event

    from hub.store.models import Institution, Unit

    for model in (Unit, Institution):
        for when in ("after_insert", "after_update", "after_delete"):
            if not event.contains(model, when, _moved):
                event.listen(model, when, _moved)


_listen()
