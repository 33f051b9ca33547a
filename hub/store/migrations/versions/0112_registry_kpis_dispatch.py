"""registry: mediators and a duty contact per institution, dispatch mode per unit

`institution.mediators` (how many mediators: a KPI of seed 003), `institution.duty` (who
takes reminders and dunning by SMS), `unit.dispatch` (`auto`: the hub dispatches new cases
on the unit's behalf, as before; `manual`: the unit does, Art. 7).

Revision ID: 0112
Revises: 0100
Create Date: 2026-12-02 00:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0112"
down_revision = "0100"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("institution") as batch:
        batch.add_column(sa.Column("mediators", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("duty", sa.JSON(), nullable=True))
    with op.batch_alter_table("unit") as batch:
        batch.add_column(
            sa.Column(
                "dispatch",
                sqlmodel.sql.sqltypes.AutoString(length=10),
                nullable=False,
                server_default="auto",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("unit") as batch:
        batch.drop_column("dispatch")
    with op.batch_alter_table("institution") as batch:
        batch.drop_column("duty")
        batch.drop_column("mediators")
