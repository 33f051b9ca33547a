"""Deadlines that act, driven by a fake clock across the 2026 National Day holiday.

Dispatched Wednesday 30 September 10:00; 1-7 October are holidays; Saturday 10 October is an
adjusted workday (调休), Sunday 11 October is not. So:
acknowledge_by = 8 Oct 23:59:59, respondent_contact_by = decide_by = 10 Oct 23:59:59.
"""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import col, func, select

from hub.domain import destinations
from hub.domain.calendar import REFERRAL_DEADLINE
from hub.ops.scheduler import SchedulerSettings, run_once
from hub.services import referrals
from hub.services.principal import Principal, Role
from hub.store.models import AuditEntry, CaseEvent, Deadline, OutboxMessage
from hub.store.outbox import open_envelope
from tests.integration.ops_support import clock, event, sh, small_hub, submit, twin

SETTINGS = SchedulerSettings()  # 4 working hours' notice, escalate after 1 working day, sfj
SECOND = timedelta(seconds=1)


def _messages(ctx, type_: str) -> list[tuple[str, str]]:
    with ctx.db.read() as s:
        rows = s.exec(
            select(OutboxMessage).where(OutboxMessage.type == type_).order_by(col(OutboxMessage.id))
        ).all()
        # the party's id; its kind (institution, unit) is checked where it matters
        return [
            (destinations.split(r.destination)[1], open_envelope(ctx.vault, r)["data"]["deadline"])
            for r in rows
        ]


def test_holiday_week_reminder_overdue_escalation(database_url: str, tmp_path: Path) -> None:
    ctx = small_hub(database_url, tmp_path, sh(2026, 9, 30, 10))
    no = submit(ctx, institution="cm-x")  # unit xbw; escalation goes to sfj
    with ctx.db.read() as s:
        dues = {d.kind: d.due_at for d in s.exec(select(Deadline)).all()}
    assert dues["acknowledge_by"] == sh(2026, 10, 8, 23, 59, 59)
    assert dues["respondent_contact_by"] == sh(2026, 10, 10, 23, 59, 59)
    assert dues["decide_by"] == sh(2026, 10, 10, 23, 59, 59)

    steps = [
        # (moment, reminded, overdue, escalated)
        (sh(2026, 9, 30, 10), 0, 0, 0),
        (sh(2026, 9, 30, 21), 0, 0, 0),  # 3 h left today, but 8 Oct is still to come
        (sh(2026, 10, 3, 22), 0, 0, 0),  # holiday: the clock does not run
        (sh(2026, 10, 7, 23, 59, 59), 0, 0, 0),
        (sh(2026, 10, 8, 19, 59, 59), 0, 0, 0),  # exactly 4 working hours left
        (sh(2026, 10, 8, 20), 1, 0, 0),  # acknowledge_by: under 4 h left
        (sh(2026, 10, 8, 20, 30), 0, 0, 0),  # once only
        (sh(2026, 10, 8, 23, 59, 58), 0, 0, 0),
        (sh(2026, 10, 8, 23, 59, 59), 0, 1, 0),  # acknowledge_by due: overdue
        (sh(2026, 10, 9, 12), 0, 0, 0),
        (sh(2026, 10, 9, 23, 59, 58), 0, 0, 0),
        (sh(2026, 10, 9, 23, 59, 59), 0, 0, 1),  # one working day later: escalated
        (sh(2026, 10, 10, 19, 59, 59), 0, 0, 0),
        (sh(2026, 10, 10, 20), 2, 0, 0),  # Saturday, adjusted workday: both reminded
        (sh(2026, 10, 10, 23, 59, 59), 0, 2, 0),
        (sh(2026, 10, 11, 23, 59, 59), 0, 0, 0),  # Sunday: not a working day
        (sh(2026, 10, 12, 23, 59, 58), 0, 0, 0),
        (sh(2026, 10, 12, 23, 59, 59), 0, 0, 2),
        (sh(2026, 10, 20), 0, 0, 0),
    ]
    for moment, reminded, overdue, escalated in steps:
        clock(ctx).set(moment)
        got = run_once(ctx, SETTINGS)
        assert got == {"reminded": reminded, "overdue": overdue, "escalated": escalated}, moment
        assert run_once(ctx, SETTINGS) == {"reminded": 0, "overdue": 0, "escalated": 0}

    assert _messages(ctx, "deadline.reminder") == [
        ("cm-x", "acknowledge_by"),
        ("cm-x", "decide_by"),
        ("cm-x", "respondent_contact_by"),
    ] or sorted(_messages(ctx, "deadline.reminder")) == [
        ("cm-x", "acknowledge_by"),
        ("cm-x", "decide_by"),
        ("cm-x", "respondent_contact_by"),
    ]
    overdue_msgs = _messages(ctx, "deadline.overdue")
    assert sorted(overdue_msgs) == sorted(
        [
            (d, k)
            for k in ("acknowledge_by", "respondent_contact_by", "decide_by")
            for d in ("cm-x", "xbw")
        ]
    )
    assert sorted(_messages(ctx, "deadline.escalated")) == [
        ("sfj", "acknowledge_by"),
        ("sfj", "decide_by"),
        ("sfj", "respondent_contact_by"),
    ]
    with ctx.db.read() as s:
        msg = s.exec(select(OutboxMessage).where(OutboxMessage.type == "deadline.overdue")).first()
        assert msg is not None
        notice = open_envelope(ctx.vault, msg)["data"]["notice"]
        assert notice["zh"].startswith("办件") and "超期" in notice["zh"]
        actions = s.exec(select(AuditEntry.action).where(AuditEntry.application_no == no)).all()
        assert sorted(a for a in actions if a.startswith("deadline.")) == sorted(
            ["deadline.reminder"] * 3 + ["deadline.overdue"] * 3 + ["deadline.escalated"] * 3
        )
        timeline = s.exec(select(CaseEvent.type).where(CaseEvent.application_no == no)).all()
        assert timeline.count("deadline_overdue") == 3


