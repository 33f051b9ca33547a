"""The data bureau's interface (INTERFACE 9, Art. 22-23).

- `masked_page`: one masked record per case, in keyset order of (updated_at, no), with an
  opaque cursor. Records are built in bulk: a page of applications, then their events,
  referrals and open deadlines in one query each, decrypted and masked by the catalogue's
  compiled masker (`privacy.masking`) with the hub's pseudonym key.
- `aggregates`: counts (and median hours from dispatch to acceptance) by month,
  district, category, outcome and channel, with small cells withheld and complementary
  suppression (`privacy.aggregates.suppress`) so no withheld cell follows from totals.
- Consent grants: `request_grant`, `approve_grant` (a different admin token than the
  requester's), `list_grants`, and `granted_page` / `granted_case`: only the granted
  Article 23 fields, in clear, of cases inside the grant's scope, each read written to
  the `grants` audit chain (grant, case numbers, fields; never the values).
"""

from __future__ import annotations

import os
import statistics
import uuid
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from hub import jsonutil
from hub.domain.calendar import SHANGHAI
from hub.services.access import is_requester
from hub.services.context import HubContext
from hub.services.errors import Conflict, Forbidden, Invalid, NotFound, Violation
from hub.services.principal import Principal, Role
from hub.services.records import event_data, institution_ref, open_personal
from hub.store import audit
from hub.store.models import Application, CaseEvent, Deadline, Referral
from hub.store.models_privacy import Grant
from hub.vault import Vault
from privacy.aggregates import TOTAL, suppress
from privacy.catalogue import load_catalogue
from privacy.config import load_pseudonym_key_from_env
from privacy.crypto import CryptoError
from privacy.masking import Pseudonymizer, compile_masker, to_month


def settle_seconds() -> float:
    """Seconds a change must be old before the masked feed serves it (see `_page`)."""
    return float(os.environ.get("HUB_SHARED_SETTLE_SECONDS", "5"))

DIMENSIONS = ("month", "district", "category", "outcome", "channel")
DEFAULT_THRESHOLD = 5
MAX_PAGE = 1000
GRANT_CHAIN = "grants"

#: The mediation outcome of a case, from where it stands (the `outcome` dimension).
OUTCOME_OF_STATUS = {
    "submitted": "pending",
    "dispatched": "pending",
    "received": "pending",
    "undeliverable": "pending",
    "accepted": "in_mediation",
    "rejected": "rejected",
    "withdrawn": "withdrawn",
    "closed_success": "success",
    "confirmation_requested": "success",
    "confirmed": "success",
    "confirmation_rejected": "success",
    "closed_failure": "failure",
    "arbitration_requested": "failure",
    "arbitrated": "failure",
    "litigation_requested": "failure",
    "litigation_filed": "failure",
    "litigation_not_filed": "failure",
}


# ---------------------------------------------------------------------------------
# Case records in the catalogue's shape, built in bulk
# ---------------------------------------------------------------------------------
@lru_cache(maxsize=4)
def _pseudonymizer(key: bytes) -> Pseudonymizer:
    return Pseudonymizer(key)


def pseudonymizer(vault: Vault) -> Pseudonymizer:
    key = vault.pseudonym_key or load_pseudonym_key_from_env()
    return _pseudonymizer(key)


