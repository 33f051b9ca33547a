"""What routing needs from the registry, kept in memory between cases.

Coverage (kind, categories, districts, capacity) and names change rarely and are cached
until the registry's revision moves (`hub.store.registry_revision`: every change moves it,
in its own transaction), which each process reads at most once a second: a change made on
any node reaches routing on every node within about a second. Changes made through this
process drop the cache at once. What must be exact for every case (state, visibility, open
cases) is read live for the few candidates.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Engine, event, select
from sqlalchemy.engine import Dialect
from sqlmodel import Session

from hub.domain.routing import MEDIATION_KINDS
from hub.store import registry_revision
from hub.store.bulk import Statement, placeholder, run_together
from hub.store.models import Institution, Unit
from hub.store.types import as_utc

#: How often a process reads the registry's revision, at most (seconds).
CHECK_EVERY = 1.0


class RevisionWatch:
    """Whether the registry's revision moved since the last look, read at most every
    `every` seconds (the first look always says it moved)."""

    def __init__(self, every: float = CHECK_EVERY) -> None:
        self.every = every
        self.seen: int | None = None
        self._checked = -1e9
        self._lock = threading.Lock()

    def moved(self, read: Callable[[], int]) -> bool:
        now = time.monotonic()
        with self._lock:
            if now - self._checked < self.every and self.seen is not None:
                return False
            self._checked = now
        revision = read()
        with self._lock:
            if revision == self.seen:
                return False
            self.seen = revision
            return True

    def forget(self) -> None:
        """The next look reloads, whatever the revision says (a change made here)."""
        with self._lock:
            self.seen = None


@dataclass(frozen=True)
class Coverage:
    id: str
    unit: str
    kind: str
    name: str
    categories: frozenset[str]
    districts: frozenset[str]
    capacity: int | None


class RegistryCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._watches: dict[str, RevisionWatch] = {}
        self._by_cell: dict[str, dict[tuple[str, str], list[Coverage]]] = {}
        self._names: dict[str, dict[str, str]] = {}
        self._units: dict[str, dict[str, str]] = {}
        self._by_hand: dict[str, frozenset[str]] = {}
        #: Each engine's key (its URL as text), rendered once: str(url) is rebuilt on
        #: every call, several times a case.
        self._keys: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()

    def invalidate(self) -> None:
        with self._lock:
            watches = list(self._watches.values())
        for w in watches:
            w.forget()

    def _refresh(self, session: Session) -> str:
        engine = session.get_bind().engine
        with self._lock:
            key = self._keys.get(engine)
            if key is None:
                key = self._keys[engine] = str(engine.url)
            watch = self._watches.get(key)
            if watch is None:  # not setdefault: that built a watch (and its lock) every call
                watch = self._watches[key] = RevisionWatch()
        if not watch.moved(lambda: registry_revision.read(session.connection())):
            return key
        t = Institution.__table__  # type: ignore[attr-defined]
        rows = (
            session.connection()
            .execute(
                select(
                    t.c.id,
                    t.c.unit_id,
                    t.c.kind,
                    t.c.name,
                    t.c.categories,
                    t.c.districts,
                    t.c.capacity,
                )
            )
            .all()
        )
        u = Unit.__table__  # type: ignore[attr-defined]
        by_hand = frozenset(
            session.connection().execute(select(u.c.id).where(u.c.dispatch == "manual")).scalars()
        )
        by_cell: dict[tuple[str, str], list[Coverage]] = {}
        names: dict[str, str] = {}
        units: dict[str, str] = {}
        for r in rows:
            names[r.id] = r.name
            units[r.id] = r.unit_id
            if r.kind not in MEDIATION_KINDS:
                continue
            cov = Coverage(
                r.id,
                r.unit_id,
                r.kind,
                r.name,
                frozenset(r.categories or ()),
                frozenset(r.districts or ()),
                r.capacity,
            )
            for c in cov.categories:
                for d in cov.districts:
                    by_cell.setdefault((c, d), []).append(cov)
        with self._lock:
            self._by_cell[key] = by_cell
            self._names[key] = names
            self._units[key] = units
            self._by_hand[key] = by_hand
        return key

    def coverage(self, session: Session, category: str, district: str) -> list[Coverage]:
        key = self._refresh(session)
        return list(self._by_cell[key].get((category, district), ()))

    def name(self, session: Session, institution_id: str) -> str | None:
        key = self._refresh(session)
        name = self._names[key].get(institution_id)
        if name is None:  # added since the last refresh
            self.invalidate()
            name = self._names[self._refresh(session)].get(institution_id)
        return name

    def unit_of(self, session: Session, institution_id: str) -> str | None:
        """The unit an institution belongs to."""
        return self._units[self._refresh(session)].get(institution_id)

    def dispatches_by_hand(self, session: Session, unit_id: str) -> bool:
        """Whether the unit dispatches its new cases itself (`dispatch: manual`, Art. 7)."""
        return unit_id in self._by_hand[self._refresh(session)]

    @staticmethod
    def live(session: Session, ids: list[str]) -> dict[str, Live]:
        """State, visibility and load of the candidates, read now."""
        if not ids:
            return {}
        conn = session.connection()
        return live_rows(run_together(conn, [live_statement(conn.dialect, ids)])[0])


class Live(NamedTuple):
    """What routing must read fresh for each candidate."""

    id: str
    state: str
    visible: bool
    open_cases: int
    last_assigned_at: datetime | None


def live_statement(dialect: Dialect, ids: list[str]) -> Statement:
    """The live rows of `ids`, as a statement to run with others (store.bulk)."""
    p = placeholder(dialect)
    return Statement(
        "SELECT id, state, visible, open_cases, last_assigned_at FROM institution "
        f"WHERE id IN ({', '.join(p for _ in ids)})",
        [tuple(ids)],
        returning=True,
    )


def live_rows(rows: list[Any]) -> dict[str, Live]:
    return {r[0]: Live(r[0], r[1], bool(r[2]), int(r[3]), as_utc(r[4])) for r in rows}


REGISTRY = RegistryCache()


@event.listens_for(Unit, "after_insert")
@event.listens_for(Unit, "after_update")
@event.listens_for(Institution, "after_insert")
@event.listens_for(Institution, "after_update")
def _changed(*_args: Any) -> None:
    REGISTRY.invalidate()
