"""Brute force for the property test of `GET /v1/stats` (tests/integration/test_stats_property.py):
the statistics as the hub computed them before issue 15, every case of the period loaded
into Python and counted one by one. The definitions are hub/ops/stats.py's docstring."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import datetime, time, timedelta
from statistics import median
from typing import Any

from sqlmodel import Session, col, select

from hub.domain.calendar import REFERRAL_DEADLINE, SHANGHAI, working_hours_between
from hub.domain.status import OPEN_STATUSES

# The registry's KPIs (mediators, connected bodies) are read from the registry, not
# counted from cases: the oracle takes them from hub.ops.stats and recomputes the rest.
from hub.ops.stats import NONE_KEY, _registry_kpis, _registry_totals
from hub.services.access import sees_everything
from hub.services.context import HubContext
from hub.services.principal import Principal
from hub.store.models import Application, Deadline, Institution, Referral
from hub.store.models_ops import Complaint


def percentile_nearest_rank(values: list[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, math.ceil(p * len(ordered))) - 1]


def _new_row() -> dict[str, Any]:
    return {
        "received": 0,
        "online": 0,
        "window": 0,
        "accepted": 0,
        "rejected": 0,
        "closed": {"success": 0, "failure": 0},
        "withdrawn": 0,
        "open": 0,
        "overdue": 0,
        "referrals": defaultdict(lambda: defaultdict(int)),
        "complaints": 0,
        "repeat_complaints": 0,
        "_hours": [],
    }


def compute(
    ctx: HubContext, session: Session, principal: Principal, query: dict[str, Any]
) -> dict[str, Any]:
    now = ctx.clock.now()
    start = datetime.combine(query["from"], time.min, tzinfo=SHANGHAI)
    end = datetime.combine(query["to"] + timedelta(days=1), time.min, tzinfo=SHANGHAI)
    by = query["by"]
    registry = list(session.exec(select(Institution)).all())
    units = {i.id: i.unit_id for i in registry}
    scope: set[str] | None = None
    if not sees_everything(ctx, principal):
        scope = {i for i, u in units.items() if u == principal.party}

    stmt = select(Application).where(
        col(Application.received_at) >= start, col(Application.received_at) < end
    )
    if scope is not None:
        stmt = stmt.where(col(Application.institution_id).in_(scope or {""}))
    apps = session.exec(stmt).all()

    def key_of(app: Application) -> str:
        if by == "institution":
            return app.institution_id or NONE_KEY
        if by == "unit":
            return units.get(app.institution_id or "", NONE_KEY)
        return str(getattr(app, by))

    rows: dict[str, dict[str, Any]] = defaultdict(_new_row)
    group_of: dict[str, str] = {}
    for app in apps:
        key = key_of(app)
        group_of[app.no] = key
        r = rows[key]
        r["received"] += 1
        r["online" if app.channel == "online" else "window"] += 1
        if app.accepted_at is not None:
            r["accepted"] += 1
            if app.dispatched_at is not None:
                r["_hours"].append(working_hours_between(app.dispatched_at, app.accepted_at))
        if app.status == "rejected":
            r["rejected"] += 1
        if app.outcome in ("success", "failure"):
            r["closed"][app.outcome] += 1
        if app.status == "withdrawn":
            r["withdrawn"] += 1
        if app.status in OPEN_STATUSES:
            r["open"] += 1

    nos = list(group_of)
    late: set[str] = set()
    referrals: list[Referral] = []
    for chunk in (nos[i : i + 500] for i in range(0, len(nos), 500)):
        for d in session.exec(
            select(Deadline).where(
                col(Deadline.application_no).in_(chunk), Deadline.kind != REFERRAL_DEADLINE
            )
        ).all():
            if (d.met_at or now) > d.due_at:
                late.add(d.application_no)
        referrals += session.exec(
            select(Referral).where(col(Referral.application_no).in_(chunk))
        ).all()
    for no in late:
        rows[group_of[no]]["overdue"] += 1
    for ref in referrals:
        outcome = ref.outcome or ref.status
        rows[group_of[ref.application_no]]["referrals"][ref.kind][outcome] += 1

    _count_complaints(session, rows, by, units, scope, start, end, group_of)

    out = []
    for key in sorted(rows):
        r = rows[key]
        hours = r.pop("_hours")
        closed = r["closed"]["success"] + r["closed"]["failure"]
        r["referrals"] = {k: dict(v) for k, v in r["referrals"].items()}
        out.append(
            {
                by: key,
                **r,
                "success_rate": round(r["closed"]["success"] / closed, 4) if closed else None,
                "online_share": round(r["online"] / r["received"], 4) if r["received"] else None,
                "hours_to_accept": {
                    "count": len(hours),
                    "median": round(median(hours), 2) if hours else None,
                    "p90": _round(percentile_nearest_rank(hours, 0.9)),
                },
            }
        )
    _registry_kpis(out, by, registry, scope)
    return {
        "by": by,
        "from": query["from"].isoformat(),
        "to": query["to"].isoformat(),
        "rows": out,
        "registry": _registry_totals(registry, scope),
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _count_complaints(
    session: Session,
    rows: dict[str, dict[str, Any]],
    by: str,
    units: dict[str, str],
    scope: set[str] | None,
    start: datetime,
    end: datetime,
    group_of: dict[str, str],
) -> None:
    seen: set[tuple[str, str]] = set()
    for c in session.exec(select(Complaint).order_by(col(Complaint.created_at))).all():
        pair = (c.institution_id, c.contact_index)
        repeat = pair in seen
        seen.add(pair)
        if not (start <= c.created_at < end):
            continue
        if scope is not None and c.institution_id not in scope:
            continue
        if by == "institution":
            key: str | None = c.institution_id
        elif by == "unit":
            key = units.get(c.institution_id, c.unit_id)
        else:
            key = group_of.get(c.application_no or "")
        if key is None:
            continue
        row = rows[key]
        row["complaints"] += 1
        row["repeat_complaints"] += int(repeat)
