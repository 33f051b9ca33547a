"""Messages that could not be delivered (死信): recorded, shown to operators, replayed.

A dead letter is an outbox row with `dead_at`, `dead_reason` and `dead_attempts`. When it
was a new case for an institution (`application.dispatched`) and the case is still waiting
there, the hub offers the case to the next suitable institution, as after `returned`,
while the letter's deadline (the first offer's acknowledgement deadline) has not passed;
otherwise, or when no institution is left, the case becomes `undeliverable` (待人工分派)
and the units covering it are told (`application.undeliverable`) to dispatch it by hand.

A replay settles each letter it names and says how (`LetterOutcome`): sent again, the case
dispatched again to that institution, superseded (its case has moved on), or not dead.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from hub import jsonutil
from hub.domain import destinations
from hub.domain.status import Status
from hub.services import records
from hub.services.casework import (
    close_deadlines,
    dispatch,
    leave_institution,
    notify_portal,
    park,
    record_audit,
    route_or_park,
    save_case,
)
from hub.services.context import HubContext
from hub.services.principal import SYSTEM
from hub.store import audit, cases
from hub.store.models import Institution, OutboxMessage
from hub.store.outbox_recorder import recorder_for
from hub.store.unit_of_work import UnitOfWork

DISPATCHED = "application.dispatched"


def record_dead(
    ctx: HubContext,
    session: UnitOfWork,
    message_id: str,
    reason: str,
    *,
    attempts: int | None = None,
    at: datetime | None = None,
) -> bool:
    """Mark one outbox message dead after `attempts` delivery attempts (idempotent); True
    when this call recorded it."""
    now = at or ctx.clock.now()
    row = session.exec(
        select(OutboxMessage).where(OutboxMessage.message_id == message_id).with_for_update()
    ).first()
    if row is None or row.dead_at is not None:
        return False
    row.dead_at = now
    row.dead_reason = reason[:500]
    row.dead_attempts = attempts
    row.dead_resolved_at = None
    row.dead_resolution = None
    session.add(row)
    assert row.id is not None
    conn = session.connection()
    recorder_for(conn).unpend(conn, row.id)  # dead before the relay marked it sent
    detail = {
        "message_id": message_id,
        "destination": row.destination,
        "type": row.type,
        "reason": row.dead_reason,
        "attempts": attempts,
    }
    moved = False
    if row.type == DISPATCHED and row.application_no:
        moved = _offer_elsewhere(ctx, session, row, now)
    if row.application_no and not moved:
        app = cases.load(session, row.application_no)
        if app is not None:
            record_audit(session, app, SYSTEM, "delivery.dead_lettered", now, detail)
    elif not row.application_no:
        audit.append(
            session,
            chain="delivery",
            at=now,
            actor_role=SYSTEM.role,
            actor_party=SYSTEM.party,
            action="delivery.dead_lettered",
            detail=detail,
        )
    return True


def _institution_of(row: OutboxMessage) -> str | None:
    """The institution a message was for (None if it was for another kind of party)."""
    kind, ident = destinations.split(row.destination)
    return ident if kind in (destinations.INSTITUTION, None) else None


def _offer_elsewhere(ctx: HubContext, session: Session, row: OutboxMessage, now: datetime) -> bool:
    """The new case never reached its institution: the next suitable one while the first
    offer's deadline allows, else undeliverable. False if the case has moved on since."""
    app = cases.load(session, row.application_no, for_update=True) if row.application_no else None
    holder = _institution_of(row)
    if (
        holder is None
        or app is None
        or app.status != Status.DISPATCHED
        or app.institution_id != holder
    ):
        return False
    leave_institution(session, app)
    close_deadlines(session, app.no, now)
    # Never offered again to the institution it could not reach.
    app.returned_by = [*(app.returned_by or []), holder]
    session.flush()
    why = {
        "institution": holder,
        "reason": (row.dead_reason or "")[:500],
        "message_id": row.message_id,
    }
    deadline = row.deliver_by
    if deadline is None or now < deadline:
        route_or_park(ctx, session, app, at=now, actor=SYSTEM, deliver_by=deadline, why=why)
    else:
        park(ctx, session, app, at=now, actor=SYSTEM, data=why)
    save_case(session, app)
    notify_portal(ctx, session, app, now)
    if app.status == Status.DISPATCHED:
        record_audit(
            session, app, SYSTEM, "delivery.reoffered", now, {**why, "to": app.institution_id}
        )
    else:
        record_audit(session, app, SYSTEM, "delivery.undeliverable", now, why)
    return True


def dead_letter_view(row: Any) -> dict[str, Any]:
    """An unsettled dead letter as operators see it (a row of `OutboxRecorder.dead_letters`)."""
    attempts = row.dead_attempts
    if attempts is None:  # recorded before migration 0090: only the relay's sends are known
        attempts = row.sent_attempts or 0
    return {
        "message_id": row.message_id,
        "destination": row.destination,
        "type": row.type,
        "application_no": row.application_no,
        "occurred_at": jsonutil.rfc3339(row.occurred_at),
        "deliver_by": jsonutil.rfc3339(row.deliver_by) if row.deliver_by else None,
        "dead_at": jsonutil.rfc3339(row.dead_at) if row.dead_at else None,
        "reason": row.dead_reason,
        "attempts": attempts,
    }


def _unsettled() -> Any:
    return col(OutboxMessage.dead_at).is_not(None) & col(OutboxMessage.dead_resolved_at).is_(None)


