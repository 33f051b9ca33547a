"""Migration 0155 fills stats_rollup from the cases already stored: each case once, under
the Shanghai day of its receipt (16:00 UTC is the next day) and its group; 0160 fills
stats_daily from it (what the write path would have kept), and its downgrade drops it;
0170 fills each case's late_since from its deadlines and stats_daily's late count."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import insert, inspect, select

from hub.store import stats_late
from hub.store.db import Database
from hub.store.migrate import alembic_config, upgrade
from hub.store.models import Application, Deadline
from hub.store.models_ops import StatsDaily, StatsRollup
from hub.store.stats_rollup import COUNTERS, KEY_NAMES, LATE, daily_deltas, key_of


def _case(i: int, received: datetime, **over: object) -> dict[str, object]:
    return {
        "no": f"M{i:05d}",
        "region": "310000",
        "day": date(2026, 1, 1),
        "sequence": i,
        "channel": "online",
        "category": "family",
        "district": "310101",
        "status": "submitted",
        "institution_id": None,
        "submitted_by_role": "portal",
        "query_code_hash": "x",
        "personal": "x",
        "outcome": None,
        "accepted_at": None,
        "returned_by": [],
        "received_at": received,
        "created_at": received,
        "updated_at": received,
        **over,
    }


_H = timedelta(hours=1)


@pytest.mark.empty_database
def test_migration_0155_counts_every_stored_case(database_url: str) -> None:
    upgrade(database_url, "0125")
    db = Database(database_url)
    cases = [
        _case(1, datetime(2026, 3, 1, 15, 59, tzinfo=UTC)),
        _case(2, datetime(2026, 3, 1, 16, 0, tzinfo=UTC)),  # 2 March in Shanghai
        _case(3, datetime(2026, 3, 1, 16, 30, tzinfo=UTC)),
        _case(
            4,
            datetime(2026, 3, 1, 1, 0, tzinfo=UTC),
            institution_id="pm-a",
            status="closed_success",
            outcome="success",
            channel="window",
            accepted_at=datetime(2026, 3, 1, 2, 0, tzinfo=UTC),
        ),
    ]
    due = datetime(2026, 3, 20, tzinfo=UTC)
    clocks = [  # M00001 open; M00002 met late (and a referral's); M00003 met in time
        {"application_no": "M00001", "kind": "decide_by", "due_at": due, "met_at": None},
        {"application_no": "M00001", "kind": "acknowledge_by", "due_at": due - timedelta(days=9)},
        {"application_no": "M00002", "kind": "decide_by", "due_at": due, "met_at": due + _H},
        {"application_no": "M00002", "kind": "referral_answer_by", "due_at": due},
        {"application_no": "M00003", "kind": "decide_by", "due_at": due, "met_at": due - _H},
    ]
    try:
        with db.engine.begin() as conn:  # Core: no write path before the table exists
            conn.execute(insert(Application.__table__), cases)  # type: ignore[attr-defined]
            for c in clocks:
                conn.execute(insert(Deadline.__table__), {"met_at": None, **c})  # type: ignore[attr-defined]
        db.dispose()
        upgrade(database_url)
        with db.engine.connect() as conn:
            rows = conn.execute(select(StatsRollup.__table__)).all()  # type: ignore[attr-defined]
        got = {tuple(r._mapping[k] for k in KEY_NAMES): r.n for r in rows}
        assert got == dict(Counter(key_of(c) for c in cases))
        assert {k[0] for k in got} == {date(2026, 3, 1), date(2026, 3, 2)}
        assert sum(got.values()) == 4
        app = Application.__table__  # type: ignore[attr-defined]
        with db.engine.connect() as conn:
            daily = conn.execute(select(StatsDaily.__table__)).all()  # type: ignore[attr-defined]
            since = dict(conn.execute(select(app.c.no, app.c.late_since)).all())
        assert since == {
            "M00001": due - timedelta(days=9),
            "M00002": stats_late.EPOCH,
            "M00003": None,
            "M00004": None,
        }
        late = Counter(stats_late.late_key(c) for c in cases if since[str(c["no"])])
        assert {
            (r.day, r.grp, r.value): {"day": r.day, "grp": r.grp, "value": r.value}
            | {c: r._mapping[c] for c in (*COUNTERS, LATE)}
            for r in daily
        } == {(d["day"], d["grp"], d["value"]): d for d in daily_deltas(got, late)}
        db.dispose()
        command.downgrade(alembic_config(database_url), "0165")
        assert "stats_daily" not in inspect(db.engine).get_table_names()
        upgrade(database_url)
    finally:
        db.dispose()
