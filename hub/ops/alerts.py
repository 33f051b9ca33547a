"""Early warning (Art. 3, 5, 15): `GET /v1/alerts`.

**Surge** (one category in one district against its own baseline): let `c0` be the number of
applications received in the last 7 days (now - 7 d, now], and `c1..c8` the counts of the 8
weeks before (each a 7-day window ending where the next begins). An alert is raised when
`c0 >= 5` and `c0 > mean(c1..c8) + 3 * sd(c1..c8)` (population standard deviation). With a
silent history (mean 0, sd 0) five cases in a week are enough. `z` is reported
(`(c0 - mean) / sd`, null when sd is 0).

**Mass dispute** (several applications against the same respondent): respondents are matched
through the privacy layer's blind index (`party_index`, role `respondent`, a keyed HMAC of the
ID number or credit code), never by name. An alert is raised when at least 3 applications
received in the last 30 days share a respondent index. The alert id is a second keyed digest
(`vault.index(blind_index, purpose="alert")`), so it is stable across calls yet reveals neither
the respondent nor the blind index. An alert shows the count, the number of distinct
applicants, the categories and districts, and only the application numbers the caller may see
(a unit: its own institutions' cases; admin: all). A unit sees a mass-dispute alert when at
least one of its cases is in it; surges are aggregate counts and shown to every unit.
Computed in the database (hub.store.alerts_queries): weekly counts in one aggregate pass,
respondent groups by SQL with only the groups of the page read in detail. Paged: `limit`
(1-1000, default 100) and `cursor` (the answer's `next`); at most 10,000 alerts in all
(`truncated`); a mass-dispute alert lists at most 100 of its numbers
(`application_nos_total` says how many the caller may see).
Thresholds: `HUB_ALERT_SURGE_MIN` (5), `HUB_ALERT_SURGE_SIGMA` (3), `HUB_ALERT_MASS_MIN` (3),
`HUB_ALERT_MASS_DAYS` (30).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import mean, pstdev
from typing import Any

from sqlmodel import Session, select

from hub import jsonutil
from hub.services.access import sees_everything
from hub.services.context import HubContext
from hub.services.errors import Invalid, Violation
from hub.services.principal import Principal
from hub.store import alerts_queries as queries
from hub.store.models import Institution
from schemas.text import ascii_int, integer_message

WEEKS = 8
#: Paging: alerts a page shows by default and at most; alerts answered in all at most;
#: application numbers shown in one mass-dispute alert.
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
CAP = 10_000
NOS_SHOWN = 100


def surge_alerts(ctx: HubContext, session: Session) -> list[dict[str, Any]]:
    now = ctx.clock.now()
    min_count = ctx.settings.alerts.surge_min
    sigma = ctx.settings.alerts.surge_sigma
    out = []
    for category, district, *weeks in queries.weekly_counts(session, now, WEEKS):
        current, history = int(weeks[0]), [int(w) for w in weeks[1:]]
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


@dataclass(frozen=True)
class MassGroup:
    """A respondent's group, before its details are read: enough to order and page."""

    id: str
    value: str
    count: int
    first: datetime
    last: datetime


def mass_groups(ctx: HubContext, session: Session, principal: Principal) -> list[MassGroup]:
    """Every mass-dispute group the caller may see, ordered (largest first, then id)."""
    now = ctx.clock.now()
    since = now - timedelta(days=ctx.settings.alerts.mass_days)
    groups = [
        MassGroup(
            "mass-" + ctx.vault.index(value, purpose="alert")[:16], value, int(n), first, last
        )
        for value, n, first, last in queries.respondent_groups(
            session, since, now, ctx.settings.alerts.mass_min, _scope(ctx, session, principal)
        )
    ]
    groups.sort(key=lambda g: (-g.count, g.id))
    return groups


