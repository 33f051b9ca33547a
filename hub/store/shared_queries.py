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
    step = _E.alias("step")
    # Each case's last step: the month's cases (by received_at), their events (by the
    # events' index on the case number), the largest id each; then joined by key.
    last = (
        select(step.c.application_no, func.max(step.c.id).label("last"))
        .select_from(step.join(_A, _A.c.no == step.c.application_no))
        .where(
            _A.c.received_at >= bindparam("start", start, type_=UTCDateTime()),
            _A.c.received_at < bindparam("end", end, type_=UTCDateTime()),
            step.c.occurred_at < bindparam("as_of", as_of, type_=UTCDateTime()),
        )
        .group_by(step.c.application_no)
        .subquery()
    )
    stmt = (
        select(_A.c.district, _A.c.category, _A.c.channel, _E.c.status_after, func.count())
        .select_from(
            last.join(_A, _A.c.no == last.c.application_no).join(_E, _E.c.id == last.c.last)
        )
        .group_by(_A.c.district, _A.c.category, _A.c.channel, _E.c.status_after)
    )
    return list(session.connection().execute(stmt).all())


def released_after(
    session: Session, after_id: int | None, rounds_after: datetime | None, limit: int
) -> list[tuple[int, str]]:
    """(id, record as JSON text) of released records after `after_id` (or of the rounds cut
    after `rounds_after`), in release order: the stored text as it is, nothing decoded."""
    from sqlalchemy import Text, cast

    from hub.store.models_privacy import SharedRelease, SharedRound

    release = SharedRelease.__table__  # type: ignore[attr-defined]
    rounds = SharedRound.__table__  # type: ignore[attr-defined]
    stmt = select(release.c.id, cast(release.c.record, Text))
    if after_id is not None:
        stmt = stmt.where(release.c.id > after_id)
    elif rounds_after is not None:
        cut = bindparam("cut", rounds_after, type_=UTCDateTime())
        stmt = stmt.where(release.c.round.in_(select(rounds.c.round).where(rounds.c.cutoff > cut)))
    stmt = stmt.order_by(release.c.id).limit(limit)
    return [(int(i), str(t)) for i, t in session.connection().execute(stmt).all()]
