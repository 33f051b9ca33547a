"""Registry governance (Art. 17, 20): units request, the justice bureau decides, history kept.

- `request_change`: a unit asks to add an institution under itself, or to update, suspend,
  close, show or hide one of its own. Nothing in `institution` changes yet.
- `decide`: an `admin` approves or rejects; never the requester (`access.is_requester`: the
  person who asked, or, when a system asked, the same token or an admin token issued for the
  requesting unit's own party, is refused with 403). Only an approved
  change touches the `institution` row, so only approved changes reach routing.
- Every version of an institution is kept in `institution_version` over
  `[valid_from, valid_to)`. Institutions loaded by `hub registry load` get a `baseline`
  version (valid from their `updated_at`) the first time history is needed, and a later file
  load that changed one is recorded as a `registry_load` version, so `as_of` can answer who
  could receive cases at any past moment.
- A suspended or closed institution receives no new case (routing takes only `active` ones);
  its open cases stay with it until a unit re-dispatches them
  (`POST /v1/applications/{no}/dispatch`).
"""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from hub import jsonutil
from hub.domain import destinations
from hub.domain.calendar import SHANGHAI
from hub.domain.routing import MEDIATION_KINDS
from hub.services import records
from hub.services.access import is_requester
from hub.services.context import HubContext
from hub.services.errors import Conflict, Forbidden, Invalid, NotFound
from hub.services.principal import Principal, Role
from hub.services.registry import webhook_target_problem
from hub.store import audit
from hub.store.models import Institution, Unit
from hub.store.models_ops import InstitutionVersion, RegistryChange
from hub.store.outbox import enqueue
from schemas.text import QUERY_DATE_MESSAGE, ascii_date

SNAPSHOT_FIELDS = (
    "name",
    "kind",
    "unit_id",
    "categories",
    "districts",
    "capacity",
    "visible",
    "state",
    "phone",
    "address",
    "mediators",
    "duty",
    "delivery",
)
_FIELD_OF = {"unit": "unit_id"}  # request body name -> column
_STATE_AFTER = {"suspend": "suspended", "close": "closed", "resume": "active"}
_VISIBLE_AFTER = {"show": True, "hide": False}
ACTION_TEXT = {
    "add": "新增",
    "update": "变更",
    "suspend": "暂停",
    "resume": "恢复",
    "close": "注销",
    "show": "在门户显示",
    "hide": "在门户隐藏",
}


def snapshot(inst: Institution) -> dict[str, Any]:
    """What a version records: the routing-relevant fields, never the webhook secret."""
    snap = {f: getattr(inst, f) for f in SNAPSHOT_FIELDS}
    snap["categories"] = sorted(snap["categories"] or [])
    snap["districts"] = sorted(snap["districts"] or [])
    snap["delivery"] = dict(snap["delivery"] or {})
    return snap


def _lock_history(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext('institution_version'))"))


def _current(session: Session, institution_id: str) -> InstitutionVersion | None:
    return session.exec(
        select(InstitutionVersion)
        .where(
            InstitutionVersion.institution_id == institution_id,
            col(InstitutionVersion.valid_to).is_(None),
        )
        .order_by(col(InstitutionVersion.version).desc())
    ).first()


def _open_version(
    session: Session,
    inst: Institution,
    at: datetime,
    source: str,
    now: datetime,
    change_id: str | None = None,
) -> InstitutionVersion:
    current = _current(session, inst.id)
    number = 1
    if current is not None:
        current.valid_to = at
        session.add(current)
        number = current.version + 1
    row = InstitutionVersion(
        institution_id=inst.id,
        version=number,
        valid_from=at,
        valid_to=None,
        snapshot=snapshot(inst),
        source=source,
        change_id=change_id,
        recorded_at=now,
    )
    session.add(row)
    session.flush()
    return row


def _as_recorded(snap: dict[str, Any], recorded: dict[str, Any]) -> dict[str, Any]:
    """`snap` without the fields a version recorded before they existed, while unset: a
    field added to the registry later is no change of the institutions that lack it."""
    return {k: v for k, v in snap.items() if k in recorded or v is not None}


