"""credentials: token expiry and last use; web sessions recorded

`api_token` gains `expires_at` (`hub token issue --expires DAYS`) and `last_used_at`.
`web_session` records each signed-in web session by the SHA-256 of its id, so a sign-out
holds on every process and across restarts (it was a deny list in one process's memory).

Revision ID: 0086
Revises: 0070
Create Date: 2026-12-02 10:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import hub.store.types

revision = "0086"
down_revision = "0070"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("api_token") as batch:
        batch.add_column(
            sa.Column("expires_at", hub.store.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch.add_column(
            sa.Column("last_used_at", hub.store.types.UTCDateTime(timezone=True), nullable=True)
        )
    op.create_table(
        "web_session",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("ref", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", hub.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", hub.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", hub.store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_web_session_ref", "web_session", ["kind", "ref"], unique=False)
    op.create_index("ix_web_session_expires_at", "web_session", ["expires_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_web_session_expires_at", table_name="web_session")
    op.drop_index("ix_web_session_ref", table_name="web_session")
    op.drop_table("web_session")
    with op.batch_alter_table("api_token") as batch:
        batch.drop_column("last_used_at")
        batch.drop_column("expires_at")
