"""applications: working hours to acceptance, kept; an index on received_at (issue 15)

Statistics answer the median and p90 of the working hours from dispatch to acceptance in
the database. Those hours depend on the working-day calendar, which SQL does not know, so
they are computed once, when the case is accepted (a case accepted is never dispatched
again), and kept in `accept_hours`; cases accepted before are filled in here. Every read
of a period filters on `received_at`, now indexed.

Revision ID: 0151
Revises: 0150
Create Date: 2026-12-02 00:50:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from hub.domain.calendar import working_hours_between
from hub.store.types import UTCDateTime

revision = "0151"
down_revision = "0150"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("application") as batch:
        batch.add_column(sa.Column("accept_hours", sa.Float(), nullable=True))
    op.create_index("ix_application_received_at", "application", ["received_at"])
    app = sa.table(
        "application",
        sa.column("no", sa.String()),
        sa.column("dispatched_at", UTCDateTime()),
        sa.column("accepted_at", UTCDateTime()),
        sa.column("accept_hours", sa.Float()),
    )
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(app.c.no, app.c.dispatched_at, app.c.accepted_at).where(
            app.c.accepted_at.is_not(None), app.c.dispatched_at.is_not(None)
        )
    ).all()
    update = (
        sa.update(app).where(app.c.no == sa.bindparam("k")).values(accept_hours=sa.bindparam("h"))
    )
    for start in range(0, len(rows), 5000):
        conn.execute(
            update,
            [
                {"k": no, "h": working_hours_between(dispatched, accepted)}
                for no, dispatched, accepted in rows[start : start + 5000]
            ],
        )


def downgrade() -> None:
    op.drop_index("ix_application_received_at", table_name="application")
    with op.batch_alter_table("application") as batch:
        batch.drop_column("accept_hours")