def build_records(
    ctx: HubContext, session: Session, apps: Sequence[Application]
) -> list[dict[str, Any]]:
    """The case records (the shape `privacy.masking` expects) of `apps`, in their order:
    three queries for the whole page, whatever its size."""
    nos = [a.no for a in apps]
    if not nos:
        return []
    events: dict[str, list[CaseEvent]] = defaultdict(list)
    for e in session.exec(
        select(CaseEvent).where(col(CaseEvent.application_no).in_(nos)).order_by(col(CaseEvent.id))
    ):
        events[e.application_no].append(e)
    referrals: dict[str, list[Referral]] = defaultdict(list)
    for r in session.exec(
        select(Referral)
        .where(col(Referral.application_no).in_(nos))
        .order_by(col(Referral.created_at))
    ):
        referrals[r.application_no].append(r)
    deadlines: dict[str, list[Deadline]] = defaultdict(list)
    for d in session.exec(
        select(Deadline)
        .where(col(Deadline.application_no).in_(nos), col(Deadline.met_at).is_(None))
        .order_by(col(Deadline.due_at))
    ):
        deadlines[d.application_no].append(d)
    institutions: dict[str | None, dict[str, str] | None] = {}
    out: list[dict[str, Any]] = []
    for app in apps:
        if app.institution_id not in institutions:
            institutions[app.institution_id] = institution_ref(session, app.institution_id)
        personal = open_personal(ctx.vault, app)
        personal["attachments"] = [
            {k: v for k, v in a.items() if k != "content_base64"}
            for a in personal.get("attachments", [])
        ]
        out.append(
            {
                "application_no": app.no,
                "status": app.status,
                "channel": app.channel,
                "category": app.category,
                "district": app.district,
                "received_at": jsonutil.rfc3339(app.received_at),
                "institution": institutions[app.institution_id],
                "preferred_institution": app.preferred_institution,
                "arbitration_agreement": app.arbitration_agreement,
                **personal,
                "deadlines": [
                    {
                        "kind": d.kind,
                        "due_at": jsonutil.rfc3339(d.due_at),
                        "provisional": d.provisional,
                    }
                    for d in deadlines[app.no]
                ],
                "created_at": jsonutil.rfc3339(app.created_at),
                "updated_at": jsonutil.rfc3339(app.updated_at),
                "timeline": [
                    {
                        "type": e.type,
                        "at": jsonutil.rfc3339(e.occurred_at),
                        "data": event_data(ctx.vault, e),
                    }
                    for e in events[app.no]
                ],
                "_outcome": app.outcome,
                "_referrals": [
                    {
                        "kind": r.kind,
                        "target": r.target_id,
                        "status": r.status,
                        "outcome": r.outcome,
                    }
                    for r in referrals[app.no]
                ],
            }
        )
    return out


def mask_records(ctx: HubContext, records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    masker = compile_masker()
    pseudo = pseudonymizer(ctx.vault)
    out: list[dict[str, Any]] = []
    for record in records:
        masked = masker(record, pseudo)
        # Codes the hub computes (never free text): the case's outcome and its hand-offs.
        masked["outcome"] = record.get("_outcome")
        masked["referrals"] = record.get("_referrals", [])
        out.append(masked)
    return out


# ---------------------------------------------------------------------------------
# Keyset pagination with an opaque (sealed) cursor
# ---------------------------------------------------------------------------------
_CURSOR = {"table": "shared_cursor", "field": "position", "record_id": "databureau"}


def _seal_cursor(vault: Vault, app: Application) -> str:
    return vault.seal_json([app.updated_at.isoformat(), app.no], **_CURSOR)


def _open_cursor(vault: Vault, cursor: str) -> tuple[datetime, str]:
    try:
        at, no = vault.open_json(cursor, **_CURSOR)
        return datetime.fromisoformat(at), str(no)
    except (CryptoError, ValueError, TypeError):
        raise Invalid.at(
            "/query/cursor",
            "游标无效或已过期 / unknown or expired cursor: restart from updated_after",
        ) from None


@dataclass(frozen=True)
class Position:
    updated_after: datetime | None = None
    cursor: str | None = None
    limit: int = 100


def _page(
    ctx: HubContext, session: Session, pos: Position, where: Sequence[Any] = ()
) -> tuple[list[Application], str | None, bool]:
    query = select(Application)
    for clause in where:
        query = query.where(clause)
    # `updated_at` is stamped when a transaction starts, not when it commits: a case stamped
    # earlier may commit after a later one was read. Serving only changes older than the
    # settle window keeps the cursor from moving past a case that is still committing.
    settled = ctx.clock.now() - timedelta(seconds=settle_seconds())
    query = query.where(col(Application.updated_at) <= settled)
    if pos.cursor:
        at, no = _open_cursor(ctx.vault, pos.cursor)
        query = query.where(
            or_(
                col(Application.updated_at) > at,
                and_(col(Application.updated_at) == at, col(Application.no) > no),
            )
        )
    elif pos.updated_after is not None:
        query = query.where(col(Application.updated_at) > pos.updated_after)
    query = query.order_by(col(Application.updated_at), col(Application.no)).limit(pos.limit + 1)
    apps = list(session.exec(query))
    more = len(apps) > pos.limit
    apps = apps[: pos.limit]
    if apps:
        cursor: str | None = _seal_cursor(ctx.vault, apps[-1])
    else:
        cursor = pos.cursor  # nothing new: ask again from the same place
    return apps, cursor, more


def masked_page(ctx: HubContext, session: Session, pos: Position) -> dict[str, Any]:
    """GET /v1/shared/cases: masked records after the position, oldest change first."""
    apps, cursor, more = _page(ctx, session, pos)
    return {
        "cases": mask_records(ctx, build_records(ctx, session, apps)),
        "next_cursor": cursor,
        "has_more": more,
    }


# ---------------------------------------------------------------------------------
# Aggregates
# ---------------------------------------------------------------------------------
def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), SHANGHAI).astimezone(UTC)


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


