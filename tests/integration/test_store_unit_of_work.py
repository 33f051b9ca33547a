"""The unit of work: what `Database.transaction()` and `Database.run()` hand out."""

from __future__ import annotations

from sqlalchemy import text

from hub.store.db import Database
from hub.store.unit_of_work import UnitOfWork
from tests.integration.conftest import Tokens


def test_a_transaction_is_a_unit_of_work_and_a_read_is_not(hub_db: tuple[str, Tokens]) -> None:
    db = Database(hub_db[0], pool_size=2)
    try:
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
    finally:
        db.dispose()