def mass_details(
    ctx: HubContext, session: Session, principal: Principal, groups: list[MassGroup]
) -> list[dict[str, Any]]:
    """The alerts of `groups` (one page): categories, districts, applicants, the numbers
    the caller may see (at most `NOS_SHOWN`, with how many in all)."""
    if not groups:
        return []
    now = ctx.clock.now()
    min_count = ctx.settings.alerts.mass_min
    days = ctx.settings.alerts.mass_days
    since = now - timedelta(days=days)
    scope = _scope(ctx, session, principal)
    values = [g.value for g in groups]
    cases: dict[str, dict[str, tuple[str, str, str | None]]] = defaultdict(dict)
    for value, no, category, district, inst in queries.group_cases(session, values, since, now):
        cases[value][no] = (category, district, inst)
    of_case: dict[str, set[str]] = defaultdict(set)
    for no, applicant in queries.applicants_of(session, {n for c in cases.values() for n in c}):
        of_case[no].add(applicant)
    out: list[dict[str, Any]] = []
    for g in groups:
        mine = cases[g.value]
        visible = sorted(no for no, (_, _, inst) in mine.items() if scope is None or inst in scope)
        out.append(
            {
                "id": g.id,
                "type": "same_respondent",
                "count": g.count,
                "applicants": len(set().union(*(of_case[no] for no in mine))),
                "categories": sorted({c for c, _, _ in mine.values()}),
                "districts": sorted({d for _, d, _ in mine.values()}),
                "first_received_at": jsonutil.rfc3339(g.first),
                "last_received_at": jsonutil.rfc3339(g.last),
                "window_days": days,
                "application_nos": visible[:NOS_SHOWN],
                "application_nos_total": len(visible),
                "hidden": g.count - len(visible),
                "rule": f">= {min_count} applications against one respondent "
                f"(blind index) within {days} days",
            }
        )
    return out


def mass_alerts(ctx: HubContext, session: Session, principal: Principal) -> list[dict[str, Any]]:
    return mass_details(ctx, session, principal, mass_groups(ctx, session, principal))


def _scope(ctx: HubContext, session: Session, principal: Principal) -> set[str] | None:
    if sees_everything(ctx, principal):  # the justice bureau and admin see all
        return None
    return set(session.exec(select(Institution.id).where(Institution.unit_id == principal.party)))


def parse_page(params: dict[str, str]) -> tuple[int, int]:
    """`limit` (1-1000, default 100) and `cursor` (where the previous page ended)."""
    errors = []
    limit, offset = DEFAULT_LIMIT, 0
    raw = params.get("limit")
    if raw:
        value = ascii_int(raw)  # 1-18 ASCII digits (int() of thousands of digits raises)
        if value is None or not 1 <= value <= MAX_LIMIT:
            errors.append(Violation("/query/limit", integer_message(1, MAX_LIMIT)))
        else:
            limit = value
    raw = params.get("cursor")
    if raw:
        value = ascii_int(raw)
        if value is None or value > CAP:
            errors.append(Violation("/query/cursor", "无效的游标 / invalid cursor"))
        else:
            offset = value
    if errors:
        raise Invalid(errors)
    return limit, offset


def alerts(
    ctx: HubContext,
    session: Session,
    principal: Principal,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
) -> dict[str, Any]:
    """One page of the early warnings: surges first (by category and district), then mass
    disputes (largest first); at most `CAP` in all (`truncated` says when there were more)."""
    surges = surge_alerts(ctx, session)
    groups = mass_groups(ctx, session, principal)
    total = len(surges) + len(groups)
    end = min(offset + limit, total, CAP)
    page: list[dict[str, Any]] = surges[offset:end]
    first_group = max(0, offset - len(surges))
    page += mass_details(
        ctx, session, principal, groups[first_group : max(first_group, end - len(surges))]
    )
    return {
        "as_of": jsonutil.rfc3339(ctx.clock.now()),
        "alerts": page,
        "total": min(total, CAP),
        "truncated": total > CAP,
        "next": str(end) if end < min(total, CAP) else None,
    }
