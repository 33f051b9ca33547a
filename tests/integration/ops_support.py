"""Helpers for the operations tests: a hub on the small registry, cases moved by services."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from hub.bootstrap import bootstrap
from hub.clock import FakeClock
from hub.config import Settings
from hub.services import intake, lifecycle
from hub.services.context import HubContext
from hub.services.principal import Principal, Role
from tests.support.builders import application, company, make_resident_id, person
from tests.support.hubctx import make_hub

SH = ZoneInfo("Asia/Shanghai")
SMALL = Path(__file__).resolve().parent.parent / "fixtures" / "small_registry.yaml"
PORTAL = Principal(Role.PORTAL, "portal", "t-portal")


def sh(y: int, m: int, d: int, hh: int = 0, mm: int = 0, ss: int = 0) -> datetime:
    """A moment in Shanghai time: sh(2026, 9, 30, 10) is 10:00 on 30 September."""
    return datetime(y, m, d, hh, mm, ss, tzinfo=SH)


def small_hub(url: str, tmp: Path, now: datetime) -> HubContext:
    return make_hub(url, tmp, now=now, registry=SMALL)


def twin(ctx: HubContext) -> HubContext:
    """A second hub process on the same database: own engine and connections, same clock."""
    settings = Settings(
        database_url=ctx.settings.database_url,
        amqp_url=None,
        region="310000",
        data_dir=ctx.settings.data_dir,
    )
    other = bootstrap(settings, clock=ctx.clock, pool_size=5)
    other.vault = ctx.vault
    return other


def clock(ctx: HubContext) -> FakeClock:
    assert isinstance(ctx.clock, FakeClock)
    return ctx.clock


def submit(
    ctx: HubContext,
    *,
    institution: str | None = "pm-a",
    category: str = "consumer",
    district: str = "310104",
    respondent: dict[str, Any] | None = None,
    applicant: dict[str, Any] | None = None,
    channel: str = "online",
    received_at: datetime | None = None,
) -> str:
    body = application(category=category, district=district, preferred_institution=institution)
    if institution is None or channel == "window":
        body.pop("preferred_institution")
    if respondent is not None:
        body["respondents"] = [respondent]
    if applicant is not None:
        body["applicants"] = [applicant]
    if body.get("occurred_on"):  # a dispute arises before it is brought (hub.domain.dates)
        body["occurred_on"] = min(
            body["occurred_on"], (ctx.clock.now() - timedelta(days=1)).date().isoformat()
        )
    principal = PORTAL
    if channel == "window":
        assert institution
        body["channel"] = "window"
        body["received_at"] = (received_at or ctx.clock.now()).isoformat()
        principal = Principal(Role.INSTITUTION, institution, "t-inst")
    with ctx.db.transaction() as s:
        answer = intake.submit(ctx, s, principal, body)
    return str(answer["application_no"])


def event(ctx: HubContext, no: str, institution: str, type: str, **data: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"event_id": str(uuid.uuid4()), "type": type}
    if data:
        body["data"] = data
    with ctx.db.transaction() as s:
        return lifecycle.record_event(ctx, s, Principal(Role.INSTITUTION, institution), no, body)


def person_n(n: int, name: str = "李四") -> dict[str, Any]:
    return person(name=name, id_number=make_resident_id(seq=f"{n:03d}"), phone="13900000000")


def company_n(prefix: str, name: str) -> dict[str, Any]:
    from tests.support.builders import make_uscc

    return company(name=name, id_number=make_uscc(prefix))
