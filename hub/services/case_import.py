"""Import of historical and outside-channel cases (Art. 8, INTERFACE 12): NDJSON, one case
a line, each checked as the live API checks it and written through intake's write path.

A batch of lines runs in three steps:

1. **check** each line on its own (pure): JSON, the `import_case` schema with the party
   checks, the times (not before `received_at`, not before the previous step, not in the
   future), the institution (in the registry in any state; an institution importing names
   itself), a kept `application_no` (check character, the Shanghai date of `received_at`),
   and the events and referrals run through the live state machine from `dispatched`;
2. **look up** in one read what the batch needs from the database: cases of the same
   `(source, source_no)` (same content: `duplicate`; other content: invalid at
   `/source_no`) and kept numbers already taken;
3. **write** the rest in the caller's unit of work (`CaseImporter.write`; the entrypoints
   open one a batch through `hub.import_runs`), through its write buffer as intake does: the
   day's numbers taken as blocks after the highest number the day has, the case row, party
   indexes, the timeline, deadlines marked met or missed from the events, referrals and one
   audit entry a case. No outbox row: history is not announced.

A refused line writes nothing and the others go on; if a batch's unit of work fails as a
whole (a concurrent import of the same case), each line of it is written again alone.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

import schemas
from hub.domain import dates
from hub.domain.calendar import (
    REFERRAL_DEADLINE,
    SHANGHAI,
    add_working_days,
    deadlines_for_dispatch,
    working_hours_between,
)
from hub.domain.calendar import Deadline as Clock
from hub.domain.case import Case
from hub.domain.errors import InvalidApplicationNumber, InvalidTransition, NotAllowed
from hub.domain.numbering import ApplicationNumber, business_day, parse_application_number
from hub.domain.routing import body_kind_for
from hub.domain.status import (
    EventType,
    ReferralKind,
    Status,
    next_status_for_event,
    status_for_referral_request,
    status_for_referral_result,
)
from hub.services import calendar as working_calendar
from hub.services import records
from hub.services.access import may_view
from hub.services.casework import record_audit
from hub.services.context import HubContext
from hub.services.intake import body_digest, new_query_code, query_code_digest
from hub.services.lifecycle import wrong_state
from hub.services.principal import Principal, Role
from hub.store import cases, imports
from hub.store.models import Application, Deadline, PartyIndex, Referral
from hub.store.sequences import next_day_sequence
from hub.store.unit_of_work import emit
from schemas import text

#: Which open clocks an institution event stops (as `lifecycle._MEETS`); a final event
#: (rejected, returned, closed) stops them all.
_MEETS: dict[EventType, set[str]] = {
    EventType.RECEIVED: {"acknowledge_by"},
    EventType.RESPONDENT_CONTACTED: {"respondent_contact_by"},
    EventType.ACCEPTED: {"acknowledge_by", "decide_by"},
}
_FINAL = (EventType.REJECTED, EventType.CLOSED, EventType.RETURNED)
#: Statuses in which the named institution still holds the case (its open-case count).
_HELD = frozenset({Status.DISPATCHED, Status.RECEIVED, Status.ACCEPTED})
_ARBITRATION_KINDS = {"labor_arbitration", "commercial_arbitration", "land_arbitration"}


@dataclass(frozen=True)
class LineError:
    pointer: str
    message: str


@dataclass
class LineOutcome:
    """What became of one line: `imported`, `duplicate` or `invalid` (with its errors)."""

    line: int
    result: str
    source_no: str | None = None
    application_no: str | None = None
    errors: list[LineError] = field(default_factory=list)

    def report(self) -> dict[str, Any]:
        """The refused line's report (INTERFACE 12)."""
        return {
            "line": self.line,
            "source_no": self.source_no,
            "errors": [{"pointer": e.pointer, "message": e.message} for e in self.errors],
        }


@dataclass
class Step:
    type: str
    at: datetime
    data: dict[str, Any] | None
    status: Status  # the case's status after this step
    actor: str | None  # the party that took it (None: the importer)


@dataclass
class Plan:
    """A checked line, ready to write."""

    line: int
    body: dict[str, Any]
    digest: str
    received_at: datetime
    kept: ApplicationNumber | None
    steps: list[Step]
    referrals: list[dict[str, Any]]
    institution: str | None  # who holds it at the end (None once returned)
    accepted_at: datetime | None
    closed_at: datetime | None
    outcome: str | None
    met: dict[str, datetime]  # deadline kind -> when it was met

    @property
    def status(self) -> Status:
        return self.steps[-1].status

    @property
    def source_no(self) -> str:
        return str(self.body["source_no"])


