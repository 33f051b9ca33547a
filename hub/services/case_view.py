"""One case as the pages show it: the record the API answers, plus what the page needs to
offer the next step (the events and hand-offs the status allows, the competent courts and
commissions to choose from, the open clocks with their lateness, the names of the parties
that took each step)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from hub.domain.case import Case
from hub.domain.status import Status, possible_events, possible_referrals
from hub.services import records
from hub.services.access import may_view
from hub.services.context import HubContext
from hub.services.deadline_view import deadline_rows
from hub.services.errors import NotFound
from hub.services.principal import Principal
from hub.services.routing import competent_bodies
from hub.store import cases
from hub.store.models import Institution, Unit

NOT_FOUND = "没有这个办件 / no such application"


def viewable(ctx: HubContext, session: Session, principal: Principal, no: str) -> Case:
    """Case `no`, if the caller may read it; else NotFound, as if there were none."""
    app = cases.load(session, no)
    if app is None or not may_view(ctx, session, principal, app):
        raise NotFound(NOT_FOUND)
    return app


def party_names(session: Session, ids: set[str]) -> dict[str, str]:
    """Registry names of the given institution and unit ids."""
    ids.discard("")
    if not ids:
        return {}
    names = {
        i.id: i.name
        for i in session.exec(select(Institution).where(col(Institution.id).in_(sorted(ids))))
    }
    names.update(
        {u.id: u.name for u in session.exec(select(Unit).where(col(Unit.id).in_(sorted(ids))))}
    )
    return names


def workbench(ctx: HubContext, session: Session, principal: Principal, no: str) -> dict[str, Any]:
    """The institution's page of one of its cases."""
    app = viewable(ctx, session, principal, no)
    rec = records.full_record(ctx, session, app)
    current = Status(app.status)
    kinds = [k.value for k in possible_referrals(current, app.arbitration_agreement)]
    targets = competent_bodies(session, app.category, app.district) if kinds else []
    mentioned: set[str] = {app.institution_id or ""}
    for step in rec["timeline"]:
        mentioned.add(step["actor"] or "")
        for key in ("institution", "target", "to"):
            value = (step["data"] or {}).get(key)
            if isinstance(value, str):
                mentioned.add(value)
    return {
        "rec": rec,
        "deadlines": deadline_rows(records.open_deadlines(session, no), ctx.clock.now()),
        "actions": [e.value for e in possible_events(current)],
        "referral_kinds": kinds,
        "targets": targets,
        "names": party_names(session, mentioned),
    }
