"""The registry file (`hub registry load`): units, institutions, courts and commissions.

Loading is an upsert keyed on ids, so running it again updates and never duplicates; an
institution's load counters survive a reload. Webhook secrets are sealed at rest.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlmodel import Session, select

import schemas
from hub.domain.routing import MEDIATION_KINDS, fit_key
from hub.services.context import HubContext
from hub.services.errors import Invalid, Violation
from hub.services.routing import candidate
from hub.services.webhook_targets import TargetPolicy, TargetRefused, check_target
from hub.store import audit
from hub.store.models import Institution, Unit
from hub.store.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class LoadReport:
    units_added: int
    units_updated: int
    institutions_added: int
    institutions_updated: int


def read_registry_file(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text) if path.suffix in (".yaml", ".yml") else json.loads(text)
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as exc:
        # An operator's typo in a path or a file: one line, never a traceback.
        reason = next((line for line in str(exc).splitlines() if line.strip()), type(exc).__name__)
        raise Invalid.at(
            "", f"无法读取名录文件（JSON 或 YAML）/ cannot read the registry file: {reason}"
        ) from None
    errors = schemas.validate("registry_file", data)
    if errors:
        raise Invalid([Violation(e.pointer, e.message) for e in errors])
    refused = [
        Violation(f"/institutions/{i}/delivery/url", message)
        for i, item in enumerate(data.get("institutions", []))
        if (message := webhook_target_problem(item.get("delivery")))
    ]
    if refused:
        raise Invalid(refused)
    return dict(data)


def webhook_target_problem(delivery: Any) -> str | None:
    """Why a delivery's webhook URL may not receive messages, or None (webhook_targets)."""
    url = delivery.get("url") if isinstance(delivery, dict) else None
    if not url:
        return None
    try:
        check_target(str(url), TargetPolicy.from_env())
    except TargetRefused as exc:
        return str(exc)
    return None


def seal_secret(ctx: HubContext, institution_id: str, secret: str) -> str:
    return ctx.vault.seal_text(
        secret, table="institution", field="delivery_secret", record_id=institution_id
    )


def open_secret(ctx: HubContext, inst: Institution) -> str | None:
    if not inst.delivery_secret:
        return None
    return ctx.vault.open_text(
        inst.delivery_secret, table="institution", field="delivery_secret", record_id=inst.id
    )


def apply_institution(ctx: HubContext, session: Session, data: dict[str, Any], at: Any) -> bool:
    """Create or update one institution from registry data; True when it was new."""
    inst = session.get(Institution, data["id"])
    created = inst is None
    if inst is None:
        inst = Institution(
            id=data["id"], name=data["name"], kind=data["kind"], unit_id=data["unit"]
        )
    delivery = dict(data.get("delivery") or {"kind": "feed"})
    secret = delivery.pop("secret", None)
    inst.name = data["name"]
    inst.kind = data["kind"]
    inst.unit_id = data["unit"]
    inst.categories = list(data.get("categories", []))
    inst.districts = list(data.get("districts", []))
    inst.capacity = data.get("capacity")
    inst.visible = bool(data.get("visible", True))
    inst.state = data.get("state", inst.state or "active")
    inst.phone = data.get("phone")
    inst.address = data.get("address")
    inst.mediators = data.get("mediators")
    inst.duty = data.get("duty")
    inst.delivery = delivery
    inst.delivery_secret = seal_secret(ctx, inst.id, secret) if secret else None
    inst.updated_at = at
    session.add(inst)
    return created


def load(
    ctx: HubContext,
    session: UnitOfWork,
    path: Path,
    progress: Callable[[int], None] | None = None,
) -> LoadReport:
    """Load units and institutions in the caller's unit of work, all or nothing
    (`progress` hears the count of entries done as it goes)."""
    data = read_registry_file(path)
    now = ctx.clock.now()
    counts = {"ua": 0, "uu": 0, "ia": 0, "iu": 0}
    for u in data.get("units", []):
        unit = session.get(Unit, u["id"])
        if unit is None:
            counts["ua"] += 1
            unit = Unit(id=u["id"], name=u["name"])
        else:
            counts["uu"] += 1
        unit.name = u["name"]
        unit.liaison = u.get("liaison")
        unit.dispatch = u.get("dispatch", "auto")
        unit.updated_at = now
        session.add(unit)
    for item in data.get("institutions", []):
        if apply_institution(ctx, session, item, now):
            counts["ia"] += 1
        else:
            counts["iu"] += 1
        if progress is not None:
            progress(sum(counts.values()))
    audit.append(
        session,
        chain="registry",
        at=now,
        actor_role="admin",
        actor_party="cli",
        action="registry.loaded",
        detail={"file": path.name, **counts},
    )
    return LoadReport(counts["ua"], counts["uu"], counts["ia"], counts["iu"])


def directory(
    session: Session, *, category: str | None, district: str | None
) -> list[dict[str, Any]]:
    """GET /v1/institutions: active, visible institutions for a category and district.

    With both, the mediation bodies that could take such a case come first, ranked as
    routing ranks them (fit, then load) and the first marked `recommended`; those at
    capacity, and courts and commissions, follow by name.
    """
    rows = session.exec(
        select(Institution)
        .where(Institution.state == "active", Institution.visible == True)  # noqa: E712
        .order_by(Institution.id)
    ).all()
    listed = [
        r
        for r in rows
        if (not category or category in (r.categories or []))
        and (not district or district in (r.districts or []))
    ]
    ranked: list[Institution] = []
    if category and district:
        able = [
            (r, candidate(r))
            for r in listed
            if r.kind in MEDIATION_KINDS and not candidate(r).at_capacity
        ]
        able.sort(key=lambda rc: (*fit_key(rc[1]), rc[1].load, rc[1].open_cases, rc[0].name))
        ranked = [r for r, _ in able]
    rest = sorted((r for r in listed if r not in ranked), key=lambda r: r.name)
    out = []
    for r in [*ranked, *rest]:
        item: dict[str, Any] = {
            "id": r.id,
            "name": r.name,
            "kind": r.kind,
            "unit": r.unit_id,
            "categories": r.categories,
            "districts": r.districts,
            "phone": r.phone,
            "address": r.address,
        }
        if ranked:
            item["recommended"] = r is ranked[0]
        out.append(item)
    return out


def party_names(session: Session) -> dict[str, str]:
    """Every unit's and institution's name by id (pages show names, never ids)."""
    names = {u.id: u.name for u in session.exec(select(Unit)).all()}
    names.update({i.id: i.name for i in session.exec(select(Institution)).all()})
    return names
