"""Cases (the application table) read into and written from `hub.domain.case.Case`.

`load` selects the row with Core (no ORM object is built) and remembers, in the unit of
work, the values as stored; `save` writes back what changed with one UPDATE guarded by
`version` (a concurrent writer that got there first makes it a conflict) and moves the
statistics' rollup (and the case's late count, hub.store.stats_late) from the old key to
the new one in the same transaction.

A step that changes a loaded case and forgets `save` would lose the change without a word:
at commit the unit of work asks `unsaved` and refuses (`UnsavedCase`). Each loaded case is
remembered with a tuple of its fields as stored (taken as it is loaded, which builds that
row anyway); the check is one tuple comparison per loaded case. Cases intake creates are
not loaded, so the intake path pays nothing.

A case is never written as an ORM `Application` object: new cases go through the unit of
work's buffer (`emit`), changes through `save`, the two paths that keep the statistics'
rollup. An ORM flush of one (insert, update, delete) is refused (`OrmCaseWrite`), so no
path can leave the rollup behind without a word; the check fires only when such an object
is flushed, costing the other paths nothing.
"""

from __future__ import annotations

from collections import defaultdict
from operator import attrgetter
from typing import Any

from sqlalchemy import event
from sqlalchemy import select as sa_select
from sqlalchemy import update as sa_update
from sqlmodel import Session

from hub.domain.case import FIELDS, Case
from hub.store import stats_late, stats_rollup
from hub.store.models import Application

_A = Application.__table__  # type: ignore[attr-defined]
_COLUMNS = [_A.c[name] for name in FIELDS]
#: The select of whole cases; callers add their conditions (`fetch`).
SELECT = sa_select(*_COLUMNS)
_STORED = "cases.stored"
_LOADED = "cases.loaded"
#: A case's fields as a tuple, in FIELDS order (the snapshot compared at commit).
_fields = attrgetter(*FIELDS)
#: Each loaded case object by its id: the object and its fields as last loaded or saved.
Loaded = dict[int, tuple[Case, tuple[Any, ...]]]


class StaleCase(Exception):
    """The case changed in another transaction since it was loaded."""


class UnsavedCase(RuntimeError):
    """A case was loaded and changed in a unit of work that ended without `save` for it: a
    programming error (the change would be lost), not the user's."""

    def __init__(self, changed: dict[str, list[str]]) -> None:
        listed = "; ".join(f"{no}: {', '.join(names)}" for no, names in sorted(changed.items()))
        super().__init__(
            f"办件已修改但未保存（缺少 cases.save），事务未提交 / case changed but not saved "
            f"(cases.save missing); the transaction was not committed: {listed}"
        )
        self.changed = changed


class OrmCaseWrite(TypeError):
    """An `Application` ORM object was flushed: a programming error (see the module)."""


def _refuse_orm_write(_mapper: Any, _connection: Any, target: Application) -> None:
    raise OrmCaseWrite(
        f"办件不以 ORM 对象写入，请用 emit（新办件）或 cases.save（修改）/ a case is not "
        f"written as an ORM object: emit a new one, change one with cases.save ({target.no})"
    )


for _name in ("before_insert", "before_update", "before_delete"):
    event.listen(Application, _name, _refuse_orm_write)


def _stored(session: Session) -> dict[str, dict[str, Any]]:
    value: dict[str, dict[str, Any]] = session.info.setdefault(_STORED, {})
    return value


def _loaded(session: Session) -> Loaded:
    value: Loaded = session.info.setdefault(_LOADED, {})
    return value


def _remember(session: Session, case: Case, values: dict[str, Any]) -> None:
    """`values` (the case's row as now stored, a copy the case does not share) is what
    `save` compares with next and what the commit check compares the object with."""
    _stored(session)[case.no] = values
    _loaded(session)[id(case)] = (case, tuple(values.values()))


def unsaved(session: Session) -> dict[str, list[str]]:
    """The loaded cases changed since they were loaded or last saved: number -> fields."""
    changed: dict[str, list[str]] = {}
    for case, snapshot in _loaded(session).values():
        now = _fields(case)
        if now != snapshot:
            changed[case.no] = [n for n, a, b in zip(FIELDS, now, snapshot, strict=True) if a != b]
    return changed


def fetch(session: Session, stmt: Any) -> list[Case]:
    """The cases `stmt` (built on `SELECT`) selects; they can be saved in this session."""
    found = []
    for row in session.connection().execute(stmt):
        values = dict(zip(FIELDS, row, strict=True))
        values["returned_by"] = list(values["returned_by"] or [])
        case = Case(**values)
        _remember(session, case, {**values, "returned_by": list(case.returned_by)})
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
        _remember(session, case, old)  # this object too, if it is a copy of the one loaded
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
        if before[:4] != after[:4]:  # another day or group: its late count moves too
            stats_late.moved(conn, case.no, before[:4], after[:4])
    _remember(session, case, {**new, "returned_by": list(case.returned_by)})


__all__ = ["SELECT", "OrmCaseWrite", "StaleCase", "UnsavedCase", "fetch", "load", "save", "unsaved"]
