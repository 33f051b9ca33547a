"""Case records for the data bureau, built in bulk, as they stood at a moment.

`build_records(ctx, session, apps, as_of=...)` answers, for each application, the record
`privacy.masking` expects (the shape of `GET /v1/applications/{no}` plus the codes the hub
computes: `outcome`, `durations`, `referrals`), from the timeline steps that happened
before `as_of` only, so that a release computed late describes the month it is for. The
events of a whole page come in one query. A case whose personal part or any of whose
event data does not decrypt is left out and answered in the `unreadable` list, so the
caller can report it (`hub.services.sharing.faults`) and serve the rest.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from hub import jsonutil
from hub.domain.calendar import working_hours_between
from hub.domain.case import Case
from hub.services.context import HubContext
from hub.services.records import event_data, open_personal
from hub.services.sharing.faults import Unreadable
from hub.store.models import CaseEvent
from privacy.crypto import CryptoError
from privacy.release import OUTCOME_OF_STATUS, decision_band, mediation_band

#: Timeline steps that end the decision clock (dispatch -> accept or reject).
_DECIDED = frozenset({"accepted", "rejected"})


@dataclass(frozen=True)
class Built:
    records: list[dict[str, Any]]
    unreadable: list[Unreadable]


def _progress(events: Sequence[tuple[CaseEvent, dict[str, Any]]]) -> dict[str, Any]:
    """Outcome, duration bands and referrals from the steps of a timeline."""
    dispatched = decided = accepted = closed = None
    referrals: list[dict[str, Any]] = []
    for e, data in events:
        if e.type == "dispatched":
            dispatched = e.occurred_at  # the last dispatch (a return re-dispatches)
        elif e.type in _DECIDED and dispatched is not None:
            decided = e.occurred_at
            if e.type == "accepted":
                accepted = e.occurred_at
        elif e.type == "closed":
            closed = e.occurred_at
        elif e.type == "referral_requested":
            referrals.append({"kind": data.get("kind"), "outcome": None})
        elif e.type == "referral_decided":
            kind = data.get("kind")
            open_ = [r for r in referrals if r["kind"] == kind and r["outcome"] is None]
            if open_:
                open_[0]["outcome"] = data.get("outcome")
            else:
                referrals.append({"kind": kind, "outcome": data.get("outcome")})
    decision = (
        decision_band(working_hours_between(dispatched, decided) / 24)
        if dispatched is not None and decided is not None
        else None
    )
    mediation = (
        mediation_band((closed - accepted).total_seconds() / 86400)
        if accepted is not None and closed is not None
        else None
    )
    status = events[-1][0].status_after if events else "submitted"
    return {
        "status": status,
        "outcome": OUTCOME_OF_STATUS.get(status, "pending"),
        "durations": {"decision": decision, "mediation": mediation},
        "referrals": referrals,
    }


def build_records(
    ctx: HubContext,
    session: Session,
    apps: Sequence[Case],
    *,
    as_of: datetime | None = None,
) -> Built:
    """The records of `apps` (in their order) as of `as_of` (default: everything so far)."""
    nos = [a.no for a in apps]
    if not nos:
        return Built([], [])
    query = select(CaseEvent).where(col(CaseEvent.application_no).in_(nos))
    if as_of is not None:
        query = query.where(col(CaseEvent.occurred_at) < as_of)
    events: dict[str, list[CaseEvent]] = defaultdict(list)
    for e in session.exec(query.order_by(col(CaseEvent.id))):
        events[e.application_no].append(e)
    out: list[dict[str, Any]] = []
    unreadable: list[Unreadable] = []
    for app in apps:
        part = "application.personal"
        try:
            personal = open_personal(ctx.vault, app)
            steps: list[tuple[CaseEvent, dict[str, Any]]] = []
            for e in events[app.no]:
                part = f"case_event:{e.event_id or e.id}"
                steps.append((e, event_data(ctx.vault, e)))
        except (CryptoError, ValueError) as exc:  # ValueError: a token that is not JSON
            unreadable.append(Unreadable(app.no, part, type(exc).__name__))
            continue
        personal.pop("attachments", None)
        out.append(
            {
                "application_no": app.no,
                "channel": app.channel,
                "category": app.category,
                "district": app.district,
                "received_at": jsonutil.rfc3339(app.received_at),
                **personal,
                **_progress(steps),
                "timeline": [{"type": e.type, "data": data} for e, data in steps],
            }
        )
    return Built(out, unreadable)
