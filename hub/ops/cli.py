"""`hub scheduler`: the deadline scheduler as its own process (safe on several nodes at once)."""

from __future__ import annotations

import argparse
import signal
import threading
from typing import Any


def cmd_scheduler(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from hub.bootstrap import bootstrap
    from hub.ops.scheduler import SchedulerSettings, run_forever, run_once

    ctx = bootstrap()
    settings = SchedulerSettings.from_env()
    if args.interval is not None:
        settings = replace(settings, interval_seconds=args.interval)
    if args.once:
        counts = run_once(ctx, settings)
        print(" ".join(f"{k}={v}" for k, v in counts.items()))
        return 0
    stop = threading.Event()

    def on_signal(signum: int, frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    print(f"scheduler running every {settings.interval_seconds:g} s", flush=True)
    run_forever(ctx, stop, settings)
    return 0


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "scheduler", help="run the deadline scheduler (reminders, overdue, escalation)"
    )
    p.add_argument("--once", action="store_true", help="one pass, print the counts, exit")
    p.add_argument("--interval", type=float, default=None, help="seconds between passes")
    p.set_defaults(func=cmd_scheduler)
