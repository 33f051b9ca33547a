"""Migration 0140 writes the open statuses into its triggers: they must be the domain's."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from hub.domain.status import OPEN_STATUSES
from hub.store import stats_queries

_PATH = Path(__file__).parents[2] / "hub/store/migrations/versions/0140_stats_rollup.py"


def test_rollup_counts_the_domains_open_statuses_and_the_readers_counters() -> None:
    spec = importlib.util.spec_from_file_location("m0140", _PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert set(module.OPEN) == {str(s) for s in OPEN_STATUSES}
    assert module.COUNTERS == stats_queries.COUNTERS
