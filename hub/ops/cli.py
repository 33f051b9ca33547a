"""`hub scheduler`: the deadline scheduler as its own process (safe on several nodes at once)."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from hub.domain.calendar_schedule import YearSchedule
    from hub.services.calendar import LoadReport
    from hub.services.context import HubContext


def cmd_scheduler(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from hub.bootstrap import bootstrap
    from hub.ops.scheduler import SchedulerSettings, run_forever, run_pass

    ctx = bootstrap()
    settings = SchedulerSettings.from_env()
    if args.interval is not None:
        settings = replace(settings, interval_seconds=args.interval)
    if args.once:
        counts = run_pass(ctx, settings)
        print(" ".join(f"{k}={v}" for k, v in counts.items()))
        return 0
    stop = threading.Event()

    def on_signal(signum: int, frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    from hub.metrics_server import start_from_args

    served = start_from_args(args, "scheduler")
    print(f"scheduler running every {settings.interval_seconds:g} s", flush=True)
    try:
        run_forever(ctx, stop, settings)
    finally:
        if served is not None:
            served.stop()
    return 0


class _PlainDates(yaml.SafeLoader):
    """YAML without implicit dates: `2027-02-30` reaches the checks as text, with a pointer."""


_PlainDates.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_calendar(ctx: HubContext, schedule: YearSchedule, *, actor: str) -> LoadReport:
    """`hub calendar load`: store a year's schedule (one unit of work), make it this
    process's once committed, and count its deadlines again (one unit of work per case)."""
    from hub.ops.scheduler import recount_deadlines
    from hub.services import calendar
    from hub.services.calendar import LoadReport

    known = calendar.check_installed(schedule)
    if known is not None:
        return known
    outcome, stored = ctx.db.run(lambda s: calendar.store(ctx, s, schedule, actor=actor))
    calendar.install(stored)
    recounted, moved = recount_deadlines(ctx, *calendar.to_recount(ctx, year=schedule.year))
    ctx.db.run(lambda s: calendar.recount_accept_hours(s, schedule.year))
    return LoadReport(schedule.year, outcome, schedule.working_days, recounted, moved)


def cmd_calendar_load(args: argparse.Namespace) -> int:
    from hub.bootstrap import bootstrap
    from hub.services import calendar
    from hub.services.errors import Invalid

    try:
        text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text("utf-8")
        doc = yaml.load(text, Loader=_PlainDates)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        # YAML's own message spans lines (a caret under the column): its first line only.
        reason = " ".join(str(exc).split("\n", 2)[:2]).strip() or type(exc).__name__
        print(
            f"无法读取日历文件 / cannot read the calendar file {args.file}: {reason}",
            file=sys.stderr,
        )
        return 2
    try:
        schedule = calendar.parse(doc)
        report = load_calendar(bootstrap(), schedule, actor=args.actor)
    except Invalid as exc:
        for e in exc.errors:
            print(f"{args.file}#{e.pointer}: {e.message}", file=sys.stderr)
        return 2
    outcome_zh, outcome_en = {
        "loaded": ("已载入", "loaded"),
        "replaced": ("已替换", "replaced"),
        "unchanged": ("与已载入的相同", "unchanged"),
        "installed": ("chinese-calendar 已包含该年且一致", "already installed, and agrees"),
    }[report.outcome]
    print(
        f"{report.year} 年日历：{outcome_zh}；{report.working_days} 个工作日；"
        f"重新计算期限 {report.recounted} 个，变动 {report.moved} 个 / "
        f"calendar {report.year} {outcome_en}: {report.working_days} working days; "
        f"{report.recounted} deadlines recounted, {report.moved} moved"
    )
    return 0


def cmd_calendar_show(args: argparse.Namespace) -> int:
    from hub.bootstrap import bootstrap
    from hub.services import calendar

    ctx = bootstrap()
    with ctx.db.read() as session:
        calendar.sync(session, max_age=0)
    print(json.dumps(calendar.year_view(args.year), ensure_ascii=False, indent=2))
    return 0


def register(subparsers: Any) -> None:
    cal = subparsers.add_parser(
        "calendar", help="工作日日历 working-day calendar (holidays, adjusted workdays)"
    ).add_subparsers(dest="calendar_command", required=True)
    p = cal.add_parser(
        "load",
        help="载入一年的节假日安排 load a year's schedule (YAML: year, holidays, workdays)",
    )
    p.add_argument("file", help="YAML or JSON file; - reads standard input")
    p.add_argument("--actor", default="cli", help="who loads it, for the audit trail")
    p.set_defaults(func=cmd_calendar_load)
    p = cal.add_parser(
        "show", help="一年的工作日 a year's working days, as GET /v1/calendar/{year}"
    )
    p.add_argument("year", type=int, help="the year, e.g. 2026")
    p.set_defaults(func=cmd_calendar_show)

    p = subparsers.add_parser(
        "scheduler", help="run the deadline scheduler (reminders, overdue, escalation)"
    )
    p.add_argument("--once", action="store_true", help="one pass, print the counts, exit")
    p.add_argument("--interval", type=float, default=None, help="seconds between passes")
    from hub.metrics_server import add_arguments

    add_arguments(p)
    p.set_defaults(func=cmd_scheduler)
