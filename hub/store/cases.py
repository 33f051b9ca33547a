"""Cases (the application table) read into and written from `hub.domain.case.Case`.

`load` selects the row with Core (no ORM object is built) and remembers, in the unit of
work, the values as stored; `save` writes back what changed with one UPDATE guarded by
`version` (a concurrent writer that got there first makes it a conflict) and moves the
statistics' rollup from the old key to the new one in the same transaction.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select as sa_select
from sqlalchemy import update as sa_update
from sqlmodel import Session

from hub.domain.case import FIELDS, Case
from hub.store import stats_rollup
from hub.store.models import Application

_A = Application.__table__  # type: ignore[attr-defined]
_COLUMNS = [_A.c[name] for name in FIELDS]
#: The select of whole cases; callers add their conditions (`fetch`).
SELECT = sa_select(*_COLUMNS)
_STORED = "cases.stored"


class StaleCase(Exception):
    """The case changed in another transaction since it was loaded."""


def _stored(session: Session) -> dict[str, dict[str, Any]]:
    value: dict[str, dict[str, Any]] = session.info.setdefault(_STORED, {})
    return value


def fetch(session: Session, stmt: Any) -> list[Case]:
    """The cases `stmt` (built on `SELECT`) selects; they can be saved in this session."""
    stored = _stored(session)
    found = []
    for row in session.connection().execute(stmt):
        values = dict(zip(FIELDS, row, strict=True))
        values["returned_by"] = list(values["returned_by"] or [])
        case = Case(**values)
        stored[case.no] = {**values, "returned_by": list(case.returned_by)}
        found.append(case)
    return found


def load(session: Session, no: str, *, for_update: bool = False) -> Case | None:
    """Case `no`, locked for the rest of the transaction when `for_update`."""
    stmt = SELECT.where(_A.c.no == no)
    found = fetch(session, stmt.with_for_update() if for_update else stmt)
    return found[0] if found else None


def save(session: Session, case: Case) -> None:
    """Write back what changed in `case` since it was loaded in this session."""
    old = _stored(session)[case.no]
    new = case.row()
    changed = {k: v for k, v in new.items() if v != old[k]}
    if not changed:
        return
    conn = session.connection()
    result = conn.execute(
        sa_update(_A).where(_A.c.no == case.no, _A.c.version == old["version"]).values(**changed)
    )
    if result.rowcount != 1:
        raise StaleCase(case.no)
    before, after = stats_rollup.key_of(old), stats_rollup.key_of(new)
    if before != after:
        deltas: dict[stats_rollup.Key, int] = defaultdict(int)
        deltas[before] -= 1
        deltas[after] += 1
        stats_rollup.write(conn, deltas)
    _stored(session)[case.no] = {**new, "returned_by": list(case.returned_by)}


__all__ = ["SELECT", "StaleCase", "fetch", "load", "save"]