def sync_history(session: Session, now: datetime) -> int:
    """Give every institution a current version that matches its row; answers how many added."""
    _lock_history(session)
    currents = {
        v.institution_id: v
        for v in session.exec(
            select(InstitutionVersion).where(col(InstitutionVersion.valid_to).is_(None))
        ).all()
    }
    added = 0
    for inst in session.exec(select(Institution).order_by(col(Institution.id))).all():
        current = currents.get(inst.id)
        snap = jsonutil.loads(jsonutil.dumps(snapshot(inst)))
        if current is not None and current.snapshot == _as_recorded(snap, current.snapshot):
            continue
        if current is None:
            _open_version(session, inst, inst.updated_at, "baseline", now)
        else:
            at = max(inst.updated_at, current.valid_from)
            _open_version(session, inst, at, "registry_load", now)
        added += 1
    return added


# ------------------------------------------------------------------ requests


def _change_view(c: RegistryChange) -> dict[str, Any]:
    return {
        "id": c.id,
        "action": c.action,
        "institution": c.institution_id,
        "data": c.data,
        "reason": c.reason,
        "status": c.status,
        "requested_by": c.requested_by_party,
        "requested_at": jsonutil.rfc3339(c.created_at),
        "decided_by": c.decided_by_party or c.decided_by_role,
        "decided_at": jsonutil.rfc3339(c.decided_at) if c.decided_at else None,
        "decision_note": c.decision_note,
    }


def _check_applicable(
    session: Session, action: str, institution_id: str, unit: str | None, data: dict[str, Any]
) -> Institution | None:
    """The change fits the registry as it stands now, or Invalid / Conflict / NotFound."""
    refused = webhook_target_problem(data.get("delivery"))
    if refused:  # at request and again at approval: the name may resolve elsewhere by then
        raise Invalid.at("/data/delivery/url", refused)
    inst = session.get(Institution, institution_id)
    if action == "add":
        if inst is not None:
            raise Conflict(f"机构 {institution_id} 已存在 / institution already exists")
        if unit is not None and data.get("unit") != unit:
            raise Invalid.at("/data/unit", "只能在本单位下新增机构 / add under your own unit")
        if session.get(Unit, data.get("unit")) is None:
            raise Invalid.at("/data/unit", "名录中没有该单位 / unknown unit")
        return None
    if inst is None or (unit is not None and inst.unit_id != unit):
        raise NotFound("没有这个机构 / no such institution of yours")
    if action == "update":
        if "unit" in data and unit is not None and data["unit"] != unit:
            raise Invalid.at("/data/unit", "不能把机构移交给其他单位 / cannot move to another unit")
        if "unit" in data and session.get(Unit, data["unit"]) is None:
            raise Invalid.at("/data/unit", "名录中没有该单位 / unknown unit")
    if inst.state == "closed":
        raise Conflict("该机构已注销 / institution is closed", current_status=inst.state)
    if action == "resume" and inst.state != "suspended":
        raise Conflict(
            f"只有暂停的机构可以恢复（当前：{records.state_words(inst.state)[0]}） / only a "
            f"suspended institution resumes (it is {inst.state})",
            current_status=inst.state,
        )
    if action in _STATE_AFTER and inst.state == _STATE_AFTER[action]:
        raise Conflict(
            f"该机构已是「{records.state_words(inst.state)[0]}」 / already {inst.state}",
            current_status=inst.state,
        )
    if action in _VISIBLE_AFTER and inst.visible == _VISIBLE_AFTER[action]:
        raise Conflict("门户显示状态未变 / visibility unchanged", current_status=inst.state)
    return inst


def request_change(
    ctx: HubContext, session: Session, principal: Principal, body: dict[str, Any]
) -> dict[str, Any]:
    """POST /v1/registry/changes (role unit)."""
    now = ctx.clock.now()
    action = body["action"]
    data = dict(body.get("data") or {})
    if action == "add":
        data.setdefault("unit", principal.party)
    delivery = dict(data.get("delivery") or {})
    secret = delivery.pop("secret", None)
    if "delivery" in data:
        data["delivery"] = delivery
    _check_applicable(session, action, body["institution"], principal.party, data)
    change = RegistryChange(
        id=str(uuid.uuid4()),
        action=action,
        institution_id=body["institution"],
        data=data or None,
        reason=body["reason"],
        requested_by_role=principal.role,
        requested_by_party=principal.party,
        requested_by_token=principal.token_id,
        requested_by_login=principal.login,
        created_at=now,
    )
    if secret:
        change.secret_sealed = ctx.vault.seal_text(
            secret, table="registry_change", field="secret", record_id=change.id
        )
    session.add(change)
    audit.append(
        session,
        chain="registry",
        at=now,
        actor_role=principal.role,
        actor_party=principal.party,
        actor_login=principal.login,
        action="registry.change_requested",
        detail={"change_id": change.id, "action": action, "institution": change.institution_id},
    )
    enqueue(
        session,
        ctx.vault,
        destination=destinations.ADMIN,
        type="registry.change_requested",
        application_no=None,
        data={
            **_change_view(change),
            "notice": {
                "zh": f"{principal.party} 申请{ACTION_TEXT[action]}机构 {change.institution_id}，"
                "请审核。",
                "en": f"{principal.party} requests to {action} {change.institution_id}.",
            },
        },
        occurred_at=now,
    )
    return {"id": change.id, "status": change.status}


