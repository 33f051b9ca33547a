"""`hub broker setup`, `hub relay`, `hub connector NAME`, `hub deadletters list|replay`."""

from __future__ import annotations

import argparse
import json
import signal
import sys
from pathlib import Path
from typing import Any

from hub.delivery.settings import DeliverySettings
from hub.gc_tuning import tune_for_service


def _ctx() -> Any:
    from hub.bootstrap import bootstrap

    return bootstrap()


def _settings(ctx: Any) -> DeliverySettings:
    return ctx.settings.delivery_settings()


def _quiet() -> None:
    """Per-request and per-frame INFO lines from httpx and pika would drown the worker's own."""
    import logging

    for name in ("httpx", "httpcore", "pika"):
        logging.getLogger(name).setLevel(logging.WARNING)


def _on_term(stop: Any) -> None:
    def handler(_sig: int, _frame: Any) -> None:
        stop()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def cmd_broker_setup(args: argparse.Namespace) -> int:
    import pika

    from hub.broker.topology import Topology
    from hub.delivery.directory import Directory

    ctx = _ctx()
    settings = _settings(ctx)
    parties, amqp = Directory(ctx, settings).pushed_destinations(everyone=args.all_parties)
    topo = Topology(settings)
    if args.definitions:
        text = json.dumps(topo.definitions(parties, amqp), ensure_ascii=False, indent=2)
        if args.definitions == "-":
            print(text)
        else:
            Path(args.definitions).write_text(text + "\n", encoding="utf-8")
            print(f"definitions for {len(parties)} destinations written to {args.definitions}")
        return 0
    if not settings.amqp_url:
        print("HUB_AMQP_URL is not set: nothing to declare (delivery is embedded)", file=sys.stderr)
        return 2
    conn = pika.BlockingConnection(pika.URLParameters(settings.amqp_url))
    try:
        topo.declare(conn.channel(), parties, amqp)
    finally:
        conn.close()
    print(
        f"declared: exchanges under '{settings.prefix}.', {len(parties)} party queues, "
        f"{len(settings.retry_delays)} retry tiers, dead-letter queue {topo.dead_queue}"
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
    tune_for_service()
    _quiet()
    _on_term(relay.stop)
    stats = relay.run(until_idle=args.until_idle)
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
    _quiet()
    _on_term(worker.stop)
    try:
        worker.run()
    finally:
        connectors.close()
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
            f"{d['application_no'] or '-':24} {d['dead_at']}  {d['reason']}"
        )
    print(f"{len(items)} dead letter(s)")
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
    answer = replay(ctx, args.message_ids or None, destination=args.destination)
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
    p.set_defaults(func=cmd_broker_setup)

    p = sub.add_parser("relay", help="publish the outbox to RabbitMQ with confirms")
    p.add_argument("--batch", type=int, default=1000)
    p.add_argument("--until-idle", action="store_true", help="stop when nothing is unsent")
    p.set_defaults(func=cmd_relay)

    p = sub.add_parser(
        "connector", help="run connectors: webhook portal notify amqp inbound deadletters, or all"
    )
    p.add_argument("names", nargs="+", metavar="NAME")
    p.set_defaults(func=cmd_connector)

    dl = sub.add_parser("deadletters", help="undeliverable messages").add_subparsers(
        dest="dl_command", required=True
    )
    p = dl.add_parser("list", help="dead letters with their reasons")
    p.add_argument("--destination")
    p.add_argument("--limit", type=int, default=100)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_deadletters_list)
    p = dl.add_parser("replay", help="send dead letters again (idempotent)")
    p.add_argument("message_ids", nargs="*")
    p.add_argument("--destination")
    p.add_argument("--all", action="store_true")
    p.set_defaults(func=cmd_deadletters_replay)
