"""Bulk writes for group commit, without SQLAlchemy's per-value work or round trips.

`connection.execute(insert(model), rows)` builds a parameter set per row and runs every
value through the column type's processors: a fifth of intake's CPU for a batch. Here the
SQL is built once per table and dialect, each column gets one converter (datetimes are
formatted once per distinct value: the rows of a batch share a handful of timestamps), and
the rows go to the driver's executemany as plain tuples. The stored values are exactly what
SQLAlchemy's own processors would store, so reads through the ORM see no difference
(tests/integration/test_store_bulk.py compares the two paths row by row on both databases).

`run_together` sends several statements at once: on PostgreSQL in one psycopg pipeline, a
single round trip for what would be one per statement (on a busy machine each round trip
waits for the database's process to be scheduled); on SQLite, in-process, one by one.

`write_rows` stores the rows of several tables: on PostgreSQL a table of many rows with one
COPY (psycopg's `cursor.copy()`), which the server reads as one stream instead of running
an INSERT per row (row triggers fire for COPY as for INSERT); the others as above.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Date, Table
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.schema import ScalarElementColumnDefault

from hub.store.types import UTCDateTime

Converter = Callable[[Any], Any] | None


class _Plan:
    """The INSERT for one table on one dialect, with a converter per column."""

    def __init__(self, table: Table, dialect: Dialect, with_id: bool) -> None:
        # Integer primary keys named `id` are left to the database (autoincrement), unless
        # the rows carry them.
        self.columns = [c for c in table.c if with_id or not (c.primary_key and c.name == "id")]
        self.names = [c.name for c in self.columns]
        self.defaults = [_scalar_default(c.default) for c in self.columns]
        quote = dialect.identifier_preparer.quote
        mark = placeholder(dialect)
        self.sql = (
            f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in self.names)}) "
            f"VALUES ({', '.join(mark for _ in self.names)})"
        )
        self.sqlite = dialect.name == "sqlite"
        self.converters = [self._converter(c.type, dialect) for c in self.columns]

    def _converter(self, type_: Any, dialect: Dialect) -> Converter:
        if isinstance(type_, UTCDateTime):
            return _sqlite_utc if self.sqlite else _pg_utc
        if isinstance(type_, Date):
            return _sqlite_date if self.sqlite else None
        processor: Converter = type_._cached_bind_processor(dialect)
        return processor

    def params(self, rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        memo: dict[Any, Any] = {}
        out = []
        named = list(zip(self.names, self.defaults, strict=True))
        # Most columns need no conversion: take every value first, then convert the few.
        converted = [(i, c) for i, c in enumerate(self.converters) if c is not None]
        for row in rows:
            get = row.get
            values = [get(name, default) for name, default in named]
            for i, convert in converted:
                value = values[i]
                if value is None:
                    continue
                if convert is _sqlite_utc:  # shared timestamps: format each once
                    done = memo.get(value)
                    if done is None:
                        done = memo[value] = convert(value)
                    values[i] = done
                else:
                    values[i] = convert(value)
            out.append(tuple(values))
        return out


def _scalar_default(default: Any) -> Any:
    """A column's Python-side constant default (`False`, `1`), which SQLAlchemy would fill in."""
    if default is None:
        return None
    if not isinstance(default, ScalarElementColumnDefault):
        raise TypeError(f"bulk insert supports constant column defaults only, not {default!r}")
    return default.arg


def _naive_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("naive datetime given to a UTCDateTime column")
    return value.astimezone(UTC).replace(tzinfo=None)


def _sqlite_utc(value: datetime) -> str:
    # SQLAlchemy's SQLite DATETIME storage format: "YYYY-MM-DD HH:MM:SS.ffffff".
    return _naive_utc(value).isoformat(" ", "microseconds")


def _pg_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("naive datetime given to a UTCDateTime column")
    return value


def _sqlite_date(value: date) -> str:
    return value.isoformat()


def placeholder(dialect: Dialect) -> str:
    """The driver's positional parameter marker."""
    return "?" if dialect.paramstyle == "qmark" else "%s"


def bind_timestamp(dialect: Dialect, value: datetime) -> Any:
    """An aware datetime as a UTCDateTime column stores it, for hand-written SQL."""
    return _sqlite_utc(value) if dialect.name == "sqlite" else _pg_utc(value)


def bind_date(dialect: Dialect, value: date) -> Any:
    return _sqlite_date(value) if dialect.name == "sqlite" else value


