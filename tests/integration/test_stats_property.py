"""`GET /v1/stats` computed in the database answers what counting every case one by one in
Python answers (tests/support/stats_oracle.py), on random data, on SQLite and PostgreSQL,
every grouping, admin and a unit, before and after cases change state (a case moved to another
institution and district, a clock added after counting), as clocks run out, and after clocks
are met late (still overdue) or in time."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from hub.clock import FakeClock
from hub.domain.calendar import REFERRAL_DEADLINE, working_hours_between
from hub.domain.case import Case
from hub.ops import stats
from hub.services.casework import close_deadlines
from hub.services.context import HubContext
from hub.services.principal import Principal, Role
from hub.store import cases
from hub.store.models import Application, Deadline, Referral
from hub.store.models_ops import Complaint
from hub.store.unit_of_work import UnitOfWork, emit
from tests.integration.conftest import Tokens, hub_on
from tests.support import stats_oracle
from tests.support.api import MONDAY
from tests.support.builders import stored_case

INSTITUTIONS = ["pm-a", "pm-b", "cm-x", None]
STATUSES = [
    "submitted",
    "dispatched",
    "received",
    "accepted",
    "rejected",
    "closed_success",
    "closed_failure",
    "withdrawn",
    "undeliverable",
    "confirmation_requested",
]
HOUR = timedelta(hours=1)
MINUTE = timedelta(minutes=1)

case_st = st.fixed_dictionaries(
    {
        "received_h": st.integers(-24 * 70, -1),
        "channel": st.sampled_from(["online", "window"]),
        "category": st.sampled_from(["consumer", "neighbor"]),
        "district": st.sampled_from(["310104", "310105"]),
        "institution": st.sampled_from(INSTITUTIONS),
        "status": st.sampled_from(STATUSES),
        "outcome": st.sampled_from([None, "success", "failure"]),
        # minutes: values inside one whole hour (the hours' ranking counts per hour first,
        # then ranks inside the wanted hours), many of them within the first three hours
        "accept_after_m": st.one_of(st.none(), st.integers(0, 24 * 9 * 60), st.integers(0, 180)),
        "deadlines": st.lists(
            st.tuples(
                st.sampled_from(["acknowledge_by", "decide_by", REFERRAL_DEADLINE]),
                st.integers(1, 24 * 6),
                st.one_of(st.none(), st.integers(0, 24 * 8)),
            ),
            max_size=3,
        ),
        "referrals": st.lists(
            st.tuples(
                st.sampled_from(["litigation", "judicial_confirmation"]),
                st.sampled_from([None, "filed", "confirmed"]),
            ),
            max_size=2,
        ),
    }
)
complaint_st = st.tuples(
    st.sampled_from(["pm-a", "pm-b", "cm-x"]),
    st.sampled_from("abc"),
    st.integers(-24 * 80, -1),
    st.one_of(st.none(), st.integers(0, 30)),
)
query_st = st.tuples(
    st.sampled_from(stats.GROUPINGS),
    st.integers(-75, 0),
    st.integers(0, 40),
    st.sampled_from(["admin", "sfj", "xbw"]),
)


@pytest.fixture
def hub(hub_db: tuple[str, Tokens], tmp_path: Path) -> Iterator[HubContext]:
    ctx = hub_on(hub_db[0], tmp_path)
    yield ctx
    ctx.db.dispose()


def _write(ctx: HubContext, drawn: list[dict[str, Any]], complaints: list[Any]) -> list[str]:
    """The random cases written as intake and the import write them (the unit of work's
    buffer, which counts them in the rollup), their clocks and referrals beside them."""
    now = MONDAY
    nos = []
    with ctx.db.transaction() as s:
        # raw DELETEs bypass the write path: the rollup is emptied with the cases
        for t in (
            "complaint",
            "referral",
            "deadline",
            "application",
            "stats_rollup",
            "stats_daily",
        ):
            s.connection().execute(text(f"DELETE FROM {t}"))
        for i, c in enumerate(drawn):
            no = f"T{i:05d}"
            nos.append(no)
            received = now + c["received_h"] * HOUR
            dispatched = received + HOUR if c["institution"] else None
            accepted = (
                dispatched + c["accept_after_m"] * MINUTE
                if dispatched and c["accept_after_m"] is not None
                else None
            )
            case = stored_case(
                no,
                received,
                i + 1,
                channel=c["channel"],
                category=c["category"],
                district=c["district"],
                status=c["status"],
                institution_id=c["institution"],
                outcome=c["outcome"],
                dispatched_at=dispatched,
                accepted_at=accepted,
                accept_hours=working_hours_between(dispatched, accepted) if accepted else None,
            )
            emit(s, Application, case.row())
            for kind, due_h, met_h in c["deadlines"]:
                emit(
                    s,
                    Deadline,
                    {
                        "application_no": no,
                        "kind": kind,
                        "institution_id": c["institution"],
                        "due_at": received + due_h * HOUR,
                        "met_at": None if met_h is None else received + met_h * HOUR,
                    },
                )
            for kind, outcome in c["referrals"]:
                emit(
                    s,
                    Referral,
                    {
                        "id": str(uuid.uuid4()),
                        "application_no": no,
                        "kind": kind,
                        "target_id": "court-310104",
                        "requested_by": "pm-a",
                        "status": "decided" if outcome else "pending",
                        "outcome": outcome,
                        "documents": [],
                        "created_at": received,
                    },
                )
        for j, (inst, contact, created_h, case_index) in enumerate(complaints):
            about = nos[case_index] if case_index is not None and case_index < len(nos) else None
            s.add(
                Complaint(
                    no=f"TS{j:05d}",
                    institution_id=inst,
                    unit_id="sfj",
                    type="service",
                    application_no=about,
                    sealed="x",
                    contact_index=contact,
                    query_code_hash="x",
                    submitted_by_role="portal",
                    created_at=now + created_h * HOUR,
                )
            )
    return nos


def _step(s: UnitOfWork, no: str, change: Callable[[Case], None]) -> Case:
    """A case step as the services take it: loaded locked, changed, saved (its version up)."""
    case = cases.load(s, no, for_update=True)
    assert case is not None
    change(case)
    case.version += 1
    case.updated_at = MONDAY + 2 * HOUR
    cases.save(s, case)
    return case


def _change(ctx: HubContext, nos: list[str], flips: list[int]) -> None:
    """Cases move on after they were counted: accepted, closed, their clocks met; one gets
    a new clock, one is dispatched elsewhere (it moves to another group), one is moved a day
    (another day of the rollup). A case drawn twice is changed twice in one transaction."""
    later = MONDAY + 2 * HOUR

    def moved(case: Case) -> None:
        case.institution_id, case.district = "cm-x", "310104"

    def shifted(case: Case) -> None:
        case.received_at += 24 * HOUR

    def moved_on(case: Case) -> None:
        if case.accepted_at is None and case.dispatched_at is not None:
            case.accepted_at = later
            case.accept_hours = working_hours_between(case.dispatched_at, later)
            case.status = "accepted"
        else:
            case.status, case.outcome, case.closed_at = "closed_success", "success", later

    with ctx.db.transaction() as s:
        for k in flips[:2]:
            emit(
                s,
                Deadline,
                {
                    "application_no": nos[k % len(nos)],
                    "kind": "decide_by",
                    "institution_id": "pm-a",
                    "due_at": MONDAY + (k % 50) * HOUR,
                },
            )
        for k in flips[2:3]:
            _step(s, nos[k % len(nos)], moved)
        for k in flips[3:4]:
            _step(s, nos[k % len(nos)], shifted)
        for k in flips:
            case = _step(s, nos[k % len(nos)], moved_on)
            close_deadlines(s, case.no, later)  # as the services meet them (ORM objects)


def _met_late(ctx: HubContext, nos: list[str], flips: list[int]) -> None:
    """After the clock ran on: the open clocks of some cases met now (late, for those past
    due: they stay overdue with their clock met), one of them through the write buffer (a
    new clock, met on time, for a stored case)."""
    now = ctx.clock.now()
    with ctx.db.transaction() as s:
        for k in flips[::2]:
            close_deadlines(s, nos[k % len(nos)], now)
        for k in flips[1:2]:
            emit(
                s,
                Deadline,
                {
                    "application_no": nos[k % len(nos)],
                    "kind": "acknowledge_by",
                    "institution_id": "pm-b",
                    "due_at": now + HOUR,
                    "met_at": now,
                },
            )


def _same(ctx: HubContext, queries: list[Any]) -> None:
    for by, start, length, who in queries:
        principal = Principal(Role.ADMIN, None) if who == "admin" else Principal(Role.UNIT, who)
        first = MONDAY.date() + timedelta(days=start)
        query = {"by": by, "format": "json", "from": first, "to": first + timedelta(days=length)}
        with ctx.db.read() as s:
            got = stats.compute(ctx, s, principal, query)
            want = stats_oracle.compute(ctx, s, principal, query)
        assert got == want, (by, who, query)
        assert stats.to_csv(got) == stats.to_csv(want)  # one writer; the rows are compared


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    drawn=st.lists(case_st, min_size=1, max_size=40),
    complaints=st.lists(complaint_st, max_size=12),
    queries=st.lists(query_st, min_size=1, max_size=4),
    flips=st.lists(st.integers(0, 1000), max_size=8),
    hours_later=st.integers(1, 24 * 8),
)
def test_stats_match_brute_force(
    hub: HubContext,
    drawn: list[dict[str, Any]],
    complaints: list[Any],
    queries: list[Any],
    flips: list[int],
    hours_later: int,
) -> None:
    clock = hub.clock
    assert isinstance(clock, FakeClock)
    clock.set(MONDAY)
    nos = _write(hub, drawn, complaints)
    _same(hub, queries)
    _change(hub, nos, flips)
    _same(hub, queries)
    # Clocks still running go overdue as time passes, with no write to count it.
    clock.advance(hours_later * HOUR)
    _same(hub, queries)
    # Late clocks met: still overdue; clocks met in time: no longer counted as running.
    _met_late(hub, nos, flips)
    _same(hub, queries)
    clock.advance(hours_later * HOUR)
    _same(hub, queries)
