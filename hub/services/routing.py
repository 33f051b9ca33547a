"""Routing in the store: build candidates from the registry, let the domain choose, assign."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, String, cast
from sqlmodel import Session, col, select

from hub.domain.routing import MEDIATION_KINDS, Candidate, choose_institution, competent_body
from hub.domain.status import ReferralKind
from hub.store.models import Institution


def candidate(inst: Institution) -> Candidate:
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
    rows = session.exec(
        select(Institution).where(
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
    rows = session.exec(
        select(Institution).where(
            col(Institution.kind).notin_(MEDIATION_KINDS), Institution.state == "active"
        )
    ).all()
    return competent_body(
        [candidate(r) for r in rows], kind=kind, category=category, district=district
    )


def assign(session: Session, institution_id: str, at: datetime) -> Institution:
    """Count one more open case for the institution (row-locked on PostgreSQL)."""
    inst = session.exec(
        select(Institution).where(Institution.id == institution_id).with_for_update()
    ).one()
    inst.open_cases += 1
    inst.last_assigned_at = at
    session.add(inst)
    return inst


def release(session: Session, institution_id: str | None) -> None:
    """The case left the institution's hands (closed, rejected, returned, withdrawn, moved)."""
    if not institution_id:
        return
    inst = session.exec(
        select(Institution).where(Institution.id == institution_id).with_for_update()
    ).first()
    if inst is not None and inst.open_cases > 0:
        inst.open_cases -= 1
        session.add(inst)
