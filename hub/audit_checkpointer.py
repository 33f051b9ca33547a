"""Signed audit checkpoints written (hub.services.audit_trail): an entrypoint, like the
scheduler. `hub serve` runs it on a timer and at shutdown, `hub audit checkpoint` and a
bundle export once. Each checkpoint is prepared outside any write, stored in a unit of work
of its own (apart from any request: it covers many), and appended to the file only once
that is committed, so the file never names a checkpoint the table does not hold.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hub.logsafety import get_logger
from hub.services import audit_trail
from hub.services.context import HubContext
from hub.store.models import AuditCheckpoint
from hub.supervision import Supervised

log = get_logger("hub.audit")


def write_checkpoint(ctx: HubContext, file: Path | None = None) -> AuditCheckpoint | None:
    """Sign the entries written since the last checkpoint; None when there are none (or
    another process wrote this checkpoint first)."""
    cp = audit_trail.prepare_checkpoint(ctx)
    if cp is None or not ctx.db.run(lambda uow: audit_trail.store_checkpoint(uow, cp)):
        return None
    audit_trail.append_line(file or audit_trail.checkpoint_file(ctx), cp)
    return cp


def start_for_server(ctx: HubContext, app: Any) -> Callable[[], None]:
    """`hub serve`: a checkpoint every `settings.audit.checkpoint_seconds`, one at the end."""
    stop = threading.Event()
    every = ctx.settings.audit.checkpoint_seconds

    def run() -> None:
        while not stop.wait(every):
            try:
                write_checkpoint(ctx)
            except Exception as exc:  # keep going: the next round covers these entries too
                log.error("audit checkpoint failed: %s", type(exc).__name__)

    thread = Supervised("hub-audit-checkpoint", run, stop).start()  # restarted if it dies

    def halt() -> None:
        stop.set()
        thread.join(timeout=10)
        try:
            write_checkpoint(ctx)
        except Exception as exc:
            log.error("audit checkpoint at shutdown failed: %s", type(exc).__name__)

    return halt
