"""Engines and transactions for SQLite (embedded default) and PostgreSQL (production)."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

import hub.store.registry_revision  # noqa: F401  (every registry change moves its revision)
from hub.store.unit_of_work import UnitOfWork, watch
from hub.supervision import Supervised

T = TypeVar("T")


def make_engine(
    url: str, *, pool_size: int = 10, reader: bool = False, create_folder: bool = False
) -> Engine:
    """SQLite gets WAL and full fsync on commit; PostgreSQL psycopg 3.

    A SQLite file's folder is created only with `create_folder` (`hub db upgrade`, and
    the hub's own data directory); otherwise a missing folder raises
    `MissingDatabaseFolder` and nothing is created.

    On SQLite a writer engine starts every transaction with BEGIN IMMEDIATE, and its
    connections queue for one process-wide lock first (see `_sqlite_writer`); a reader
    engine (`reader=True`) starts plain deferred transactions, which WAL lets run beside
    the writer.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            private_sqlite_files(Path(parsed.database), create_folder=create_folder)
        engine = create_engine(
            url,
            connect_args={"isolation_level": None, "check_same_thread": False, "timeout": 60},
            pool_size=pool_size,
            max_overflow=pool_size,
        )
        _sqlite_pragmas(engine)
        if reader:
            _sqlite_reader(engine)
        else:
            _sqlite_writer(engine, _writer_lock_file(parsed.database))
        return engine
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    engine = create_engine(parsed, pool_size=pool_size, max_overflow=pool_size)
    _ping_when_idle(engine)
    return engine


#: Files beside a SQLite database that hold its data (WAL, shared memory, rollback journal).
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal", ".writer-lock")


