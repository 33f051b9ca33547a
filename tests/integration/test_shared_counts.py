"""The data bureau's true counts (before noise) are aggregated in the database and answer
what reading every case's last step into Python answers, on both databases."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import and_, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from hub.services.sharing.aggregates import DIMENSIONS, _true_counts
from hub.services.sharing.feed import month_of, month_start, next_month
from hub.store.models import Application, CaseEvent
from privacy.release import OUTCOME_OF_STATUS
from tests.support.api import Api
from tests.support.imports import import_line, ndjson


def _brute(
    session: Session, dims: tuple[str, ...], months: list[str], as_of: datetime
) -> dict[tuple[str, ...], int]:
    last_step = (
        sa_select(col(CaseEvent.application_no), func.max(col(CaseEvent.id)).label("last"))
        .where(col(CaseEvent.occurred_at) < as_of)
        .group_by(col(CaseEvent.application_no))
        .subquery()
    )
    query = (
        sa_select(
            col(Application.received_at),
            col(Application.district),
            col(Application.category),
            col(Application.channel),
            col(CaseEvent.status_after),
        )
        .join(last_step, last_step.c.application_no == col(Application.no))
        .join(CaseEvent, col(CaseEvent.id) == last_step.c.last)
        .where(
            and_(
                col(Application.received_at) >= month_start(months[0]),
                col(Application.received_at) < month_start(next_month(months[-1])),
            )
        )
    )
    counts: dict[tuple[str, ...], int] = defaultdict(int)
    for received, district, category, channel, status in session.execute(query):
        coords = {
            "month": month_of(received),
            "district": district,
            "category": category,
            "outcome": OUTCOME_OF_STATUS.get(status, "pending"),
            "channel": channel,
        }
        counts[tuple(coords[d] for d in dims)] += 1
    return dict(counts)


def test_true_counts_match_brute_force(api: Api) -> None:
    rng = random.Random(7)
    lines = []
    start = datetime.fromisoformat("2025-01-01T09:00:00+08:00")
    for i in range(80):
        received = start + timedelta(days=rng.randrange(300), hours=rng.randrange(12))
        events = [{"type": "received", "at": (received + timedelta(hours=2)).isoformat()}]
        if rng.random() < 0.6:
            events.append({"type": "accepted", "at": (received + timedelta(days=3)).isoformat()})
            if rng.random() < 0.5:
                events.append(
                    {
                        "type": "closed",
                        "at": (received + timedelta(days=40)).isoformat(),
                        "data": {
                            "outcome": rng.choice(["success", "failure"]),
                            "remedies": "可起诉。",
                        },
                    }
                )
        lines.append(
            import_line(
                source_no=f"S{i}",
                received_at=received.isoformat(),
                events=events,
                category=rng.choice(["consumer", "neighbor"]),
                district=rng.choice(["310104", "310105"]),
                channel=rng.choice(["online", "window"]),
            )
        )
    assert (
        api.client.post(
            "/v1/import/cases",
            content=ndjson(*lines),
            headers={**api.auth("admin"), "content-type": "application/x-ndjson"},
        ).json()["invalid"]
        == 0
    )
    months = [f"2025-{m:02d}" for m in range(1, 13)]
    with api.ctx.db.read() as s:
        for as_of in ("2025-04", "2025-09", "2026-01"):
            for dims in (("month",), ("district", "outcome"), DIMENSIONS):
                got = _true_counts(s, dims, months, month_start(as_of))
                assert dict(got) == _brute(s, dims, months, month_start(as_of)), (as_of, dims)
                assert sum(got.values()) > 0
