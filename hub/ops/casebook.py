"""`GET /v1/applications?status=&institution=&overdue=true`: the supervisors' case list.

A unit sees the cases held by its own institutions; the justice bureau and `admin` see all
(including cases that no institution holds, such as `undeliverable` ones): `hub.services.
access.supervised_institutions`; a unit also sees the `undeliverable` cases it must
dispatch by hand (`casework.responsible_units`). A case is overdue when one of its open
deadlines (`met_at` null) is past its `due_at` now, whether or not the scheduler has marked
it yet; each such deadline is shown with how many working hours and working days it is
late (`hub.domain.calendar`). Pages are keyed on the application number (`cursor` = the
last number of the previous page), so a page never repeats or skips a case; `order=newest`
lists the newest numbers first (the institution workbench's order). A unit that dispatches
by hand (`dispatch: manual`) also sees the new cases waiting for it (`awaiting_unit`;
`awaiting=true` lists only those). `origin=live` leaves out imported history (`hub import
cases`, INTERFACE 12) and `origin=imported` lists only it; each item names the outside
system an imported case came from (`imported_from`, null for live work).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, or_
from sqlmodel import Session, col, select

from hub import jsonutil
from hub.domain.calendar import working_days_late, working_hours_between
from hub.domain.status import Status
from hub.services.access import supervised_institutions
from hub.services.casework import responsible_units
from hub.services.context import HubContext
from hub.services.deadline_view import deadline_rows
from hub.services.errors import Invalid, Violation
from hub.services.principal import Principal, Role
from hub.store import cases
from hub.store.models import Application, Deadline, Institution
from schemas.text import ascii_int

MAX_LIMIT = 200
ORDERS = ("number", "newest")
#: `origin=`: every case, live work only, or imported history only.
ORIGINS = ("live", "imported")
#: Statuses a list may be filtered by, in the order a case meets them.
STATUS_CHOICES = [s.value for s in Status]


def parse_query(params: dict[str, str]) -> dict[str, Any]:
    """Check the query string; every problem is a 422 with a pointer, nothing looked up."""
    errors: list[Violation] = []
    status = params.get("status") or None
    if status is not None and status not in {s.value for s in Status}:
        errors.append(Violation("/query/status", "未知状态 / unknown status"))
    overdue_raw = (params.get("overdue") or "").lower()
    if overdue_raw not in ("", "true", "false", "1", "0"):
        errors.append(Violation("/query/overdue", "须为 true 或 false / true or false"))
    awaiting_raw = (params.get("awaiting") or "").lower()
    if awaiting_raw not in ("", "true", "false", "1", "0"):
        errors.append(Violation("/query/awaiting", "须为 true 或 false / true or false"))
    limit_raw = params.get("limit") or "50"
    limit = ascii_int(limit_raw) or 0
    if not 1 <= limit <= MAX_LIMIT:
        errors.append(Violation("/query/limit", f"须为 1-{MAX_LIMIT} / 1-{MAX_LIMIT}"))
    order = params.get("order") or "number"
    if order not in ORDERS:
        errors.append(Violation("/query/order", "须为 number 或 newest / number or newest"))
    origin = params.get("origin") or None
    if origin is not None and origin not in ORIGINS:
        errors.append(Violation("/query/origin", "须为 live 或 imported / live or imported"))
    source_no = params.get("source_no") or None
    if source_no is not None and not (
        len(source_no) <= 64 and source_no.isascii() and source_no.isprintable()
    ):
        errors.append(Violation("/query/source_no", "门户编号不超过 64 个字符 / up to 64"))
    if errors:
        raise Invalid(errors)
    return {
        "source_no": source_no,
        "status": status,
        "institution": params.get("institution") or None,
        "overdue": overdue_raw in ("true", "1"),
        "awaiting": awaiting_raw in ("true", "1"),
        "limit": limit,
        "cursor": params.get("cursor") or None,
        "order": order,
        "origin": origin,
    }


def overdue_view(deadlines: list[Deadline], now: Any) -> list[dict[str, Any]]:
    return [
        {
            "deadline": d.kind,
            "due_at": jsonutil.rfc3339(d.due_at),
            "overdue_working_hours": round(working_hours_between(d.due_at, now), 2),
            "overdue_working_days": working_days_late(d.due_at, now),
            "marked_at": jsonutil.rfc3339(d.overdue_at) if d.overdue_at else None,
            "escalated_at": jsonutil.rfc3339(d.escalated_at) if d.escalated_at else None,
            "institution": d.institution_id,
        }
        for d in deadlines
        if d.due_at <= now
    ]


def list_applications(
    ctx: HubContext, session: Session, principal: Principal, query: dict[str, Any]
) -> dict[str, Any]:
    now = ctx.clock.now()
    stmt = cases.SELECT
    scope: list[str] | None = None
    if principal.role is Role.PORTAL:  # a portal finds what it submitted, by its own number
        stmt = stmt.where(
            col(Application.submitted_by_role) == "portal",
            col(Application.submitted_by_party) == principal.party,
        )
    else:
        scope = supervised_institutions(ctx, session, principal)
        if scope is not None:
            held: ColumnElement[bool] = col(Application.institution_id).in_(scope or [""])
            if principal.role is Role.UNIT:  # and the new cases it dispatches by hand
                held = or_(held, col(Application.awaiting_unit) == principal.party)
                # and the cases nobody took that it may be asked to dispatch (filtered below)
                held = or_(
                    held,
                    col(Application.institution_id).is_(None)
                    & (col(Application.status) == Status.UNDELIVERABLE.value),
                )
            stmt = stmt.where(held)
    if query.get("awaiting"):
        stmt = stmt.where(col(Application.awaiting_unit).is_not(None))
    if query.get("source_no"):
        stmt = stmt.where(Application.source_no == query["source_no"])
    if query.get("origin") == "live":
        stmt = stmt.where(col(Application.source).is_(None))
    elif query.get("origin") == "imported":
        stmt = stmt.where(col(Application.source).is_not(None))
    if query["status"]:
        stmt = stmt.where(Application.status == query["status"])
    if query["institution"]:
        stmt = stmt.where(Application.institution_id == query["institution"])
    if query["overdue"]:
        late_nos = select(Deadline.application_no).where(
            col(Deadline.met_at).is_(None), col(Deadline.due_at) <= now
        )
        stmt = stmt.where(col(Application.no).in_(late_nos))
    newest = query.get("order") == "newest"
    if query["cursor"]:
        after = (
            col(Application.no) < query["cursor"]
            if newest
            else col(Application.no) > query["cursor"]
        )
        stmt = stmt.where(after)
    order = col(Application.no).desc() if newest else col(Application.no)
    rows = cases.fetch(session, stmt.order_by(order).limit(query["limit"] + 1))
    more = len(rows) > query["limit"]
    rows = rows[: query["limit"]]
    nos = [r.no for r in rows]
    cursor = nos[-1] if more and nos else None
    if principal.role is Role.UNIT and scope is not None:
        rows = [
            r
            for r in rows
            if r.institution_id is not None
            or r.awaiting_unit == principal.party
            or principal.party in responsible_units(ctx, session, r)
        ]
        nos = [r.no for r in rows]
    open_by_case: dict[str, list[Deadline]] = {}
    if nos:
        for d in session.exec(
            select(Deadline)
            .where(col(Deadline.application_no).in_(nos), col(Deadline.met_at).is_(None))
            .order_by(col(Deadline.due_at))
        ).all():
            open_by_case.setdefault(d.application_no, []).append(d)
    names = {
        i.id: i.name
        for i in session.exec(
            select(Institution).where(
                col(Institution.id).in_([r.institution_id for r in rows if r.institution_id])
            )
        ).all()
    }
    items = []
    for r in rows:
        open_deadlines = open_by_case.get(r.no, [])
        late = overdue_view(open_deadlines, now)
        items.append(
            {
                "application_no": r.no,
                "source_no": r.source_no,
                "imported_from": r.source,
                "status": r.status,
                "channel": r.channel,
                "category": r.category,
                "district": r.district,
                "institution": (
                    {"id": r.institution_id, "name": names.get(r.institution_id, "")}
                    if r.institution_id
                    else None
                ),
                "awaiting_unit": r.awaiting_unit,
                "received_at": jsonutil.rfc3339(r.received_at),
                "updated_at": jsonutil.rfc3339(r.updated_at),
                "deadlines": {d.kind: jsonutil.rfc3339(d.due_at) for d in open_deadlines},
                "clocks": deadline_rows(open_deadlines, now),
                "overdue": late,
                "overdue_working_hours": max(
                    (x["overdue_working_hours"] for x in late), default=0.0
                ),
                "overdue_working_days": max((x["overdue_working_days"] for x in late), default=0),
            }
        )
    return {
        "items": items,
        "next_cursor": cursor,
        "as_of": jsonutil.rfc3339(now),
    }
