"""inbox.processed_at indexed: the journal of what went out is purged by age

Webhooks now record every answered message in `inbox` (connectors.journal), so that a copy
the broker or a relay sends again is not posted twice; the retention purge deletes rows
older than HUB_INBOX_DAYS with one indexed DELETE.

Revision ID: 0165
Revises: 0155
Create Date: 2026-12-02 15:40:00
"""

from __future__ import annotations

from alembic import op

revision = "0165"
down_revision = "0155"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_inbox_processed_at", "inbox", ["processed_at"])


def downgrade() -> None:
    op.drop_index("ix_inbox_processed_at", table_name="inbox")
