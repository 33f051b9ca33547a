"""Intake (Art. 7-8): number an application, seal its personal data, route it, answer."""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from hub.domain import dates
from hub.domain.case import Case
from hub.domain.numbering import ApplicationNumber, business_day
from hub.domain.places import district_of
from hub.domain.status import Status
from hub.services import case_files, records
from hub.services.casework import (
    dispatch,
    notify_applicant,
    notify_portal,
    record_audit,
    route_or_park,
    touch,
)
from hub.services.context import HubContext
from hub.services.errors import Conflict, Forbidden, Invalid, Violation
from hub.services.principal import SYSTEM, Principal, Role
from hub.store.models import Application, Institution, PartyIndex
from hub.store.sequences import next_day_sequence
from hub.store.unit_of_work import emit

QUERY_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_query_code() -> str:
    """Eight characters drawn uniformly from the alphabet (31 letters and digits): bytes
    below 248 = 8 x 31 are taken mod 31, the rest dropped, so no character is favoured.
    One read of the system's random source instead of one per character."""
    code: list[str] = []
    while len(code) < 8:
        code.extend(QUERY_CODE_ALPHABET[b % 31] for b in secrets.token_bytes(12) if b < 248)
    return "".join(code[:8])


def query_code_digest(ctx: HubContext, no: str, code: str) -> str:
    return ctx.vault.index(f"{no}:{code.strip().upper()}", purpose="query_code")


def with_district(body: dict[str, Any]) -> dict[str, Any]:
    """The body with its `district`, read from an applicant's address (then the place of the
    dispute) when the portal sent an address instead (Art. 7 directory)."""
    if body.get("district"):
        return body
    places = [
        (f"/applicants/{i}/address", p.get("address"))
        for i, p in enumerate(body.get("applicants") or [])
    ] + [("/occurred_place", body.get("occurred_place"))]
    for _, text in places:
        match = district_of(text) if isinstance(text, str) else None
        if match is not None:
            return {**body, "district": match.code}
    raise Invalid.at(
        "/district",
        "缺少所在区，且无法从申请人地址或纠纷发生地确定 / district missing, and the applicants' "
        "addresses and occurred_place do not name a Shanghai district",
    )


_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def body_digest(body: dict[str, Any]) -> str:
    """The application's content as a digest (keys sorted): the same body, the same digest."""
    canonical = _CANONICAL.encode(body)
    return hashlib.sha256(canonical.encode()).hexdigest()


def source_no_key(body: dict[str, Any]) -> str | None:
    """The idempotency key a body's `source_no` stands for when no Idempotency-Key is sent."""
    source_no = body.get("source_no")
    return f"source_no:{source_no}" if source_no else None


def earlier_submission(
    session: Session, principal: Principal, source_no: str
) -> Application | None:
    """The case this portal already submitted under its own number `source_no`, if any."""
    return session.exec(
        select(Application).where(
            Application.submitted_by_party == principal.party,
            Application.source_no == source_no,
        )
    ).first()


def repeat_of(ctx: HubContext, session: Session, first: Application, digest: str) -> dict[str, Any]:
    """A repeat of `source_no` (INTERFACE 17): the same body is answered with the first case,
    another body is 409. The first answer itself (with the query code) is replayed while its
    idempotency record lasts; after that the case is answered without the code."""
    if first.source_hash != digest:
        message = (
            f"门户编号 {first.source_no} 已用于办件 {first.no}，内容不同 / source_no "
            f"{first.source_no} was used for {first.no} with another body"
        )
        raise Conflict(
            message, current_status=first.status, errors=[Violation("/source_no", message)]
        )
    return {
        "application_no": first.no,
        "source_no": first.source_no,
        "query_code": None,
        "status": first.status,
        "institution": records.institution_ref(session, first.institution_id),
        "deadlines": records.deadlines_view(records.open_deadlines(session, first.no)),
        "repeat": True,
    }


