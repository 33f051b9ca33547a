"""The store's contract: the same test cases on SQLite and on PostgreSQL (`database_url`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlmodel import col, select

from hub.services import intake
from hub.services.context import HubContext
from hub.services.errors import Conflict
from hub.services.feed import read_feed
from hub.services.idempotency import Answer, remember, replay
from hub.services.principal import Principal, Role
from hub.store import audit
from hub.store.migrate import upgrade
from hub.store.models import Application, AuditEntry, OutboxMessage, OutboxPending, OutboxSent
from hub.store.outbox import enqueue, open_envelope
from hub.store.sequences import next_day_sequence, next_party_sequence
from tests.support.api import (
    APPLICANT_ID,
    APPLICANT_NAME,
    APPLICANT_PHONE,
    MONDAY,
    PERSONAL_VALUES,
    RESPONDENT_USCC,
    SMALL_REGISTRY,
    application_body,
)
from tests.support.hubctx import make_hub

PORTAL = Principal(Role.PORTAL, "portal", "t-portal")
DAY = date(2026, 11, 23)


class Boom(Exception):
    pass


@pytest.fixture
def ctx(database_url: str, tmp_path: Path) -> Iterator[HubContext]:
    hub = make_hub(database_url, tmp_path, now=MONDAY, registry=SMALL_REGISTRY)
    try:
        yield hub
    finally:
        hub.db.dispose()


def _next_day(ctx: HubContext, day: date = DAY, *, fail: bool = False) -> int:
    with ctx.db.transaction() as session:
        value = next_day_sequence(session, "310000", day)
        if fail:
            raise Boom
    return value


def test_day_sequence_is_gap_free_and_a_rollback_gives_its_number_back(ctx: HubContext) -> None:
    assert [_next_day(ctx) for _ in range(3)] == [1, 2, 3]
    with pytest.raises(Boom):
        _next_day(ctx, fail=True)
    assert _next_day(ctx) == 4
    # a new day starts again at 1; another region has its own counter
    assert _next_day(ctx, date(2026, 11, 24)) == 1
    with ctx.db.transaction() as session:
        assert next_day_sequence(session, "310100", DAY) == 1
        # two numbers in one transaction are consecutive
        assert next_day_sequence(session, "310100", DAY) == 2
    with ctx.db.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT region, day, last FROM day_sequence ORDER BY region, day")
        ).all()
    assert [(r[0], str(r[1])[:10], r[2]) for r in rows] == [
        ("310000", "2026-11-23", 4),
        ("310000", "2026-11-24", 1),
        ("310100", "2026-11-23", 2),
    ]


def test_party_sequence_is_gap_free_per_destination(ctx: HubContext) -> None:
    seen: dict[str, list[int]] = {"inst-a": [], "inst-b": []}
    for dest in ["inst-a", "inst-b", "inst-a", "inst-a", "inst-b"]:
        with ctx.db.transaction() as session:
            seen[dest].append(next_party_sequence(session, dest))
    with pytest.raises(Boom), ctx.db.transaction() as session:
        next_party_sequence(session, "inst-a")
        raise Boom
    with ctx.db.transaction() as session:
        seen["inst-a"].append(next_party_sequence(session, "inst-a"))
    assert seen == {"inst-a": [1, 2, 3, 4], "inst-b": [1, 2]}


def test_outbox_feed_is_ordered_per_destination_and_rollback_leaves_no_gap(
    ctx: HubContext,
) -> None:
    now = ctx.clock.now()
    for i in range(5):
        with ctx.db.transaction() as session:
            enqueue(
                session,
                ctx.vault,
                destination="institution:x",
                type="t",
                application_no=None,
                data={"i": i},
                occurred_at=now,
            )
            enqueue(
                session,
                ctx.vault,
                destination="institution:y",
                type="t",
                application_no=None,
                data={"i": i},
                occurred_at=now,
            )
    with pytest.raises(Boom), ctx.db.transaction() as session:
        enqueue(
            session,
            ctx.vault,
            destination="institution:x",
            type="t",
            application_no=None,
            data={"i": "lost"},
            occurred_at=now,
        )
        raise Boom
    with ctx.db.transaction() as session:
        enqueue(
            session,
            ctx.vault,
            destination="institution:x",
            type="t",
            application_no=None,
            data={"i": 5},
            occurred_at=now,
        )
    with ctx.db.read() as session:
        seqs = session.exec(
            select(OutboxMessage.party_seq)
            .where(OutboxMessage.destination == "institution:x")
            .order_by(col(OutboxMessage.party_seq))
        ).all()
        assert list(seqs) == [1, 2, 3, 4, 5, 6]
        first, cursor = read_feed(ctx, session, "institution:x", 0, 4)
        rest, end = read_feed(ctx, session, "institution:x", cursor, 100)
        empty, same = read_feed(ctx, session, "institution:x", end, 100)
    assert [m["data"]["i"] for m in first] == [0, 1, 2, 3]
    assert cursor == 4
    assert [m["data"]["i"] for m in rest] == [4, 5]
    assert (end, empty, same) == (6, [], 6)


def test_outbox_envelope_round_trips_and_is_ciphertext_at_rest(ctx: HubContext) -> None:
    now = ctx.clock.now()
    data = {"name": APPLICANT_NAME, "id_number": APPLICANT_ID, "phone": APPLICANT_PHONE}
    with ctx.db.transaction() as session:
        message_id = enqueue(
            session,
            ctx.vault,
            destination="hub:notify",
            type="notice.test",
            application_no="310000-20261123-000001-3",
            data=data,
            occurred_at=now,
            deliver_by=now,
        )
    with ctx.db.engine.connect() as conn:
        raw = conn.execute(
            text("SELECT envelope FROM outbox WHERE message_id = :m"), {"m": message_id}
        ).scalar_one()
    assert isinstance(raw, str) and raw
    for value in data.values():
        assert value not in raw
    assert "王" not in raw and "\\u" not in raw
    with ctx.db.read() as session:
        stored = session.exec(
            select(OutboxMessage).where(OutboxMessage.message_id == message_id)
        ).one()
        envelope = open_envelope(ctx.vault, stored)
        pending = session.get(OutboxPending, stored.id)
        sent = session.get(OutboxSent, stored.id)
    assert envelope == {
        "message_id": message_id,
        "type": "notice.test",
        "application_no": "310000-20261123-000001-3",
        "occurred_at": "2026-11-23T10:00:00+08:00",
        "data": data,
    }
    assert stored.deliver_by == now
    # Written pending, with its destination and case for the claim's order check; not sent.
    assert pending is not None and sent is None
    assert (pending.destination, pending.application_no) == (
        stored.destination,
        stored.application_no,
    )


def _submit(ctx: HubContext) -> dict[str, object]:
    with ctx.db.transaction() as session:
        return intake.submit(ctx, session, PORTAL, application_body())


def test_personal_data_of_an_application_is_ciphertext_at_rest(ctx: HubContext) -> None:
    answer = _submit(ctx)
    no = answer["application_no"]
    with ctx.db.engine.connect() as conn:
        personal = conn.execute(
            text("SELECT personal FROM application WHERE no = :no"), {"no": no}
        ).scalar_one()
    assert personal
    for value in (*PERSONAL_VALUES, RESPONDENT_USCC):
        assert value not in personal
    # ... and no other column of any table holds them in clear either
    secrets = (APPLICANT_NAME, APPLICANT_ID, APPLICANT_PHONE, RESPONDENT_USCC)
    with ctx.db.engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                blob = " ".join(str(v) for v in row)
                leaked = [s for s in secrets if s in blob]
                assert not leaked, f"{table} holds {leaked} in clear"
    # the sealed record still opens to what was submitted
    with ctx.db.read() as session:
        app = session.get(Application, no)
        assert app is not None
        from hub.services.records import open_personal

        opened = open_personal(ctx.vault, app)
    assert opened["applicants"][0]["id_number"] == APPLICANT_ID
    assert opened["facts"] == application_body()["facts"]


def test_audit_chain_verifies_and_detects_an_edited_or_deleted_entry(ctx: HubContext) -> None:
    no = _submit(ctx)["application_no"]
    _submit(ctx)
    with ctx.db.transaction() as session:
        for i in range(3):
            audit.append(
                session,
                chain=str(no),
                at=ctx.clock.now(),
                actor_role="admin",
                actor_party="t",
                action=f"test.{i}",
                application_no=str(no),
            )
    with ctx.db.read() as session:
        count, breaks = audit.verify(session)
        entries = session.exec(
            select(AuditEntry).where(AuditEntry.chain == no).order_by(col(AuditEntry.id))
        ).all()
    assert count >= 5 and breaks == []
    assert entries[0].prev_hash == audit.GENESIS
    assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]

    edited = entries[1]
    with ctx.db.engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_entry SET action = 'test.forged' WHERE id = :id"), {"id": edited.id}
        )
    with ctx.db.read() as session:
        _, breaks = audit.verify(session)
    assert [(b.chain, b.entry_id, b.reason) for b in breaks] == [
        (no, edited.id, "entry content changed")
    ]

    with ctx.db.engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_entry SET action = :a WHERE id = :id"),
            {"a": edited.action, "id": edited.id},
        )
        conn.execute(text("DELETE FROM audit_entry WHERE id = :id"), {"id": entries[2].id})
    with ctx.db.read() as session:
        _, breaks = audit.verify(session)
    assert [(b.entry_id, b.reason) for b in breaks] == [
        (entries[3].id, "predecessor missing or changed")
    ]


def test_idempotency_record_replays_and_refuses_another_body(ctx: HubContext) -> None:
    answer = Answer(201, '{"application_no": "x"}')
    with ctx.db.transaction() as session:
        assert replay(session, ctx.vault, PORTAL, "k-1", "digest-a") is None
        remember(session, ctx.vault, PORTAL, "k-1", "digest-a", answer, ctx.clock.now())
    with ctx.db.read() as session:
        assert replay(session, ctx.vault, PORTAL, "k-1", "digest-a") == answer
        with pytest.raises(Conflict):
            replay(session, ctx.vault, PORTAL, "k-1", "digest-b")
        # keys are each caller's own
        other = Principal(Role.INSTITUTION, "pm-a", "t-inst")
        assert replay(session, ctx.vault, other, "k-1", "digest-b") is None
    # the same key twice for one caller is refused by the database itself
    with pytest.raises(Exception), ctx.db.transaction() as session:  # noqa: B017
        remember(session, ctx.vault, PORTAL, "k-1", "digest-a", answer, ctx.clock.now())


@pytest.mark.empty_database
def test_migrations_are_idempotent(database_url: str, tmp_path: Path) -> None:
    upgrade(database_url)
    upgrade(database_url)
    hub = make_hub(database_url, tmp_path, now=MONDAY, registry=SMALL_REGISTRY)
    try:
        with hub.db.engine.connect() as conn:
            versions = conn.execute(text("SELECT version_num FROM alembic_version")).all()
            tables = set(inspect(conn).get_table_names())
        assert len(versions) == 1
        assert {
            "application",
            "case_event",
            "outbox",
            "party_sequence",
            "day_sequence",
            "referral",
            "deadline",
            "audit_entry",
            "idempotency_record",
            "api_token",
            "institution",
            "unit",
        } <= tables
        answer = _submit(hub)
        assert str(answer["application_no"]).startswith("310000-20261123-000001-")
    finally:
        hub.db.dispose()


@pytest.mark.empty_database
def test_the_migrations_build_the_schema_the_models_describe(database_url: str) -> None:
    """A model changed without its migration (or the reverse) shows up here, as the
    difference Alembic's autogenerate would write into a new migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    import hub.store.models
    import hub.store.models_accounts
    import hub.store.models_ops
    import hub.store.models_privacy  # noqa: F401  (every table on the metadata)
    from hub.store.db import make_engine

    upgrade(database_url)
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    finally:
        engine.dispose()
    assert diff == []