def aggregates(
    ctx: HubContext,
    session: Session,
    dims: tuple[str, ...],
    day_from: date | None,
    day_to: date | None,
    threshold: int = DEFAULT_THRESHOLD,
) -> dict[str, Any]:
    """GET /v1/shared/aggregates: counts by `dims` of cases received in [from, to]."""
    query = sa_select(
        col(Application.received_at),
        col(Application.district),
        col(Application.category),
        col(Application.status),
        col(Application.channel),
        col(Application.dispatched_at),
        col(Application.accepted_at),
    )
    if day_from is not None:
        query = query.where(col(Application.received_at) >= _day_start(day_from))
    if day_to is not None:
        query = query.where(col(Application.received_at) < _day_start(day_to + timedelta(days=1)))
    counts: dict[tuple[Hashable, ...], int] = defaultdict(int)
    hours: dict[tuple[str, ...], list[float]] = defaultdict(list)
    for received, district, category, status, channel, dispatched, accepted in session.execute(
        query
    ):
        coords = {
            "month": to_month(received) or "unknown",
            "district": district,
            "category": category,
            "outcome": OUTCOME_OF_STATUS.get(status, "other"),
            "channel": channel,
        }
        key = tuple(coords[d] for d in dims)
        counts[key] += 1
        if accepted is not None and dispatched is not None and accepted >= dispatched:
            hours[key].append((accepted - dispatched).total_seconds() / 3600)
    cells: list[dict[str, Any]] = []
    if counts:
        table = suppress(dict(counts), threshold=threshold, dims=dims)
        margin_hours = _margin_lists(hours, len(dims))
        for row in table.rows():
            key = tuple(row[d] for d in dims)
            if not row["withheld"] and row["count"] == 0:
                continue  # an empty cell: absent means zero
            samples = margin_hours.get(key, [])
            # A median only over enough accepted cases, and never for a withheld cell.
            row["median_hours_to_accept"] = (
                round(statistics.median(samples), 1)
                if not row["withheld"] and len(samples) >= threshold
                else None
            )
            cells.append(row)
    return {
        "by": list(dims),
        "from": day_from.isoformat() if day_from else None,
        "to": day_to.isoformat() if day_to else None,
        "threshold": threshold,
        "total_marker": TOTAL,
        "cells": cells,
        "note": "count null and withheld true: fewer than threshold cases, or withheld so "
        "that a small cell cannot be recomputed from the totals (complementary suppression)",
    }


def _margin_lists(
    samples: dict[tuple[str, ...], list[float]], width: int
) -> dict[tuple[str, ...], list[float]]:
    out: dict[tuple[str, ...], list[float]] = defaultdict(list)
    for key, values in samples.items():
        for mask in range(1 << width):
            margin = tuple(TOTAL if mask >> i & 1 else k for i, k in enumerate(key))
            out[margin].extend(values)
    return out


# ---------------------------------------------------------------------------------
# Consent grants
# ---------------------------------------------------------------------------------
def grantable_fields() -> dict[str, str]:
    """Grant field name (catalogue path without `[]`) -> catalogue path, for every
    Article 23 field of the catalogue."""
    return {r.path.replace("[]", ""): r.path for r in load_catalogue().personal_rules()}


def grant_view(g: Grant, now: datetime | None = None) -> dict[str, Any]:
    state = g.status
    if now is not None and g.status == "approved" and g.expiry <= now:
        state = "expired"
    return {
        "id": g.id,
        "purpose": g.purpose,
        "scope": g.scope,
        "fields": g.fields,
        "expiry": jsonutil.rfc3339(g.expiry),
        "approver": g.approver,
        "grantee": g.grantee,
        "consent_reference": g.consent_reference,
        "status": state,
        "requested_by": g.requested_by_party or g.requested_by_role,
        "created_at": jsonutil.rfc3339(g.created_at),
        "approved_at": jsonutil.rfc3339(g.approved_at) if g.approved_at else None,
    }


