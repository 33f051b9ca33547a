"""Migration 0115 keys the differential-privacy budget by party: what the data bureau's
tokens had spent is added up, one stored answer per question is kept, and the downgrade
gives each token the party's whole spending (never less than it had)."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import text

from hub.store.db import Database
from hub.store.migrate import alembic_config, upgrade

_TOKEN = (
    "INSERT INTO api_token (id, token_hash, role, party_id, created_at) "
    "VALUES (:id, :hash, :role, :party, '2026-11-23 02:00:00')"
)
_RELEASE = (
    "INSERT INTO shared_dp_release (token_id, question, epsilon, cells, created_at) "
    "VALUES (:t, :q, 0.25, :cells, :at)"
)


@pytest.mark.empty_database
def test_migration_0115_adds_up_the_data_bureau_tokens_budgets(database_url: str) -> None:
    upgrade(database_url, "0114")
    db = Database(database_url)
    try:
        with db.engine.begin() as conn:
            for n, role in ((1, "databureau"), (2, "databureau"), (3, "admin")):
                conn.execute(
                    text(_TOKEN), {"id": f"t{n}", "hash": f"{n:064d}", "role": role, "party": None}
                )
            conn.execute(
                text(
                    "INSERT INTO shared_dp_budget (token_id, spent, releases) VALUES "
                    "('t1', 1.5, 6), ('t2', 1.0, 4), ('t3', 0.25, 1)"
                )
            )
            for t, q, cells, at in (
                ("t1", "q1", '[["2026-10", 3]]', "2026-11-23 03:00:00"),
                ("t2", "q1", '[["2026-10", 9]]', "2026-11-23 04:00:00"),
                ("t2", "q2", '[["2026-09", 1]]', "2026-11-23 04:00:00"),
            ):
                conn.execute(text(_RELEASE), {"t": t, "q": q, "cells": cells, "at": at})
        db.dispose()
        upgrade(database_url)
        with db.engine.connect() as conn:
            budgets = conn.execute(
                text("SELECT holder, spent, releases FROM shared_dp_budget ORDER BY holder")
            ).all()
            answers = conn.execute(
                text("SELECT holder, question, cells FROM shared_dp_release ORDER BY question")
            ).all()
        assert [tuple(b) for b in budgets] == [("admin:-", 0.25, 1), ("databureau", 2.5, 10)]
        assert [(a[0], a[1]) for a in answers] == [("databureau", "q1"), ("databureau", "q2")]
        first = answers[0][2]
        assert "3" in (first if isinstance(first, str) else str(first))  # the first answer
        db.dispose()

        command.downgrade(alembic_config(database_url), "0114")
        with db.engine.connect() as conn:
            rows = conn.execute(
                text("SELECT token_id, spent FROM shared_dp_budget ORDER BY token_id")
            ).all()
        assert [tuple(r) for r in rows] == [("t1", 2.5), ("t2", 2.5), ("t3", 0.25)]
    finally:
        db.dispose()