def _apply(
    ctx: HubContext, session: Session, change: RegistryChange, inst: Institution | None, now: Any
) -> Institution:
    data = dict(change.data or {})
    if inst is None:
        inst = Institution(
            id=change.institution_id,
            name=data["name"],
            kind=data["kind"],
            unit_id=data["unit"],
            state="active",
            updated_at=now,
        )
    for key, value in data.items():
        setattr(inst, _FIELD_OF.get(key, key), value)
    if change.secret_sealed:
        secret = ctx.vault.open_text(
            change.secret_sealed, table="registry_change", field="secret", record_id=change.id
        )
        inst.delivery_secret = ctx.vault.seal_text(
            secret, table="institution", field="delivery_secret", record_id=inst.id
        )
    if change.action in _STATE_AFTER:
        inst.state = _STATE_AFTER[change.action]
    if change.action in _VISIBLE_AFTER:
        inst.visible = _VISIBLE_AFTER[change.action]
    inst.updated_at = now
    session.add(inst)
    session.flush()
    return inst


def decide(
    ctx: HubContext,
    session: Session,
    principal: Principal,
    change_id: str,
    approve: bool,
    note: str | None,
) -> dict[str, Any]:
    """POST /v1/registry/changes/{id}/approve or /reject (role admin, never the requester)."""
    now = ctx.clock.now()
    change = session.exec(
        select(RegistryChange).where(RegistryChange.id == change_id).with_for_update()
    ).first()
    if change is None:
        raise NotFound("没有这个变更申请 / no such change")
    if principal.role is not Role.ADMIN:
        raise Forbidden("只有司法局（admin）可以审核 / only admin decides")
    if is_requester(
        principal,
        login=change.requested_by_login,
        token=change.requested_by_token,
        party=change.requested_by_party,
    ):
        raise Forbidden("申请人不能审核自己的申请 / the requester cannot decide its own change")
    if change.status != "pending":
        raise Conflict(
            "该申请已{} / already {}".format(
                {"approved": "批准", "rejected": "驳回"}.get(change.status, "处理"), change.status
            ),
            current_status=change.status,
        )
    inst = None
    if approve:
        sync_history(session, now)
        inst = _check_applicable(
            session, change.action, change.institution_id, None, dict(change.data or {})
        )
        inst = _apply(ctx, session, change, inst, now)
        _open_version(session, inst, now, "change", now, change.id)
    change.status = "approved" if approve else "rejected"
    change.decided_by_role = principal.role
    change.decided_by_party = principal.party
    change.decided_by_token = principal.token_id
    change.decided_by_login = principal.login
    change.decision_note = note
    change.decided_at = now
    session.add(change)
    audit.append(
        session,
        chain="registry",
        at=now,
        actor_role=principal.role,
        actor_party=principal.party,
        actor_login=principal.login,
        action=f"registry.change_{change.status}",
        detail={
            "change_id": change.id,
            "action": change.action,
            "institution": change.institution_id,
            "snapshot": snapshot(inst) if inst is not None else None,
        },
    )
    verdict = "已批准" if approve else "未批准"
    if change.requested_by_party:
        enqueue(
            session,
            ctx.vault,
            destination=destinations.unit(change.requested_by_party),
            type="registry.change_decided",
            application_no=None,
            data={
                **_change_view(change),
                "notice": {
                    "zh": f"您申请{ACTION_TEXT[change.action]}机构 {change.institution_id}"
                    f"{verdict}。{note or ''}",
                    "en": f"Your request to {change.action} {change.institution_id} "
                    f"was {change.status}.",
                },
            },
            occurred_at=now,
        )
    return _change_view(change)


#: The states of a registry change (the filter of GET /v1/registry/changes).
CHANGE_STATUSES = ("pending", "approved", "rejected")


def list_changes(
    session: Session, principal: Principal, status: str | None
) -> list[dict[str, Any]]:
    stmt = select(RegistryChange)
    if principal.role is Role.UNIT:
        stmt = stmt.where(RegistryChange.requested_by_party == principal.party)
    if status:
        stmt = stmt.where(RegistryChange.status == status)
    rows = session.exec(stmt.order_by(col(RegistryChange.created_at))).all()
    return [_change_view(c) for c in rows]


