"""Migration 0180 gives every party_index row its case's received_at and fills
respondent_tally from them (distinct cases per respondent index, the latest receipt), as
the write path keeps it afterwards; its downgrade drops both."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import insert, inspect, select

from hub.store.db import Database
from hub.store.migrate import alembic_config, upgrade
from hub.store.models import Application, PartyIndex
from hub.store.models_ops import RespondentTally
from hub.store.respondent_tally import deltas
from tests.integration.test_stats_rollup_migration import _case

_OLD_PARTY = sa.table(  # party_index before 0180
    "party_index",
    sa.column("application_no", sa.String()),
    sa.column("role", sa.String()),
    sa.column("value", sa.String()),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
CREATED = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.mark.empty_database
def test_migration_0180_fills_received_at_and_the_tally(database_url: str) -> None:
    upgrade(database_url, "0160")
    db = Database(database_url)
    received = {
        1: datetime(2026, 3, 1, 1, 0, tzinfo=UTC),
        2: datetime(2026, 5, 1, 1, 0, tzinfo=UTC),
        3: datetime(2026, 4, 1, 1, 0, tzinfo=UTC),
    }
    parties = [
        ("M00001", "respondent", "R"),
        ("M00001", "respondent", "R"),  # named twice in one case: one case
        ("M00001", "applicant", "A"),
        ("M00002", "respondent", "R"),
        ("M00002", "respondent", "S"),
        ("M00003", "respondent", "R"),
        ("M00003", "applicant", "R"),  # an applicant is not counted as a respondent
    ]
    try:
        with db.engine.begin() as conn:
            conn.execute(
                insert(Application.__table__),  # type: ignore[attr-defined]
                [_case(i, at) for i, at in received.items()],
            )
            conn.execute(
                insert(_OLD_PARTY),
                [
                    {"application_no": no, "role": r, "value": v, "created_at": CREATED}
                    for no, r, v in parties
                ],
            )
        db.dispose()
        upgrade(database_url)
        p = PartyIndex.__table__  # type: ignore[attr-defined]
        t = RespondentTally.__table__  # type: ignore[attr-defined]
        with db.engine.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(select(p)).all()]
            tally = {r.value: (r.cases, r.last_received_at) for r in conn.execute(select(t))}
        assert {(r["application_no"], r["received_at"]) for r in rows} == {
            (f"M{i:05d}", at) for i, at in received.items()
        }
        assert tally == {"R": (3, received[2]), "S": (1, received[2])}
        assert tally == deltas(rows)  # what the write path adds for the same rows
        db.dispose()
        command.downgrade(alembic_config(database_url), "0160")
        assert "respondent_tally" not in inspect(db.engine).get_table_names()
        assert "received_at" not in {
            c["name"] for c in inspect(db.engine).get_columns("party_index")
        }
        upgrade(database_url)
    finally:
        db.dispose()
