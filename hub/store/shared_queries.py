"""The data bureau's aggregate counts (hub.services.sharing.aggregates) in the database:
one GROUP BY a month, so a release costs the same memory whatever the number of cases.

A case counts with its status after its last timeline step before `as_of` (the step
found by the case's own events, through their index on `application_no`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlmodel import Session

from hub.store.models import Application, CaseEvent
from hub.store.types import UTCDateTime

_A = Application.__table__  # type: ignore[attr-defined]
_E = CaseEvent.__table__  # type: ignore[attr-defined]


def status_counts(session: Session, start: datetime, end: datetime, as_of: datetime) -> list[Any]:
    """(district, category, channel, status, count) of cases received in [start, end)."""
    earlier = _E.alias("earlier")
    last_step = (
        select(func.max(earlier.c.id))
        .where(
            earlier.c.application_no == _A.c.no,
            earlier.c.occurred_at < bindparam("as_of", as_of, type_=UTCDateTime()),
        )
        .scalar_subquery()
    )
    stmt = (
        select(_A.c.district, _A.c.category, _A.c.channel, _E.c.status_after, func.count())
        .select_from(_A.join(_E, _E.c.id == last_step))
        .where(
            _A.c.received_at >= bindparam("start", start, type_=UTCDateTime()),
            _A.c.received_at < bindparam("end", end, type_=UTCDateTime()),
        )
        .group_by(_A.c.district, _A.c.category, _A.c.channel, _E.c.status_after)
    )
    return list(session.connection().execute(stmt).all())
