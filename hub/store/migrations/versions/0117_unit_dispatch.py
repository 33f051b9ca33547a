"""dispatch by the unit (Art. 7, INTERFACE 17 `dispatch: manual`)

A case whose unit dispatches by hand waits for it: `application.awaiting_unit` names the
unit, and its `dispatch_by` clock is addressed to the unit (`deadline.unit_id`).

Revision ID: 0117
Revises: 0115
Create Date: 2026-12-02 01:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0117"
down_revision = "0115"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("application") as batch:
        batch.add_column(
            sa.Column("awaiting_unit", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch.create_index("ix_application_awaiting_unit", ["awaiting_unit"])
    with op.batch_alter_table("deadline") as batch:
        batch.add_column(
            sa.Column("unit_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("deadline") as batch:
        batch.drop_column("unit_id")
    with op.batch_alter_table("application") as batch:
        batch.drop_index("ix_application_awaiting_unit")
        batch.drop_column("awaiting_unit")