def test_met_deadline_never_acts(database_url: str, tmp_path: Path) -> None:
    ctx = small_hub(database_url, tmp_path, sh(2026, 9, 30, 10))
    no = submit(ctx, institution="pm-a")
    clock(ctx).set(sh(2026, 10, 8, 9))
    event(ctx, no, "pm-a", "received")
    clock(ctx).set(sh(2026, 10, 9, 23, 59, 59))
    assert run_once(ctx, SETTINGS) == {"reminded": 0, "overdue": 0, "escalated": 0}
    clock(ctx).set(sh(2026, 10, 10, 12))
    event(ctx, no, "pm-a", "accepted")
    event(ctx, no, "pm-a", "respondent_contacted", willing=True)
    clock(ctx).set(sh(2026, 10, 20))
    assert run_once(ctx, SETTINGS) == {"reminded": 0, "overdue": 0, "escalated": 0}


def test_two_schedulers_act_once(database_url: str, tmp_path: Path) -> None:
    ctx = small_hub(database_url, tmp_path, sh(2026, 9, 30, 10))
    cases = [submit(ctx, institution="pm-a" if i % 2 else "pm-b") for i in range(12)]
    other = twin(ctx)
    totals: list[dict[str, int]] = []
    lock = threading.Lock()

    def run(c) -> None:
        for moment in (sh(2026, 10, 8, 21), sh(2026, 10, 9, 23, 59, 59), sh(2026, 10, 13)):
            barrier.wait()
            if c is ctx:
                clock(ctx).set(moment)
            barrier.wait()
            got = run_once(c, SETTINGS)
            with lock:
                totals.append(got)

    barrier = threading.Barrier(2)
    threads = [threading.Thread(target=run, args=(c,)) for c in (ctx, other)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    total = {k: sum(t[k] for t in totals) for k in ("reminded", "overdue", "escalated")}
    n = len(cases)
    # 8 Oct 21:00: acknowledge_by reminded (n). 9 Oct end: acknowledge_by overdue and escalated
    # (n each). 13 Oct: the two 10 Oct deadlines overdue and escalated, never reminded.
    assert total == {"reminded": n, "overdue": 3 * n, "escalated": 3 * n}
    with ctx.db.read() as s:

        def count(type_: str) -> int:
            return int(
                s.exec(
                    select(func.count())
                    .select_from(OutboxMessage)
                    .where(OutboxMessage.type == type_)
                ).one()
            )

        assert count("deadline.reminder") == n
        assert count("deadline.overdue") == 2 * 3 * n  # institution and unit
        assert count("deadline.escalated") == 3 * n
        assert (
            int(
                s.exec(
                    select(func.count())
                    .select_from(AuditEntry)
                    .where(col(AuditEntry.action) == "deadline.overdue")
                ).one()
            )
            == 3 * n
        )
    from hub.store.audit import verify

    with ctx.db.read() as s:
        _, breaks = verify(s)
    assert breaks == []
    other.db.dispose()


@pytest.mark.parametrize("answered", [True, False])
def test_referral_answer_deadline(sqlite_url: str, tmp_path: Path, answered: bool) -> None:
    ctx = small_hub(sqlite_url, tmp_path, sh(2026, 11, 2, 10))
    no = submit(ctx, institution="pm-a")
    event(ctx, no, "pm-a", "received")
    event(ctx, no, "pm-a", "accepted")
    event(ctx, no, "pm-a", "closed", outcome="success", agreement={"summary": "退款"})
    inst = Principal(Role.INSTITUTION, "pm-a")
    with ctx.db.transaction() as s:
        ref = referrals.request(ctx, s, inst, no, {"kind": "judicial_confirmation"})
    with ctx.db.read() as s:
        d = s.exec(select(Deadline).where(Deadline.kind == REFERRAL_DEADLINE)).one()
    # 15 working days after Monday 2 November 2026: Monday 23 November, end of day.
    assert d.due_at == sh(2026, 11, 23, 23, 59, 59)
    assert d.institution_id == "court-310104"
    if answered:
        clock(ctx).set(sh(2026, 11, 20, 10))
        with ctx.db.transaction() as s:
            referrals.record_result(
                ctx,
                s,
                Principal(Role.COURT, "court-310104"),
                ref["referral_id"],
                {"outcome": "confirmed", "decided_on": "2026-11-20"},
            )
    clock(ctx).set(sh(2026, 11, 25, 12))
    got = run_once(ctx, SETTINGS)
    if answered:
        assert got == {"reminded": 0, "overdue": 0, "escalated": 0}
    else:
        assert got == {"reminded": 0, "overdue": 1, "escalated": 1}
        assert sorted(_messages(ctx, "deadline.overdue")) == [
            ("court-310104", REFERRAL_DEADLINE),
            ("gy", REFERRAL_DEADLINE),
        ]


@pytest.mark.parametrize("page", [1, 2, 1000])
def test_a_pass_reads_the_open_deadlines_a_page_at_a_time(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, page: int
) -> None:
    """However small the page (deadlines sharing a due time split across pages), every due
    deadline is marked overdue and escalated once, in one pass; the next pass does nothing."""
    from hub.ops import scheduler

    monkeypatch.setattr(scheduler, "PAGE", page)
    ctx = small_hub(database_url, tmp_path, sh(2026, 9, 30, 10))
    for _ in range(3):
        submit(ctx, institution="cm-x")  # 3 deadlines each, two of them due at one moment
    clock(ctx).set(sh(2026, 10, 20))
    assert run_once(ctx, SETTINGS) == {"reminded": 0, "overdue": 9, "escalated": 9}
    assert run_once(ctx, SETTINGS) == {"reminded": 0, "overdue": 0, "escalated": 0}
    with ctx.db.read() as s:
        marked = s.exec(
            select(func.count()).where(
                col(Deadline.overdue_at).is_not(None), col(Deadline.escalated_at).is_not(None)
            )
        ).one()
    assert marked == 9
