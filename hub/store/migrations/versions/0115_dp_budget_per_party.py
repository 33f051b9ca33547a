"""differential-privacy budget per party: every token of the data bureau spends one budget

`shared_dp_budget` and `shared_dp_release` were keyed by the asking token, so that an
admin issuing the data bureau another token gave it a fresh budget (and fresh noise to
average). They are now keyed by `holder`: `databureau` for every token and person of the
data bureau, `role:party` for others (admins). What tokens had spent is added up per
holder; of two stored answers to the same question, the first is kept.

The downgrade gives every token of a holder the holder's whole spending (never less than
it had spent) and keeps the stored answers under each of the holder's tokens.

Revision ID: 0115
Revises: 0114
Create Date: 2026-12-02 01:00:00
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any

import sqlalchemy as sa
import sqlmodel
from alembic import op

import hub.store.types

revision = "0115"
down_revision = "0114"
branch_labels = None
depends_on = None

_S = sqlmodel.sql.sqltypes.AutoString
_TS = hub.store.types.UTCDateTime


def _holder(role: str, party: str | None) -> str:
    """The data bureau is one party, whatever its tokens (hub.services.sharing.aggregates)."""
    return "databureau" if role == "databureau" else f"{role}:{party or '-'}"


def _columns(key: str, length: int) -> tuple[list[sa.Column[Any]], list[sa.Column[Any]]]:
    budget = [
        sa.Column(key, _S(length=length), primary_key=True),
        sa.Column("spent", sa.Float(), nullable=False),
        sa.Column("releases", sa.Integer(), nullable=False),
    ]
    release = [
        sa.Column(key, _S(length=length), primary_key=True),
        sa.Column("question", _S(length=64), primary_key=True),
        sa.Column("epsilon", sa.Float(), nullable=False),
        sa.Column("cells", sa.JSON(), nullable=False),
        sa.Column("created_at", _TS(timezone=True), nullable=False),
    ]
    return budget, release


def _tables(key: str, length: int) -> tuple[sa.Table, sa.Table]:
    meta = sa.MetaData()
    budget, release = _columns(key, length)
    return (
        sa.Table("shared_dp_budget", meta, *budget),
        sa.Table("shared_dp_release", meta, *release),
    )


def _recreate(key: str, length: int) -> tuple[sa.Table, sa.Table]:
    op.drop_table("shared_dp_release")
    op.drop_table("shared_dp_budget")
    budget, release = _columns(key, length)
    return (
        op.create_table("shared_dp_budget", *budget),
        op.create_table("shared_dp_release", *release),
    )


def _tokens(conn: Any) -> dict[str, str]:
    rows = conn.execute(sa.text("SELECT id, role, party_id FROM api_token"))
    return {r.id: _holder(r.role, r.party_id) for r in rows}


def upgrade() -> None:
    conn = op.get_bind()
    holder_of = _tokens(conn)
    old_budget, old_release = _tables("token_id", 36)
    spent: dict[str, list[float]] = defaultdict(lambda: [0.0, 0])
    for row in conn.execute(sa.select(old_budget)):
        acc = spent[holder_of.get(row.token_id, f"token:{row.token_id}")]
        acc[0] += row.spent
        acc[1] += row.releases
    first: dict[tuple[str, str], dict[str, Any]] = {}
    ordered = sa.select(old_release).order_by(old_release.c.created_at, old_release.c.token_id)
    for row in conn.execute(ordered):
        holder = holder_of.get(row.token_id, f"token:{row.token_id}")
        first.setdefault(
            (holder, row.question),
            {
                "holder": holder,
                "question": row.question,
                "epsilon": row.epsilon,
                "cells": row.cells,
                "created_at": row.created_at,
            },
        )
    budget, release = _recreate("holder", 100)
    if spent:
        conn.execute(
            budget.insert(),
            [{"holder": h, "spent": s, "releases": int(n)} for h, (s, n) in spent.items()],
        )
    if first:
        conn.execute(release.insert(), list(first.values()))


def downgrade() -> None:
    conn = op.get_bind()
    holder_of = _tokens(conn)
    old_budget, old_release = _tables("holder", 100)
    budgets = {r.holder: r for r in conn.execute(sa.select(old_budget))}
    releases = list(conn.execute(sa.select(old_release)))
    budget, release = _recreate("token_id", 36)
    rows = [
        {"token_id": t, "spent": budgets[h].spent, "releases": budgets[h].releases}
        for t, h in holder_of.items()
        if h in budgets
    ]
    if rows:
        conn.execute(budget.insert(), rows)
    answers = [
        {
            "token_id": t,
            "question": r.question,
            "epsilon": r.epsilon,
            "cells": r.cells,
            "created_at": r.created_at,
        }
        for r in releases
        for t, h in holder_of.items()
        if h == r.holder
    ]
    if answers:
        conn.execute(release.insert(), answers)
