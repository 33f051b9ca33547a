"""Statistics (Art. 3, 21): `GET /v1/stats?by=institution|unit|district|category&from=&to=`.

Population: the applications **received** (`received_at`, Shanghai date) between `from` and
`to` inclusive; a unit sees only the cases its own institutions hold, the justice bureau
(`sfj`) and `admin` all. Per group:

- `received`; `online` and `window` counts and `online_share` (online / received);
- `accepted`: cases ever accepted (`accepted_at` set); `rejected`: status `rejected`;
- `closed`: by outcome (`success`, `failure`, from the case's outcome, which stays after a
  referral), `success_rate` = success / (success + failure), null when none closed;
- `withdrawn`, `open` (submitted, dispatched, received, accepted or undeliverable);
- `hours_to_accept`: working hours (`working_hours_between`) from `dispatched_at` (when the
  case reached the institution that accepted it) to `accepted_at`: `median` (the middle value,
  or the mean of the two middle ones) and `p90` (nearest rank: the ceil(0.9 n)-th smallest);
- `overdue`: cases with at least one institution deadline (not `referral_answer_by`) missed:
  met after its `due_at`, or still open with `due_at` before now;
- `referrals`: kind -> outcome (or `pending`) -> count, for referrals of these cases;
- `complaints`, `repeat_complaints`: complaints made in the period (by institution/unit: about
  the group's institutions; by district/category: about one of the group's cases). A repeat
  is a complaint by a contact (keyed digest of the phone) who had complained about the same
  institution before.

Computed in the database (`hub.store.stats_queries`): counters per group summed from the
rollups the write path keeps (stats_daily, stats_rollup), the median and p90 exact from
ranked values (counted per whole hour, then ranked inside the wanted hours), so memory does
not grow with the number of cases. The working hours to acceptance are those the case was
given when it was accepted (`application.accept_hours`, migration 0151): a case accepted
is never dispatched again, and only a holiday schedule loaded later for a provisional
year could have counted them otherwise. tests/integration/test_stats_property.py compares
every answer with counting each case in Python.

`format=csv` answers the same rows flattened (`closed_success`, `referrals.<kind>.<outcome>`).
"""

from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlmodel import Session, select

from hub.domain.calendar import SHANGHAI
from hub.domain.routing import MEDIATION_KINDS
from hub.domain.status import OPEN_STATUSES
from hub.services.access import sees_everything
from hub.services.context import HubContext
from hub.services.errors import Invalid, Violation
from hub.services.principal import Principal
from hub.store import stats_queries as queries
from hub.store.models import Institution
from schemas.text import QUERY_DATE_MESSAGE, ascii_date, one_of_message

GROUPINGS = ("institution", "unit", "district", "category")
NONE_KEY = "(none)"


