"""help articles: edited and retired with their history, English text beside the Chinese

The seeded articles get the English text of `hub/ops/help_seed.yaml` (by slug); every
existing article gets its first version from its row.

Revision ID: 0114
Revises: 0113
Create Date: 2026-12-02 01:00:00
"""
from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
import yaml
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
    seed = Path(hub.store.types.__file__).resolve().parent.parent / "ops" / "help_seed.yaml"
    english = sa.text("UPDATE help_article SET title_en = :t, body_en = :b WHERE slug = :s")
    for row in yaml.safe_load(seed.read_text(encoding="utf-8")):
        if row.get("title_en"):
            op.get_bind().execute(
                english, {"t": row["title_en"], "b": row.get("body_en"), "s": row["slug"]}
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
        "INSERT INTO help_article_version (article_id, version, title, body, title_en, body_en, "
        "category, tags, action, changed_by, changed_at) SELECT id, 1, title, body, title_en, "
        "body_en, category, tags, 'added', author, created_at FROM help_article"
    )


def downgrade() -> None:
    op.drop_table("help_article_version")
    with op.batch_alter_table("help_article") as batch:
        batch.drop_column("retired_at")
        batch.drop_column("version")
        batch.drop_column("body_en")
        batch.drop_column("title_en")
