"""The work-order ledger (台账) and the monthly report (INTERFACE 14), counted in SQL.

The ledger pages by work-order number (numbers sort by day, then sequence); its CSV leaves
the content out, so an exported file carries no citizen's words. The report counts a month
of work orders by the Shanghai date they were filed: received, by type, dispatched and
answered in time, late, dunned, called back and satisfied.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, case, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from hub.domain.calendar import SHANGHAI
from hub.ops import counters
from hub.ops.workorders import LEDGER_STATUSES, OPEN, PREFIX, TYPE_TEXT, item_view
from hub.services.access import sees_everything
from hub.services.context import HubContext
from hub.services.errors import Invalid, Violation
from hub.services.principal import Principal, Role
from hub.store.models_ops import WorkOrder
from schemas.text import QUERY_DATE_MESSAGE, ascii_date, ascii_int, integer_message, one_of_message


def _day_param(params: dict[str, str], name: str, errors: list[Violation]) -> date | None:
    raw = params.get(name)
    if not raw:
        return None
    day = ascii_date(raw)
    if day is None:
        errors.append(Violation(f"/query/{name}", QUERY_DATE_MESSAGE))
    return day


def parse_ledger_query(params: dict[str, str]) -> dict[str, Any]:
    errors: list[Violation] = []
    allowed = {"status", "type", "from", "to", "format", "limit", "cursor"}
    errors += [
        Violation(f"/query/{k}", "未知参数 / unknown parameter") for k in params if k not in allowed
    ]
    status = params.get("status") or None
    if status is not None and status not in LEDGER_STATUSES:
        errors.append(Violation("/query/status", one_of_message(LEDGER_STATUSES)))
    kind = params.get("type") or None
    if kind is not None and kind not in TYPE_TEXT:
        errors.append(Violation("/query/type", one_of_message(TYPE_TEXT)))
    fmt = params.get("format") or "json"
    if fmt not in ("json", "csv"):
        errors.append(Violation("/query/format", "json 或 csv / json or csv"))
    raw_limit = params.get("limit") or "100"
    limit = ascii_int(raw_limit) or 0
    if not 1 <= limit <= 1000:
        errors.append(Violation("/query/limit", integer_message(1, 1000)))
    cursor = params.get("cursor") or None
    if cursor is not None and counters.canonical_number(cursor, PREFIX) is None:
        errors.append(Violation("/query/cursor", "须为工单编号 / a work order number"))
    first, last = _day_param(params, "from", errors), _day_param(params, "to", errors)
    if first and last and last < first:
        errors.append(Violation("/query/to", "不能早于 from / before from"))
    if errors:
        raise Invalid(errors)
    return {
        "status": status,
        "type": kind,
        "format": fmt,
        "limit": limit,
        "cursor": counters.canonical_number(cursor, PREFIX) if cursor else None,
        "from": first,
        "to": last,
    }


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=SHANGHAI)


def _scope(ctx: HubContext, principal: Principal) -> list[Any]:
    if sees_everything(ctx, principal):  # admin, and the justice bureau (INTERFACE 13)
        return []
    if principal.role is Role.UNIT:
        return [col(WorkOrder.unit_id) == principal.party]
    if principal.role is Role.INSTITUTION:
        return [col(WorkOrder.institution_id) == principal.party]
    return []


def ledger(
    ctx: HubContext, session: Session, principal: Principal, query: dict[str, Any]
) -> dict[str, Any]:
    """GET /v1/workorders (admin and the justice bureau: all; unit: its institutions';
    institution: its own)."""
    now = ctx.clock.now()
    conditions = _scope(ctx, principal)
    if query["type"]:
        conditions.append(col(WorkOrder.type) == query["type"])
    if query["status"] == "overdue":
        conditions += [col(WorkOrder.status).in_(OPEN), col(WorkOrder.answer_by) < now]
    elif query["status"]:
        conditions.append(col(WorkOrder.status) == query["status"])
    if query["from"]:
        conditions.append(col(WorkOrder.created_at) >= _start(query["from"]))
    if query["to"]:
        conditions.append(col(WorkOrder.created_at) < _start(query["to"] + timedelta(days=1)))
    if query["cursor"]:
        conditions.append(col(WorkOrder.no) > query["cursor"])
    rows = session.exec(
        select(WorkOrder).where(*conditions).order_by(col(WorkOrder.no)).limit(query["limit"] + 1)
    ).all()
    more = len(rows) > query["limit"]
    rows = rows[: query["limit"]]
    return {
        "workorders": [item_view(ctx, wo, now, full=False) for wo in rows],
        "next_cursor": rows[-1].no if more else None,
    }


LEDGER_COLUMNS = (
    "workorder_no",
    "type",
    "status",
    "application_no",
    "institution",
    "unit",
    "created_at",
    "dispatch_by",
    "dispatched_at",
    "answer_by",
    "answered_at",
    "in_time",
    "overdue",
    "dunned_at",
    "satisfied",
)


def ledger_csv(result: dict[str, Any]) -> str:
    """The ledger as CSV (UTF-8 with BOM for spreadsheet programs), without the content."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(LEDGER_COLUMNS)
    for item in result["workorders"]:
        writer.writerow(["" if item[c] is None else item[c] for c in LEDGER_COLUMNS])
    return out.getvalue()


