"""One SQLite file, two processes: `hub demo` serving while an operator runs `hub user add`.

A process that makes a second engine (the embedded relay does, after the API's engine has
connections open) must keep the POSIX locks of its open connections: if it dropped them,
the operator's process, closing its last connection, would take itself for the last user,
checkpoint and delete the WAL the server still writes to, and corrupt the database
("database disk image is malformed", found by trying the demo).
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from hub.store.db import make_engine

OTHER_PROCESS = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA journal_mode=WAL")
conn.execute("INSERT INTO note VALUES ('from the operator')")
conn.close()
"""


def test_a_second_engine_keeps_the_locks_of_the_open_connections(tmp_path: Path) -> None:
    db = tmp_path / "hub.db"
    url = f"sqlite:///{db}"
    serving = make_engine(url, pool_size=2)
    try:
        with serving.connect() as conn:
            conn.execute(text("CREATE TABLE note (body TEXT)"))
            conn.execute(text("INSERT INTO note VALUES ('from the server')"))
            conn.commit()
            # The connection stays open (checked out) while a second engine is made,
            # as the API's pool does when the embedded relay starts.
            make_engine(url, pool_size=1, reader=True).dispose()
            subprocess.run([sys.executable, "-c", OTHER_PROCESS, str(db)], check=True)
            assert (tmp_path / "hub.db-wal").exists(), "the other process deleted our WAL"
            conn.execute(text("INSERT INTO note VALUES ('from the server again')"))
            conn.commit()
            bodies = conn.execute(text("SELECT body FROM note ORDER BY rowid")).scalars().all()
            conn.commit()
        assert bodies == ["from the server", "from the operator", "from the server again"]
    finally:
        serving.dispose()
    check = sqlite3.connect(db)
    try:
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert check.execute("SELECT count(*) FROM note").fetchone() == (3,)
    finally:
        check.close()