@dataclass(frozen=True)
class Statement:
    """SQL in the driver's own parameter style with its parameter sets: one set and
    `returning` for a statement whose rows are wanted, any number for an executemany."""

    sql: str
    params: Sequence[tuple[Any, ...]]
    returning: bool = False


def run_together(conn: Connection, statements: list[Statement]) -> list[list[Any]]:
    """Run `statements` in order in the connection's transaction; the rows of each
    (empty for those not `returning`). A failure is raised as SQLAlchemy's DBAPIError, as
    if the statement had gone through SQLAlchemy, so callers see one kind of error."""
    if conn.dialect.name != "postgresql":
        out: list[list[Any]] = []
        for st in statements:
            if st.returning:
                out.append(list(conn.exec_driver_sql(st.sql, st.params[0]).all()))
            else:
                conn.exec_driver_sql(st.sql, list(st.params))
                out.append([])
        return out
    import psycopg

    raw: Any = conn.connection.driver_connection
    try:
        with raw.pipeline():
            cursors = []
            for st in statements:
                cursor = raw.cursor()
                if st.returning:
                    cursor.execute(st.sql, st.params[0])
                else:
                    cursor.executemany(st.sql, st.params)
                cursors.append(cursor)
        return [
            list(cur.fetchall()) if st.returning else []
            for cur, st in zip(cursors, statements, strict=True)
        ]
    except psycopg.Error as exc:
        raise DBAPIError.instance(
            "; ".join(st.sql for st in statements), None, exc, psycopg.Error, dialect=conn.dialect
        ) from exc


_PLANS: dict[tuple[str, str, bool], _Plan] = {}


def _plan_for(conn: Connection, model: type[Any], rows: list[dict[str, Any]]) -> _Plan:
    table: Table = model.__table__
    with_id = bool(rows) and "id" in rows[0]
    if with_id and not all("id" in row for row in rows):
        raise ValueError(f"bulk insert into {table.name}: some rows carry an id, some not")
    key = (conn.dialect.name, table.name, with_id)
    plan = _PLANS.get(key)
    if plan is None:
        plan = _PLANS[key] = _Plan(table, conn.dialect, with_id)
    return plan


def insert_statement(conn: Connection, model: type[Any], rows: list[dict[str, Any]]) -> Statement:
    """One INSERT of `rows` into `model`'s table; an `id` primary key is left to the
    database unless the rows carry it (all of them, or none)."""
    plan = _plan_for(conn, model, rows)
    return Statement(plan.sql, plan.params(rows))


#: Below this many rows a table goes with the others in one pipelined round trip: each COPY
#: is a round trip of its own, which a small batch (intake's group commit) would not repay.
COPY_FROM_ROWS = 200


def write_rows(
    conn: Connection,
    tables: list[tuple[type[Any], list[dict[str, Any]]]],
    *,
    copy_from: int = COPY_FROM_ROWS,
) -> None:
    """Store each (model, rows) in the connection's transaction: on PostgreSQL a table of at
    least `copy_from` rows with COPY, the others together as executemany; on SQLite one
    executemany per table. What is stored is what `insert_many` stores; a failure is raised
    as SQLAlchemy's DBAPIError, as from `run_together`."""
    tables = [(model, rows) for model, rows in tables if rows]
    postgresql = conn.dialect.name == "postgresql"
    small = [(m, r) for m, r in tables if not postgresql or len(r) < copy_from]
    if small:
        run_together(conn, [insert_statement(conn, model, rows) for model, rows in small])
    if not postgresql:
        return
    import psycopg

    raw: Any = conn.connection.driver_connection
    quote = conn.dialect.identifier_preparer.quote
    for model, rows in tables:
        if len(rows) < copy_from:
            continue
        plan = _plan_for(conn, model, rows)
        sql = (
            f"COPY {quote(model.__table__.name)} "
            f"({', '.join(quote(n) for n in plan.names)}) FROM STDIN"
        )
        try:
            with raw.cursor() as cursor, cursor.copy(sql) as copy:
                for values in plan.params(rows):
                    copy.write_row(values)
        except psycopg.Error as exc:
            raise DBAPIError.instance(sql, None, exc, psycopg.Error, dialect=conn.dialect) from exc


def insert_many(conn: Connection, model: type[Any], rows: list[dict[str, Any]]) -> None:
    """INSERT `rows` into `model`'s table with one executemany."""
    run_together(conn, [insert_statement(conn, model, rows)])


__all__ = [
    "Statement",
    "bind_date",
    "bind_timestamp",
    "insert_many",
    "insert_statement",
    "placeholder",
    "run_together",
    "write_rows",
]
