"""The outbox recorder's contract on SQLite (`outbox_recorder_contract`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.outbox_recorder_contract import OutboxRecorderContract


class TestSQLiteOutboxRecorder(OutboxRecorderContract):
    @pytest.fixture
    def url(self, tmp_path: Path) -> str:
        return f"sqlite:///{tmp_path / 'hub.db'}"

    def assert_claim_reads_pending_rows_alone(self, plan: str) -> None:
        assert "SEARCH outbox USING INTEGER PRIMARY KEY" in plan, plan
        assert "TEMP B-TREE" not in plan, plan
