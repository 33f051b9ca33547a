"""Routing in the store: build candidates from the registry, let the domain choose, assign."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, String, cast, update
from sqlmodel import Session, col, select

from hub.domain.routing import (
    MEDIATION_KINDS,
    Candidate,
    choose_institution,
    competent_body,
    ranked_bodies,
)
from hub.domain.status import ReferralKind
from hub.services.registry_cache import REGISTRY, live_rows, live_statement
from hub.store.bulk import run_together
from hub.store.models import Institution
from hub.store.sequences import day_block_statement, hold_day_block
from hub.store.unit_of_work import of


def candidate(inst: Any) -> Candidate:
    """A routing snapshot from an Institution object or a Core row of its table."""
    return Candidate(
        id=inst.id,
        unit=inst.unit_id,
        kind=inst.kind,
        categories=frozenset(inst.categories or ()),
        districts=frozenset(inst.districts or ()),
        capacity=inst.capacity,
        open_cases=inst.open_cases,
        active=inst.state == "active",
        visible=inst.visible,
        last_assigned_at=inst.last_assigned_at,
    )


def _quoted_member(column: Any, code: str) -> ColumnElement[bool]:
    # JSON arrays are stored as text on both databases; a quoted member test narrows the
    # rows in SQL, and the domain policy decides on the exact sets.
    return cast(column, String).like(f'%"{code}"%')


def route_new_case(
    session: Session,
    *,
    category: str,
    district: str,
    preferred: str | None,
    excluded: frozenset[str],
    salt: str = "",
) -> str | None:
    covering = REGISTRY.coverage(session, category, district)
    # One read per institution per unit of work; its own assignments not yet written (the
    # earlier cases of an intake batch) are added below.
    buffer = of(session).buffer
    missing = [c.id for c in covering if c.id not in buffer.live]
    if missing:
        buffer.live.update(REGISTRY.live(session, missing))
    live = buffer.live
    candidates = []
    for c in covering:
        row = live.get(c.id)
        if row is None:
            continue
        pending = buffer.assigned.get(c.id, 0)
        last = buffer.last_assigned.get(c.id)
        candidates.append(
            Candidate(
                id=c.id,
                unit=c.unit,
                kind=c.kind,
                categories=c.categories,
                districts=c.districts,
                capacity=c.capacity,
                open_cases=row.open_cases + pending,
                active=row.state == "active",
                visible=bool(row.visible),
                last_assigned_at=last or row.last_assigned_at,
            )
        )
    return choose_institution(
        candidates,
        category=category,
        district=district,
        preferred=preferred,
        excluded=excluded,
        salt=salt,
    )


def prefetch_for_batch(
    session: Session,
    bodies: list[dict[str, Any]],
    numbers: tuple[str, date],
) -> None:
    """Start a batch in one round trip: take a block of the day's numbers (region, day),
    one per application, and read the live rows of every institution it may route to."""
    ids = sorted(
        {
            c.id
            for body in bodies
            if body.get("channel") == "online"
            for c in REGISTRY.coverage(session, body["category"], body["district"])
        }
    )
    buffer = of(session).buffer
    conn = session.connection()
    region, day = numbers
    statements = [day_block_statement(conn.dialect, region, day, len(bodies))]
    if ids:
        statements.append(live_statement(conn.dialect, ids))
    results = run_together(conn, statements)
    hold_day_block(buffer, region, day, len(bodies), results[0])
    if ids:
        buffer.live.update(live_rows(results[1]))


def _bodies(session: Session) -> list[Any]:
    table = Institution.__table__  # type: ignore[attr-defined]
    return list(
        session.connection()
        .execute(
            select(table).where(
                col(Institution.kind).notin_(MEDIATION_KINDS), Institution.state == "active"
            )
        )
        .all()
    )


def find_competent_body(
    session: Session, *, kind: ReferralKind, category: str, district: str
) -> str | None:
    return competent_body(
        [candidate(r) for r in _bodies(session)], kind=kind, category=category, district=district
    )


def competent_bodies(session: Session, category: str, district: str) -> list[dict[str, str]]:
    """The courts and commissions a case could be handed to, for a referral form to offer:
    the courts of its district, then the commissions, each group best first."""
    rows = _bodies(session)
    names = {r.id: r.name for r in rows}
    candidates = [candidate(r) for r in rows]
    out: list[dict[str, str]] = []
    for group, kind in (
        ("court", ReferralKind.JUDICIAL_CONFIRMATION),
        ("arbitration", ReferralKind.ARBITRATION),
    ):
        for body_id in ranked_bodies(candidates, kind=kind, category=category, district=district):
            out.append({"id": body_id, "name": names[body_id], "group": group})
    return out


def assign(session: Session, institution_id: str, at: datetime) -> None:
    """Count one more open case for the institution (added up per institution and written
    with the unit of work, one atomic UPDATE each, row-locked in id order)."""
    of(session).buffer.assign(institution_id, at)


def release(session: Session, institution_id: str | None) -> None:
    """The case left the institution's hands (closed, rejected, returned, withdrawn, moved)."""
    if not institution_id:
        return
    uow = of(session)
    uow.write_buffer()  # this unit of work's own assignments first: the count must be > 0
    uow.buffer.live.pop(institution_id, None)  # routing reads its load again
    session.connection().execute(
        update(Institution)
        .where(col(Institution.id) == institution_id, col(Institution.open_cases) > 0)
        .values(open_cases=col(Institution.open_cases) - 1)
    )