class Refused(Exception):
    def __init__(self, errors: list[LineError]) -> None:
        super().__init__(errors[0].message if errors else "refused")
        self.errors = errors


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@dataclass
class Checked:
    """A batch after its checks: the refused lines' outcomes by line, the others' plans."""

    now: datetime
    outcomes: dict[int, LineOutcome] = field(default_factory=dict)
    plans: list[Plan] = field(default_factory=list)


class CaseImporter:
    """Imports lines for one principal (`admin`, or an `institution` for its own cases)."""

    def __init__(
        self,
        ctx: HubContext,
        principal: Principal,
        *,
        batch_size: int = 1000,
        on_checked: Callable[[int], None] | None = None,
    ) -> None:
        self.ctx = ctx
        self.principal = principal
        self.batch_size = batch_size
        #: Told the number of lines checked so far after each line (a progress line).
        self.on_checked = on_checked
        self.checked = 0
        self._registry: dict[str, imports.Registered] = {}
        self._referral_days = ctx.settings.scheduler.referral_days
        self._dues: dict[date, list[Clock]] = {}

    # ------------------------------------------------------------------ the whole run

    def batches(
        self, lines: Iterable[tuple[int, str | bytes]]
    ) -> Iterator[list[tuple[int, str | bytes]]]:
        """`lines` ((number, text), numbered from 1) in batches of `batch_size`."""
        batch: list[tuple[int, str | bytes]] = []
        for item in lines:
            batch.append(item)
            if len(batch) >= self.batch_size:
                yield batch
                batch = []
        if batch:
            yield batch

    def check_batch(self, batch: list[tuple[int, str | bytes]]) -> Checked:
        """Check every line of `batch` (nothing is written): the refused lines' outcomes
        and the plans of the others, to be written by `write` in one unit of work."""
        now = self.ctx.clock.now()
        if not self._registry:
            with self.ctx.db.read() as session:
                self._registry = imports.registered(session)
        checked = Checked(now)
        for number, raw in batch:
            if isinstance(raw, bytes | bytearray) and not raw.strip():
                continue
            if isinstance(raw, str) and not raw.strip():
                continue  # blank lines are not cases
            self.checked += 1
            if self.on_checked is not None:
                self.on_checked(self.checked)
            try:
                checked.plans.append(self.check(number, raw, now))
            except Refused as exc:
                checked.outcomes[number] = LineOutcome(
                    number, "invalid", _source_no_of(raw), errors=exc.errors
                )
        return checked

    # ------------------------------------------------------------------ 1. check a line

    def check(self, number: int, raw: str | bytes, now: datetime) -> Plan:
        try:
            body = text.loads_json(raw)
        except text.LongInteger as exc:  # valid JSON, but no field holds such a number
            raise Refused([LineError(exc.pointer, text.LONG_INTEGER_MESSAGE)]) from None
        except (ValueError, UnicodeDecodeError):
            raise Refused(
                [LineError("", f"第 {number} 行不是 JSON / line {number} is not JSON")]
            ) from None
        if not isinstance(body, dict):
            raise Refused([LineError("", "每行须为一个 JSON 对象 / each line is one JSON object")])
        # A line read from bytes that provably holds no NUL, surrogate or deep nesting
        # skips the storable-text walk (the same answer, ~0.08 ms a line less).
        storable = isinstance(raw, bytes) and text.storable_json(raw)
        found = schemas.validate("import_case", body, storable=storable)
        if found:
            raise Refused([LineError(e.pointer, e.message) for e in found])
        errors: list[LineError] = []
        received_at = _at(body["received_at"])
        if received_at > now:
            errors.append(
                LineError("/received_at", "接收时间不能晚于当前时间 / received_at is in the future")
            )
        flagged = {e.pointer for e in errors}  # every date in its plausible range
        errors += [
            LineError(pointer, message)
            for pointer, message in dates.body_problems(
                "import_case", body, now, self.ctx.settings.dates
            )
            if pointer not in flagged
        ]
        institution = body["institution"]
        registered = self._known(institution)
        if registered is None:
            errors.append(LineError("/institution", "名录中没有该机构 / unknown institution"))
        elif self.principal.role is Role.INSTITUTION and institution != self.principal.party:
            errors.append(LineError("/institution", "只能导入本机构的办件 / only your own cases"))
        kept = self._kept_number(body, received_at, errors)
        plan = Plan(
            line=number,
            body=body,
            digest=body_digest(body),
            received_at=received_at,
            kept=kept,
            steps=[
                Step(
                    "submitted", received_at, {"channel": body["channel"]}, Status.SUBMITTED, None
                ),
                Step(
                    "dispatched",
                    received_at,
                    {"institution": institution},
                    Status.DISPATCHED,
                    None,
                ),
            ],
            referrals=[],
            institution=institution,
            accepted_at=None,
            closed_at=None,
            outcome=None,
            met={},
        )
        if not errors:
            self._replay_events(plan, now, errors)
        if not errors:
            self._replay_referrals(plan, now, errors)
        if errors:
            raise Refused(errors)
        return plan

    def _known(self, institution_id: str) -> imports.Registered | None:
        found = self._registry.get(institution_id)
        if found is None:  # added since the run began?
            with self.ctx.db.read() as session:
                self._registry = imports.registered(session)
            found = self._registry.get(institution_id)
        return found

    def _kept_number(
        self, body: dict[str, Any], received_at: datetime, errors: list[LineError]
    ) -> ApplicationNumber | None:
        text = body.get("application_no")
        if text is None:
            return None
        try:
            kept = parse_application_number(text)
        except InvalidApplicationNumber as exc:
            errors.append(
                LineError("/application_no", f"办件编号无效 / invalid application number: {exc}")
            )
            return None
        if kept.day != business_day(received_at):
            errors.append(
                LineError(
                    "/application_no",
                    "办件编号日期须为接收日（上海时间） / the number's date must be the "
                    "Shanghai date of received_at",
                )
            )
        return kept

    def _replay_events(self, plan: Plan, now: datetime, errors: list[LineError]) -> None:
        """The events through the live state machine, from `dispatched`."""
        status = Status.DISPATCHED
        last = plan.received_at
        institution = plan.body["institution"]
        for i, event in enumerate(plan.body["events"]):
            at = _at(event["at"])
            where = f"/events/{i}"
            if at < plan.received_at:
                errors.append(LineError(f"{where}/at", "早于接收时间 / before received_at"))
            elif at < last:
                errors.append(LineError(f"{where}/at", "早于上一事件 / before the previous event"))
            elif at > now:
                errors.append(LineError(f"{where}/at", "晚于当前时间 / in the future"))
            if errors:
                return
            kind = EventType(event["type"])
            data = event.get("data") or {}
            try:
                status = next_status_for_event(status, kind, data)
            except InvalidTransition as exc:
                errors.append(LineError(f"{where}/type", wrong_state(exc).detail))
                return
            except NotAllowed as exc:
                errors.append(LineError(where + (exc.pointer or ""), str(exc)))
                return
            for deadline_kind in _MEETS.get(kind, set()):
                plan.met.setdefault(deadline_kind, at)
            if kind in _FINAL:
                for deadline_kind in ("acknowledge_by", "respondent_contact_by", "decide_by"):
                    plan.met.setdefault(deadline_kind, at)
            if kind is EventType.ACCEPTED and plan.accepted_at is None:
                plan.accepted_at = at
            if kind is EventType.CLOSED:
                plan.closed_at, plan.outcome = at, data["outcome"]
            plan.steps.append(Step(kind, at, data or None, status, institution))
            if kind is EventType.RETURNED:
                # Returned as outside its scope: with no later holder in the history, the
                # case waits for a unit to dispatch it by hand (not routed: that would send).
                status = Status.UNDELIVERABLE
                plan.institution = None
                plan.steps.append(Step("undeliverable", at, None, status, None))
            last = at

    def _replay_referrals(self, plan: Plan, now: datetime, errors: list[LineError]) -> None:
        status = plan.status
        last = plan.steps[-1].at
        agreement = bool(plan.body.get("arbitration_agreement", False))
        category = plan.body["category"]
        for i, ref in enumerate(plan.body.get("referrals") or []):
            where = f"/referrals/{i}"
            requested_at = _at(ref["requested_at"])
            if requested_at < last:
                errors.append(
                    LineError(f"{where}/requested_at", "早于上一事件 / before the previous event")
                )
                return
            if requested_at > now:
                errors.append(LineError(f"{where}/requested_at", "晚于当前时间 / in the future"))
                return
            kind = ReferralKind(ref["kind"])
            target = self._known(ref["target"])
            wanted = body_kind_for(kind, category)
            acceptable = {"court"} if wanted == "court" else _ARBITRATION_KINDS
            if target is None or target.kind not in acceptable:
                errors.append(
                    LineError(
                        f"{where}/target",
                        f"名录中没有该{wanted} / no such {wanted} in the registry",
                    )
                )
                return
            try:
                status = status_for_referral_request(status, kind, agreement)
            except InvalidTransition as exc:
                errors.append(LineError(f"{where}/kind", wrong_state(exc).detail))
                return
            except NotAllowed as exc:
                errors.append(LineError(f"{where}/kind", str(exc)))
                return
            row: dict[str, Any] = {
                "id": str(uuid.uuid4()),
                "kind": kind,
                "target_id": target.id,
                "requested_by": plan.body["institution"],
                "status": "pending",
                "documents": [],
                "created_at": requested_at,
            }
            plan.steps.append(
                Step(
                    "referral_requested",
                    requested_at,
                    {"kind": kind, "target": target.id, "referral_id": row["id"]},
                    status,
                    plan.body["institution"],
                )
            )
            last = requested_at
            if ref.get("outcome") is not None:
                decided = self._decision(ref, where, kind, requested_at, now, errors)
                if decided is None:
                    return
                status, decided_at = decided
                row.update(
                    status="decided",
                    outcome=ref["outcome"],
                    case_no=ref.get("case_no"),
                    decided_on=date.fromisoformat(ref["decided_on"]),
                    decided_at=decided_at,
                )
                plan.steps.append(
                    Step(
                        "referral_decided",
                        decided_at,
                        {"referral_id": row["id"], "kind": kind, "outcome": ref["outcome"]},
                        status,
                        target.id,
                    )
                )
                last = decided_at
            plan.referrals.append(row)

    def _decision(
        self,
        ref: dict[str, Any],
        where: str,
        kind: ReferralKind,
        requested_at: datetime,
        now: datetime,
        errors: list[LineError],
    ) -> tuple[Status, datetime] | None:
        try:
            status = status_for_referral_result(kind, ref["outcome"])
        except NotAllowed as exc:
            errors.append(LineError(f"{where}/outcome", str(exc)))
            return None
        if "decided_on" not in ref:
            errors.append(LineError(f"{where}/decided_on", "有结果时必填 / required with outcome"))
            return None
        decided_on = date.fromisoformat(ref["decided_on"])
        if decided_on < business_day(requested_at) or decided_on > business_day(now):
            errors.append(
                LineError(
                    f"{where}/decided_on",
                    "须在申请日与今天之间 / between the request's day and today",
                )
            )
            return None
        # The day is what the court answers; the moment is taken as that day's start
        # (Shanghai), not before the request.
        start = datetime.combine(decided_on, time.min, tzinfo=SHANGHAI)
        return status, max(start, requested_at)

    # ------------------------------------------------------------------ 2.-3. look up, write

    def write(self, session: Session, plans: list[Plan], now: datetime) -> list[LineOutcome]:
        """Write the checked `plans` in the caller's unit of work: each new case with its
        number, history, deadlines and audit entry; repeats are `duplicate`, a
        `(source, source_no)` with other content `invalid`."""
        outcomes: list[LineOutcome] = []
        fresh = self._sort_out(session, plans, outcomes)
        if fresh:
            days: dict[tuple[str, date], tuple[int, int]] = {}
            region = self.ctx.settings.region
            for plan in fresh:
                if plan.kept is not None:
                    key = (plan.kept.region, plan.kept.day)
                    kept, count = days.get(key, (0, 0))
                    days[key] = (max(kept, plan.kept.sequence), count)
                else:
                    key = (region, business_day(plan.received_at))
                    kept, count = days.get(key, (0, 0))
                    days[key] = (kept, count + 1)
            imports.take_day_numbers(session, days)
            working_calendar.sync(session)
            self._dues.clear()  # a batch's calendar: each day's clocks computed once
            held: dict[str, int] = {}
            for plan in fresh:
                no = self._write_case(session, plan, now)
                if plan.institution is not None and plan.status in _HELD:
                    held[plan.institution] = held.get(plan.institution, 0) + 1
                outcomes.append(LineOutcome(plan.line, "imported", plan.source_no, no))
            session.flush()
            imports.add_open_cases(session, held)
        return outcomes

    def _sort_out(
        self, session: Session, plans: list[Plan], outcomes: list[LineOutcome]
    ) -> list[Plan]:
        """The plans not imported before (nor earlier in the batch), with kept numbers free;
        the others go to `outcomes` as duplicates or invalid."""
        by_source: dict[str, list[str]] = {}
        for plan in plans:
            by_source.setdefault(plan.body["source"], []).append(plan.source_no)
        before = {
            (source, s): found
            for source, nos in by_source.items()
            for s, found in imports.imported_before(session, source, nos).items()
        }
        taken = imports.numbers_taken(session, [str(p.kept) for p in plans if p.kept])
        fresh: list[Plan] = []
        earlier: dict[tuple[str, str], Plan] = {}  # first line of each source_no in the batch
        for plan in plans:
            key = (plan.body["source"], plan.source_no)
            first = earlier.get(key)
            if first is not None:  # not written yet: it has no number, name its line
                if first.digest == plan.digest:
                    outcomes.append(LineOutcome(plan.line, "duplicate", plan.source_no))
                else:
                    outcomes.append(
                        LineOutcome(
                            plan.line,
                            "invalid",
                            plan.source_no,
                            errors=[
                                LineError(
                                    "/source_no",
                                    f"与第 {first.line} 行的 source_no 相同，内容不同 / same "
                                    f"source_no as line {first.line} with other content",
                                )
                            ],
                        )
                    )
                continue
            prior = before.get(key)
            if prior is not None:
                no, digest = prior
                if digest == plan.digest:
                    outcomes.append(LineOutcome(plan.line, "duplicate", plan.source_no, no))
                else:
                    outcomes.append(
                        LineOutcome(
                            plan.line,
                            "invalid",
                            plan.source_no,
                            errors=[self._taken(session, no, plan.body["source"])],
                        )
                    )
                continue
            if plan.kept is not None and str(plan.kept) in taken:
                outcomes.append(
                    LineOutcome(
                        plan.line,
                        "invalid",
                        plan.source_no,
                        errors=[LineError("/application_no", "办件编号已被使用 / number in use")],
                    )
                )
                continue
            earlier[key] = plan
            if plan.kept is not None:
                taken.add(str(plan.kept))
            fresh.append(plan)
        return fresh

    def _taken(self, session: Session, no: str, source: str) -> LineError:
        """`(source, source_no)` is case `no` with other content: named only to an importer
        who may see that case. The key is per source, not per importing party (INTERFACE 12,
        README "Import"): another institution's case of the same `source` is not named."""
        case = cases.load(session, no)
        if case is not None and may_view(self.ctx, session, self.principal, case):
            return LineError(
                "/source_no",
                f"已导入为 {no}，内容不同 / already imported as {no} with other content",
            )
        return LineError(
            "/source_no",
            f"来源 {source} 的该 source_no 已被另一方导入，请为本机构的来源另起名称 / source_no "
            f"already imported by another party under source {source}: give your own source "
            "a name of its own",
        )

    def _write_case(self, session: Session, plan: Plan, now: datetime) -> str:
        body = plan.body
        region = self.ctx.settings.region
        if plan.kept is not None:
            number = plan.kept
        else:
            day = business_day(plan.received_at)
            number = ApplicationNumber(region, day, next_day_sequence(session, region, day))
        no = str(number)
        personal = records.split_personal(body)
        app = Case(
            no=no,
            region=number.region,
            day=number.day,
            sequence=number.sequence,
            channel=body["channel"],
            category=body["category"],
            district=body["district"],
            status=Status.SUBMITTED,
            preferred_institution=None,
            arbitration_agreement=bool(body.get("arbitration_agreement", False)),
            returned_by=[],
            submitted_by_role=self.principal.role,
            submitted_by_party=None,  # an import is not a portal's submission
            query_code_hash=query_code_digest(self.ctx, no, new_query_code()),
            personal=records.seal_personal(self.ctx.vault, no, personal),
            received_at=plan.received_at,
            created_at=now,
            updated_at=now,  # the data bureau's feed picks it up as changed now
            source_no=plan.source_no,
            source_hash=plan.digest,
        )
        for role in ("applicants", "respondents"):
            for party in body[role]:
                emit(
                    session,
                    PartyIndex,
                    {
                        "application_no": no,
                        "role": role[:-1],
                        "value": self.ctx.vault.party_index(party["id_number"]),
                        "received_at": plan.received_at,
                        "created_at": now,
                    },
                )
        for step in plan.steps:
            app.status = step.status
            records.add_event(
                self.ctx,
                session,
                app,
                type=step.type,
                at=step.at,
                actor_role="institution" if step.actor else self.principal.role,
                actor_party=step.actor or self.principal.party,
                data=step.data,
            )
        self._deadlines(session, plan, no, now)
        for ref in plan.referrals:
            emit(session, Referral, {**ref, "application_no": no})
            self._referral_deadline(session, ref, no, now)
        app.institution_id = plan.institution
        app.returned_by = [] if plan.institution is not None else [body["institution"]]
        app.dispatched_at = plan.received_at
        app.version = len(plan.steps)
        record_audit(
            session,
            app,
            self.principal,
            "application.imported",
            now,
            {
                "source": body["source"],
                "source_no": plan.source_no,
                "status": app.status,
                "institution": body["institution"],
                "events": len(body["events"]),
            },
            new_chain=True,
        )
        emit(
            session,
            Application,
            {
                **app.row(),
                "source": body["source"],
                "accepted_at": plan.accepted_at,
                "accept_hours": None
                if plan.accepted_at is None
                else working_hours_between(plan.received_at, plan.accepted_at),
                "closed_at": plan.closed_at,
                "outcome": plan.outcome,
            },
        )
        return no

    def _deadlines(self, session: Session, plan: Plan, no: str, now: datetime) -> None:
        """The dispatch clocks counted from `received_at`, marked from the events."""
        day = business_day(plan.received_at)  # the clocks depend on the day alone
        dues = self._dues.get(day)
        if dues is None:
            dues = self._dues[day] = deadlines_for_dispatch(
                plan.received_at, self.ctx.settings.decide_days
            )
        for due in dues:
            emit(
                session,
                Deadline,
                _history(
                    {
                        "application_no": no,
                        "kind": due.kind,
                        "institution_id": plan.body["institution"],
                        "due_at": due.due_at,
                        "provisional": due.provisional,
                        "counted_from": plan.received_at,
                        "working_days": due.working_days,
                    },
                    plan.met.get(due.kind),
                    now,
                ),
            )

    def _referral_deadline(
        self, session: Session, ref: dict[str, Any], no: str, now: datetime
    ) -> None:
        days = self._referral_days.get(ref["kind"], 15)
        due_at, provisional = add_working_days(ref["created_at"], days)
        emit(
            session,
            Deadline,
            _history(
                {
                    "application_no": no,
                    "kind": REFERRAL_DEADLINE,
                    "institution_id": ref["target_id"],
                    "due_at": due_at,
                    "provisional": provisional,
                    "counted_from": ref["created_at"],
                    "working_days": days,
                },
                ref.get("decided_at"),
                now,
            ),
        )


