"""The audit trail's checkpoints, verification and export (Art. 24; INTERFACE 18).

**Checkpoints.** Every `HUB_AUDIT_CHECKPOINT_SECONDS` (30) and when `hub serve` stops, the
hub signs where the trail stands: checkpoint N covers the entries with ids after checkpoint
N-1's `upto_id` up to its own, by their count and a SHA-256 over their ids and keyed hashes
(`audit.range_digest`); it names the previous checkpoint's hash and is signed with the
hub's Ed25519 key. It goes to the `audit_checkpoint` table and, as one JSON line, to an
append-only file (`HUB_AUDIT_CHECKPOINT_FILE`, default `<data dir>/audit-checkpoints.ndjson`;
keep it on storage the database's writers cannot rewrite, `chattr +a` or shipped off the
host). Several processes may try at once: one writes, the others find it written.

**Verification** (`hub audit verify`): every chain link and keyed hash (an edited, deleted
or reordered entry), then every checkpoint: its signature, its link to the one before, and
the count and digest of its entries now. Entries deleted at the end of a chain leave the
chain whole, but not the checkpoint that covered them: the trail is tamper-evident back to
the last checkpoint, at most 30 s (and the time to a commit) behind. Checkpoints in the
file but no longer in the table are reported, and their ranges checked too.

**Export** (`hub audit export --from --to`): the entries of those Shanghai days as NDJSON.

**Retention.** Audit entries and checkpoints are kept for at least 30 years, as long-term
archives of the mediation case files they document; the hub never deletes them itself.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import IO, Any

from sqlmodel import col, select

from hub import jsonutil
from hub.domain.calendar import SHANGHAI
from hub.logsafety import get_logger
from hub.services.context import HubContext
from hub.store import audit
from hub.store import audit_checkpoints as store
from hub.store.models import AuditCheckpoint, AuditEntry
from hub.store.unit_of_work import UnitOfWork
from privacy.signing import Verifier

log = get_logger("hub.audit")

DEFAULT_INTERVAL = 30.0
RETENTION_YEARS = 30


def checkpoint_file(ctx: HubContext) -> Path:
    configured = ctx.settings.audit.checkpoint_file
    return configured or ctx.settings.data_dir / "audit-checkpoints.ndjson"


# ------------------------------------------------------------------ what is signed


def payload(cp: AuditCheckpoint | dict[str, Any]) -> bytes:
    """The exact bytes a checkpoint's hash and signature are over."""
    values: dict[str, Any] = cp if isinstance(cp, dict) else cp.model_dump()

    def get(name: str) -> Any:
        return values[name]

    at = get("at")
    fields = {
        "v": 1,
        "seq": int(get("seq")),
        "at": at if isinstance(at, str) else jsonutil.rfc3339(at),
        "from_id": int(get("from_id")),
        "upto_id": int(get("upto_id")),
        "entries": int(get("entries")),
        "digest": get("digest"),
        "prev": get("prev"),
        "key_id": get("key_id"),
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode("ascii")


def as_line(cp: AuditCheckpoint) -> dict[str, Any]:
    return {
        **json.loads(payload(cp)),
        "hash": cp.hash,
        "signature": cp.signature,
    }


# ------------------------------------------------------------------ writing


def prepare_checkpoint(ctx: HubContext) -> AuditCheckpoint | None:
    """The signed checkpoint of the entries written since the last one, read outside any
    write (None when there are none); `store_checkpoint` then writes it, and once that is
    committed `append_line` adds it to the file (hub.audit_checkpointer runs the three)."""
    with ctx.db.read() as session:  # short: on PostgreSQL it holds writers back
        upto = store.committed_upto(session)
    with ctx.db.read() as session:
        prev = store.last(session)
        after = prev.upto_id if prev is not None else 0
        if upto <= after:
            return None
        count, digest = audit.range_digest(store.entry_hashes(session, after, upto))
    if count == 0:
        return None
    signer = ctx.vault.signer
    cp = AuditCheckpoint(
        seq=(prev.seq + 1) if prev is not None else 1,
        at=ctx.clock.now(),
        from_id=after,
        upto_id=upto,
        entries=count,
        digest=digest,
        prev=prev.hash if prev is not None else audit.GENESIS,
        key_id=signer.key_id,
        hash="",
        signature="",
    )
    body = payload(cp)
    cp.hash = hashlib.sha256(body).hexdigest()
    cp.signature = signer.sign(body)
    return cp


def store_checkpoint(session: UnitOfWork, cp: AuditCheckpoint) -> bool:
    """Write a prepared checkpoint in the caller's unit of work; False when another process
    signed these entries meanwhile."""
    store.lock_writers(session)
    now_last = store.last(session)
    if (now_last.seq if now_last else 0) != cp.seq - 1:
        return False
    session.add(cp)
    return True


def append_line(path: Path, cp: AuditCheckpoint) -> None:
    """Add a committed checkpoint to the append-only file."""
    _append(path, as_line(cp))


def _append(path: Path, line: dict[str, Any]) -> None:
    """Append one line and flush it to disk; the file is only ever appended to (0600)."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, (json.dumps(line, sort_keys=True) + "\n").encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:  # the table has it; say so loudly, the next one tries again
        log.error("audit checkpoint %s not appended to %s: %s", line["seq"], path, exc.strerror)


# ------------------------------------------------------------------ verifying


@dataclass(frozen=True)
class Finding:
    where: str
    reason: str


@dataclass
class TrailReport:
    entries: int = 0
    checkpoints: int = 0
    covered_upto: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings


def _read_file(path: Path) -> tuple[list[dict[str, Any]], list[Finding]]:
    if not path.exists():
        return [], []
    lines: list[dict[str, Any]] = []
    findings: list[Finding] = []
    for n, text in enumerate(path.read_text(encoding="ascii").splitlines(), 1):
        try:
            item = json.loads(text)
            int(item["seq"])
        except (ValueError, KeyError, TypeError):
            findings.append(Finding(f"{path.name} line {n}", "not a checkpoint line"))
            continue
        lines.append(item)
    return lines, findings


def verify_trail(
    ctx: HubContext,
    file: Path | None = None,
    verifiers: list[Verifier] | None = None,
    progress: Callable[[int], None] | None = None,
) -> TrailReport:
    """Check the chains, the checkpoints (table and file) and the entries they cover."""
    report = TrailReport()
    keys = {v.key_id: v for v in (verifiers or [ctx.vault.signer.verifier()])}
    with ctx.db.read() as session:
        report.entries, breaks = audit.verify(session, progress)
        report.findings += [
            Finding(f"chain {b.chain} entry {b.entry_id}", b.reason) for b in breaks
        ]
        table = store.all_in_order(session)
        lines, bad_lines = _read_file(file or checkpoint_file(ctx))
        report.findings += bad_lines
        by_seq: dict[int, dict[str, Any]] = {cp.seq: as_line(cp) for cp in table}
        for line in lines:
            seq = int(line["seq"])
            kept = by_seq.get(seq)
            if kept is None:
                report.findings.append(
                    Finding(f"checkpoint {seq}", "in the checkpoint file but not in the table")
                )
                by_seq[seq] = line
            elif kept["hash"] != line.get("hash") or kept != line:
                report.findings.append(
                    Finding(f"checkpoint {seq}", "differs between the table and the file")
                )
        prev_hash, prev_upto, prev_seq = audit.GENESIS, 0, 0
        for seq in sorted(by_seq):
            cp = by_seq[seq]
            where = f"checkpoint {seq}"
            if seq != prev_seq + 1:
                report.findings.append(
                    Finding(where, f"checkpoints {prev_seq + 1}-{seq - 1} missing")
                )
            elif cp["prev"] != prev_hash or int(cp["from_id"]) != prev_upto:
                report.findings.append(Finding(where, "does not follow the checkpoint before it"))
            body = payload(cp)
            verifier = keys.get(str(cp.get("key_id")))
            if hashlib.sha256(body).hexdigest() != cp["hash"]:
                report.findings.append(Finding(where, "changed after it was signed"))
            elif verifier is None:
                report.findings.append(Finding(where, f"signed by an unknown key {cp['key_id']}"))
            elif not verifier.verify(body, str(cp["signature"])):
                report.findings.append(Finding(where, "signature does not verify"))
            count, digest = audit.range_digest(
                store.entry_hashes(session, int(cp["from_id"]), int(cp["upto_id"]))
            )
            if (count, digest) != (int(cp["entries"]), cp["digest"]):
                report.findings.append(
                    Finding(
                        where,
                        f"entries with ids {int(cp['from_id']) + 1}-{cp['upto_id']} were "
                        f"changed, removed, added or reordered since it was signed at "
                        f"{cp['at']} ({cp['entries']} signed, {count} now)",
                    )
                )
            prev_hash, prev_upto, prev_seq = cp["hash"], int(cp["upto_id"]), seq
        report.checkpoints = len(by_seq)
        report.covered_upto = prev_upto
    return report


# ------------------------------------------------------------------ export


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), SHANGHAI)


def export(ctx: HubContext, first: date, last: date, out: IO[str]) -> int:
    """Write the entries of the Shanghai days `first`..`last` as NDJSON; answers how many."""
    start, end = _day_start(first), _day_start(last + timedelta(days=1))
    n = 0
    with ctx.db.read() as session:
        for entry in _entries_between(session, start, end):
            out.write(jsonutil.dumps(entry) + "\n")
            n += 1
    return n


def _entries_between(session: Any, start: datetime, end: datetime) -> Iterator[dict[str, Any]]:
    last_id = 0
    while True:
        rows = session.exec(
            select(AuditEntry)
            .where(
                col(AuditEntry.at) >= start,
                col(AuditEntry.at) < end,
                col(AuditEntry.id) > last_id,
            )
            .order_by(col(AuditEntry.id))
            .limit(2000)
        ).all()
        for e in rows:
            yield {
                "id": e.id,
                "chain": e.chain,
                "at": jsonutil.rfc3339(e.at),
                "actor_role": e.actor_role,
                "actor_party": e.actor_party,
                "action": e.action,
                "application_no": e.application_no,
                "detail": e.detail,
                "prev_hash": e.prev_hash,
                "hash": e.hash,
            }
        if len(rows) < 2000:
            return
        last_id = int(rows[-1].id or 0)
