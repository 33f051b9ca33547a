"""`store.bulk` on both databases: `insert_many` stores exactly what SQLAlchemy's own INSERT
stores (the same raw column values, the same values read back through the ORM), and
statements run together answer in order and fail as SQLAlchemy errors."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, create_engine, insert, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from hub.store.bulk import (
    Statement,
    insert_many,
    insert_statement,
    placeholder,
    run_together,
    write_rows,
)
from hub.store.migrate import upgrade
from hub.store.models import Application, AuditEntry, CaseEvent, Deadline, OutboxMessage, PartyIndex

SHANGHAI = timezone(timedelta(hours=8))
AT = datetime(2026, 11, 23, 9, 30, 15, 123456, tzinfo=SHANGHAI)
ON_THE_SECOND = datetime(2026, 11, 23, 1, 0, 0, tzinfo=UTC)  # microsecond 0 still written


def _rows(tag: str) -> dict[type[Any], dict[str, Any]]:
    """One row per buffered table, with a key column set to `tag` to tell the pair apart."""
    no = f"310000-20261123-{tag}-X"
    return {
        Application: {
            "no": no,
            "region": "310000",
            "day": date(2026, 11, 23),
            "sequence": int(tag),
            "channel": "online",
            "category": "consumer",
            "district": "310104",
            "status": "dispatched",
            "preferred_institution": None,
            "returned_by": ["pm-1"],
            "submitted_by_role": "portal",
            "submitted_by_party": "portal",
            "query_code_hash": "h",
            "personal": "sealed",
            "received_at": AT,
            "created_at": ON_THE_SECOND,
            "updated_at": AT,
            "institution_id": "pm-2",
            "dispatched_at": None,  # present but empty; `version` and the flag left out
        },
        PartyIndex: {
            "application_no": no,
            "role": "applicant",
            "value": "v",
            "received_at": AT,
            "created_at": AT,
        },
        CaseEvent: {
            "application_no": no,
            "event_id": f"e-{tag}",
            "type": "submitted",
            "status_after": "submitted",
            "data": '{"channel": "online"}',
            "actor_role": "portal",
            "actor_party": None,
            "occurred_at": AT,
        },
        Deadline: {
            "application_no": no,
            "kind": "acknowledge",
            "institution_id": "pm-2",
            "due_at": AT + timedelta(days=1),
            "provisional": True,
        },
        OutboxMessage: {
            "message_id": f"m-{tag}",
            "destination": "pm-2",
            "party_seq": int(tag),
            "type": "application.dispatched",
            "application_no": no,
            "envelope": "{}",
            "occurred_at": AT,
            "deliver_by": None,
            "created_at": AT,
        },
        AuditEntry: {
            "chain": f"c-{tag}",
            "at": AT,
            "actor_role": "portal",
            "actor_party": "portal",
            "action": "application.submitted",
            "application_no": no,
            "detail": {"status": "dispatched", "institution": None},
            "prev_hash": "p",
            "hash": "h",
        },
    }


KEY = {
    Application: "no",
    PartyIndex: "application_no",
    CaseEvent: "event_id",
    Deadline: "application_no",
    OutboxMessage: "message_id",
    AuditEntry: "chain",
}


@pytest.fixture
def conn(database_url: str, tmp_path: Path) -> Iterator[Connection]:
    upgrade(database_url)
    url = make_url(database_url)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            yield connection
    finally:
        engine.dispose()


def _raw(conn: Connection, model: type[Any], key: str, value: str) -> dict[str, Any]:
    table = model.__table__.name  # type: ignore[attr-defined]
    row = conn.exec_driver_sql(f"SELECT * FROM {table}").mappings().all()
    (found,) = [r for r in row if r[key] == value]
    return {k: v for k, v in found.items() if k != "id"}


@pytest.mark.parametrize("model", list(KEY), ids=lambda m: m.__tablename__)
def test_bulk_insert_stores_what_sqlalchemy_stores(conn: Connection, model: type[Any]) -> None:
    ours, theirs = _rows("000001")[model], _rows("000002")[model]
    insert_many(conn, model, [ours])
    conn.execute(insert(model), [theirs])
    key = KEY[model]
    a, b = _raw(conn, model, key, ours[key]), _raw(conn, model, key, theirs[key])
    differing = {k for k in a if a[k] != b[k]}
    # Only the columns that were given different values on purpose may differ.
    assert differing == {k for k in ours if ours[k] != theirs[k]}
    # Read back through the ORM: aware UTC datetimes, dates, JSON, flags and defaults.
    orm = (
        conn.execute(
            model.__table__.select().where(model.__table__.c[key] == ours[key])  # type: ignore[attr-defined]
        )
        .one()
        ._mapping
    )
    for name, value in ours.items():
        assert orm[name] == value, name
    if model is Application:
        assert orm["version"] == 1 and orm["arbitration_agreement"] is False
    if model is CaseEvent:
        assert orm["public"] is True


def test_bulk_insert_refuses_a_naive_datetime(conn: Connection) -> None:
    row = _rows("000003")[PartyIndex] | {"created_at": datetime(2026, 11, 23, 9, 0)}
    with pytest.raises(ValueError, match="naive"):
        insert_many(conn, PartyIndex, [row])
    assert conn.execute(text("SELECT count(*) FROM party_index")).scalar() == 0


def test_bulk_insert_writes_many_rows_in_order(conn: Connection) -> None:
    rows = [_rows(f"{i:06d}")[OutboxMessage] for i in range(1, 51)]
    insert_many(conn, OutboxMessage, rows)
    stored = conn.execute(text("SELECT message_id FROM outbox ORDER BY id")).scalars().all()
    assert stored == [r["message_id"] for r in rows]


def test_statements_run_together_answer_in_order_and_fail_as_sqlalchemy_errors(
    conn: Connection,
) -> None:
    p = placeholder(conn.dialect)
    upsert = (
        f"INSERT INTO party_sequence (party, last) VALUES ({p}, {p}), ({p}, {p}) "
        "ON CONFLICT (party) DO UPDATE SET last = party_sequence.last + excluded.last "
        "RETURNING party, last"
    )
    rows = [_rows(f"{i:06d}")[OutboxMessage] for i in (1, 2)]
    first = run_together(
        conn,
        [
            Statement(upsert, [("a", 2, "b", 3)], returning=True),
            insert_statement(conn, OutboxMessage, rows),
            Statement(upsert, [("a", 1, "c", 1)], returning=True),
        ],
    )
    assert sorted(first[0]) == [("a", 2), ("b", 3)] and first[1] == []
    assert sorted(first[2]) == [("a", 3), ("c", 1)]
    # A repeated message_id breaks the unique index: raised as SQLAlchemy's error type.
    with pytest.raises(IntegrityError) as caught:
        run_together(conn, [insert_statement(conn, OutboxMessage, rows[:1])])
    assert isinstance(caught.value.orig, Exception)
    if conn.dialect.name == "postgresql":
        assert caught.value.orig.sqlstate == "23505"  # type: ignore[attr-defined]


@pytest.mark.parametrize("model", list(KEY), ids=lambda m: m.__tablename__)
def test_rows_written_by_copy_are_those_sqlalchemy_writes(
    conn: Connection, model: type[Any]
) -> None:
    """`write_rows` (COPY on PostgreSQL) stores the raw values SQLAlchemy's INSERT stores."""
    ours, theirs = _rows("000004")[model], _rows("000005")[model]
    write_rows(conn, [(model, [ours])], copy_from=1)
    conn.execute(insert(model), [theirs])
    key = KEY[model]
    a, b = _raw(conn, model, key, ours[key]), _raw(conn, model, key, theirs[key])
    assert {k for k in a if a[k] != b[k]} == {k for k in ours if ours[k] != theirs[k]}


def test_written_rows_keep_their_order_and_fail_as_sqlalchemy_errors(conn: Connection) -> None:
    rows = [_rows(f"{i:06d}")[OutboxMessage] for i in range(1, 31)]
    events = [_rows(f"{i:06d}")[CaseEvent] for i in range(1, 4)]
    # Outbox rows by COPY, the few events pipelined with the small tables.
    write_rows(conn, [(CaseEvent, events), (OutboxMessage, rows)], copy_from=10)
    stored = conn.execute(text("SELECT message_id FROM outbox ORDER BY id")).scalars().all()
    assert stored == [r["message_id"] for r in rows]
    assert conn.execute(text("SELECT count(*) FROM case_event")).scalar() == 3
    with pytest.raises(IntegrityError):
        write_rows(conn, [(OutboxMessage, rows[:1])], copy_from=1)