def get_change(session: Session, principal: Principal, change_id: str) -> dict[str, Any]:
    c = session.get(RegistryChange, change_id)
    if c is None or (principal.role is Role.UNIT and c.requested_by_party != principal.party):
        raise NotFound("没有这个变更申请 / no such change")
    return _change_view(c)


# ------------------------------------------------------------------ history


def _version_view(v: InstitutionVersion) -> dict[str, Any]:
    snap = dict(v.snapshot)
    snap["unit"] = snap.pop("unit_id", None)
    return {
        "version": v.version,
        "valid_from": jsonutil.rfc3339(v.valid_from),
        "valid_to": jsonutil.rfc3339(v.valid_to) if v.valid_to else None,
        "source": v.source,
        "change_id": v.change_id,
        **snap,
        "could_receive": snap.get("state") == "active",
        "routable": snap.get("state") == "active"
        and bool(snap.get("visible"))
        and snap.get("kind") in MEDIATION_KINDS,
    }


def history(
    ctx: HubContext, session: Session, principal: Principal, inst_id: str
) -> dict[str, Any]:
    sync_history(session, ctx.clock.now())
    inst = session.get(Institution, inst_id)
    if inst is None or (principal.role is Role.UNIT and inst.unit_id != principal.party):
        raise NotFound("没有这个机构 / no such institution")
    versions = session.exec(
        select(InstitutionVersion)
        .where(InstitutionVersion.institution_id == inst_id)
        .order_by(col(InstitutionVersion.version))
    ).all()
    return {"institution": inst_id, "versions": [_version_view(v) for v in versions]}


def parse_moment(params: dict[str, str]) -> tuple[datetime, datetime]:
    """`?at=` an RFC 3339 instant, or `?date=YYYY-MM-DD` the whole Shanghai day."""
    at, day = params.get("at"), params.get("date")
    if bool(at) == bool(day):
        raise Invalid.at("/query/date", "须给出 date 或 at 之一 / give one of date or at")
    if day:
        d = ascii_date(day)
        if d is None:
            raise Invalid.at("/query/date", QUERY_DATE_MESSAGE)
        start = datetime.combine(d, time.min, tzinfo=SHANGHAI)
        return start, start + timedelta(days=1)
    try:
        moment = datetime.fromisoformat(str(at)) if str(at).isascii() else None
    except ValueError:
        moment = None
    if moment is None:
        raise Invalid.at("/query/at", "须为 RFC 3339 时间 / RFC 3339 time")
    if moment.tzinfo is None:
        raise Invalid.at("/query/at", "须带时区偏移 / offset required")
    if ascii_date(moment.date().isoformat()) is None:
        raise Invalid.at("/query/at", QUERY_DATE_MESSAGE)
    return moment, moment + timedelta(microseconds=1)


def as_of(ctx: HubContext, session: Session, params: dict[str, str]) -> dict[str, Any]:
    """GET /v1/registry/as-of: the versions in force during [start, end), per institution.

    An institution `could_receive` in the window if a version in force then was `active`;
    `routable` if one was active, visible and of a mediation kind (routing's own test).
    """
    start, end = parse_moment(params)
    category = params.get("category") or None
    district = params.get("district") or None
    sync_history(session, ctx.clock.now())
    rows = session.exec(
        select(InstitutionVersion)
        .where(
            col(InstitutionVersion.valid_from) < end,
            (col(InstitutionVersion.valid_to).is_(None))
            | (col(InstitutionVersion.valid_to) > start),
        )
        .order_by(col(InstitutionVersion.institution_id), col(InstitutionVersion.version))
    ).all()
    out: dict[str, dict[str, Any]] = {}
    for v in rows:
        snap = v.snapshot
        if category and category not in snap.get("categories", []):
            continue
        if district and district not in snap.get("districts", []):
            continue
        view = _version_view(v)
        entry = out.setdefault(
            v.institution_id,
            {"id": v.institution_id, "could_receive": False, "routable": False, "versions": []},
        )
        entry["could_receive"] = entry["could_receive"] or view["could_receive"]
        entry["routable"] = entry["routable"] or view["routable"]
        entry["name"] = snap.get("name")
        entry["versions"].append(view)
    return {
        "from": jsonutil.rfc3339(start),
        "to": jsonutil.rfc3339(end),
        "institutions": list(out.values()),
    }
