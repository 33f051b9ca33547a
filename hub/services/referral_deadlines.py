"""The clock a court or commission has to answer a referral (Art. 12-13): opened when the
referral is requested, met when its result arrives; the scheduler reminds and escalates."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col

from hub.domain.calendar import REFERRAL_DEADLINE, add_working_days
from hub.services import calendar as working_calendar
from hub.services.context import HubContext
from hub.store.models import Deadline, Referral


def open_referral_deadline(
    ctx: HubContext, session: Session, referral: Referral, at: datetime
) -> Deadline:
    """Called by `referrals.request()`: the addressed body's clock to answer."""
    days = ctx.settings.scheduler.referral_days.get(referral.kind, 15)
    working_calendar.sync(session)
    due_at, provisional = add_working_days(at, days)
    row = Deadline(
        application_no=referral.application_no,
        kind=REFERRAL_DEADLINE,
        institution_id=referral.target_id,
        due_at=due_at,
        provisional=provisional,
        counted_from=at,
        working_days=days,
    )
    session.add(row)
    return row


def close_referral_deadline(session: Session, referral: Referral, at: datetime) -> None:
    """Called by `referrals.record_result()`: the answer arrived."""
    session.execute(
        update(Deadline)
        .where(
            col(Deadline.application_no) == referral.application_no,
            col(Deadline.kind) == REFERRAL_DEADLINE,
            col(Deadline.institution_id) == referral.target_id,
            col(Deadline.met_at).is_(None),
        )
        .values(met_at=at)
    )