def request_grant(
    ctx: HubContext, session: Session, principal: Principal, body: dict[str, Any]
) -> dict[str, Any]:
    """POST /v1/shared/grants (admin): a pending grant, usable once another admin approves."""
    now = ctx.clock.now()
    known = grantable_fields()
    errors = [
        Violation(f"/fields/{i}", f"不是可授权的第23条字段 / not an Article 23 field: {f}")
        for i, f in enumerate(body["fields"])
        if f not in known
    ]
    expiry = datetime.fromisoformat(body["expiry"].replace("Z", "+00:00"))
    if expiry.tzinfo is None:
        errors.append(Violation("/expiry", "须带时区 / needs an offset"))
    elif expiry <= now:
        errors.append(Violation("/expiry", "已过期 / already past"))
    scope = body["scope"]
    if "from" in scope and "to" in scope and scope["from"] > scope["to"]:
        errors.append(Violation("/scope/to", "to 早于 from / to before from"))
    if errors:
        raise Invalid(errors)
    grant = Grant(
        id=str(uuid.uuid4()),
        purpose=body["purpose"],
        scope=scope,
        fields=list(body["fields"]),
        expiry=expiry,
        approver=body["approver"],
        grantee=body.get("grantee"),
        consent_reference=body.get("consent_reference"),
        status="pending",
        requested_by_role=principal.role,
        requested_by_party=principal.party,
        requested_by_token=principal.token_id,
        requested_by_login=principal.login,
        created_at=now,
    )
    session.add(grant)
    audit.append(
        session,
        chain=GRANT_CHAIN,
        at=now,
        actor_role=principal.role,
        actor_party=principal.party,
        actor_login=principal.login,
        action="grant.requested",
        detail={"grant": grant.id, "fields": grant.fields, "scope": scope},
    )
    session.flush()
    return grant_view(grant, now)


def approve_grant(
    ctx: HubContext, session: Session, principal: Principal, grant_id: str
) -> dict[str, Any]:
    """POST /v1/shared/grants/{id}/approve (admin, never the requester's token)."""
    now = ctx.clock.now()
    grant = session.exec(select(Grant).where(Grant.id == grant_id).with_for_update()).first()
    if grant is None:
        raise NotFound("没有这个授权 / no such grant")
    if principal.role is not Role.ADMIN:
        raise Forbidden("只有 admin 可以审批 / only admin approves")
    if is_requester(
        principal,
        login=grant.requested_by_login,
        token=grant.requested_by_token,
        party=grant.requested_by_party,
    ):
        raise Forbidden("申请人不能审批自己的授权 / the requester cannot approve its own grant")
    if grant.status != "pending":
        raise Conflict(
            f"该授权已{grant.status} / already {grant.status}", current_status=grant.status
        )
    if grant.expiry <= now:
        raise Conflict("授权已过期 / the grant has expired", current_status="expired")
    grant.status = "approved"
    grant.approved_by_party = principal.party
    grant.approved_by_token = principal.token_id
    grant.approved_by_login = principal.login
    grant.approved_at = now
    session.add(grant)
    audit.append(
        session,
        chain=GRANT_CHAIN,
        at=now,
        actor_role=principal.role,
        actor_party=principal.party,
        actor_login=principal.login,
        action="grant.approved",
        detail={"grant": grant.id},
    )
    session.flush()
    return grant_view(grant, now)


def list_grants(ctx: HubContext, session: Session) -> dict[str, Any]:
    now = ctx.clock.now()
    rows = session.exec(select(Grant).order_by(col(Grant.created_at), col(Grant.id))).all()
    return {"grants": [grant_view(g, now) for g in rows]}


def usable_grant(ctx: HubContext, session: Session, principal: Principal, grant_id: str) -> Grant:
    grant = session.get(Grant, grant_id)
    if grant is None:
        raise NotFound("没有这个授权 / no such grant")
    if grant.status != "approved":
        raise Forbidden("授权尚未批准 / the grant is not approved")
    if grant.expiry <= ctx.clock.now():
        raise Forbidden("授权已过期 / the grant has expired")
    if grant.grantee and grant.grantee != principal.party:
        raise Forbidden("授权不属于调用方 / the grant is for another party")
    return grant


