"""Who may see and decide what: the one place the API and the web pages ask.

- `may_view`: who is entitled to a case's whole record (INTERFACE 4).
- `supervised_institutions`: whose cases a supervisor oversees (INTERFACE 10, 13): a unit
  its own institutions; the justice bureau (市司法局, `Settings.justice_bureau`) and `admin`
  every institution; an institution itself only.
- `is_requester`: the four-eyes rule of registry approvals and grants. When a person asked,
  persons are compared: that person can never decide it, another admin of the same party
  can. When a system asked (an API token), the token and its party are compared.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from hub.domain.case import Case
from hub.services.casework import responsible_units
from hub.services.context import HubContext
from hub.services.principal import Principal, Role
from hub.store.models import Institution, Referral


def sees_everything(ctx: HubContext, principal: Principal) -> bool:
    return principal.role is Role.ADMIN or (
        principal.role is Role.UNIT and principal.party == ctx.settings.justice_bureau
    )


def supervised_institutions(
    ctx: HubContext, session: Session, principal: Principal
) -> list[str] | None:
    """The institutions whose cases the caller oversees; None means every institution."""
    if sees_everything(ctx, principal):
        return None
    if principal.role is Role.UNIT:
        return list(
            session.exec(select(Institution.id).where(Institution.unit_id == principal.party))
        )
    if principal.role is Role.INSTITUTION and principal.party:
        return [principal.party]
    return []


def supervises(
    ctx: HubContext, session: Session, principal: Principal, institution_id: str | None
) -> bool:
    """Whether the caller oversees `institution_id` (None: a case no institution holds)."""
    if sees_everything(ctx, principal):
        return True
    if institution_id is None or principal.role is not Role.UNIT:
        return False
    inst = session.get(Institution, institution_id)
    return inst is not None and inst.unit_id == principal.party


def may_view(ctx: HubContext, session: Session, principal: Principal, app: Case) -> bool:
    """INTERFACE 4: who is entitled to the whole record of a case."""
    role, party = principal.role, principal.party
    if role is Role.ADMIN:
        return True
    if role is Role.PORTAL:
        return app.submitted_by_role == "portal" and app.submitted_by_party == party
    if role is Role.INSTITUTION:
        return app.institution_id == party
    if role is Role.UNIT:
        if sees_everything(ctx, principal):
            return True
        if app.awaiting_unit is not None:  # its unit dispatches it by hand (Art. 7)
            return party == app.awaiting_unit
        if app.institution_id is None:  # undeliverable: the units that must dispatch it
            return party in responsible_units(ctx, session, app)
        return supervises(ctx, session, principal, app.institution_id)
    if role in (Role.COURT, Role.ARBITRATION):
        return (
            session.exec(
                select(Referral.id).where(
                    Referral.application_no == app.no, Referral.target_id == party
                )
            ).first()
            is not None
        )
    return False


def is_requester(
    principal: Principal, *, login: str | None, token: str | None, party: str | None
) -> bool:
    """Four-eyes: whether `principal` is (or stands for) who made a request."""
    if login:
        return principal.login == login
    if principal.token_id and principal.token_id == token:
        return True
    return principal.party is not None and principal.party == party


def supervised_directory(
    ctx: HubContext, session: Session, principal: Principal, *, dispatchable: bool = False
) -> list[dict[str, Any]]:
    """The institutions a supervisor oversees, by name (the console's pickers); with
    `dispatchable`, only active mediation institutions, those a case may be dispatched to."""
    from hub.domain.routing import MEDIATION_KINDS

    scope = supervised_institutions(ctx, session, principal)
    stmt = select(Institution).order_by(col(Institution.unit_id), col(Institution.id))
    if scope is not None:
        stmt = stmt.where(col(Institution.id).in_(scope or [""]))
    rows = session.exec(stmt).all()
    return [
        {
            "id": i.id,
            "name": i.name,
            "unit": i.unit_id,
            "kind": i.kind,
            "state": i.state,
            "categories": list(i.categories or ()),
            "districts": list(i.districts or ()),
        }
        for i in rows
        if not dispatchable or (i.state == "active" and i.kind in MEDIATION_KINDS)
    ]
