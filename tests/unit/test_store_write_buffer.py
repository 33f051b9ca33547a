"""The write buffer's savepoint for a refused case, and the SQLite writer lock across files."""

from __future__ import annotations

import sqlite3
import threading
from datetime import date
from pathlib import Path

import pytest

from hub.store.db import _WriterLock
from hub.store.writes import WriteBuffer

DAY, NEXT_DAY = date(2026, 11, 23), date(2026, 11, 24)


def test_a_refused_case_gives_back_numbers_of_a_block_taken_during_it() -> None:
    buffer = WriteBuffer()
    buffer.numbers[("310000", DAY)] = [4, 9, 1]  # 1-3 used by earlier cases of the batch
    point = buffer.mark()
    buffer.numbers[("310000", DAY)][0] = 6  # the refused case numbered 4 and 5...
    buffer.numbers[("310000", NEXT_DAY)] = [3, 3, 1]  # ...and, past midnight, 1 and 2
    buffer.rollback_to(point)
    assert buffer.numbers[("310000", DAY)][0] == 4
    assert buffer.numbers[("310000", NEXT_DAY)][0] == 1  # the whole new block is unused


def test_the_writer_lock_excludes_another_holder_of_the_file_and_times_out(
    tmp_path: Path,
) -> None:
    path = tmp_path / "hub.db.writer-lock"
    first, second = _WriterLock(path), _WriterLock(path, timeout=0.2)
    first.acquire()
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            second.acquire()
    finally:
        first.release()
    got = threading.Event()

    def take() -> None:
        second.acquire()
        got.set()
        second.release()

    worker = threading.Thread(target=take)
    worker.start()
    worker.join(5)
    assert got.is_set()  # released: the other holder gets it at once
