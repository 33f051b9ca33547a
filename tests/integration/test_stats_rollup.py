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

from hub.services.casework import close_deadlines
from hub.store import cases, stats_late
from hub.store.db import Database
from hub.store.models import Application, Deadline
from hub.store.models_ops import StatsDaily, StatsRollup
from hub.store.stats_rollup import COLUMNS, COUNTERS, KEY_NAMES, LATE, daily_deltas, key_of
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
        cases = conn.execute(select(*(app.c[c] for c in COLUMNS), app.c.no, app.c.late_since)).all()
        rows = conn.execute(select(rollup)).all()
        daily = conn.execute(select(StatsDaily.__table__)).all()  # type: ignore[attr-defined]
        clocks = conn.execute(select(Deadline.__table__)).all()  # type: ignore[attr-defined]
    want = Counter(key_of(c._mapping) for c in cases)
    got = {tuple(r._mapping[k] for k in KEY_NAMES): r.n for r in rows if r.n}
    assert got == dict(want)
    # each case's late_since is what its deadlines give, counted per day and group
    of_case: dict[str, list[Any]] = {}
    for d in clocks:
        of_case.setdefault(d.application_no, []).append(d._mapping)
    since = {c.no: stats_late.of_deadlines(of_case.get(c.no, [])) for c in cases}
    assert {c.no: c.late_since for c in cases} == since
    late = Counter(stats_late.late_key(c._mapping) for c in cases if since[c.no] is not None)
    # stats_daily: the same cases summed per day and one grouping, counters as columns
    want_daily = {(d["day"], d["grp"], d["value"]): d for d in daily_deltas(want, late)}
    names = (*COUNTERS, LATE)
    got_daily = {
        (r.day, r.grp, r.value): {"day": r.day, "grp": r.grp, "value": r.value}
        | {c: r._mapping[c] for c in names}
        for r in daily
        if any(r._mapping[c] for c in names)
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


def _clock(no: str, due: datetime, met: datetime | None = None, kind: str = "decide_by") -> Any:
    return {"application_no": no, "kind": kind, "due_at": due, "met_at": met}


def test_late_since_follows_every_deadline_write(db: Database) -> None:
    """Each case's `late_since` (and stats_daily's late count) follows its deadlines: new
    with the case (the buffer), added to a stored case (the buffer, an ORM object), met in
    time, met late, counted again, a referral's (not counted), the case moved to another
    day and group (cases.save)."""
    with db.transaction() as s:
        for i in range(1, 5):
            emit(s, Application, _row(i))
        emit(s, Deadline, _clock("R00001", AT + timedelta(days=2)))
        emit(s, Deadline, _clock("R00001", AT + timedelta(days=1)))
        emit(s, Deadline, _clock("R00002", AT, AT + timedelta(hours=1)))  # met late
        emit(s, Deadline, _clock("R00003", AT, AT - timedelta(hours=1)))  # met in time
        emit(s, Deadline, _clock("R00004", AT, kind="referral_answer_by"))
    _agrees(db)
    with db.transaction() as s:  # a stored case's new clock, through the buffer
        emit(s, Deadline, _clock("R00003", AT + timedelta(days=5)))
    _agrees(db)
    with db.transaction() as s:  # an ORM clock; another counted again (ORM)
        s.add(Deadline(**_clock("R00004", AT + timedelta(days=3))))
        first = s.scalars(
            select(Deadline).where(
                Deadline.application_no == "R00001",  # type: ignore[arg-type]
                Deadline.due_at == AT + timedelta(days=1),  # type: ignore[arg-type]
            )
        ).one()
        first.due_at = AT + timedelta(days=4)
        s.add(first)
    _agrees(db)
    with db.transaction() as s:  # met: R00001 in time (no longer late), R00003 late
        close_deadlines(s, "R00001", AT)
        close_deadlines(s, "R00003", AT + timedelta(days=6))
        case = cases.load(s, "R00003", for_update=True)  # moved: its late count moves
        assert case is not None
        case.institution_id, case.received_at = "cm-x", AT - timedelta(days=2)
        case.version += 1
        cases.save(s, case)
    _agrees(db)
    with db.read() as s:
        got = {c.no: c.late_since for c in s.scalars(select(Application))}
    assert got == {
        "R00001": None,
        "R00002": stats_late.EPOCH,
        "R00003": stats_late.EPOCH,
        "R00004": AT + timedelta(days=3),
    }


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
