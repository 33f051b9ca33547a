"""`GET /v1/stats` computed in the database answers what counting every case one by one in
Python answers (tests/support/stats_oracle.py), on random data, on SQLite and PostgreSQL,
every grouping, admin and a unit, before and after cases change state (a case moved to another
institution and district, a clock added after counting), and as clocks run out."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import bindparam, text

from hub.clock import FakeClock
from hub.domain.calendar import REFERRAL_DEADLINE, working_hours_between
from hub.ops import stats
from hub.services.context import HubContext
from hub.services.principal import Principal, Role
from hub.store.models import Application, Deadline, Referral
from hub.store.models_ops import Complaint
from hub.store.types import UTCDateTime
from tests.integration.conftest import Tokens, hub_on
from tests.support import stats_oracle
from tests.support.api import MONDAY

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

case_st = st.fixed_dictionaries(
    {
        "received_h": st.integers(-24 * 70, -1),
        "channel": st.sampled_from(["online", "window"]),
        "category": st.sampled_from(["consumer", "neighbor"]),
        "district": st.sampled_from(["310104", "310105"]),
        "institution": st.sampled_from(INSTITUTIONS),
        "status": st.sampled_from(STATUSES),
        "outcome": st.sampled_from([None, "success", "failure"]),
        "accept_after_h": st.one_of(st.none(), st.integers(0, 24 * 9)),
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


def _write(ctx: HubContext, cases: list[dict[str, Any]], complaints: list[Any]) -> list[str]:
    now = MONDAY
    nos = []
    with ctx.db.transaction() as s:
        # raw DELETEs bypass the write path: the rollup is emptied with the cases
        for t in ("complaint", "referral", "deadline", "application", "stats_rollup"):
            s.connection().execute(text(f"DELETE FROM {t}"))
        for i, c in enumerate(cases):
            no = f"T{i:05d}"
            nos.append(no)
            received = now + c["received_h"] * HOUR
            dispatched = received + HOUR if c["institution"] else None
            accepted = (
                dispatched + c["accept_after_h"] * HOUR
                if dispatched and c["accept_after_h"] is not None
                else None
            )
            s.add(
                Application(
                    no=no,
                    region="310000",
                    day=date(2026, 1, 1),
                    sequence=i + 1,
                    channel=c["channel"],
                    category=c["category"],
                    district=c["district"],
                    status=c["status"],
                    institution_id=c["institution"],
                    submitted_by_role="portal",
                    query_code_hash="x",
                    personal="x",
                    outcome=c["outcome"],
                    received_at=received,
                    created_at=received,
                    updated_at=received,
                    dispatched_at=dispatched,
                    accepted_at=accepted,
                    accept_hours=working_hours_between(dispatched, accepted) if accepted else None,
                )
            )
            for kind, due_h, met_h in c["deadlines"]:
                s.add(
                    Deadline(
                        application_no=no,
                        kind=kind,
                        institution_id=c["institution"],
                        due_at=received + due_h * HOUR,
                        met_at=None if met_h is None else received + met_h * HOUR,
                    )
                )
            for kind, outcome in c["referrals"]:
                s.add(
                    Referral(
                        id=str(uuid.uuid4()),
                        application_no=no,
                        kind=kind,
                        target_id="court-310104",
                        requested_by="pm-a",
                        status="decided" if outcome else "pending",
                        outcome=outcome,
                        created_at=received,
                    )
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


def _change(ctx: HubContext, nos: list[str], flips: list[int]) -> None:
    """Cases move on after they were counted: accepted, closed, their clocks met; one gets
    a new clock, one is dispatched elsewhere (it moves to another group), one is moved a day
    (another day of the rollup)."""
    later = MONDAY + 2 * HOUR
    with ctx.db.transaction() as s:
        for k in flips[:2]:
            s.add(
                Deadline(
                    application_no=nos[k % len(nos)],
                    kind="decide_by",
                    institution_id="pm-a",
                    due_at=MONDAY + (k % 50) * HOUR,
                )
            )
        for k in flips[2:3]:
            moved = s.get(Application, nos[k % len(nos)])
            assert moved is not None
            moved.institution_id, moved.district = "cm-x", "310104"
            s.add(moved)
        for k in flips[3:4]:  # a day later, set on an expired object (old values unloaded)
            shifted = s.get(Application, nos[k % len(nos)])
            assert shifted is not None
            received = shifted.received_at
            s.expire(shifted)
            shifted.received_at = received + 24 * HOUR
            s.add(shifted)
        s.flush()
        for k in flips:
            app = s.get(Application, nos[k % len(nos)])
            assert app is not None
            if app.accepted_at is None and app.dispatched_at is not None:
                app.accepted_at = later
                app.accept_hours = working_hours_between(app.dispatched_at, later)
                app.status = "accepted"
            else:
                app.status, app.outcome, app.closed_at = "closed_success", "success", later
            s.add(app)
            # the column's type binds the time as the hub stores it (SQLite compares text)
            s.connection().execute(
                text(
                    "UPDATE deadline SET met_at = :t WHERE application_no = :n AND met_at IS NULL"
                ).bindparams(bindparam("t", type_=UTCDateTime())),
                {"t": later, "n": app.no},
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
    cases=st.lists(case_st, min_size=1, max_size=40),
    complaints=st.lists(complaint_st, max_size=12),
    queries=st.lists(query_st, min_size=1, max_size=4),
    flips=st.lists(st.integers(0, 1000), max_size=8),
    hours_later=st.integers(1, 24 * 8),
)
def test_stats_match_brute_force(
    hub: HubContext,
    cases: list[dict[str, Any]],
    complaints: list[Any],
    queries: list[Any],
    flips: list[int],
    hours_later: int,
) -> None:
    clock = hub.clock
    assert isinstance(clock, FakeClock)
    clock.set(MONDAY)
    nos = _write(hub, cases, complaints)
    _same(hub, queries)
    _change(hub, nos, flips)
    _same(hub, queries)
    # Clocks still running go overdue as time passes, with no write to count it.
    clock.advance(hours_later * HOUR)
    _same(hub, queries)
