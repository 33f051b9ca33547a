"""Aggregates for the data bureau (INTERFACE 9, 9a): differentially private counts.

`GET /v1/shared/aggregates?by=&from=YYYY-MM&to=YYYY-MM&threshold=&mechanism=dp` counts
cases by the Shanghai month of `received_at` and the dimensions asked for, as they
stood at the start of the current month (ended months only; default the last 12), and
releases the table with OpenDP's discrete Laplace noise (`privacy.dp`), at a cost of
`epsilon` from the budget of the asking party (`hub.services.sharing.budget`: the data
bureau's tokens and people share one budget, so another token buys no more noise to
average; an admin may renew it, audited, up to a yearly ceiling). Why noise
and not suppression: see the README (withheld cells of suppressed tables came back from
later months' zeros, late walk-in cases and the record feed; a noisy table composes,
whatever is combined with it).

- The same question (dimensions and months) from the same party in the same month is
  answered from the stored release: the same noisy numbers, at no cost, whichever of its
  tokens asks. Asking again cannot average the noise away.
- Margins (`*`) and window sums are sums of the released noisy cells; `threshold` (the
  default 5, only raised) hides cells whose noisy count is below it. Both are
  post-processing of the one stored release, so they cost nothing and add nothing.
- A party whose budget (`HUB_DP_BUDGET`, default 2, plus what admins granted) would be
  exceeded is refused; every answer states what remains.
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections import defaultdict
from collections.abc import Hashable
from datetime import datetime
from typing import Any

from sqlmodel import Session

from hub.services.context import HubContext
from hub.services.errors import Forbidden, Invalid
from hub.services.principal import Principal
from hub.services.sharing import budget
from hub.services.sharing.feed import month_of, month_start, next_month
from hub.store import shared_queries
from hub.store.models_privacy import DpRelease
from privacy import dp
from privacy.release import OUTCOME_OF_STATUS
from schemas.codes import CATEGORIES, DISTRICTS

DIMENSIONS = ("month", "district", "category", "outcome", "channel")
DEFAULT_THRESHOLD = 5
TOTAL = "*"
MAX_MONTHS = 120
OUTCOMES = ("pending", "in_mediation", "rejected", "withdrawn", "success", "failure")
CHANNELS = ("online", "window")


def parse_dims(by: str | None) -> tuple[str, ...]:
    dims = tuple(d.strip() for d in (by or "month").split(",") if d.strip())
    bad = [d for d in dims if d not in DIMENSIONS]
    if bad or not dims or len(set(dims)) != len(dims):
        raise Invalid.at(
            "/query/by",
            f"by 取 {','.join(DIMENSIONS)} 中不重复的若干项 / "
            f"by is a comma list of distinct {', '.join(DIMENSIONS)}",
        )
    return dims


def _months(first: str, last: str) -> list[str]:
    out = [first]
    while out[-1] != last:
        out.append(next_month(out[-1]))
    return out


def _previous(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    return f"{year - (mon == 1):04d}-{(mon - 2) % 12 + 1:02d}"


def window(ctx: HubContext, start: str | None, end: str | None) -> list[str]:
    """The months asked for: ended months only; default the last 12 ended months."""
    last_ended = _previous(month_of(ctx.clock.now()))
    last = end or last_ended
    if last > last_ended:
        raise Invalid.at(
            "/query/to",
            f"只发布已结束的月份（至 {last_ended}） / only ended months (up to {last_ended})",
        )
    if start is None:
        months = [last]
        while len(months) < 12:
            months.insert(0, _previous(months[0]))
        return months
    if start > last:
        raise Invalid.at("/query/from", "from 晚于 to / from after to")
    months = _months(start, last)
    if len(months) > MAX_MONTHS:
        raise Invalid.at("/query/from", f"最多 {MAX_MONTHS} 个月 / at most {MAX_MONTHS} months")
    return months


def _domain(dim: str, months: list[str]) -> list[str]:
    return {
        "month": months,
        "district": list(DISTRICTS),
        "category": list(CATEGORIES),
        "outcome": list(OUTCOMES),
        "channel": list(CHANNELS),
    }[dim]


def _true_counts(
    session: Session, dims: tuple[str, ...], months: list[str], as_of: datetime
) -> dict[tuple[str, ...], int]:
    """Counts by `dims` of cases received in `months`, each as it stood at `as_of` (its
    status after its last timeline step before then); aggregated in the database, a
    month at a time (hub.store.shared_queries)."""
    counts: dict[tuple[str, ...], int] = defaultdict(int)
    for month in months:
        rows = shared_queries.status_counts(
            session, month_start(month), month_start(next_month(month)), as_of
        )
        for district, category, channel, status, n in rows:
            coords = {
                "month": month,
                "district": district,
                "category": category,
                "outcome": OUTCOME_OF_STATUS.get(status, "pending"),
                "channel": channel,
            }
            counts[tuple(coords[d] for d in dims)] += int(n)
    return counts


def _question(as_of: str, dims: tuple[str, ...], months: list[str]) -> str:
    raw = f"{as_of}|{','.join(dims)}|{months[0]}|{months[-1]}"
    return hashlib.sha256(raw.encode()).hexdigest()


def aggregates(
    ctx: HubContext,
    session: Session,
    principal: Principal,
    dims: tuple[str, ...],
    start: str | None,
    end: str | None,
    threshold: int = DEFAULT_THRESHOLD,
) -> dict[str, Any]:
    """GET /v1/shared/aggregates: the noisy table of `dims` over the months asked for."""
    params = ctx.settings.sharing
    if not principal.token_id:
        raise Forbidden("汇总数据须凭令牌读取 / aggregates are read with a token")
    months = window(ctx, start, end)
    as_of_month = month_of(ctx.clock.now())
    question = _question(as_of_month, dims, months)
    holder = budget.holder_of(principal)
    stored = session.get(DpRelease, (holder, question))
    if stored is None:
        row = budget.spend(ctx, session, holder, params.epsilon)
        domains = [_domain(d, months) for d in dims]
        cells = list(itertools.product(*domains))
        truth = _true_counts(session, dims, months, month_start(as_of_month))
        noisy = dp.noisy_counts([truth.get(c, 0) for c in cells], params.epsilon)
        stored = DpRelease(
            holder=holder,
            question=question,
            epsilon=params.epsilon,
            cells=[[*c, n] for c, n in zip(cells, noisy, strict=True)],
            created_at=ctx.clock.now(),
        )
        session.add(stored)
        session.flush()
    else:
        row = budget.current(session, holder)
    interior = {tuple(c[:-1]): int(c[-1]) for c in stored.cells}
    return {
        "by": list(dims),
        "from": months[0],
        "to": months[-1],
        "as_of": as_of_month,
        "mechanism": "dp",
        "noise": {
            "distribution": dp.MECHANISM,
            "epsilon": stored.epsilon,
            "scale": dp.scale_for(stored.epsilon),
            "sd": round(dp.sd_for(stored.epsilon), 2),
        },
        "budget": budget.view(ctx, row),
        "threshold": threshold,
        "total_marker": TOTAL,
        "cells": _cells(interior, dims, threshold, dp.sd_for(stored.epsilon)),
        "note": "每格计数含差分隐私噪声（离散拉普拉斯）；低于阈值的格不公布；"
        "合计为已发布噪声值之和 / "
        "every count carries differential-privacy noise (discrete Laplace of the stated "
        "scale); cells whose noisy count is below the threshold are withheld; margins (*) "
        "are sums of the noisy cells",
    }


def _cells(
    interior: dict[tuple[Hashable, ...], int],
    dims: tuple[str, ...],
    threshold: int,
    sd: float,
) -> list[dict[str, Any]]:
    """Interior cells and every margin, each a sum of noisy interior cells, with the
    standard deviation of its noise (`sd`: one cell's, times the root of how many cells a
    margin adds up); a cell whose noisy count is under `threshold` is withheld. Cells the
    noise took to zero or below are left out."""
    sums: dict[tuple[Hashable, ...], int] = defaultdict(int)
    sizes: dict[tuple[Hashable, ...], int] = defaultdict(int)  # noisy cells in each sum
    width = len(dims)
    for key, n in interior.items():
        for mask in range(1 << width):
            margin = tuple(TOTAL if mask >> i & 1 else k for i, k in enumerate(key))
            sums[margin] += n
            sizes[margin] += 1
    out: list[dict[str, Any]] = []
    for key, n in sums.items():
        if n <= 0:
            continue  # noise took it to nothing: absent
        withheld = n < threshold
        out.append(
            {
                **dict(zip(dims, key, strict=True)),
                "count": None if withheld else n,
                "withheld": withheld,
                "sd": round(sd * math.sqrt(sizes[key]), 1),
            }
        )
    return out
