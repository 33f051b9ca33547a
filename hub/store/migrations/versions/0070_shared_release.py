"""privacy: the masked feed's monthly releases; unreadable cases; grants can be revoked

The masked feed is released in monthly rounds (`shared_round`), k-anonymous over every
record released so far: `shared_case` keeps each case's static class and trajectory,
`shared_release` the released records the feed serves. Aggregates are released with
differential privacy: `shared_dp_budget` is what each token has spent, `shared_dp_release`
the noisy tables it was given (asked again, the same answer).

An undecryptable row used to make every page of the masked feed that held it a 500, for
good. The feed now skips the case, counts it (`hub_shared_unreadable_total`), logs its
number and keeps it in `shared_unreadable` for admins. A grant records who revoked it.

Revision ID: 0070
Revises: 0112
Create Date: 2026-12-01 21:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import hub.store.types

revision = "0070"
down_revision = "0112"
branch_labels = None
depends_on = None

_S = sqlmodel.sql.sqltypes.AutoString
_TS = hub.store.types.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "shared_unreadable",
        sa.Column("application_no", _S(length=24), nullable=False),
        sa.Column("part", _S(length=80), nullable=False),
        sa.Column("error", _S(length=80), nullable=False),
        sa.Column("first_seen", _TS(timezone=True), nullable=False),
        sa.Column("last_seen", _TS(timezone=True), nullable=False),
        sa.Column("times", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("application_no", "part"),
    )
    op.create_table(
        "shared_round",
        sa.Column("round", _S(length=7), nullable=False),
        sa.Column("cutoff", _TS(timezone=True), nullable=False),
        sa.Column("k", sa.Integer(), nullable=False),
        sa.Column("l_diversity", sa.Integer(), nullable=False),
        sa.Column("released", sa.Integer(), nullable=False),
        sa.Column("generalised", sa.Integer(), nullable=False),
        sa.Column("held_back", sa.Integer(), nullable=False),
        sa.Column("unreadable", sa.Integer(), nullable=False),
        sa.Column("created_at", _TS(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("round"),
    )
    op.create_table(
        "shared_case",
        sa.Column("application_no", _S(length=24), nullable=False),
        sa.Column("first_round", _S(length=7), nullable=True),
        sa.Column("class_key", sa.Text(), nullable=True),
        sa.Column("static_level", sa.Integer(), nullable=True),
        sa.Column("static_values", sa.JSON(), nullable=True),
        sa.Column("progress_level", sa.Integer(), nullable=True),
        sa.Column("progress_values", sa.JSON(), nullable=True),
        sa.Column("trajectory", _S(length=32), nullable=False),
        sa.Column("state", _S(length=32), nullable=True),
        sa.Column("held", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("application_no"),
    )
    op.create_index("ix_shared_case_class_key", "shared_case", ["class_key"])
    op.create_index("ix_shared_case_held", "shared_case", ["held"])
    op.create_table(
        "shared_release",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round", _S(length=7), nullable=False),
        sa.Column("case", _S(length=24), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_shared_release_round", "shared_release", ["round"])
    op.create_index("ix_shared_release_case", "shared_release", ["case"])
    op.create_table(
        "shared_dp_budget",
        sa.Column("token_id", _S(length=36), nullable=False),
        sa.Column("spent", sa.Float(), nullable=False),
        sa.Column("releases", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("token_id"),
    )
    op.create_table(
        "shared_dp_release",
        sa.Column("token_id", _S(length=36), nullable=False),
        sa.Column("question", _S(length=64), nullable=False),
        sa.Column("epsilon", sa.Float(), nullable=False),
        sa.Column("cells", sa.JSON(), nullable=False),
        sa.Column("created_at", _TS(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("token_id", "question"),
    )
    with op.batch_alter_table("consent_grant") as batch:
        batch.add_column(sa.Column("revoked_at", _TS(timezone=True), nullable=True))
        batch.add_column(sa.Column("revoked_by_party", _S(length=64), nullable=True))
        batch.add_column(sa.Column("revoked_by_token", _S(length=36), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("consent_grant") as batch:
        batch.drop_column("revoked_by_token")
        batch.drop_column("revoked_by_party")
        batch.drop_column("revoked_at")
    op.drop_table("shared_dp_release")
    op.drop_table("shared_dp_budget")
    op.drop_index("ix_shared_release_case", table_name="shared_release")
    op.drop_index("ix_shared_release_round", table_name="shared_release")
    op.drop_table("shared_release")
    op.drop_index("ix_shared_case_held", table_name="shared_case")
    op.drop_index("ix_shared_case_class_key", table_name="shared_case")
    op.drop_table("shared_case")
    op.drop_table("shared_round")
    op.drop_table("shared_unreadable")