def list_dead(
    session: Session, *, destination: str | None = None, after: int = 0, limit: int = 100
) -> tuple[list[dict[str, Any]], int]:
    """Dead letters no replay has settled, oldest first; answers them and the next cursor."""
    conn = session.connection()
    rows = recorder_for(conn).dead_letters(conn, destination=destination, after=after, limit=limit)
    return [dead_letter_view(r) for r in rows], (rows[-1].id if rows else after)


#: What a replay did with one letter.
REPLAYED = "replayed"
REDISPATCHED = "redispatched"
SUPERSEDED = "superseded"
NOT_DEAD = "not_dead"


@dataclass(frozen=True)
class LetterOutcome:
    message_id: str
    outcome: str
    detail: str
    application_no: str | None = None
    destination: str | None = None


def replay(
    ctx: HubContext,
    session: UnitOfWork,
    message_ids: list[str] | None = None,
    *,
    destination: str | None = None,
    actor: str = "cli",
    actor_login: str | None = None,
) -> dict[str, Any]:
    """Settle dead letters (those named, or all of a destination, or all); idempotent.

    Each letter is sent again (`replayed`: pending once more, with no deadline of its own),
    except a new case: if its case waits for a unit to dispatch it, it is dispatched again
    to that institution with fresh clocks (`redispatched`); if the case is with another
    institution or finished, nothing is sent (`superseded`). Either way the letter leaves
    the list. Names that are no unsettled dead letter are `not_dead`. Answers the counts
    and, under `letters`, what was done with each letter and why.
    """
    now = ctx.clock.now()
    outcomes: list[LetterOutcome] = []
    query = select(OutboxMessage).where(_unsettled())
    if message_ids is not None:
        query = query.where(col(OutboxMessage.message_id).in_(message_ids))
    if destination:  # `pm-a` or `institution:pm-a`
        query = query.where(col(OutboxMessage.destination).in_(destinations.named(destination)))
    rows = session.exec(query.order_by(col(OutboxMessage.id)).with_for_update()).all()
    for row in rows:
        outcomes.append(_replay_one(ctx, session, row, now))
    found = {r.message_id for r in rows}
    for mid in dict.fromkeys(message_ids or ()):
        if mid not in found:
            outcomes.append(
                LetterOutcome(
                    mid, NOT_DEAD, "不是待处理的死信 / not a dead letter waiting to be settled"
                )
            )
    counts = {
        k: sum(1 for o in outcomes if o.outcome == k)
        for k in (REPLAYED, REDISPATCHED, SUPERSEDED, NOT_DEAD)
    }
    audit.append(
        session,
        chain="delivery",
        at=now,
        actor_role="admin",
        actor_party=actor,
        actor_login=actor_login,
        action="delivery.replayed",
        detail={**counts, "letters": [[o.message_id, o.outcome] for o in outcomes]},
    )
    return {**counts, "letters": [asdict(o) for o in outcomes]}


def _replay_one(
    ctx: HubContext, session: Session, row: OutboxMessage, now: datetime
) -> LetterOutcome:
    def settled(outcome: str, detail: str) -> LetterOutcome:
        row.dead_resolved_at = now
        row.dead_resolution = f"{outcome}: {detail}"[:300]
        session.add(row)
        return LetterOutcome(row.message_id, outcome, detail, row.application_no, row.destination)

    if row.type == DISPATCHED and row.application_no:
        app = cases.load(session, row.application_no, for_update=True)
        if app is None:
            return settled(SUPERSEDED, "办件不存在 / the case no longer exists")
        holder = _institution_of(row)
        if app.status == Status.UNDELIVERABLE and app.institution_id is None and holder:
            target = session.get(Institution, holder)
            if target is None or target.state != "active":
                zh, en = records.state_words(target.state if target is not None else "unknown")
                return settled(
                    SUPERSEDED,
                    f"该机构状态为「{zh}」，未重发，由主管单位分派 / the institution is "
                    f"{en}: not sent; a unit dispatches the case",
                )
            app.returned_by = [i for i in (app.returned_by or []) if i != holder]
            dispatch(ctx, session, app, holder, at=now, actor=SYSTEM)
            save_case(session, app)
            notify_portal(ctx, session, app, now)
            record_audit(
                session,
                app,
                SYSTEM,
                "delivery.redispatched",
                now,
                {"message_id": row.message_id, "to": holder},
            )
            return settled(
                REDISPATCHED,
                f"办件已重新分派至 {holder}，新期限 / the case "
                f"was dispatched to {holder} again, with "
                "fresh deadlines",
            )
        # Dispatched since (to another institution, or to this one with a newer message),
        # or finished: this old offer is not sent again.
        where = app.institution_id or "-"
        return settled(
            SUPERSEDED,
            f"办件现由 {where} 办理，状态为「{records.status_words(app.status)[0]}」，未重发 / the "
            f"case is now with {where} (status {app.status}): not "
            "sent again",
        )
    row.dead_at = None
    row.dead_reason = None
    row.dead_attempts = None
    row.deliver_by = None
    session.add(row)
    session.flush()
    conn = session.connection()
    assert row.id is not None
    recorder_for(conn).unsend(conn, row.id, row.destination, row.application_no, now)
    return LetterOutcome(
        row.message_id,
        REPLAYED,
        f"已重新排队发往 {row.destination} / queued again for {row.destination}",
        row.application_no,
        row.destination,
    )
