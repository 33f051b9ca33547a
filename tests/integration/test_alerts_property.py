"""`GET /v1/alerts` computed in the database answers what reading every case into Python
answers (tests/support/alerts_oracle.py), on random data, on SQLite and PostgreSQL, for
admin and units, before and after cases move, with groups of one to three cases; pages put
together are the whole list."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from hub.ops import alerts
from hub.services.context import HubContext
from hub.services.principal import Principal, Role
from hub.store.models import Application, PartyIndex
from hub.store.unit_of_work import emit
from tests.integration.conftest import Tokens, hub_on
from tests.support import alerts_oracle
from tests.support.api import MONDAY
from tests.support.builders import stored_case

HOUR = timedelta(hours=1)
case_st = st.tuples(
    st.integers(-24 * 7 * 10, 0),  # received, hours before now
    st.sampled_from(["consumer", "neighbor"]),
    st.sampled_from(["310104", "310105"]),
    st.sampled_from(["pm-a", "cm-x", None]),
    st.lists(st.sampled_from("RSTU"), min_size=1, max_size=2),  # respondents
    st.sampled_from("abcdef"),  # applicant
)


@pytest.fixture
def hub(hub_db: tuple[str, Tokens], tmp_path: Path) -> Iterator[HubContext]:
    ctx = hub_on(hub_db[0], tmp_path)
    # low thresholds, so that random data raises both kinds of alert
    low = replace(ctx.settings.alerts, surge_min=2, surge_sigma=1, mass_min=2)
    ctx.settings = replace(ctx.settings, alerts=low)
    yield ctx
    ctx.db.dispose()


def _write(ctx: HubContext, drawn: list[Any], shift_h: int = 0) -> None:
    """The random cases and their parties' index written as intake writes them."""
    with ctx.db.transaction() as s:
        # raw DELETEs bypass the write path: the rollup is emptied with the cases
        for t in ("party_index", "respondent_tally", "application", "stats_rollup", "stats_daily"):
            s.connection().execute(text(f"DELETE FROM {t}"))
        for i, (hours, category, district, inst, respondents, applicant) in enumerate(drawn):
            no = f"T{i:05d}"
            received = MONDAY + (hours + shift_h) * HOUR
            case = stored_case(
                no,
                received,
                i + 1,
                category=category,
                district=district,
                status="dispatched",
                institution_id=inst,
            )
            emit(s, Application, case.row())
            parties = [("respondent", r) for r in respondents] + [("applicant", applicant)]
            for role, value in parties:
                emit(
                    s,
                    PartyIndex,
                    {
                        "application_no": no,
                        "role": role,
                        "value": value,
                        "received_at": received,
                        "created_at": received,
                    },
                )


kinds: set[str] = set()


def _same(ctx: HubContext) -> None:
    for who in ("admin", "sfj", "xbw"):
        principal = Principal(Role.ADMIN, None) if who == "admin" else Principal(Role.UNIT, who)
        with ctx.db.read() as s:
            want = alerts_oracle.alerts(ctx, s, principal)["alerts"]
            whole = alerts.alerts(ctx, s, principal, limit=1000)
            pages: list[dict[str, Any]] = []
            offset: int | None = 0
            while offset is not None:
                page = alerts.alerts(ctx, s, principal, limit=2, offset=offset)
                pages += page["alerts"]
                offset = int(page["next"]) if page["next"] else None
        got = [
            {k: v for k, v in a.items() if k != "application_nos_total"} for a in whole["alerts"]
        ]
        assert got == want, who
        kinds.update(a["type"] for a in want)
        assert pages == whole["alerts"] and whole["total"] == len(want)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    cases=st.lists(case_st, min_size=1, max_size=60),
    shift=st.integers(0, 24 * 8),
    mass_min=st.sampled_from([2, 2, 3, 1]),  # 1: every respondent, not only the repeated
)
def test_alerts_match_brute_force(
    hub: HubContext, cases: list[Any], shift: int, mass_min: int
) -> None:
    hub.settings = replace(hub.settings, alerts=replace(hub.settings.alerts, mass_min=mass_min))
    _write(hub, cases)
    _same(hub)
    _write(hub, cases, shift_h=-shift)  # time moves on: cases fall out of the windows
    _same(hub)


def test_both_kinds_were_compared(hub: HubContext) -> None:
    """Run after the property test (same module): the data raised surges and mass alerts."""
    if not kinds:  # the property ran in another worker process (pytest -n): run it here
        test_alerts_match_brute_force(hub)
    assert kinds == {"surge", "same_respondent"}
