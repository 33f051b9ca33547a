"""Alembic environment: the URL comes from the caller (hub.store.migrate) or HUB_DATABASE_URL."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import hub.store.models
import hub.store.models_accounts
import hub.store.models_ops
import hub.store.models_privacy  # noqa: F401  (consent grants)
from hub.store.db import make_engine

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
        return
    # `hub db upgrade` creates the database, and its folder (0700) if need be
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "", create_folder=True)
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