def parse_month(raw: str | None, today: date) -> date:
    if not raw:
        return today.replace(day=1)
    if not (len(raw) == 7 and raw.isascii() and re.fullmatch(r"[0-9]{4}-[0-9]{2}", raw)):
        raise Invalid.at("/query/month", "须为 YYYY-MM / a month YYYY-MM")
    year, month = int(raw[:4]), int(raw[5:])
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise Invalid.at("/query/month", "不是有效月份 / not a valid month")
    first = date(year, month, 1)
    if first > today:
        raise Invalid.at("/query/month", "月份尚未开始 / the month has not begun")
    return first


def report(ctx: HubContext, session: Session, principal: Principal, first: date) -> dict[str, Any]:
    """GET /v1/workorders/report?month=YYYY-MM: the month's work orders, counted in SQL."""
    now = ctx.clock.now()
    following = (first + timedelta(days=32)).replace(day=1)
    wo = WorkOrder
    answered_in_time = and_(
        col(wo.answered_at).is_not(None), col(wo.answered_at) <= col(wo.answer_by)
    )
    late = or_(
        col(wo.answered_at) > col(wo.answer_by),
        and_(col(wo.answered_at).is_(None), col(wo.answer_by) < now),
    )

    def n(condition: Any) -> Any:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    where = [
        *_scope(ctx, principal),
        col(wo.created_at) >= _start(first),
        col(wo.created_at) < _start(following),
    ]
    by_type = dict(
        session.exec(select(wo.type, func.count()).where(*where).group_by(col(wo.type))).all()
    )
    totals = session.execute(
        sa_select(
            func.count(),
            n(col(wo.dispatched_at).is_not(None)),
            n(
                and_(
                    col(wo.dispatched_at).is_not(None), col(wo.dispatched_at) <= col(wo.dispatch_by)
                )
            ),
            n(col(wo.answered_at).is_not(None)),
            n(answered_in_time),
            n(late),
            n(col(wo.answered_at).is_(None)),
            n(col(wo.dunned_at).is_not(None)),
            n(col(wo.callback_at).is_not(None)),
            n(col(wo.satisfied).is_(True)),
            n(col(wo.help_article_id).is_not(None)),
        ).where(*where)
    ).one()
    (
        received,
        dispatched,
        dispatched_in_time,
        answered,
        in_time,
        late_n,
        open_n,
        dunned,
        callbacks,
        satisfied,
        to_help,
    ) = (int(v) for v in totals)
    return {
        "month": f"{first:%Y-%m}",
        "received": received,
        "by_type": {t: int(by_type.get(t, 0)) for t in TYPE_TEXT},
        "dispatched": dispatched,
        "dispatched_in_time": dispatched_in_time,
        "answered": answered,
        "answered_in_time": in_time,
        "late": late_n,
        "unanswered": open_n,
        "dunned": dunned,
        "callbacks": callbacks,
        "satisfied": satisfied,
        "satisfaction_rate": round(satisfied / callbacks, 4) if callbacks else None,
        "in_time_rate": round(in_time / received, 4) if received else None,
        "help_articles_made": to_help,
    }
