"""applications: the portal's own number (source_no, INTERFACE 17)

Kept, answered and searchable; unique per portal party, so integrators need not keep two
numbers. `source_hash` is the digest of the body that came with it, to tell a repeat of
the same application from another one reusing the number.

Revision ID: 0113
Revises: 0088
Create Date: 2026-12-02 00:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0113"
down_revision = "0088"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("application") as batch:
        batch.add_column(
            sa.Column("source_no", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch.add_column(
            sa.Column("source_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch.create_unique_constraint(
            "uq_application_source_no", ["submitted_by_party", "source_no"]
        )


def downgrade() -> None:
    with op.batch_alter_table("application") as batch:
        batch.drop_constraint("uq_application_source_no", type_="unique")
        batch.drop_column("source_hash")
        batch.drop_column("source_no")