def parse_query(params: dict[str, str], today: date) -> dict[str, Any]:
    errors: list[Violation] = []
    by = params.get("by") or "institution"
    if by not in GROUPINGS:
        errors.append(Violation("/query/by", one_of_message(GROUPINGS)))
    fmt = params.get("format") or "json"
    if fmt not in ("json", "csv"):
        errors.append(Violation("/query/format", "须为 json 或 csv / json or csv"))
    days: dict[str, date] = {}
    for name, default in (("from", today - timedelta(days=29)), ("to", today)):
        raw = params.get(name)
        day = ascii_date(raw) if raw else default
        if day is None:
            errors.append(Violation(f"/query/{name}", QUERY_DATE_MESSAGE))
        else:
            days[name] = day
    if not errors and days["from"] > days["to"]:
        errors.append(Violation("/query/from", "起始日期晚于结束日期 / from after to"))
    if errors:
        raise Invalid(errors)
    return {"by": by, "format": fmt, "from": days["from"], "to": days["to"]}


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
    """The statistics, aggregated in the database (hub.store.stats_queries): a few rows per
    group come back, whatever the number of cases."""
    now = ctx.clock.now()
    start = datetime.combine(query["from"], time.min, tzinfo=SHANGHAI)
    end = datetime.combine(query["to"] + timedelta(days=1), time.min, tzinfo=SHANGHAI)
    by = query["by"]
    registry = list(session.exec(select(Institution)).all())
    scope: set[str] | None = None
    if not sees_everything(ctx, principal):  # the justice bureau and admin see all
        scope = {i.id for i in registry if i.unit_id == principal.party}
    pop = queries.Population(by, start, end, scope)

    rows: dict[str, dict[str, Any]] = defaultdict(_new_row)
    for c in queries.counts(session, pop, now, OPEN_STATUSES):
        r = rows[str(c["key"])]
        r.update(
            received=c["received"],
            online=c["online"],
            window=c["received"] - c["online"],
            accepted=c["accepted"],
            rejected=c["rejected"],
            closed={"success": c["success"], "failure": c["failure"]},
            withdrawn=c["withdrawn"],
            open=c["open"],
            overdue=c["overdue"],
        )
    ranks: dict[str, dict[int, float]] = defaultdict(dict)
    sizes: dict[str, int] = {}
    for key, n, rank, hours in queries.hour_ranks(session, pop):
        ranks[str(key)][int(rank)] = float(hours)
        sizes[str(key)] = int(n)
    for key, kind, outcome, count in queries.referrals(session, pop):
        rows[str(key)]["referrals"][kind][outcome] += int(count)
    for key, count, repeats in queries.complaints(session, pop):
        if key is None:
            continue
        rows[str(key)]["complaints"] += int(count)
        rows[str(key)]["repeat_complaints"] += int(repeats)

    out = []
    for key in sorted(rows):
        r = rows[key]
        r.pop("_hours")
        closed = r["closed"]["success"] + r["closed"]["failure"]
        r["referrals"] = {k: dict(v) for k, v in r["referrals"].items()}
        out.append(
            {
                by: key,
                **r,
                "success_rate": round(r["closed"]["success"] / closed, 4) if closed else None,
                "online_share": round(r["online"] / r["received"], 4) if r["received"] else None,
                "hours_to_accept": _hours(sizes.get(key, 0), ranks.get(key, {})),
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


def _hours(n: int, ranked: dict[int, float]) -> dict[str, Any]:
    """Median (the middle value, or the mean of the two middle ones) and nearest-rank p90
    of a group's working hours to acceptance, from the ranked values the database sent."""
    if n == 0:
        return {"count": 0, "median": None, "p90": None}
    middle = ranked[(n + 1) // 2] if n % 2 else (ranked[n // 2] + ranked[n // 2 + 1]) / 2
    return {
        "count": n,
        "median": round(middle, 2),
        "p90": _round(ranked[max(1, math.ceil(0.9 * n))]),
    }


def _connected(i: Institution) -> bool:
    """A mediation body connected to the hub: in the registry and not closed."""
    return i.state != "closed" and i.kind in MEDIATION_KINDS


def _registry_kpis(
    rows: list[dict[str, Any]], by: str, registry: list[Institution], scope: set[str] | None
) -> None:
    """Seed 003's registry KPIs beside the case counts: mediators, connected bodies."""
    if by not in ("institution", "unit"):
        return
    mediators: dict[str, int | None] = {}
    connected: dict[str, int] = defaultdict(int)
    for i in registry:
        if (scope is not None and i.id not in scope) or not _connected(i):
            continue
        key = i.id if by == "institution" else i.unit_id
        connected[key] += 1
        if i.mediators is not None:
            mediators[key] = (mediators.get(key) or 0) + i.mediators
    for row in rows:
        row["mediators"] = mediators.get(row[by])
        if by == "unit":
            row["connected"] = connected.get(row[by], 0)


def _registry_totals(registry: list[Institution], scope: set[str] | None) -> dict[str, Any]:
    mine = [i for i in registry if (scope is None or i.id in scope) and _connected(i)]
    counted = [i.mediators for i in mine if i.mediators is not None]
    return {
        "connected_institutions": len(mine),
        "mediators": sum(counted) if counted else None,
        "institutions_reporting_mediators": len(counted),
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


CSV_FIELDS = (
    "received",
    "accepted",
    "rejected",
    "closed_success",
    "closed_failure",
    "success_rate",
    "withdrawn",
    "open",
    "median_hours_to_accept",
    "p90_hours_to_accept",
    "overdue",
    "online",
    "window",
    "online_share",
    "complaints",
    "repeat_complaints",
)


def to_csv(result: dict[str, Any]) -> str:
    by = result["by"]
    kinds = sorted(
        {f"referrals.{k}.{o}" for r in result["rows"] for k, v in r["referrals"].items() for o in v}
    )
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    extra = [f for f in ("mediators", "connected") if any(f in r for r in result["rows"])]
    writer.writerow([by, *CSV_FIELDS, *extra, *kinds])
    for r in result["rows"]:
        flat = {
            **r,
            "closed_success": r["closed"]["success"],
            "closed_failure": r["closed"]["failure"],
            "median_hours_to_accept": r["hours_to_accept"]["median"],
            "p90_hours_to_accept": r["hours_to_accept"]["p90"],
        }
        for k in kinds:
            _, kind, outcome = k.split(".")
            flat[k] = r["referrals"].get(kind, {}).get(outcome, 0)
        writer.writerow(
            [
                r[by],
                *("" if flat.get(f) is None else flat[f] for f in (*CSV_FIELDS, *extra, *kinds)),
            ]
        )
    return buf.getvalue()
