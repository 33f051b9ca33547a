"""privacy budget grants: an admin renews a party's spent differential-privacy budget

`shared_dp_grant` keeps every grant (holder, epsilon, reason, when, by whom) and
`shared_dp_budget.granted` their sum, so that the remaining budget is `HUB_DP_BUDGET` plus
what was granted, minus what was spent. The downgrade drops the grants: a party whose
spending exceeds the base budget is refused again, as it was before.

Revision ID: 0125
Revises: 0120
Create Date: 2026-12-02 05:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import hub.store.types

revision = "0125"
down_revision = "0120"
branch_labels = None
depends_on = None

_S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    with op.batch_alter_table("shared_dp_budget") as batch:
        batch.add_column(sa.Column("granted", sa.Float(), nullable=False, server_default="0"))
    op.create_table(
        "shared_dp_grant",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("holder", _S(length=100), nullable=False),
        sa.Column("epsilon", sa.Float(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("granted_at", hub.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("granted_by_role", _S(length=20), nullable=False),
        sa.Column("granted_by_party", _S(length=64), nullable=True),
        sa.Column("granted_by_login", _S(length=64), nullable=True),
        sa.Column("granted_by_token", _S(length=36), nullable=True),
    )
    op.create_index("ix_shared_dp_grant_holder", "shared_dp_grant", ["holder"])
    op.create_index("ix_shared_dp_grant_granted_at", "shared_dp_grant", ["granted_at"])


def downgrade() -> None:
    op.drop_index("ix_shared_dp_grant_granted_at", table_name="shared_dp_grant")
    op.drop_index("ix_shared_dp_grant_holder", table_name="shared_dp_grant")
    op.drop_table("shared_dp_grant")
    with op.batch_alter_table("shared_dp_budget") as batch:
        batch.drop_column("granted")
