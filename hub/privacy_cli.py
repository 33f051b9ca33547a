"""`hub keys ...`: data-key rotation while the hub runs (INTERFACE 11, issue 4), and
`hub shared release`: the data bureau's monthly releases that are due (issue 11).

    hub keys rotate [--batch N] [--settle S]   add a new active key to HUB_KEYS_FILE, then
                                               re-encrypt every sealed column under it
    hub keys rotate --no-new-key               only re-encrypt what is not under the active key
    hub keys rotate --retire OLD               remove OLD from the key file; refused while
                                               any row is still encrypted with it
    hub keys status                            rows per key id in every sealed column

Running hub processes learn the new key without a restart: their vault re-reads the key
file when it changes (checked at most once a second before sealing) and when it meets a
key id it does not hold. The rotation waits `--settle` seconds after adding the key, then
re-encrypts in batches of N rows, one transaction each, optimistically
(``UPDATE ... WHERE pk = :pk AND col = :old``): a row changed meanwhile is left for the
next pass, and passes repeat until nothing is left under an old key.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, column, func, table, tuple_, update
from sqlalchemy import select as sa_select

from hub.progress import ProgressLine
from hub.services.context import HubContext
from privacy.config import (
    add_key_to_file,
    key_file_from_env,
    load_field_cipher_from_env,
    retire_key_in_file,
)
from privacy.crypto import ALGORITHMS, CryptoError, FieldCipher


@dataclass(frozen=True)
class SealedColumn:
    """A column of ciphertext and the location its tokens are bound to."""

    table: str
    pk: str | tuple[str, ...]  # the primary key's column(s)
    column: str
    bound_table: str  # the `table` of the associated data
    bound_field: str
    #: the column whose value is the token's record id, or columns joined with "|"
    record_id: str | tuple[str, ...]

    @property
    def pk_columns(self) -> tuple[str, ...]:
        return (self.pk,) if isinstance(self.pk, str) else self.pk

    @property
    def record_columns(self) -> tuple[str, ...]:
        return (self.record_id,) if isinstance(self.record_id, str) else self.record_id


#: Every sealed column of the hub (models, models_ops).
SEALED: tuple[SealedColumn, ...] = (
    SealedColumn("application", "no", "personal", "application", "personal", "no"),
    SealedColumn("case_event", "id", "data", "case_event", "data", "event_id"),
    SealedColumn("outbox", "id", "envelope", "outbox", "envelope", "message_id"),
    SealedColumn("institution", "id", "delivery_secret", "institution", "delivery_secret", "id"),
    SealedColumn("registry_change", "id", "secret_sealed", "registry_change", "secret", "id"),
    SealedColumn("complaint", "no", "sealed", "complaint", "sealed", "no"),
    SealedColumn("complaint", "no", "answer_sealed", "complaint", "answer", "no"),
    SealedColumn("work_order", "no", "sealed", "work_order", "sealed", "no"),
    SealedColumn("case_document", "id", "content_sealed", "case_document", "content", "id"),
    SealedColumn("work_order", "no", "answer_sealed", "work_order", "answer", "no"),
    SealedColumn("work_order", "no", "callback_note_sealed", "work_order", "callback_note", "no"),
    # hub.services.idempotency.record_id: "<principal>|<key>"
    SealedColumn(
        "idempotency_record",
        ("principal", "key"),
        "response",
        "idempotency_record",
        "response",
        ("principal", "key"),
    ),
)


def _prefix(key_id: str, cipher: FieldCipher | None = None) -> str:
    if cipher is None:
        return f"v1.{key_id}."
    return f"v1.{key_id}.{ALGORITHMS[cipher.algorithm]}."


def _t(col: SealedColumn) -> Any:
    names = dict.fromkeys([*col.pk_columns, col.column, *col.record_columns])
    return table(col.table, *(column(name) for name in names))


@dataclass
class RotationReport:
    new_key: str | None = None
    rotated: dict[str, int] = field(default_factory=dict)
    conflicts: int = 0
    passes: int = 0
    remaining: dict[str, dict[str, int]] = field(default_factory=dict)


def key_usage(ctx: HubContext, key_ids: list[str] | None = None) -> dict[str, dict[str, int]]:
    """{"table.column": {key_id: rows}} over every sealed column (other ids under "?")."""
    out: dict[str, dict[str, int]] = {}
    ids = key_ids if key_ids is not None else list(_cipher().keyring.ids)
    with ctx.db.read() as session:
        for sc in SEALED:
            t = _t(sc)
            c = t.c[sc.column]
            total = session.execute(
                sa_select(func.count()).select_from(t).where(c.is_not(None))
            ).scalar_one()
            counts: dict[str, int] = {}
            for key_id in ids:
                p = _prefix(key_id)
                counts[key_id] = session.execute(
                    sa_select(func.count())
                    .select_from(t)
                    .where(c.is_not(None), func.substr(c, 1, len(p)) == p)
                ).scalar_one()
            other = total - sum(counts.values())
            if other:
                counts["?"] = other
            out[f"{sc.table}.{sc.column}"] = counts
    return out


def _cipher() -> FieldCipher:
    return load_field_cipher_from_env()


def reencrypt(
    ctx: HubContext,
    *,
    batch: int = 500,
    max_passes: int = 20,
    pause: float = 0.5,
    progress: Callable[[str], None] | None = None,
) -> RotationReport:
    """Re-encrypt every sealed value not under the active key (and algorithm)."""
    report = RotationReport()
    for _ in range(max_passes):
        cipher = _cipher()  # the key file as it is now
        active = _prefix(cipher.keyring.active_id, cipher)
        report.passes += 1
        found = 0
        for sc in SEALED:
            key = f"{sc.table}.{sc.column}"
            line = ProgressLine(f"{key} re-encrypting, rows seen")
            n, conflicts, seen = _rotate_column(ctx, cipher, sc, active, batch, line)
            found += seen
            report.conflicts += conflicts
            report.rotated[key] = report.rotated.get(key, 0) + n
            if progress and seen:
                progress(f"{key}: {n} re-encrypted, {conflicts} changed meanwhile")
        if found == 0:
            break
        time.sleep(pause)  # rows changed meanwhile: let their writers finish, go again
    report.remaining = key_usage(ctx)
    return report


def _rotate_column(
    ctx: HubContext,
    cipher: FieldCipher,
    sc: SealedColumn,
    active: str,
    batch: int,
    progress: Callable[[int], None] | None = None,
) -> tuple[int, int, int]:
    t = _t(sc)
    pks = [t.c[name] for name in sc.pk_columns]
    rids = [t.c[name] for name in sc.record_columns]
    c = t.c[sc.column]
    n_pk, n_rid = len(pks), len(rids)
    pk_expr = pks[0] if n_pk == 1 else tuple_(*pks)
    last: Any = None
    rotated = conflicts = seen = 0
    while True:
        with ctx.db.transaction() as session:
            query = (
                sa_select(*pks, *rids, c)
                .where(c.is_not(None), func.substr(c, 1, len(active)) != active)
                .order_by(*pks)
                .limit(batch)
            )
            if last is not None:
                query = query.where(pk_expr > (last[0] if n_pk == 1 else tuple_(*last)))
            rows = session.execute(query).all()
            for row in rows:
                seen += 1
                key, record_id, old = row[:n_pk], row[n_pk : n_pk + n_rid], row[-1]
                new = cipher.rotate(
                    old,
                    table=sc.bound_table,
                    field=sc.bound_field,
                    record_id="|".join(str(part) for part in record_id),
                )
                same_row = and_(*(p == v for p, v in zip(pks, key, strict=True)))
                result: Any = session.execute(
                    update(t).where(same_row, c == old).values({sc.column: new})
                )
                if result.rowcount == 1:
                    rotated += 1
                else:
                    conflicts += 1
        if progress is not None:
            progress(seen)
        if len(rows) < batch:
            return rotated, conflicts, seen
        last = tuple(rows[-1][:n_pk])


def retire(ctx: HubContext, key_id: str) -> dict[str, int]:
    """Remove `key_id` from the key file; raises `KeyInUse` while rows still use it."""
    usage = {k: v.get(key_id, 0) for k, v in key_usage(ctx, [key_id]).items()}
    if any(usage.values()):
        raise KeyInUse(key_id, usage)
    retire_key_in_file(_key_file(), key_id)
    return usage


class KeyInUse(Exception):
    def __init__(self, key_id: str, usage: dict[str, int]) -> None:
        super().__init__(f"key {key_id} still encrypts {sum(usage.values())} values")
        self.usage = usage


def _key_file() -> str:
    path = key_file_from_env()
    if path is None:
        raise CryptoError("key rotation needs the keys in HUB_KEYS_FILE (not HUB_KEYS)")
    return path


def rotate(
    ctx: HubContext,
    *,
    new_key: bool = True,
    batch: int = 500,
    settle: float = 3.0,
    progress: Callable[[str], None] | None = None,
) -> RotationReport:
    """Add a new active key (unless `new_key=False`), wait for running hubs to notice,
    then re-encrypt everything under it."""
    added = None
    if new_key:
        added = add_key_to_file(_key_file())
        ctx.vault.reload_keys()
        time.sleep(settle)
    report = reencrypt(ctx, batch=batch, progress=progress)
    report.new_key = added
    return report


# ---------------------------------------------------------------------------------
# CLI
# ---------------------------------------------------------------------------------
def _print_usage(usage: dict[str, dict[str, int]]) -> None:
    for name, counts in usage.items():
        shown = ", ".join(f"{k}: {v}" for k, v in counts.items()) or "empty"
        print(f"  {name:32} {shown}")


def cmd_keys_rotate(args: argparse.Namespace) -> int:
    from hub.bootstrap import bootstrap

    ctx = bootstrap()
    try:
        if args.retire:
            try:
                retire(ctx, args.retire)
            except KeyInUse as exc:
                print(f"refused: {exc}", file=sys.stderr)
                for name, n in exc.usage.items():
                    if n:
                        print(f"  {name:32} {n}", file=sys.stderr)
                return 1
            print(f"key {args.retire} retired: no value uses it")
            return 0
        report = rotate(
            ctx,
            new_key=not args.no_new_key,
            batch=args.batch,
            settle=args.settle,
            progress=lambda line: print(line, flush=True),
        )
        if report.new_key:
            print(f"new active key: {report.new_key}")
        print(
            f"re-encrypted {sum(report.rotated.values())} values in {report.passes} passes "
            f"({report.conflicts} changed meanwhile, picked up by the next pass)"
        )
        print("values per key:")
        _print_usage(report.remaining)
        print("retire an unused old key with: hub keys rotate --retire KEY_ID")
        return 0
    except CryptoError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        ctx.db.dispose()


def cmd_keys_status(args: argparse.Namespace) -> int:
    from hub.bootstrap import bootstrap

    ctx = bootstrap()
    try:
        print(f"active key: {ctx.vault.cipher.keyring.active_id}")
        _print_usage(key_usage(ctx))
        return 0
    finally:
        ctx.db.dispose()


def cmd_shared_release(args: argparse.Namespace) -> int:
    """Run every monthly release of the masked feed that is due (operators run it from
    cron at the start of a month; the first read of the feed would run it otherwise)."""
    from hub.bootstrap import bootstrap
    from hub.services.sharing.feed import run_due_rounds

    ctx = bootstrap()
    try:
        rounds = ctx.db.run(
            lambda session: [
                (r.round, r.released, r.generalised, r.held_back, r.unreadable)
                for r in run_due_rounds(ctx, session)
            ]
        )
    finally:
        ctx.db.dispose()
    if not rounds:
        print("没有到期的发布 / no release is due")
    for month, released, generalised, held, unreadable in rounds:
        print(
            f"{month}: 发布 {released} 条（泛化 {generalised}），暂缓 {held}，"
            f"无法解密 {unreadable} / "
            f"released {released} (generalised {generalised}), held back {held}, "
            f"unreadable {unreadable}"
        )
    return 0


def register(sub: Any) -> None:
    shared = sub.add_parser("shared", help="the data bureau's feed").add_subparsers(
        dest="shared_command", required=True
    )
    shared.add_parser("release", help="run the monthly releases that are due").set_defaults(
        func=cmd_shared_release
    )
    keys = sub.add_parser("keys", help="data-encryption keys").add_subparsers(
        dest="keys_command", required=True
    )
    p = keys.add_parser("rotate", help="new active key and re-encryption, or --retire OLD")
    p.add_argument("--batch", type=int, default=500, help="rows per transaction (500)")
    p.add_argument(
        "--settle", type=float, default=3.0, help="seconds for running hubs to see the new key"
    )
    p.add_argument("--no-new-key", action="store_true", help="only re-encrypt, add no key")
    p.add_argument("--retire", metavar="KEY_ID", help="remove a key no value uses any more")
    p.set_defaults(func=cmd_keys_rotate)
    keys.add_parser("status", help="values per key id").set_defaults(func=cmd_keys_status)