def _history(row: dict[str, Any], met_at: datetime | None, now: datetime) -> dict[str, Any]:
    """A deadline as history left it: met when its step happened, missed (overdue since its
    due time) when that was late or never came. One that fell due before the import and is
    still open is marked reminded and escalated as well, so the scheduler stays silent
    about it; only what falls due after the import is the scheduler's."""
    due_at: datetime = row["due_at"]
    row["met_at"] = met_at
    late = (met_at or now) > due_at
    row["overdue_at"] = due_at if late else None
    if met_at is None and late:
        row["reminded_at"] = row["escalated_at"] = now
    return row


def constraint_name(exc: IntegrityError) -> str | None:
    """The violated constraint's name (PostgreSQL), without the values it names."""
    diag = getattr(exc.orig, "diag", None)
    return getattr(diag, "constraint_name", None)


def not_ndjson(first: bytes) -> str | None:
    """Why a file whose first non-blank line is `first` is not NDJSON (one JSON object a
    line), or None: a JSON array, CSV or gzip would otherwise give one report per line."""
    if first.lstrip().startswith(b"{"):
        return None
    shown = first.strip()[:80].decode("utf-8", "replace")
    return (
        f"文件不是 NDJSON（每行一个 JSON 对象），第一行为：{shown} / not NDJSON (one JSON "
        f"object a line); the first line is: {shown}"
    )


def _source_no_of(raw: str | bytes) -> str | None:
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None
    value = body.get("source_no") if isinstance(body, dict) else None
    return value if isinstance(value, str) else None
