"""The privacy budget's rows (hub.services.sharing.budget): one locked row per holder, and
the grants that renewed it.

Spending and granting both lock the holder's `shared_dp_budget` row, created first if it
is missing (insert-or-nothing, so two first requests of a party cannot both insert), so
that concurrent releases cannot overspend and concurrent grants cannot pass the ceiling.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from hub.store.models_privacy import DpBudget, DpGrant

_TABLE = DpBudget.__table__  # type: ignore[attr-defined]


def locked(session: Session, holder: str) -> DpBudget:
    """The holder's budget row, locked until the transaction ends (created at 0 spent)."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(_TABLE)
        .values(holder=holder, spent=0.0, releases=0, granted=0.0)
        .on_conflict_do_nothing()
    )
    row = session.get(DpBudget, holder, with_for_update=True, populate_existing=True)
    assert row is not None  # inserted above, or already there
    return row


def granted_since(session: Session, holder: str, since: datetime) -> float:
    """The epsilon granted to `holder` after `since`."""
    total = session.exec(
        select(func.coalesce(func.sum(DpGrant.epsilon), 0.0)).where(
            DpGrant.holder == holder, col(DpGrant.granted_at) > since
        )
    ).one()
    return float(total)


def grants(session: Session, holder: str) -> list[DpGrant]:
    """Every grant to `holder`, oldest first."""
    return list(
        session.exec(select(DpGrant).where(DpGrant.holder == holder).order_by(col(DpGrant.id)))
    )


def holders(session: Session) -> list[DpBudget]:
    return list(session.exec(select(DpBudget).order_by(col(DpBudget.holder))))
