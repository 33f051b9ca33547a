"""help articles: edited and retired with their history, English text beside the Chinese

Every existing article gets its first version from its row.

Revision ID: 0114
Revises: 0113
Create Date: 2026-12-02 01:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import hub.store.types

revision = "0114"
down_revision = "0113"
branch_labels = None
depends_on = None

_S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    with op.batch_alter_table("help_article") as batch:
        batch.add_column(sa.Column("title_en", _S(length=200), nullable=True))
        batch.add_column(sa.Column("body_en", sa.Text(), nullable=True))
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(
            sa.Column("retired_at", hub.store.types.UTCDateTime(timezone=True), nullable=True)
        )
    op.create_table(
        "help_article_version",
        sa.Column("article_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("title", _S(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("title_en", _S(length=200), nullable=True),
        sa.Column("body_en", sa.Text(), nullable=True),
        sa.Column("category", _S(length=40), nullable=True),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("action", _S(length=10), nullable=False),
        sa.Column("changed_by", _S(length=100), nullable=False),
        sa.Column("changed_at", hub.store.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("article_id", "version"),
    )
    op.execute(
        "INSERT INTO help_article_version (article_id, version, title, body, category, tags, "
        "action, changed_by, changed_at) SELECT id, 1, title, body, category, tags, 'added', author, "
        "created_at FROM help_article"
    )


def downgrade() -> None:
    op.drop_table("help_article_version")
    with op.batch_alter_table("help_article") as batch:
        batch.drop_column("retired_at")
        batch.drop_column("version")
        batch.drop_column("body_en")
        batch.drop_column("title_en")