def scope_clauses(scope: dict[str, Any]) -> list[Any]:
    clauses: list[Any] = []
    if scope.get("application_nos"):
        clauses.append(col(Application.no).in_(list(scope["application_nos"])))
    if scope.get("categories"):
        clauses.append(col(Application.category).in_(list(scope["categories"])))
    if scope.get("districts"):
        clauses.append(col(Application.district).in_(list(scope["districts"])))
    if scope.get("from"):
        clauses.append(
            col(Application.received_at) >= _day_start(date.fromisoformat(scope["from"]))
        )
    if scope.get("to"):
        end = date.fromisoformat(scope["to"]) + timedelta(days=1)
        clauses.append(col(Application.received_at) < _day_start(end))
    return clauses


def in_scope(scope: dict[str, Any], app: Application) -> bool:
    if scope.get("application_nos") and app.no not in scope["application_nos"]:
        return False
    if scope.get("categories") and app.category not in scope["categories"]:
        return False
    if scope.get("districts") and app.district not in scope["districts"]:
        return False
    day = app.received_at.astimezone(SHANGHAI).date()
    if scope.get("from") and day < date.fromisoformat(scope["from"]):
        return False
    return not (scope.get("to") and day > date.fromisoformat(scope["to"]))


_ABSENT = object()


def _project(value: Any, segments: Sequence[str]) -> Any:
    if not segments:
        return value
    head, rest = segments[0], segments[1:]
    if head == "[]":
        if not isinstance(value, list):
            return _ABSENT
        items = [_project(v, rest) for v in value]
        return [v for v in items if v is not _ABSENT]
    if isinstance(value, dict) and head in value:
        return _project(value[head], rest)
    return _ABSENT


def granted_fields(record: dict[str, Any], fields: Sequence[str]) -> dict[str, Any]:
    known = grantable_fields()
    out: dict[str, Any] = {}
    for name in fields:
        path = known.get(name)
        if path is None:
            continue
        segments: list[str] = []
        for part in path.split("."):
            if part.endswith("[]"):
                segments += [part[:-2], "[]"]
            else:
                segments.append(part)
        value = _project(record, segments)
        out[name] = None if value is _ABSENT else value
    return out


def _granted(
    ctx: HubContext,
    session: Session,
    principal: Principal,
    grant: Grant,
    apps: Sequence[Application],
) -> list[dict[str, Any]]:
    records = build_records(ctx, session, apps)
    audit.append(
        session,
        chain=GRANT_CHAIN,
        at=ctx.clock.now(),
        actor_role=principal.role,
        actor_party=principal.party,
        actor_login=principal.login,
        action="grant.read",
        detail={"grant": grant.id, "cases": [a.no for a in apps], "fields": list(grant.fields)},
    )
    return [
        {
            "application_no": r["application_no"],
            "updated_at": r["updated_at"],
            "fields": granted_fields(r, grant.fields),
        }
        for r in records
    ]


def granted_page(
    ctx: HubContext, session: Session, principal: Principal, grant_id: str, pos: Position
) -> dict[str, Any]:
    """GET /v1/shared/cases?grant=ID: the granted fields in clear, in-scope cases only."""
    grant = usable_grant(ctx, session, principal, grant_id)
    apps, cursor, more = _page(ctx, session, pos, scope_clauses(grant.scope))
    return {
        "grant": grant.id,
        "cases": _granted(ctx, session, principal, grant, apps),
        "next_cursor": cursor,
        "has_more": more,
    }


def granted_case(
    ctx: HubContext, session: Session, principal: Principal, grant_id: str, no: str
) -> dict[str, Any]:
    """GET /v1/shared/cases/{no}?grant=ID: one case, refused outside the grant's scope."""
    grant = usable_grant(ctx, session, principal, grant_id)
    app = session.get(Application, no)
    if app is None or not in_scope(grant.scope, app):
        raise Forbidden("该办件不在授权范围内 / the case is outside the grant's scope")
    return {"grant": grant.id, **_granted(ctx, session, principal, grant, [app])[0]}
