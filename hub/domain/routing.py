"""Routing: which 解纷机构 gets a new case, and which court or commission a referral.

Pure policy over `Candidate` snapshots that the store builds from the registry.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from fractions import Fraction
from typing import Any

from hub.domain.status import ReferralKind

#: Load is reckoned against this many open cases when an institution sets no capacity.
DEFAULT_CAPACITY = 50


class InstitutionKind(StrEnum):
    """Kinds of institution in the registry (INTERFACE 3)."""

    PEOPLE_MEDIATION = "people_mediation"
    ADMINISTRATIVE_MEDIATION = "administrative_mediation"
    INDUSTRY_MEDIATION = "industry_mediation"
    COMMERCIAL_MEDIATION = "commercial_mediation"
    LABOR_ARBITRATION = "labor_arbitration"
    COMMERCIAL_ARBITRATION = "commercial_arbitration"
    LAND_ARBITRATION = "land_arbitration"
    COURT = "court"


MEDIATION_KINDS: frozenset[str] = frozenset(
    {
        InstitutionKind.PEOPLE_MEDIATION,
        InstitutionKind.ADMINISTRATIVE_MEDIATION,
        InstitutionKind.INDUSTRY_MEDIATION,
        InstitutionKind.COMMERCIAL_MEDIATION,
    }
)


@dataclass(frozen=True)
class Candidate:
    """A routing snapshot of one registry institution."""

    id: str
    unit: str | None
    kind: str
    categories: frozenset[str]
    districts: frozenset[str]
    capacity: int | None
    open_cases: int
    active: bool
    visible: bool
    last_assigned_at: datetime | None

    @property
    def at_capacity(self) -> bool:
        return self.capacity is not None and self.open_cases >= self.capacity

    @property
    def load(self) -> Fraction:
        """Open cases over capacity (over `DEFAULT_CAPACITY` when none is set)."""
        capacity = DEFAULT_CAPACITY if self.capacity is None else self.capacity
        return Fraction(self.open_cases, capacity) if capacity > 0 else Fraction(1)


def _eligible(c: Candidate, category: str, district: str, excluded: frozenset[str]) -> bool:
    return (
        c.kind in MEDIATION_KINDS
        and c.active
        and c.visible
        and category in c.categories
        and district in c.districts
        and c.id not in excluded
        and not c.at_capacity
    )


def fit_key(c: Candidate) -> tuple[int, bool, int]:
    """How well an institution fits a dispute it is eligible for, best first: a specialist
    (fewer categories) before a generalist, a specialist body (administrative, industry,
    commercial mediation) before a general people's mediation committee, the more local
    (fewer districts) before the city-wide."""
    return (
        len(c.categories),
        c.kind == InstitutionKind.PEOPLE_MEDIATION,
        len(c.districts),
    )


def _shuffle(salt: str, institution_id: str) -> bytes:
    """The last tie-break: a fixed order per case that favours no institution's id."""
    return hashlib.blake2b(f"{salt}|{institution_id}".encode(), digest_size=8).digest()


def _spread_key(c: Candidate, salt: str) -> tuple[Any, ...]:
    assigned = c.last_assigned_at
    return (
        *fit_key(c),
        c.load,
        c.open_cases,
        assigned is not None,
        assigned.timestamp() if assigned is not None else 0.0,
        _shuffle(salt, c.id),
    )


def choose_institution(
    candidates: Iterable[Candidate],
    *,
    category: str,
    district: str,
    preferred: str | None = None,
    excluded: frozenset[str] = frozenset(),
    salt: str = "",
) -> str | None:
    """The id of the mediation institution a new case goes to, or None (undeliverable).

    Eligible: a mediation kind, active and visible, handling the category and the
    district, not excluded (e.g. it returned the case), below its capacity. An eligible
    `preferred` wins; otherwise the best fit (`fit_key`), then the lowest load ratio, then
    fewest open cases, then least recently assigned (never assigned first), then an order
    drawn from the case's number (`salt`), never the id.
    """
    eligible = [c for c in candidates if _eligible(c, category, district, excluded)]
    if preferred is not None and any(c.id == preferred for c in eligible):
        return preferred
    if not eligible:
        return None
    return min(eligible, key=lambda c: _spread_key(c, salt)).id


def body_kind_for(kind: ReferralKind, category: str) -> InstitutionKind:
    """The kind of body a referral goes to: a court, or the labour/commercial commission."""
    if ReferralKind(kind) in (ReferralKind.JUDICIAL_CONFIRMATION, ReferralKind.LITIGATION):
        return InstitutionKind.COURT
    if category == "labor":
        return InstitutionKind.LABOR_ARBITRATION
    return InstitutionKind.COMMERCIAL_ARBITRATION


def ranked_bodies(
    candidates: Iterable[Candidate], *, kind: ReferralKind, category: str, district: str
) -> list[str]:
    """The ids of the courts or commissions that could take a referral, best first.

    Active bodies of the right kind whose districts include the case's district come
    first (the most local, i.e. fewest districts, then one listing the category, then
    id). Arbitration commissions are city-level: with no district match any active one
    of the right kind will do. A court must match the district.
    """
    wanted = body_kind_for(kind, category)
    bodies = [c for c in candidates if c.active and c.kind == wanted]
    local = [c for c in bodies if district in c.districts]
    pool = local or ([] if wanted is InstitutionKind.COURT else bodies)
    pool.sort(
        key=lambda c: (
            district not in c.districts,
            len(c.districts),
            category not in c.categories,
            c.id,
        )
    )
    return [c.id for c in pool]


def competent_body(
    candidates: Iterable[Candidate], *, kind: ReferralKind, category: str, district: str
) -> str | None:
    """The id of the court or commission competent for a referral (`ranked_bodies`' first)."""
    ranked = ranked_bodies(candidates, kind=kind, category=category, district=district)
    return ranked[0] if ranked else None


__all__ = [
    "DEFAULT_CAPACITY",
    "MEDIATION_KINDS",
    "Candidate",
    "InstitutionKind",
    "body_kind_for",
    "choose_institution",
    "competent_body",
    "fit_key",
    "ranked_bodies",
]