class MissingDatabaseFolder(FileNotFoundError):
    """HUB_DATABASE_URL names a SQLite file in a folder that does not exist. Nothing is
    created: a mistyped path would otherwise leave a new folder with an empty database,
    and the operator would read "no schema yet" instead of the mistake."""

    def __init__(self, folder: Path) -> None:
        super().__init__(
            f"数据库所在的文件夹不存在：{folder}（HUB_DATABASE_URL；请改正路径，或先建好文件夹"
            f"再运行 hub db upgrade），未创建任何文件 / the database's folder does not exist: "
            f"{folder} (HUB_DATABASE_URL: correct the path, or create the folder and run "
            "hub db upgrade); nothing was created"
        )
        self.folder = folder


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (None for PostgreSQL, memory and `file:` URIs)."""
    parsed = make_url(url)
    name = parsed.database
    if parsed.get_backend_name() != "sqlite" or not name or name == ":memory:":
        return None
    return None if name.startswith("file:") else Path(name)


def private_sqlite_files(database: Path, *, create_folder: bool = False) -> None:
    """The database and every file beside it readable by the hub's user alone (0600).

    The database is created empty with mode 0600 before SQLite opens it: SQLite gives the
    WAL and shared-memory files it creates later the database file's permissions. Files
    left from an older build (0644) are tightened. A folder the hub creates is 0700.

    An existing database is never opened here, only chmod-ed by its path: closing any
    descriptor of the file drops every POSIX lock this process holds on it, the shared
    locks of its open SQLite connections included (sqlite.org/howtocorrupt.html 2.2).
    Another process then believes itself the last one, checkpoints and deletes the WAL
    this process is still writing to, and the database is corrupted.
    """
    if database.name.startswith("file:"):
        return
    if not database.parent.exists():
        if not create_folder:
            raise MissingDatabaseFolder(database.parent)
        database.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(database, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        database.chmod(0o600)
    else:  # a new file: nobody can hold a lock on it yet
        os.fchmod(fd, 0o600)
        os.close(fd)
    for suffix in SQLITE_SIDE_FILES:
        side = database.with_name(database.name + suffix)
        with suppress(FileNotFoundError):
            side.chmod(0o600)


#: A pooled connection unused for this long is tested before it is handed out.
IDLE_BEFORE_PING = 1.0


def _ping_when_idle(engine: Engine) -> None:
    """Pessimistic disconnect handling (SQLAlchemy's "custom checkout" recipe): like
    `pool_pre_ping`, but only for a connection that sat in the pool for IDLE_BEFORE_PING.
    Under load every transaction would otherwise pay one more round trip; a connection
    used a moment ago is as alive as a ping would show. Should the server go away under
    load, the first statement fails, SQLAlchemy recycles the whole pool, and callers retry
    (intake runs a failed batch again case by case)."""

    @event.listens_for(engine, "checkin")
    def _checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.pop("idle_since", None)
        if since is None or time.monotonic() - since < IDLE_BEFORE_PING:
            return  # new, or just given back
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:
            # The pool discards this connection and checks out another (up to 3 times).
            raise DisconnectionError("pooled connection failed its ping") from exc


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # FULL: every commit is fsynced, so an answered application survives a power cut.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=60000")
        # Checkpoints copy the WAL into the database with an fsync of both; in a commit they
        # stall that commit. `hub serve` checkpoints in the background (Database.
        # start_checkpointer); the large automatic threshold is the safety net.
        cursor.execute("PRAGMA wal_autocheckpoint=10000")
        cursor.close()


def _sqlite_reader(engine: Engine) -> None:
    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")


def _writer_lock_file(database: str | None) -> Path | None:
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database + ".writer-lock")


class _WriterLock:
    """SQLite has one writer at a time. Writers queue here rather than in SQLite's busy
    handler, which sleeps up to 100 ms between retries: within the process on a lock, across
    the hub's processes on the same database (`hub serve --workers N`) on an flock of a file
    beside it, which the kernel hands to the next waiter at once and drops with a process
    that dies. Other programs writing the file still queue on BEGIN IMMEDIATE."""

    def __init__(self, path: Path | None, timeout: float = 60.0) -> None:
        self._thread_lock = threading.RLock()
        self._path = path
        self._timeout = timeout  # as SQLite's busy_timeout: a writer never waits for ever
        self._fd: int | None = None
        self._pid = 0
        self._depth = 0

    def acquire(self) -> None:
        self._thread_lock.acquire()
        try:
            self._depth += 1
            if self._depth == 1 and self._path is not None:
                self._lock_file()
        except BaseException:
            self._depth -= 1
            self._thread_lock.release()
            raise

    def _lock_file(self) -> None:
        assert self._path is not None
        if self._fd is None or self._pid != os.getpid():
            # An flock belongs to the open file: a forked child opens its own.
            self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            self._pid = os.getpid()
        deadline = time.monotonic() + self._timeout
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise sqlite3.OperationalError(
                        "database is locked (another hub process held the writer lock for "
                        f"{self._timeout:.0f} s)"
                    ) from None
                time.sleep(0.001)

    def release(self) -> None:
        try:
            self._depth -= 1
            if self._depth == 0 and self._fd is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._thread_lock.release()


def _sqlite_writer(engine: Engine, lock_file: Path | None) -> None:
    lock = _WriterLock(lock_file)

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        lock.acquire()
        try:
            # Take SQLite's write lock up front: two processes numbering at once queue
            # here instead of failing when a reader upgrades to a writer.
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            lock.release()
            raise

    # The lock may only be let go once COMMIT or ROLLBACK has run, and SQLAlchemy's events
    # fire before it. So the handlers end the transaction themselves and then release;
    # SQLAlchemy's own commit()/rollback() that follows finds no transaction and does nothing.
    @event.listens_for(engine, "commit")
    def _commit(conn: Any) -> None:
        try:
            conn.connection.dbapi_connection.commit()
        finally:
            lock.release()

    @event.listens_for(engine, "rollback")
    def _rollback(conn: Any) -> None:
        try:
            conn.connection.dbapi_connection.rollback()
        finally:
            lock.release()


#: SQLSTATEs after which PostgreSQL asks the client to run the transaction again.
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})  # deadlock detected, serialization failure


def is_retryable(exc: DBAPIError) -> bool:
    return getattr(exc.orig, "sqlstate", None) in RETRYABLE_SQLSTATES


def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


class Database:
    """The engines and session factories; `transaction()` hands out the unit of work."""

    def __init__(self, url: str, *, pool_size: int = 10, replica_url: str | None = None) -> None:
        self.url = url
        self.engine = make_engine(url, pool_size=pool_size)
        watch(self.engine)  # a unit of work writes its buffer before a read that needs it
        sqlite = self.engine.dialect.name == "sqlite"
        self.read_engine = (
            make_engine(url, pool_size=pool_size, reader=True) if sqlite else self.engine
        )
        self._sessions = sessionmaker(
            self.engine, class_=UnitOfWork, expire_on_commit=False, autoflush=False
        )
        self._read_sessions = sessionmaker(
            self.read_engine, class_=Session, expire_on_commit=False, autoflush=False
        )
        #: The standby the heavy reads go to (`replica_read`), or the read engine.
        self.replica_engine = (
            make_engine(replica_url, pool_size=pool_size) if replica_url else self.read_engine
        )
        self._replica_sessions = sessionmaker(
            self.replica_engine, class_=Session, expire_on_commit=False, autoflush=False
        )
        if replica_url:
            from hub.store.replica import watch_lag

            watch_lag(self.replica_engine)

    def start_checkpointer(self, interval: float = 1.0) -> Callable[[], None] | None:
        """SQLite: copy the WAL into the database every `interval` s, outside any commit."""
        if self.engine.dialect.name != "sqlite":
            return None
        stop = threading.Event()

        def run() -> None:
            while not stop.wait(interval):
                raw = self.read_engine.raw_connection()
                try:  # outside any transaction (the driver is in autocommit mode)
                    raw.driver_connection.execute("PRAGMA wal_checkpoint(PASSIVE)")  # type: ignore[union-attr]
                except Exception:  # a busy database: try again next time
                    pass
                finally:
                    raw.close()

        # restarted if it dies (a pool timeout in raw_connection once ended it for good)
        thread = Supervised("hub-checkpoint", run, stop).start()

        def halt() -> None:
            stop.set()
            thread.join(timeout=5)

        return halt

    def run(self, work: Callable[[UnitOfWork], T], *, attempts: int = 3) -> T:
        """`work` in one transaction, run again when PostgreSQL aborted it for a deadlock or a
        serialization conflict (the work must be safe to repeat: its effects were rolled back).
        """
        for attempt in range(1, attempts + 1):
            try:
                with self.transaction() as session:
                    return work(session)
            except DBAPIError as exc:
                if attempt == attempts or not is_retryable(exc):
                    raise
        raise AssertionError("unreachable")

    @contextmanager
    def transaction(self) -> Iterator[UnitOfWork]:
        """One write transaction, the unit of work: commit on success, roll back on any
        exception."""
        session = self._sessions()
        try:
            with session.begin():
                yield session
        finally:
            session.close()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session (on SQLite, beside the writer rather than behind it)."""
        session = self._read_sessions()
        try:
            yield session
        finally:
            # close() ends the transaction without expiring what was read, so rows stay usable.
            session.close()

    @contextmanager
    def replica_read(self) -> Iterator[Session]:
        """A read that may lag behind the last commits (statistics, alerts, case lists, the
        bulk pull): on the standby of HUB_DATABASE_READ_URL when there is one."""
        session = self._replica_sessions()
        try:
            yield session
        finally:
            session.close()

    def probe(self) -> None:
        """Raise unless the database answers from its pages (/readyz): a count of the
        one-row `alembic_version` reads the schema and a data page, where `SELECT 1` read
        none and a malformed SQLite file answered ok on a pooled connection."""
        with self.engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM alembic_version")).scalar_one()

    def dispose(self) -> None:
        self.engine.dispose()
        if self.read_engine is not self.engine:
            self.read_engine.dispose()
        if self.replica_engine not in (self.engine, self.read_engine):
            self.replica_engine.dispose()
