"""applications: where an imported case came from (INTERFACE 12)

`source` names the outside system of an imported case (`hub import cases`); with
`source_no` it is unique, so importing a file again finds the cases it wrote instead of
writing them twice. Live cases leave it empty (NULLs are distinct in the constraint).

Revision ID: 0150
Revises: 0117
Create Date: 2026-12-02 00:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0150"
down_revision = "0117"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("application") as batch:
        batch.add_column(
            sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch.create_unique_constraint("uq_application_import_source", ["source", "source_no"])


def downgrade() -> None:
    with op.batch_alter_table("application") as batch:
        batch.drop_constraint("uq_application_import_source", type_="unique")
        batch.drop_column("source")
