"""办件 application: the one in-memory shape of a case, as the case steps read and change it.

A plain object (no ORM): intake builds a new one and the store inserts it once; every later
step loads one (`hub.store.cases.load`), changes it and writes it back with one UPDATE
guarded by `version` (`hub.store.cases.save`). Building the ORM row instead cost a quarter
of intake's CPU. The fields are the columns of `hub.store.models.Application`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any


@dataclass(slots=True, kw_only=True)
class Case:
    no: str
    region: str
    day: date
    sequence: int
    channel: str
    category: str
    district: str
    status: str
    preferred_institution: str | None
    arbitration_agreement: bool
    returned_by: list[str]
    submitted_by_role: str
    submitted_by_party: str | None
    query_code_hash: str
    personal: str
    received_at: datetime
    created_at: datetime
    updated_at: datetime
    institution_id: str | None = None
    awaiting_unit: str | None = None
    dispatched_at: datetime | None = None
    accepted_at: datetime | None = None
    accept_hours: float | None = None
    closed_at: datetime | None = None
    outcome: str | None = None
    source_no: str | None = None
    source_hash: str | None = None
    source: str | None = None
    version: int = 1

    def row(self) -> dict[str, Any]:
        """The case as a row of the application table."""
        return {name: getattr(self, name) for name in FIELDS}


#: The field names, in declaration order (the application table's columns).
FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Case))

__all__ = ["FIELDS", "Case"]
