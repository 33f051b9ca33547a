"""The masked feed (INTERFACE 9: `GET /v1/shared/cases`), released in monthly rounds.

A round releases, once a month has ended (and `settle_seconds` after), the state every
case had at the start of the next month (`cutoff`): the case records are built from the
timeline steps before the cutoff (`records.build_records`), masked by the catalogue
(`privacy.masking`) and generalised by `privacy.release`, which decides which records
may be released and how coarsely, over every record released so far. The released
records are written to `shared_release`; the feed serves them in order, with an opaque
cursor. Rounds run when the feed is read (the first read after a month's end runs it, and
any month missed before it, in order) or with `hub shared release`; one at a time (an
advisory lock on PostgreSQL, the writer's lock on SQLite).

No record carries a time finer than the month: the round a record was released in is
the finest time the data bureau learns, so rounds are monthly.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, func, or_, select

from hub.domain.calendar import SHANGHAI
from hub.domain.case import Case
from hub.services.context import HubContext
from hub.services.errors import Invalid, NotFound
from hub.services.sharing.faults import report
from hub.services.sharing.records import build_records
from hub.store import cases, shared_queries
from hub.store.models import Application
from hub.store.models_privacy import SharedCase, SharedRelease, SharedRound
from hub.store.unit_of_work import UnitOfWork
from hub.vault import Vault
from privacy import release
from privacy.config import load_pseudonym_key_from_env
from privacy.crypto import CryptoError
from privacy.masking import Pseudonymizer, compile_masker

MAX_PAGE = 1000
_CURSOR = {"table": "shared_cursor", "field": "position", "record_id": "databureau"}
_BATCH = 500  # applications built and masked at a time


# ---------------------------------------------------------------------------------
# Months
# ---------------------------------------------------------------------------------
def month_start(month: str) -> datetime:
    """00:00 Shanghai of the first day of `month` (YYYY-MM), as UTC."""
    year, mon = int(month[:4]), int(month[5:7])
    return datetime.combine(date(year, mon, 1), time(0), SHANGHAI).astimezone(UTC)


def next_month(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    return f"{year + mon // 12:04d}-{mon % 12 + 1:02d}"


def month_of(moment: datetime) -> str:
    local = moment.astimezone(SHANGHAI)
    return f"{local.year:04d}-{local.month:02d}"


def pseudonymizer(vault: Vault) -> Pseudonymizer:
    return Pseudonymizer(vault.pseudonym_key or load_pseudonym_key_from_env())


# ---------------------------------------------------------------------------------
# Rounds
# ---------------------------------------------------------------------------------
def _lock(session: Session) -> None:
    """One round at a time across processes (SQLite: the writer's lock already)."""
    if session.get_bind().dialect.name == "postgresql":
        session.connection().execute(text("SELECT pg_advisory_xact_lock(hashtext('shared_round'))"))


def due_rounds(ctx: HubContext, session: Session) -> list[str]:
    """Months that have ended (and settled) and are not released yet, oldest first."""
    now = ctx.clock.now()
    last = session.exec(select(func.max(SharedRound.round))).one()
    if last is None:
        first = session.exec(select(func.min(Application.received_at))).one()
        if first is None:
            return []
        month = month_of(first)
    else:
        month = next_month(last)
    out = []
    settle = timedelta(seconds=ctx.settings.sharing.settle_seconds)
    while month_start(next_month(month)) + settle <= now:
        out.append(month)
        month = next_month(month)
    return out


def run_due_rounds(ctx: HubContext, session: Session) -> list[SharedRound]:
    """Release every month that is due, in order (the caller's transaction)."""
    if not due_rounds(ctx, session):
        return []
    _lock(session)
    return [run_round(ctx, session, month) for month in due_rounds(ctx, session)]


def _digest(values: Any) -> str:
    raw = json.dumps(values, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


@dataclass
class _Seen:
    """A case's state at the cutoff: its masked record's leaf values. `SharedCase.state`
    holds the digest of the state last released (or found to release nothing new), so a
    change held back is still a change at the next round."""

    static: release.Static
    progress: release.Progress
    case: str  # pseudonym
    digest: str


def _observe(
    ctx: HubContext, session: Session, apps: list[Case], cutoff: datetime
) -> tuple[dict[str, _Seen], int]:
    """Masked leaf values of `apps` as of `cutoff`; unreadable ones reported and left out."""
    masker = compile_masker()
    pseudo = pseudonymizer(ctx.vault)
    seen: dict[str, _Seen] = {}
    skipped = 0
    for i in range(0, len(apps), _BATCH):
        built = build_records(ctx, session, apps[i : i + _BATCH], as_of=cutoff)
        report(session, built.unreadable, ctx.clock.now())
        skipped += len(built.unreadable)
        for record in built.records:
            masked = masker(record, pseudo)
            progress = release.progress_of(masked)
            seen[record["application_no"]] = _Seen(
                static=release.static_of(masked),
                progress=progress,
                case=str(masked.get("case")),
                digest=_digest(progress.__dict__),
            )
    return seen, skipped


def run_round(ctx: HubContext, session: Session, month: str) -> SharedRound:
    """Release `month`: new cases into static classes, and every class with a change."""
    params = ctx.settings.sharing
    cutoff = month_start(next_month(month))
    previous = session.exec(
        select(SharedRound.cutoff).order_by(col(SharedRound.round).desc()).limit(1)
    ).first()
    # Candidates: never released, held back, or touched since the last cutoff.
    touched = cases.SELECT.where(col(Application.received_at) < cutoff)
    known = {c.application_no: c for c in session.exec(select(SharedCase))}
    conditions: list[Any] = [col(Application.no).not_in(select(SharedCase.application_no))]
    conditions.append(
        col(Application.no).in_(select(SharedCase.application_no).where(col(SharedCase.held)))
    )
    if previous is not None:
        conditions.append(col(Application.updated_at) >= previous)
    candidates = cases.fetch(session, touched.where(or_(*conditions)).order_by(col(Application.no)))
    seen, skipped = _observe(ctx, session, candidates, cutoff)

    changed_classes: set[str] = set()
    fresh: dict[str, release.Static] = {}
    for no, s in seen.items():
        row = known.get(no)
        if row is None or row.first_round is None:
            fresh[no] = s.static
        elif row.state != s.digest:
            changed_classes.add(str(row.class_key))

    # New cases: static classes of at least k, or held back.
    classes: dict[str, list[str]] = defaultdict(list)
    assigned = release.assign_static(fresh, params.k)
    for no in fresh:
        row = known.get(no) or SharedCase(application_no=no)
        known[no] = row
        if no in assigned:
            level, key = assigned[no]
            row.first_round, row.class_key, row.static_level = month, f"{month}|{key}", level
            row.static_values = release.STATIC_LEVELS[level](seen[no].static)
            classes[row.class_key].append(no)
        else:
            row.state, row.held = seen[no].digest, True
            session.add(row)

    # Classes with a change: every member is released again, together.
    for key in changed_classes:
        members = list(
            session.exec(select(SharedCase.application_no).where(SharedCase.class_key == key))
        )
        missing = [no for no in members if no not in seen]
        if missing:
            apps = cases.fetch(session, cases.SELECT.where(col(Application.no).in_(missing)))
            more, more_skipped = _observe(ctx, session, apps, cutoff)
            seen.update(more)
            skipped += more_skipped
        classes[key] = members

    released = generalised = 0
    for _key, members in sorted(classes.items()):
        rows = [known.get(no) or session.get(SharedCase, no) for no in members]
        if any(r is None or r.application_no not in seen for r in rows):
            for r in rows:  # a member does not decrypt: the class waits, unchanged
                if r is not None and r.application_no in seen:
                    r.held = r.held or r.state != seen[r.application_no].digest
                    session.add(r)
            continue
        live = [r for r in rows if r is not None]
        result = release.release_class(
            {r.application_no: seen[r.application_no].progress for r in live},
            {r.application_no: r.trajectory for r in live},
            params.k,
            params.l_diversity,
            live[0].progress_level,
        )
        unchanged = result.level is not None and all(
            r.progress_values == result.values[r.application_no] for r in live
        )
        for r in live:
            s = seen[r.application_no]
            if result.level is None:  # held back: the change waits for a later round
                r.held = r.held or r.state != s.digest
            elif unchanged and result.level == release.TOP:
                r.held = r.held or r.state != s.digest  # a change nothing can show yet
            elif unchanged:
                r.held, r.state = False, s.digest  # the change is finer than the level
            else:
                r.progress_level = result.level
                r.progress_values = result.values[r.application_no]
                r.trajectory = result.trajectories[r.application_no]
                r.held, r.state = False, s.digest
                record = release.released_record(
                    s.case,
                    month,
                    str(r.first_round),
                    int(r.static_level or 0),
                    r.static_values or {},
                    result.level,
                    r.progress_values,
                )
                session.add(SharedRelease(round=month, case=s.case, record=record))
                released += 1
                generalised += bool(r.static_level or result.level)
            session.add(r)
    session.flush()
    held_back = session.exec(
        select(func.count()).select_from(SharedCase).where(col(SharedCase.held))
    ).one()
    done = SharedRound(
        round=month,
        cutoff=cutoff,
        k=params.k,
        l_diversity=params.l_diversity,
        released=released,
        generalised=generalised,
        held_back=int(held_back),
        unreadable=skipped,
        created_at=ctx.clock.now(),
    )
    session.add(done)
    session.flush()
    return done


# ---------------------------------------------------------------------------------
# Reading the feed
# ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Position:
    updated_after: datetime | None = None
    cursor: str | None = None
    limit: int = 100


def _open_cursor(vault: Vault, cursor: str) -> int:
    try:
        position = vault.open_json(cursor, **_CURSOR)
        if isinstance(position, dict) and isinstance(position.get("release"), int):
            return int(position["release"])
    except (CryptoError, ValueError, TypeError):
        pass
    raise Invalid.at(
        "/query/cursor", "游标无效或已过期 / unknown or expired cursor: restart from updated_after"
    )


def _summary(session: Session) -> dict[str, Any]:
    last = session.exec(select(SharedRound).order_by(col(SharedRound.round).desc())).first()
    return {
        "round": last.round if last else None,
        "k": last.k if last else None,
        "l": last.l_diversity if last else None,
        "held_back": last.held_back if last else 0,
        "unreadable": last.unreadable if last else 0,
    }


def masked_page(ctx: HubContext, session: Session, pos: Position) -> dict[str, Any]:
    """GET /v1/shared/cases: released records after the position, in release order."""
    run_due_rounds(ctx, session)
    query = select(SharedRelease)
    if pos.cursor:
        query = query.where(col(SharedRelease.id) > _open_cursor(ctx.vault, pos.cursor))
    elif pos.updated_after is not None:
        rounds = select(SharedRound.round).where(col(SharedRound.cutoff) > pos.updated_after)
        query = query.where(col(SharedRelease.round).in_(rounds))
    rows = list(session.exec(query.order_by(col(SharedRelease.id)).limit(pos.limit + 1)))
    more = len(rows) > pos.limit
    rows = rows[: pos.limit]
    if rows:
        cursor: str | None = ctx.vault.seal_json({"release": rows[-1].id}, **_CURSOR)
    else:
        cursor = pos.cursor  # nothing new: ask again from the same place
    cases = [r.record for r in rows]
    return {
        "cases": cases,
        "next_cursor": cursor,
        "has_more": more,
        "generalised": sum(1 for c in cases if any((c.get("generalisation") or {}).values())),
        "release": _summary(session),
    }


def open_stream(ctx: HubContext, session: UnitOfWork, pos: Position) -> int | None:
    """Check a stream's position before its first byte (a bad cursor is 422) and release
    the months that have ended, in the caller's unit of work (committed before the stream's
    reads); answers the release id to stream after."""
    after = _open_cursor(ctx.vault, pos.cursor) if pos.cursor else None
    run_due_rounds(ctx, session)
    return after


def released_stream(
    ctx: HubContext, pos: Position, after: int | None, chunk: int = 2000
) -> Iterator[bytes]:
    """GET /v1/shared/cases with `Accept: application/x-ndjson`: every released record
    after the position, one JSON line each, as stored; after each chunk a line
    `{"next_cursor": ...}` to resume from, and last `{"next_cursor", "has_more": false,
    "count"}`. Each chunk is its own short read: nothing is held open between chunks, and
    memory stays one chunk whatever the feed's length."""
    sent = 0
    cursor = pos.cursor
    rounds_after = None if after is not None else pos.updated_after
    while True:
        with ctx.db.replica_read() as session:
            rows = shared_queries.released_after(session, after, rounds_after, chunk)
        if rows:
            after, rounds_after = rows[-1][0], None
            sent += len(rows)
            cursor = ctx.vault.seal_json({"release": after}, **_CURSOR)
            lines = "\n".join(text for _, text in rows)
            yield (lines + "\n" + json.dumps({"next_cursor": cursor}) + "\n").encode()
        if len(rows) < chunk:
            break
    yield (json.dumps({"next_cursor": cursor, "has_more": False, "count": sent}) + "\n").encode()


def released_case(ctx: HubContext, session: Session, case: str) -> dict[str, Any]:
    """GET /v1/shared/cases/{C-...}: the latest record released for one case pseudonym."""
    run_due_rounds(ctx, session)
    row = session.exec(
        select(SharedRelease)
        .where(SharedRelease.case == case)
        .order_by(col(SharedRelease.id).desc())
        .limit(1)
    ).first()
    if row is None:
        raise NotFound("没有已发布的该办件记录 / no released record of that case")
    return {"case": row.record, "release": _summary(session)}
