"""Routing in the store: build candidates from the registry, let the domain choose, assign."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, String, cast, update
from sqlmodel import Session, col, select

from hub.domain.routing import MEDIATION_KINDS, Candidate, choose_institution, competent_body
from hub.domain.status import ReferralKind
from hub.store.models import Institution


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
) -> str | None:
    table = Institution.__table__  # type: ignore[attr-defined]
    rows = session.connection().execute(
        select(table).where(
            col(Institution.kind).in_(MEDIATION_KINDS),
            Institution.state == "active",
            col(Institution.visible).is_(True),
            _quoted_member(Institution.districts, district),
            _quoted_member(Institution.categories, category),
        )
    ).all()
    return choose_institution(
        [candidate(r) for r in rows],
        category=category,
        district=district,
        preferred=preferred,
        excluded=excluded,
    )


def find_competent_body(
    session: Session, *, kind: ReferralKind, category: str, district: str
) -> str | None:
    table = Institution.__table__  # type: ignore[attr-defined]
    rows = session.connection().execute(
        select(table).where(
            col(Institution.kind).notin_(MEDIATION_KINDS), Institution.state == "active"
        )
    ).all()
    return competent_body(
        [candidate(r) for r in rows], kind=kind, category=category, district=district
    )


def assign(session: Session, institution_id: str, at: datetime) -> None:
    """Count one more open case for the institution (one atomic UPDATE, row-locked)."""
    session.connection().execute(
        update(Institution)
        .where(col(Institution.id) == institution_id)
        .values(open_cases=col(Institution.open_cases) + 1, last_assigned_at=at)
    )


def release(session: Session, institution_id: str | None) -> None:
    """The case left the institution's hands (closed, rejected, returned, withdrawn, moved)."""
    if not institution_id:
        return
    session.connection().execute(
        update(Institution)
        .where(col(Institution.id) == institution_id, col(Institution.open_cases) > 0)
        .values(open_cases=col(Institution.open_cases) - 1)
    )
