"""Group commit for intake: applications that arrive together are written together.

Request handlers hand their validated application to the batcher and wait on a future. One
thread takes what is queued (up to `max_batch`, waiting at most `linger` seconds for more),
runs each through `intake.submit` in ONE unit of work, and commits once: one fsync and one
executemany per table for the whole batch instead of per application.

Each application still gets its own answer. One refused by a rule (403, 409, 422, text that
cannot be stored) is taken out of the batch before it has written anything (its buffered
rows are forgotten; should the unit of work have written some already, the batch fails and
is run again as below, where the refusal rolls its own transaction back); if the batch as
a whole fails (a racing Idempotency-Key, a lost connection), every application in it is run
again on its own, so none is lost and none is written twice.

Twins in one batch (the same caller, Idempotency-Key or `source_no`, and body) are run once:
each twin gets its first's answer (rerun one by one, a twin replays what its first stored).
"""

from __future__ import annotations

import queue
import threading
import time
from concurrent.futures import Future, InvalidStateError
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from hub import jsonutil
from hub.domain.numbering import business_day
from hub.logsafety import get_logger
from hub.services import intake
from hub.services.context import HubContext
from hub.services.errors import Conflict, Invalid, ServiceError, Violation
from hub.services.idempotency import Answer, remember, replay
from hub.services.principal import Principal
from hub.services.routing import prefetch_for_batch
from hub.store import cases
from schemas import text

log = get_logger("hub.intake")


@dataclass
class Submission:
    principal: Principal
    body: dict[str, Any]
    key: str | None
    digest: str
    #: The caller proved the body storable (`schemas.validate` checked it): the batch's
    #: own walk is skipped.
    storable: bool = False
    future: Future[Answer] = field(default_factory=Future)


