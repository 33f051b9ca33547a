"""`/web/console/stats`: how are we doing. One period (a picker, default the last 30 days),
grouped by institution, unit, district or category: the table of `GET /v1/stats`, a weekly
trend, outcomes by group and six mediation KPIs, drawn on the server as inline SVG
(`hub.web.charts`), and the same rows as CSV. Every figure comes from `ops.stats.compute`,
the API's own; the trend is that function asked once per week of the period."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hub.domain.numbering import business_day
from hub.ops import stats
from hub.services.errors import Invalid
from hub.services.registry import party_names
from hub.web import charts, pages
from hub.web.console.common import Operator, console_page, page

#: Weeks the trend shows at most (the last ones of the period).
MAX_WEEKS = 26
FIELDS = {"/query/from": "from", "/query/to": "to", "/query/by": "by"}
#: The six mediation KPIs the hub has data for: (text key, how it is computed).
KPIS = (
    "kpi_acceptance",
    "kpi_success",
    "kpi_in_time",
    "kpi_online",
    "kpi_complaints",
    "kpi_hours",
)


def _ratio(a: float, b: float) -> float | None:
    return round(100.0 * a / b, 1) if b else None


def kpis(rows: list[dict[str, Any]]) -> dict[str, float | None]:
    """The six KPIs over all rows: acceptance rate, success rate, decided in time, online
    share, complaints per 100 cases (percent) and the median working hours to accept (the
    rows' medians weighted by their counts: the exact median needs the cases)."""
    received = sum(r["received"] for r in rows)
    success = sum(r["closed"]["success"] for r in rows)
    closed = success + sum(r["closed"]["failure"] for r in rows)
    timed = [(r["hours_to_accept"]["median"], r["hours_to_accept"]["count"]) for r in rows]
    weight = sum(n for m, n in timed if m is not None)
    return {
        "kpi_acceptance": _ratio(sum(r["accepted"] for r in rows), received),
        "kpi_success": _ratio(success, closed),
        "kpi_in_time": _ratio(received - sum(r["overdue"] for r in rows), received),
        "kpi_online": _ratio(sum(r["online"] for r in rows), received),
        "kpi_complaints": _ratio(sum(r["complaints"] for r in rows), received),
        "kpi_hours": round(sum(m * n for m, n in timed if m is not None) / weight, 1)
        if weight
        else None,
    }


def _weeks(first: date, last: date) -> list[tuple[date, date]]:
    start = first - timedelta(days=first.weekday())  # the Monday of the first week
    weeks = []
    while start <= last:
        weeks.append((max(start, first), min(start + timedelta(days=6), last)))
        start += timedelta(days=7)
    return weeks[-MAX_WEEKS:]


def _params(request: Request) -> dict[str, str]:
    q = request.query_params
    return {k: q[k][:20] for k in ("from", "to", "by") if q.get(k)}


@console_page()
async def stats_page(request: Request, op: Operator) -> Response:
    t = pages.texts(request)
    ctx = pages.ctx_of(request)
    typed = _params(request)
    today = business_day(ctx.clock.now())
    try:
        query = stats.parse_query(typed, today)
    except Invalid as exc:
        lines = pages.violations(t, exc.errors, FIELDS)
        return page(
            request,
            op,
            "console/stats.html",
            422,
            error=t("invalid"),
            violations=lines,
            bad=pages.bad_fields(exc.errors, FIELDS),
            form=typed,
            groupings=stats.GROUPINGS,
            result=None,
        )

    def work(s: Session) -> tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]:
        result = stats.compute(ctx, s, op.principal, query)
        trend = []
        for first, last in _weeks(query["from"], query["to"]):
            week = stats.compute(ctx, s, op.principal, {**query, "from": first, "to": last})
            trend.append((first.strftime("%m-%d"), week))
        return {**result, "names": party_names(s)}, trend

    result, trend = await pages.read(request, work)
    rows = result["rows"]
    by = result["by"]
    labels = [_label(t, by, r[by], result) for r in rows]
    weekly = [
        charts.Series(t("received"), [sum(r["received"] for r in w["rows"]) for _, w in trend]),
        charts.Series(
            t("outcome_success"),
            [sum(r["closed"]["success"] for r in w["rows"]) for _, w in trend],
        ),
    ]
    trend_svg = charts.line_chart(
        t("c_chart_trend"), t("c_chart_trend_desc"), [label for label, _ in trend], weekly
    )
    outcome_series = [
        charts.Series(t("outcome_success"), [r["closed"]["success"] for r in rows]),
        charts.Series(t("outcome_failure"), [r["closed"]["failure"] for r in rows]),
        charts.Series(t.status("rejected"), [r["rejected"] for r in rows]),
        charts.Series(t.status("withdrawn"), [r["withdrawn"] for r in rows]),
        charts.Series(t("c_open"), [r["open"] for r in rows]),
    ]
    outcomes_svg = charts.stacked_bars(
        t("c_chart_outcomes", by=t(f"by_{by}")),
        t("c_chart_outcomes_desc"),
        labels,
        outcome_series,
    )
    figures = kpis(rows)
    rates = [k for k in KPIS if k != "kpi_hours"]
    kpi_svg = charts.stacked_bars(
        t("c_chart_kpis"),
        t("c_chart_kpis_desc"),
        [t(k) for k in rates],
        [charts.Series("%", [figures[k] or 0.0 for k in rates])],
    )
    csv_url = "/web/console/stats.csv?" + urlencode(
        {"from": result["from"], "to": result["to"], "by": by}
    )
    return page(
        request,
        op,
        "console/stats.html",
        result=result,
        rows=list(zip(labels, rows, strict=True)),
        by=by,
        groupings=stats.GROUPINGS,
        form={"from": result["from"], "to": result["to"], "by": by},
        trend_svg=trend_svg,
        outcomes_svg=outcomes_svg,
        kpi_svg=kpi_svg,
        kpis=[(k, figures[k]) for k in KPIS],
        trend=[(label, sum(r["received"] for r in w["rows"])) for label, w in trend],
        csv_url=csv_url,
    )


def _label(t: Any, by: str, key: str, result: dict[str, Any]) -> str:
    if by == "category":
        return str(t.category(key))
    if by == "district":
        return str(t.district(key))
    names = result.get("names", {})
    return str(names.get(key, key))


@console_page()
async def stats_csv(request: Request, op: Operator) -> Response:
    ctx = pages.ctx_of(request)
    try:
        query = stats.parse_query(_params(request), business_day(ctx.clock.now()))
    except Invalid:
        return pages.redirect("/web/console/stats")
    result = await pages.read(request, lambda s: stats.compute(ctx, s, op.principal, query))
    return Response(
        stats.to_csv(result),
        media_type="text/csv; charset=utf-8",
        headers={
            **pages.HEADERS,
            "content-disposition": f'attachment; filename="stats-{query["by"]}-'
            f'{query["from"].isoformat()}-{query["to"].isoformat()}.csv"',
        },
    )


routes = [
    Route("/web/console/stats", stats_page, methods=["GET"]),
    Route("/web/console/stats.csv", stats_csv, methods=["GET"]),
]
