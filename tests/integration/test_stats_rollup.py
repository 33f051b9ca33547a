"""stats_rollup is kept in the write path: rows the buffer writes (intake, the import), a
use case refused part-way (forgotten rows are not counted), a case step's change
(`hub.store.cases.save`, the path every case step takes), several in one transaction; after
each, the rollup (and stats_daily, its sums per day and grouping) is what counting the
stored cases gives."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from hub.store import cases
from hub.store.db import Database
from hub.store.models import Application
from hub.store.models_ops import StatsDaily, StatsRollup
from hub.store.stats_rollup import COLUMNS, COUNTERS, KEY_NAMES, daily_deltas, key_of
from hub.store.unit_of_work import emit, of

AT = datetime(2026, 11, 23, 15, 30, tzinfo=UTC)


def _row(i: int, **over: Any) -> dict[str, Any]:
    at = AT + timedelta(minutes=20 * i)  # some on 23 November in Shanghai, some on the 24th
    return {
        "no": f"R{i:05d}",
        "region": "310000",
        "day": date(2026, 11, 23),
        "sequence": i,
        "channel": "online" if i % 2 else "window",
        "category": "family",
        "district": "310101",
        "status": "submitted",
        "institution_id": None,
        "returned_by": [],
        "submitted_by_role": "portal",
        "query_code_hash": "x",
        "personal": "x",
        "received_at": at,
        "created_at": at,
        "updated_at": at,
        **over,
    }


def _agrees(db: Database) -> None:
    app, rollup = Application.__table__, StatsRollup.__table__  # type: ignore[attr-defined]
    with db.engine.connect() as conn:
        cases = conn.execute(select(*(app.c[c] for c in COLUMNS))).all()
        rows = conn.execute(select(rollup)).all()
        daily = conn.execute(select(StatsDaily.__table__)).all()  # type: ignore[attr-defined]
    want = Counter(key_of(c._mapping) for c in cases)
    got = {tuple(r._mapping[k] for k in KEY_NAMES): r.n for r in rows if r.n}
    assert got == dict(want)
    # stats_daily: the same cases summed per day and one grouping, counters as columns
    want_daily = {(d["day"], d["grp"], d["value"]): d for d in daily_deltas(want)}
    got_daily = {
        (r.day, r.grp, r.value): {"day": r.day, "grp": r.grp, "value": r.value}
        | {c: r._mapping[c] for c in COUNTERS}
        for r in daily
        if any(r._mapping[c] for c in COUNTERS)
    }
    assert got_daily == want_daily


def test_the_rollup_follows_every_write_path(db: Database) -> None:
    with db.transaction() as s:  # a batch through the buffer
        for i in range(1, 6):
            emit(s, Application, _row(i))
        point = of(s).mark()
        emit(s, Application, _row(6, district="310104"))
        assert of(s).rollback_to(point)  # refused: never written, never counted
    _agrees(db)
    with db.transaction() as s:  # a case step: loaded, changed, saved
        case = cases.load(s, "R00004", for_update=True)
        assert case is not None
        case.status, case.institution_id, case.version = "dispatched", "cm-x", case.version + 1
        cases.save(s, case)
    _agrees(db)
    with db.transaction() as s:  # two steps on one case in one transaction, another moved
        for status in ("received", "accepted"):
            case = cases.load(s, "R00004", for_update=True)
            assert case is not None
            case.status, case.version = status, case.version + 1
            case.accepted_at = AT + timedelta(days=1) if status == "accepted" else None
            cases.save(s, case)
        late = cases.load(s, "R00003", for_update=True)
        assert late is not None
        late.received_at, late.version = AT - timedelta(days=3), late.version + 1
        cases.save(s, late)
        same = cases.load(s, "R00001", for_update=True)  # a change outside the key
        assert same is not None
        same.awaiting_unit, same.version = "sfj", same.version + 1
        cases.save(s, same)
    _agrees(db)


def test_a_case_written_as_an_orm_object_is_refused(db: Database) -> None:
    """Only the buffer and cases.save keep the rollup: an ORM insert, change or delete of a
    case is refused (its unit of work rolls back), so the rollup cannot be left behind."""
    with db.transaction() as s:
        emit(s, Application, _row(1))
    with pytest.raises(cases.OrmCaseWrite, match=r"cases\.save"), db.transaction() as s:
        s.add(Application(**_row(2)))
    with pytest.raises(cases.OrmCaseWrite), db.transaction() as s:
        moved = s.get(Application, "R00001")
        assert moved is not None
        moved.status, moved.institution_id = "dispatched", "pm-a"
        s.add(moved)
    with pytest.raises(cases.OrmCaseWrite), db.transaction() as s:
        gone = s.get(Application, "R00001")
        assert gone is not None
        s.delete(gone)
    with db.read() as s:
        kept = cases.load(s, "R00001")
        assert kept is not None and kept.status == "submitted" and kept.institution_id is None
        assert cases.load(s, "R00002") is None
    _agrees(db)
