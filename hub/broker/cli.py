"""`hub broker setup`, `hub relay`, `hub connector NAME`, `hub deadletters list|replay`."""

from __future__ import annotations

import argparse
import json
import signal
import sys
from pathlib import Path
from typing import Any

from hub.broker import metrics
from hub.delivery.settings import DeliverySettings
from hub.gc_tuning import tune_for_service
from hub.metrics_server import add_arguments, start_from_args


def _ctx() -> Any:
    from hub.bootstrap import bootstrap

    return bootstrap()


def _settings(ctx: Any) -> DeliverySettings:
    settings: DeliverySettings = ctx.settings.delivery_settings()
    return settings


def _open(conn: Any) -> bool:
    return conn is not None and bool(conn.is_open)


def _state(conn: Any) -> str:
    return "connected" if _open(conn) else "connecting"


def _on_term(stop: Any) -> None:
    def handler(_sig: int, _frame: Any) -> None:
        stop()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def cmd_broker_setup(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from pika.exceptions import ChannelClosedByBroker

    from hub.broker.topology import Topology
    from hub.broker.transport import AmqpTransport
    from hub.delivery.directory import Directory

    ctx = _ctx()
    settings = _settings(ctx)
    if args.rabbitmqctl:
        settings = replace(settings, rabbitmqctl=args.rabbitmqctl)
    if args.management_url:
        settings = replace(settings, management_url=args.management_url)
    parties, amqp = Directory(ctx, settings).pushed_destinations(everyone=args.all_parties)
    topo = Topology(settings)
    if args.definitions:
        text = json.dumps(topo.definitions(parties, amqp), ensure_ascii=False, indent=2)
        if args.definitions == "-":
            print(text)
        else:
            Path(args.definitions).write_text(text + "\n", encoding="utf-8")
            print(
                f"定义已写入 {args.definitions}（{len(parties)} 个目的方）/ definitions for "
                f"{len(parties)} destinations written to {args.definitions}"
            )
        return 0
    if not settings.amqp_url:
        print(
            "未设置 HUB_AMQP_URL：投递在进程内进行，无需声明 / HUB_AMQP_URL is not set: nothing "
            "to declare (delivery is embedded)",
            file=sys.stderr,
        )
        return 2
    transport = AmqpTransport(settings)
    writer = transport.policy_writer()
    policies = topo.policies() if topo.by_policy and not args.skip_policies else []
    if policies and writer is None:
        print(
            "无法写入策略：请设置 HUB_AMQP_MANAGEMENT_URL 或 HUB_RABBITMQCTL（或 --rabbitmqctl），"
            "或导入定义文件后用 --skip-policies / cannot write the policies: set "
            "HUB_AMQP_MANAGEMENT_URL or HUB_RABBITMQCTL (or --rabbitmqctl), or import the "
            "definitions (--definitions FILE) and pass --skip-policies",
            file=sys.stderr,
        )
        return 2
    if policies and writer is not None:
        topo.apply_policies(writer)
        print(f"策略 policies: {len(policies)} written through {writer.description}")
    conn = transport.blocking_connection("setup", timeout=10)
    try:
        topo.declare(conn.channel(), parties, amqp)
    except ChannelClosedByBroker as exc:
        if exc.reply_code != 406:
            raise
        print(
            f"已有队列的参数不同 / a queue exists with other arguments: {exc.reply_text}. "
            "Queues declared with their limits as arguments (before policies) keep them: "
            "drain and delete them, then run setup again, or set HUB_AMQP_LIMITS=arguments",
            file=sys.stderr,
        )
        return 1
    finally:
        if conn.is_open:
            conn.close()
    limits = "policies" if topo.by_policy else "queue arguments"
    print(
        f"已声明 declared on {transport.description}: exchanges under '{settings.prefix}.', "
        f"{len(parties)} party queues (quorum), {len(settings.retry_delays)} retry tiers, "
        f"dead-letter queue {topo.dead_queue}; limits as {limits}"
    )
    return 0


def cmd_relay(args: argparse.Namespace) -> int:
    from hub.broker.relay import Relay

    ctx = _ctx()
    settings = _settings(ctx)
    if not settings.amqp_url:
        print(
            "HUB_AMQP_URL is not set: `hub serve` delivers in-process; no relay needed",
            file=sys.stderr,
        )
        return 2
    relay = Relay(ctx, settings, batch_size=args.batch)
    metrics.install(ctx, settings)
    served = start_from_args(
        args,
        "relay",
        ready=lambda: _open(relay._connection),  # /readyz: 503 while the broker is down
        details=lambda: {
            "broker": _state(relay._connection),
            "published": relay.stats.published,
            "confirmed": relay.stats.confirmed,
        },
    )
    tune_for_service()
    _on_term(relay.stop)
    try:
        stats = relay.run(until_idle=args.until_idle)
    finally:
        if served is not None:
            served.stop()
    print(f"relay stopped: {stats}")
    return 0


def cmd_connector(args: argparse.Namespace) -> int:
    from hub.broker.wiring import RegistryPlan, build
    from hub.broker.worker import Worker
    from hub.delivery.directory import Directory

    ctx = _ctx()
    settings = _settings(ctx)
    if not settings.amqp_url:
        print("HUB_AMQP_URL is not set: `hub serve` delivers in-process", file=sys.stderr)
        return 2
    directory = Directory(ctx, settings)
    connectors = build(ctx, settings, directory)
    tune_for_service()
    try:
        plan = RegistryPlan(ctx, settings, args.names, connectors, directory)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    worker = Worker(settings, plan)
    metrics.install(ctx, settings)
    served = start_from_args(
        args,
        "connector",
        ready=lambda: _open(worker._conn),
        details=lambda: {"broker": _state(worker._conn), "queues": len(worker.consuming())},
    )
    _on_term(worker.stop)
    try:
        worker.run()
    finally:
        connectors.close()
        if served is not None:
            served.stop()
    return 0


def cmd_deadletters_list(args: argparse.Namespace) -> int:
    from hub.services.delivery_failures import list_dead

    ctx = _ctx()
    with ctx.db.read() as session:
        items, _ = list_dead(session, destination=args.destination, limit=args.limit)
    if args.json:
        print(json.dumps(items, ensure_ascii=False, indent=2))
        return 0
    for d in items:
        print(
            f"{d['message_id']}  {d['destination']:20} {d['type']:28} "
            f"{d['application_no'] or '-':24} {d['dead_at']}  "
            f"尝试 attempts {d['attempts']}  {d['reason']}"
        )
    print(f"{len(items)} 封死信 / {len(items)} dead letter(s)")
    return 0


def cmd_deadletters_replay(args: argparse.Namespace) -> int:
    from hub.services.delivery_failures import replay

    if not args.message_ids and not args.all and not args.destination:
        print(
            "请指定消息编号、--destination D 或 --all / name message ids, or --destination D, "
            "or --all",
            file=sys.stderr,
        )
        return 2
    ctx = _ctx()
    answer = ctx.db.run(
        lambda s: replay(ctx, s, args.message_ids or None, destination=args.destination)
    )
    for letter in answer["letters"]:
        case = letter["application_no"] or "-"
        print(f"{letter['message_id']}  {letter['outcome']:13} {case:24} {letter['detail']}")
    print(
        f"重发 replayed {answer['replayed']}, 重新分派 redispatched {answer['redispatched']}, "
        f"已被取代 superseded {answer['superseded']}, 非死信 not dead {answer['not_dead']}"
    )
    return 0


def register(sub: Any) -> None:
    broker = sub.add_parser("broker", help="RabbitMQ topology").add_subparsers(
        dest="broker_command", required=True
    )
    p = broker.add_parser("setup", help="declare exchanges and queues (idempotent)")
    p.add_argument(
        "--definitions",
        metavar="FILE",
        help="write RabbitMQ definitions JSON instead of declaring ('-' for stdout)",
    )
    p.add_argument(
        "--all-parties",
        action="store_true",
        help="a queue for every registry party, pull-feed ones included",
    )
    p.add_argument(
        "--rabbitmqctl",
        metavar="COMMAND",
        help="write the policies with this rabbitmqctl command line, e.g. "
        "'rabbitmqctl -n rabbit@node1' (default: HUB_RABBITMQCTL)",
    )
    p.add_argument(
        "--management-url",
        metavar="URL",
        help="write the policies through the management API at URL "
        "(default: HUB_AMQP_MANAGEMENT_URL)",
    )
    p.add_argument(
        "--skip-policies",
        action="store_true",
        help="declare queues only: the policies are in place (imported definitions)",
    )
    p.set_defaults(func=cmd_broker_setup)

    p = sub.add_parser("relay", help="publish the outbox to RabbitMQ with confirms")
    p.add_argument("--batch", type=int, default=1000, help="outbox rows claimed at a time")
    p.add_argument("--until-idle", action="store_true", help="stop when nothing is unsent")
    add_arguments(p)
    p.set_defaults(func=cmd_relay)

    p = sub.add_parser(
        "connector", help="run connectors: webhook portal notify amqp inbound deadletters, or all"
    )
    p.add_argument("names", nargs="+", metavar="NAME", help="connector names, or all")
    add_arguments(p)
    p.set_defaults(func=cmd_connector)

    dl = sub.add_parser("deadletters", help="undeliverable messages").add_subparsers(
        dest="dl_command", required=True
    )
    p = dl.add_parser("list", help="dead letters with their reasons")
    p.add_argument("--destination", help="only letters for this party")
    p.add_argument("--limit", type=int, default=100, help="at most this many letters")
    p.add_argument("--json", action="store_true", help="JSON instead of lines")
    p.set_defaults(func=cmd_deadletters_list)
    p = dl.add_parser("replay", help="send dead letters again (idempotent)")
    p.add_argument("message_ids", nargs="*", help="the letters' message ids")
    p.add_argument("--destination", help="every letter for this party")
    p.add_argument("--all", action="store_true", help="every dead letter")
    p.set_defaults(func=cmd_deadletters_replay)
