"""The unit of work: what `Database.transaction()` and `Database.run()` hand out, and how it
writes (always through its buffer, before a read that needs the rows, at commit), and the
commit it refuses (a loaded case changed and never saved)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, text
from sqlmodel import col, select

from hub.services import routing
from hub.store import audit, cases
from hub.store.db import Database
from hub.store.models import Application, AuditEntry, Institution
from hub.store.unit_of_work import UnitOfWork, emit
from tests.support.builders import stored_case

AT = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def _append(uow: UnitOfWork, chain: str, action: str, *, new_chain: bool = False) -> str:
    entry = audit.append(
        uow,
        chain=chain,
        at=AT,
        actor_role="system",
        actor_party=None,
        action=action,
        new_chain=new_chain,
    )
    return str(entry["hash"])


def _entries(db: Database, chain: str) -> list[str]:
    with db.read() as session:
        rows = session.exec(
            select(AuditEntry.action).where(AuditEntry.chain == chain).order_by(col(AuditEntry.id))
        )
        return list(rows)


def test_a_transaction_is_a_unit_of_work_and_a_read_is_not(db: Database) -> None:
    with db.transaction() as uow:
        assert isinstance(uow, UnitOfWork)
        uow.connection().execute(
            text("INSERT INTO party_sequence (party, last) VALUES ('uow:x', 7)")
        )
    assert db.run(lambda uow: isinstance(uow, UnitOfWork))
    with db.read() as session:
        assert not isinstance(session, UnitOfWork)
        last = session.connection().execute(
            text("SELECT last FROM party_sequence WHERE party = 'uow:x'")
        )
        assert last.scalar_one() == 7
        with pytest.raises(TypeError, match="unit of work"):
            emit(session, AuditEntry, {})


def test_rows_wait_in_the_buffer_until_a_read_of_their_table_or_the_commit(
    db: Database,
) -> None:
    with db.transaction() as uow:
        first = _append(uow, "uow:a", "first", new_chain=True)
        # A read of another table leaves the buffer as it is.
        uow.connection().execute(text("SELECT count(*) FROM party_sequence")).scalar_one()
        assert uow.writes == 0
        # A second append reads the chain's last entry (ORM select): the first is written
        # before that read and found as its predecessor.
        _append(uow, "uow:a", "second")
        assert uow.writes == 1
        second = uow.exec(
            select(AuditEntry).where(AuditEntry.chain == "uow:a", AuditEntry.action == "second")
        )
        assert uow.writes == 2  # the read wrote the second entry first
        assert second.one().prev_hash == first
        _append(uow, "uow:a", "third")
        # A Core read through the connection sees the buffered rows as well.
        count = uow.connection().execute(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.chain == "uow:a")
        )
        assert count.scalar_one() == 3
        _append(uow, "uow:a", "fourth")
        writes = uow.writes
    assert writes == 3  # the fourth waited for the commit
    assert _entries(db, "uow:a") == ["first", "second", "third", "fourth"]
    with db.read() as session:
        assert audit.verify(session)[1] == []


def test_what_is_forgotten_is_not_written_and_a_written_row_cannot_be_forgotten(
    db: Database,
) -> None:
    with pytest.raises(LookupError), db.transaction() as uow:
        _append(uow, "uow:b", "kept", new_chain=True)
        point = uow.mark()
        _append(uow, "uow:c", "refused", new_chain=True)
        uow.flush()
        assert not uow.rollback_to(point)  # only rolling back the transaction undoes it
        raise LookupError("so the transaction goes")
    assert _entries(db, "uow:b") == []
    with db.transaction() as uow:
        _append(uow, "uow:b", "kept", new_chain=True)
        point = uow.mark()
        _append(uow, "uow:c", "refused", new_chain=True)
        assert uow.rollback_to(point)
    assert _entries(db, "uow:b") == ["kept"]
    assert _entries(db, "uow:c") == []


def test_a_failed_unit_of_work_writes_nothing(db: Database) -> None:
    with pytest.raises(RuntimeError), db.transaction() as uow:
        _append(uow, "uow:d", "lost", new_chain=True)
        raise RuntimeError("refused after the append")
    assert _entries(db, "uow:d") == []


def test_an_assignment_then_a_release_in_one_unit_of_work_cancel_out(db: Database) -> None:
    def load() -> int:
        with db.read() as session:
            inst = session.get(Institution, "pm-a")
            assert inst is not None
            return inst.open_cases

    before = load()
    with db.transaction() as uow:
        routing.assign(uow, "pm-a", AT)
        # A registry read does not write the buffered count early...
        uow.exec(select(Institution).where(Institution.id == "pm-a")).one()
        assert uow.writes == 0
        # ...a release does, so that its `open_cases > 0` guard sees this assignment.
        routing.release(uow, "pm-a")
        routing.assign(uow, "pm-a", AT)
    assert load() == before + 1


def _stored_status(db: Database, no: str) -> tuple[str, int]:
    with db.read() as session:
        case = cases.load(session, no)
        assert case is not None
        return case.status, case.version


def test_a_loaded_case_changed_and_not_saved_stops_the_commit(db: Database) -> None:
    with db.transaction() as uow:
        for no in ("U00001", "U00002"):
            emit(uow, Application, stored_case(no, AT, int(no[1:])).row())
    refusal = pytest.raises(cases.UnsavedCase, match="U00001: status, version")
    with refusal as refused, db.transaction() as uow:
        _append(uow, "uow:e", "with the forgotten case", new_chain=True)
        forgotten = cases.load(uow, "U00001", for_update=True)
        assert forgotten is not None
        forgotten.status, forgotten.version = "dispatched", forgotten.version + 1
        untouched = cases.load(uow, "U00002")  # loaded, read, left as it was: fine
        assert untouched is not None
    assert refused.value.changed == {"U00001": ["status", "version"]}
    assert "cases.save" in str(refused.value)  # says what is missing, in Chinese and English
    # nothing of that unit of work was written
    assert _stored_status(db, "U00001") == ("submitted", 1)
    assert _entries(db, "uow:e") == []

    # A list changed in place counts; so does a change after the case was saved.
    with pytest.raises(cases.UnsavedCase, match="returned_by"), db.transaction() as uow:
        case = cases.load(uow, "U00002", for_update=True)
        assert case is not None
        case.returned_by.append("pm-a")
    with pytest.raises(cases.UnsavedCase, match="U00002: outcome"), db.transaction() as uow:
        case = cases.load(uow, "U00002", for_update=True)
        assert case is not None
        case.status, case.version = "accepted", case.version + 1
        cases.save(uow, case)
        case.outcome = "success"
    assert _stored_status(db, "U00002") == ("submitted", 1)

    # Saved, it commits; a read session's cases are its own to change (it never commits).
    with db.transaction() as uow:
        case = cases.load(uow, "U00001", for_update=True)
        assert case is not None
        case.status, case.version = "dispatched", case.version + 1
        cases.save(uow, case)
        case = cases.load(uow, "U00001", for_update=True)  # loaded again after its save
        assert case is not None and case.status == "dispatched"
    assert _stored_status(db, "U00001") == ("dispatched", 2)
    with db.read() as session:
        shown = cases.load(session, "U00001")
        assert shown is not None
        shown.status = "what a page shows"
