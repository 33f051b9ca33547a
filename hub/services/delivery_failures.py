"""Messages that could not be delivered: recorded, shown to operators, replayed.

A dead letter is an outbox row with `dead_at` and `dead_reason`. When the message was a new
case for an institution (`application.dispatched`) and the case is still waiting there, the
case becomes `undeliverable` (待人工分派) so its unit dispatches it by hand.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from hub import jsonutil
from hub.domain.status import Status
from hub.services import records
from hub.services.casework import (
    close_deadlines,
    leave_institution,
    notify_portal,
    record_audit,
    touch,
)
from hub.services.context import HubContext
from hub.services.principal import SYSTEM
from hub.store import audit
from hub.store.models import Application, OutboxMessage, OutboxSent
from hub.store.outbox import unpend, unsend

DISPATCHED = "application.dispatched"


def record_dead(
    ctx: HubContext, message_id: str, reason: str, *, at: datetime | None = None
) -> bool:
    """Mark one outbox message dead (idempotent); True when this call recorded it."""
    now = at or ctx.clock.now()
    with ctx.db.transaction() as session:
        row = session.exec(
            select(OutboxMessage).where(OutboxMessage.message_id == message_id).with_for_update()
        ).first()
        if row is None or row.dead_at is not None:
            return False
        row.dead_at = now
        row.dead_reason = reason[:500]
        session.add(row)
        assert row.id is not None
        unpend(session.connection(), row.id)  # dead before it was ever sent (embedded)
        flagged = False
        if row.type == DISPATCHED and row.application_no:
            flagged = _flag_case(ctx, session, row, reason, now)
        if row.application_no and not flagged:
            app = session.get(Application, row.application_no)
            if app is not None:
                record_audit(session, app, SYSTEM, "delivery.dead_lettered", now,
                             {"message_id": message_id, "destination": row.destination,
                              "type": row.type, "reason": row.dead_reason})
        elif not row.application_no:
            audit.append(session, chain="delivery", at=now, actor_role=SYSTEM.role,
                         actor_party=SYSTEM.party, action="delivery.dead_lettered",
                         detail={"message_id": message_id, "destination": row.destination,
                                 "type": row.type, "reason": row.dead_reason})
    return True


def _flag_case(
    ctx: HubContext, session: Session, row: OutboxMessage, reason: str, now: datetime
) -> bool:
    app = session.exec(
        select(Application).where(Application.no == row.application_no).with_for_update()
    ).first()
    if app is None or app.status != Status.DISPATCHED or app.institution_id != row.destination:
        return False  # the case has moved on since; nothing to flag
    leave_institution(session, app)
    close_deadlines(session, app.no, now)
    app.institution_id = None
    touch(app, Status.UNDELIVERABLE, now)
    session.add(app)
    data = {"institution": row.destination, "reason": reason[:500], "message_id": row.message_id}
    records.add_event(ctx, session, app, type="undeliverable", at=now,
                      actor_role=SYSTEM.role, actor_party=SYSTEM.party, data=data)
    notify_portal(ctx, session, app, now)
    record_audit(session, app, SYSTEM, "delivery.undeliverable", now, data)
    return True


def dead_letter_view(row: OutboxMessage, attempts: int = 0) -> dict[str, Any]:
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


def list_dead(
    session: Session, *, destination: str | None = None, after: int = 0, limit: int = 100
) -> tuple[list[dict[str, Any]], int]:
    query = (
        select(OutboxMessage, col(OutboxSent.attempts))
        .join(OutboxSent, col(OutboxSent.outbox_id) == OutboxMessage.id, isouter=True)
        .where(col(OutboxMessage.dead_at).is_not(None), col(OutboxMessage.id) > after)
    )
    if destination:
        query = query.where(OutboxMessage.destination == destination)
    rows = session.exec(query.order_by(col(OutboxMessage.id)).limit(limit)).all()
    views = [dead_letter_view(r, attempts or 0) for r, attempts in rows]
    return views, (rows[-1][0].id or after) if rows else after


def replay(
    ctx: HubContext,
    message_ids: list[str] | None = None,
    *,
    destination: str | None = None,
    actor: str = "cli",
) -> dict[str, int]:
    """Send dead letters again (one, several, or all of a destination or all); idempotent.

    A replayed row is unsent again with no deadline of its own, so the relay (or the
    embedded drain) delivers it afresh. A new case whose case has since been dispatched by
    hand is not replayed (`superseded`). Replaying a row that is not dead changes nothing.
    """
    now = ctx.clock.now()
    counts = {"replayed": 0, "superseded": 0, "not_dead": 0}
    with ctx.db.transaction() as session:
        query = select(OutboxMessage).where(col(OutboxMessage.dead_at).is_not(None))
        if message_ids is not None:
            query = query.where(col(OutboxMessage.message_id).in_(message_ids))
        if destination:
            query = query.where(OutboxMessage.destination == destination)
        rows = session.exec(query.order_by(col(OutboxMessage.id)).with_for_update()).all()
        if message_ids is not None:
            counts["not_dead"] = len(set(message_ids) - {r.message_id for r in rows})
        for row in rows:
            if row.type == DISPATCHED and row.application_no:
                app = session.get(Application, row.application_no)
                if app is None or app.institution_id not in (None, row.destination) or (
                    app.status != Status.DISPATCHED and app.institution_id is None
                ):
                    counts["superseded"] += 1
                    continue
            row.dead_at = None
            row.dead_reason = None
            row.deliver_by = None
            session.add(row)
            session.flush()
            unsend(session.connection(), row)
            counts["replayed"] += 1
        audit.append(session, chain="delivery", at=now, actor_role="admin", actor_party=actor,
                     action="delivery.replayed", detail=dict(counts))
    return counts