class IntakeBatcher:
    def __init__(self, ctx: HubContext, *, max_batch: int = 64, linger: float = 0.002) -> None:
        self.ctx = ctx
        self.max_batch = max_batch
        self.linger = linger
        self._queue: queue.Queue[Submission | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.batches = 0
        self.applications = 0

    def submit(
        self,
        principal: Principal,
        body: dict[str, Any],
        key: str | None,
        digest: str,
        *,
        storable: bool = False,
    ) -> Future[Answer]:
        self._ensure_started()
        item = Submission(principal, body, key, digest, storable)
        self._queue.put(item)
        return item.future

    def stop(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout=10)
            self._thread = None

    def _ensure_started(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="hub-intake", daemon=True)
                self._thread.start()

    def _loop(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            until = time.monotonic() + self.linger
            while len(batch) < self.max_batch:
                remaining = until - time.monotonic()
                try:
                    item = (
                        self._queue.get(timeout=remaining)
                        if remaining > 0
                        else self._queue.get_nowait()
                    )
                except queue.Empty:
                    break
                if item is None:
                    self._queue.put(None)  # stop after this batch
                    break
                batch.append(item)
            try:
                self.run_batch(batch)
            except Exception:  # never let the intake thread die: later callers would wait forever
                log.exception("intake batch crashed")
                for item in batch:
                    _settle(item.future, RuntimeError("intake failed"))

    def run_batch(self, batch: list[Submission]) -> None:
        # Twins (the same caller, key and body, e.g. a portal resending while the first is
        # in flight) are not run: each is answered with its first's answer. Run twice in one
        # unit of work, the second would not see the first's idempotency record (its rows
        # are still buffered) and would answer a repeat of `source_no` (200, no query code).
        firsts: dict[tuple[str, str, str], int] = {}
        twin_of: list[int] = []  # for each item, the index of the item that answers it
        unique: list[Submission] = []
        for index, item in enumerate(batch):
            twin = (item.principal.key, item.key, item.digest) if item.key else None
            if twin is not None and twin in firsts:
                twin_of.append(firsts[twin])
                continue
            if twin is not None:
                firsts[twin] = index
            twin_of.append(index)
            unique.append(item)
        try:
            ran = self._in_one_transaction(unique)
        except Exception as exc:  # the batch as a whole failed: each one on its own
            log.warning(
                "intake batch of %d failed (%s); retrying one by one",
                len(batch),
                type(exc).__name__,
            )
            for item in batch:  # a twin alone replays what its first stored
                self._alone(item)
            return
        self.batches += 1
        self.applications += len(unique)
        by_index = dict(zip((i for i, t in enumerate(twin_of) if t == i), ran, strict=True))
        for item, first in zip(batch, twin_of, strict=True):
            _settle(item.future, by_index[first])

    def _in_one_transaction(self, batch: list[Submission]) -> list[Answer | ServiceError]:
        outcomes: list[Answer | ServiceError] = []
        created: list[tuple[str, str]] = []  # (number, query code) written by this attempt
        written = False
        try:
            with self.ctx.db.transaction() as uow:
                prefetch_for_batch(
                    uow,
                    [item.body for item in batch],
                    (self.ctx.settings.region, business_day(self.ctx.clock.now())),
                )
                for index, item in enumerate(batch):
                    uow.buffer.expected = len(batch) - index
                    point = uow.mark()
                    try:
                        outcomes.append(self._one(uow, item, created))
                    except ServiceError as refused:
                        if not uow.rollback_to(point):
                            raise  # some of it is written: the whole transaction goes
                        outcomes.append(refused)
                uow.flush()
                written = True
        except Exception:
            # Failing at COMMIT is ambiguous: the database may have committed before the
            # connection broke. Running the batch again would then write every application
            # a second time, so look first.
            if written and self._committed(created):
                return outcomes
            raise
        return outcomes

    def _committed(self, created: list[tuple[str, str]]) -> bool:
        """Is the first application this attempt wrote in the database, as ours?"""
        if not created:
            return False
        no, code = created[0]
        try:
            with self.ctx.db.read() as session:
                row = cases.load(session, no)
        except Exception:  # still unreachable: treat as not written, the retry decides
            return False
        # The query code is random per attempt: a match means this very batch committed.
        return row is not None and row.query_code_hash == intake.query_code_digest(
            self.ctx, no, code
        )

    def _alone(self, item: Submission) -> None:
        try:
            outcome = self._in_one_transaction([item])[0]
        except Exception as exc:
            if item.key:
                try:  # a concurrent twin with the same key won: answer what it stored
                    with self.ctx.db.read() as session:
                        prior = replay(
                            session, self.ctx.vault, item.principal, item.key, item.digest
                        )
                    if prior is not None:
                        _settle(item.future, prior)
                        return
                except ServiceError as refused:
                    _settle(item.future, refused)
                    return
            _settle(item.future, exc)
            return
        _settle(item.future, outcome)

    def _one(self, session: Session, item: Submission, created: list[tuple[str, str]]) -> Answer:
        unstorable = [] if item.storable else text.unstorable(item.body)
        if unstorable:  # refused here, alone: it would fail the batch's flush (and its rerun)
            raise Invalid([Violation(pointer, message) for pointer, message in unstorable])
        if item.key:
            try:
                prior = replay(session, self.ctx.vault, item.principal, item.key, item.digest)
            except Conflict:
                if item.key != intake.source_no_key(item.body):
                    raise
                prior = None  # no Idempotency-Key: intake's 409 names the portal's number
            if prior is not None:
                return prior
        result = intake.submit(self.ctx, session, item.principal, item.body)
        if result.get("repeat"):  # the portal's own number again: the first case, nothing new
            return Answer(200, jsonutil.dumps(result))
        created.append((result["application_no"], result["query_code"]))
        log.debug(  # debug: intake's hot path; the case's own lines follow with its number
            "application numbered",
            application_no=result["application_no"],
            party=item.principal.party or str(item.principal.role),
            status=result["status"],
        )
        answer = Answer(201, jsonutil.dumps(result))
        if item.key:
            remember(
                session,
                self.ctx.vault,
                item.principal,
                item.key,
                item.digest,
                answer,
                self.ctx.clock.now(),
            )
        return answer


def _settle(future: Future[Answer], outcome: Answer | BaseException) -> None:
    """Answer a caller. One that gave up meanwhile (its request was cancelled) is skipped:
    the application is written all the same, and a retry with its Idempotency-Key finds it."""
    if future.done():
        return
    try:
        if isinstance(outcome, Answer):
            future.set_result(outcome)
        else:
            future.set_exception(outcome)
    except InvalidStateError:  # cancelled between the check and the set
        pass
