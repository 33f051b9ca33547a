"""Brute force for the property test of `GET /v1/alerts` (test_alerts_property.py):
the early warnings as the hub computed them before issue 15, every case of the windows read
into Python. The definitions are hub/ops/alerts.py's docstring."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from statistics import mean, pstdev
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from hub import jsonutil
from hub.services.access import sees_everything
from hub.services.context import HubContext
from hub.services.principal import Principal
from hub.store.models import Application, Institution, PartyIndex

WEEKS = 8


def surge_alerts(ctx: HubContext, session: Session) -> list[dict[str, Any]]:
    now = ctx.clock.now()
    min_count = ctx.settings.alerts.surge_min
    sigma = ctx.settings.alerts.surge_sigma
    since = now - timedelta(days=7 * (WEEKS + 1))
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * (WEEKS + 1))
    for category, district, received_at in session.exec(
        select(Application.category, Application.district, Application.received_at).where(
            col(Application.received_at) > since, col(Application.received_at) <= now
        )
    ).all():
        week = int((now - received_at).total_seconds() // (7 * 86400))
        if 0 <= week <= WEEKS:
            counts[(category, district)][week] += 1
    out = []
    for (category, district), weeks in sorted(counts.items()):
        current, history = weeks[0], weeks[1:]
        m, sd = mean(history), pstdev(history)
        threshold = m + sigma * sd
        if current >= min_count and current > threshold:
            out.append(
                {
                    "id": "surge-"
                    + ctx.vault.index(f"{category}:{district}", purpose="alert")[:16],
                    "type": "surge",
                    "category": category,
                    "district": district,
                    "count": current,
                    "window_days": 7,
                    "baseline_weeks": history,
                    "baseline_mean": round(m, 3),
                    "baseline_sd": round(sd, 3),
                    "threshold": round(threshold, 3),
                    "z": round((current - m) / sd, 2) if sd else None,
                    "rule": f"count_7d >= {min_count:g} and count_7d > mean + {sigma:g} sd "
                    f"of the previous {WEEKS} weekly counts",
                }
            )
    return out


def mass_alerts(ctx: HubContext, session: Session, principal: Principal) -> list[dict[str, Any]]:
    now = ctx.clock.now()
    min_count = ctx.settings.alerts.mass_min
    days = ctx.settings.alerts.mass_days
    since = now - timedelta(days=days)
    rows = session.execute(
        sa_select(
            col(PartyIndex.value),
            col(Application.no),
            col(Application.category),
            col(Application.district),
            col(Application.institution_id),
            col(Application.received_at),
        )
        .join(Application, col(Application.no) == col(PartyIndex.application_no))
        .where(
            col(PartyIndex.role) == "respondent",
            col(Application.received_at) > since,
            col(Application.received_at) <= now,
        )
    ).all()
    groups: dict[str, dict[str, Any]] = {}
    for value, no, category, district, institution_id, received_at in rows:
        g = groups.setdefault(value, {"cases": {}, "first": received_at, "last": received_at})
        g["cases"][no] = (category, district, institution_id)
        g["first"] = min(g["first"], received_at)
        g["last"] = max(g["last"], received_at)
    scope: set[str] | None = None
    if not sees_everything(ctx, principal):  # the justice bureau and admin see all
        scope = set(
            session.exec(select(Institution.id).where(Institution.unit_id == principal.party))
        )
    candidates = {v: g for v, g in groups.items() if len(g["cases"]) >= min_count}
    applicants: dict[str, set[str]] = defaultdict(set)
    wanted = {no for g in candidates.values() for no in g["cases"]}
    if wanted:
        for no, value in session.exec(
            select(PartyIndex.application_no, PartyIndex.value).where(
                PartyIndex.role == "applicant", col(PartyIndex.application_no).in_(wanted)
            )
        ).all():
            applicants[no].add(value)
    out: list[dict[str, Any]] = []
    for value, g in candidates.items():
        cases = g["cases"]
        visible = sorted(no for no, (_, _, inst) in cases.items() if scope is None or inst in scope)
        if scope is not None and not visible:
            continue
        distinct_applicants = set().union(*(applicants[no] for no in cases))
        out.append(
            {
                "id": "mass-" + ctx.vault.index(value, purpose="alert")[:16],
                "type": "same_respondent",
                "count": len(cases),
                "applicants": len(distinct_applicants),
                "categories": sorted({c for c, _, _ in cases.values()}),
                "districts": sorted({d for _, d, _ in cases.values()}),
                "first_received_at": jsonutil.rfc3339(g["first"]),
                "last_received_at": jsonutil.rfc3339(g["last"]),
                "window_days": days,
                "application_nos": visible,
                "hidden": len(cases) - len(visible),
                "rule": f">= {min_count} applications against one respondent "
                f"(blind index) within {days} days",
            }
        )
    out.sort(key=lambda a: (-int(a["count"]), str(a["id"])))
    return out


def alerts(ctx: HubContext, session: Session, principal: Principal) -> dict[str, Any]:
    return {
        "as_of": jsonutil.rfc3339(ctx.clock.now()),
        "alerts": [*surge_alerts(ctx, session), *mass_alerts(ctx, session, principal)],
    }
