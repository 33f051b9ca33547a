"""`hub relay --until-idle` that dies (exit 17) after the broker confirmed a batch and before
it is marked sent: the crash the relay's design must survive. Fault injection lives here,
in the tests, not in the relay: `python -m tests.support.faulty_relay`."""

from __future__ import annotations

import os
import sys
from typing import Any

from hub.broker import relay_claims
from hub.cli import main as hub_main


def _dying_mark_batch(self: Any, batch: Any) -> None:
    if batch.acked:
        os._exit(17)


def _dying_flush(self: Any) -> int:
    if self._to_mark:
        os._exit(17)
    return 0


def main() -> None:
    relay_claims.LockedClaims.mark_batch = _dying_mark_batch  # type: ignore[method-assign]
    relay_claims.ExclusiveClaims.flush = _dying_flush  # type: ignore[method-assign]
    sys.exit(hub_main(["relay", "--until-idle"]))


if __name__ == "__main__":
    main()
