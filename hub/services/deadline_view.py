"""Open deadlines as the API and the pages show them (INTERFACE 6): due when, provisional,
late by how many working days and hours."""

from __future__ import annotations

from typing import Any

from hub import jsonutil
from hub.domain.calendar import working_days_late, working_hours_between
from hub.store.models import Deadline


def deadline_rows(deadlines: list[Deadline], now: Any) -> list[dict[str, Any]]:
    """Open deadlines as a page lists them: due when, provisional, late by how much."""
    rows = []
    for d in deadlines:
        late = d.due_at <= now
        rows.append(
            {
                "kind": d.kind,
                "due_at": jsonutil.rfc3339(d.due_at),
                "provisional": d.provisional,
                "overdue": late,
                "working_days_late": working_days_late(d.due_at, now) if late else 0,
                "working_hours_late": round(working_hours_between(d.due_at, now), 2)
                if late
                else 0.0,
            }
        )
    return rows
