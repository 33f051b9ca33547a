"""outbox: how many delivery attempts a dead letter had, and how an operator settled it

`dead_attempts` is the number of delivery attempts the connector made before the message
died (the list showed the relay's publishes instead: 0 for a letter that died in-process,
1 after five POSTs). `dead_resolved_at` and `dead_resolution` record that a replay settled
a letter without sending it again (its case had moved on, or was dispatched afresh), so
the letter leaves the operators' list and the reason stays on the row.

Revision ID: 0090
Revises: 0110
Create Date: 2026-12-02 09:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import hub.store.types

revision = "0090"
down_revision = "0110"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("dead_attempts", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column(
                "dead_resolved_at", hub.store.types.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch.add_column(
            sa.Column(
                "dead_resolution", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("dead_resolution")
        batch.drop_column("dead_resolved_at")
        batch.drop_column("dead_attempts")