def submit(
    ctx: HubContext, session: Session, principal: Principal, body: dict[str, Any]
) -> dict[str, Any]:
    """Create one application in the caller's transaction and answer the 201 body."""
    now = ctx.clock.now()
    channel = body["channel"]
    implausible = list(dates.body_problems("application", body, now, ctx.settings.dates))
    if implausible:  # also for callers that bypass the API's check (hub.domain.dates)
        raise Invalid([Violation(pointer, message) for pointer, message in implausible])
    if channel == "window":
        if principal.role is not Role.INSTITUTION or not principal.party:
            raise Forbidden(
                "窗口办件只能由解纷机构录入 / window applications are entered by institutions"
            )
        received_at = datetime.fromisoformat(body["received_at"])
        window_inst = session.get(Institution, principal.party)
        if window_inst is None or window_inst.state != "active":
            raise Forbidden("该机构不在名录中或已停用 / institution not active in the registry")
    else:
        if principal.role is not Role.PORTAL:
            raise Forbidden("线上办件只能由门户提交 / online applications come from the portal")
        received_at = now
    preferred = body.get("preferred_institution")
    if preferred and session.get(Institution, preferred) is None:
        raise Invalid.at("/preferred_institution", "名录中没有该机构 / unknown institution")
    source_no, source_hash = body.get("source_no"), None
    if source_no:
        source_hash = body_digest(body)
        first = earlier_submission(session, principal, source_no)
        if first is not None:
            return repeat_of(ctx, session, first, source_hash)

    day = business_day(now)
    number = ApplicationNumber(
        ctx.settings.region, day, next_day_sequence(session, ctx.settings.region, day)
    )
    no = str(number)
    code = new_query_code()
    if body.get("attachments"):
        body = {
            **body,
            "attachments": case_files.take_in(
                body["attachments"],
                limit=ctx.settings.case_file_bytes,
                already=0,
                pointer="/attachments",
            ),
        }
    personal = records.split_personal(body)
    app = Case(
        no=no,
        region=number.region,
        day=day,
        sequence=number.sequence,
        channel=channel,
        category=body["category"],
        district=body["district"],
        status=Status.SUBMITTED,
        preferred_institution=preferred,
        arbitration_agreement=bool(body.get("arbitration_agreement", False)),
        returned_by=[],
        submitted_by_role=principal.role,
        submitted_by_party=principal.party,
        query_code_hash=query_code_digest(ctx, no, code),
        personal=records.seal_personal(ctx.vault, no, personal),
        received_at=received_at,
        created_at=now,
        updated_at=now,
        source_no=source_no,
        source_hash=source_hash,
    )
    for role in ("applicants", "respondents"):
        for party in body.get(role, []):
            emit(
                session,
                PartyIndex,
                {
                    "application_no": no,
                    "role": role[:-1],
                    "value": ctx.vault.party_index(party["id_number"]),
                    "received_at": received_at,
                    "created_at": now,
                },
            )
    records.add_event(
        ctx,
        session,
        app,
        type="submitted",
        at=now,
        actor_role=principal.role,
        actor_party=principal.party,
        data={"channel": channel},
    )
    if channel == "window":
        assert principal.party is not None
        dues = dispatch(
            ctx,
            session,
            app,
            principal.party,
            at=received_at,
            actor=principal,
            personal=personal,
            acknowledged=True,
        )
        touch(app, Status.RECEIVED, now)
        records.add_event(
            ctx,
            session,
            app,
            type="received",
            at=now,
            actor_role=principal.role,
            actor_party=principal.party,
        )
    else:
        # the hub routes on the unit's behalf (Art. 7): the step is the system's, not the portal's
        dues = route_or_park(ctx, session, app, at=now, actor=SYSTEM, personal=personal)
    notify_portal(ctx, session, app, now)
    notify_applicant(ctx, session, app, "numbered", now, {"query_code": code}, personal)
    record_audit(
        session,
        app,
        principal,
        "application.submitted",
        now,
        {"channel": channel, "status": app.status, "institution": app.institution_id},
        new_chain=True,
    )
    emit(session, Application, app.row())  # after its last change in this use case
    return {
        "application_no": no,
        **({"source_no": source_no} if source_no else {}),
        "query_code": code,
        "status": app.status,
        "district": app.district,
        "institution": records.institution_ref(session, app.institution_id),
        **({"awaiting_unit": app.awaiting_unit} if app.awaiting_unit else {}),
        "deadlines": records.deadlines_view(dues),
    }
