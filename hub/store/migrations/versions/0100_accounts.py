"""accounts: personal web accounts, sign-in locks, the acting person in audit and four-eyes

`web_user` holds the people who sign in to the console and the workbench (argon2id hashes,
never a password); `sign_in_lock` counts wrong passwords per login digest. The audit trail
names the person who acted (`actor_login`), and registry changes and consent grants record
the person who asked and who decided, so four-eyes rules compare persons.

Revision ID: 0100
Revises: 0091
Create Date: 2026-12-02 09:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import hub.store.types

revision = "0100"
down_revision = "0091"
branch_labels = None
depends_on = None

_S = sqlmodel.sql.sqltypes.AutoString
_TS = hub.store.types.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "web_user",
        sa.Column("login", _S(length=64), nullable=False),
        sa.Column("name", _S(length=100), nullable=False),
        sa.Column("role", _S(length=20), nullable=False),
        sa.Column("party_id", _S(length=64), nullable=True),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("must_change", sa.Boolean(), nullable=False),
        sa.Column("session_epoch", sa.Integer(), nullable=False),
        sa.Column("created_at", _TS(timezone=True), nullable=False),
        sa.Column("created_by", _S(length=64), nullable=False),
        sa.Column("password_set_at", _TS(timezone=True), nullable=False),
        sa.Column("last_sign_in_at", _TS(timezone=True), nullable=True),
        sa.Column("disabled_at", _TS(timezone=True), nullable=True),
        sa.Column("disabled_by", _S(length=64), nullable=True),
        sa.PrimaryKeyConstraint("login"),
    )
    op.create_table(
        "sign_in_lock",
        sa.Column("key", _S(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", _TS(timezone=True), nullable=True),
        sa.Column("updated_at", _TS(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    with op.batch_alter_table("audit_entry") as batch:
        batch.add_column(sa.Column("actor_login", _S(length=64), nullable=True))
    with op.batch_alter_table("registry_change") as batch:
        batch.add_column(sa.Column("requested_by_login", _S(length=64), nullable=True))
        batch.add_column(sa.Column("decided_by_login", _S(length=64), nullable=True))
    with op.batch_alter_table("consent_grant") as batch:
        batch.add_column(sa.Column("requested_by_login", _S(length=64), nullable=True))
        batch.add_column(sa.Column("approved_by_login", _S(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("consent_grant") as batch:
        batch.drop_column("approved_by_login")
        batch.drop_column("requested_by_login")
    with op.batch_alter_table("registry_change") as batch:
        batch.drop_column("decided_by_login")
        batch.drop_column("requested_by_login")
    with op.batch_alter_table("audit_entry") as batch:
        batch.drop_column("actor_login")
    op.drop_table("sign_in_lock")
    op.drop_table("web_user")
