"""`hub user add|disable|reset|list`: personal accounts of the web pages (INTERFACE 13).

`add` and `reset` print the one-time password alone on stdout (as `hub token issue` prints
a token), so it can be handed over and never lands in a log.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def _fail(exc: Any) -> int:
    from hub.services.errors import Invalid

    if isinstance(exc, Invalid):
        for e in exc.errors:
            print(f"{e.pointer}: {e.message}", file=sys.stderr)
    else:
        print(exc.detail, file=sys.stderr)
    return 2


def cmd_user_add(args: argparse.Namespace) -> int:
    from hub.bootstrap import bootstrap
    from hub.services import accounts
    from hub.services.errors import ServiceError

    ctx = bootstrap()
    try:
        with ctx.db.transaction() as session:
            otp = accounts.add_user(
                ctx,
                session,
                login=args.login,
                name=args.name,
                role=args.role,
                party=args.party,
                actor=args.actor,
            )
    except ServiceError as exc:
        return _fail(exc)
    print(otp)
    return 0


def cmd_user_disable(args: argparse.Namespace) -> int:
    from hub.bootstrap import bootstrap
    from hub.services import accounts
    from hub.services.errors import ServiceError

    ctx = bootstrap()
    try:
        with ctx.db.transaction() as session:
            accounts.disable_user(ctx, session, args.login, actor=args.actor)
    except ServiceError as exc:
        return _fail(exc)
    print(
        f"{args.login} 已停用，其所有会话已结束 / disabled; every session of it has ended",
        file=sys.stderr,
    )
    return 0


def cmd_user_reset(args: argparse.Namespace) -> int:
    from hub.bootstrap import bootstrap
    from hub.services import accounts
    from hub.services.errors import ServiceError

    ctx = bootstrap()
    try:
        with ctx.db.transaction() as session:
            otp = accounts.reset_password(ctx, session, args.login, actor=args.actor)
    except ServiceError as exc:
        return _fail(exc)
    print(otp)
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    from hub.bootstrap import bootstrap
    from hub.services import accounts

    ctx = bootstrap()
    with ctx.db.read() as session:
        for user in accounts.list_users(session):
            print(json.dumps(user, ensure_ascii=False))
    return 0


def register(subparsers: Any) -> None:
    users = subparsers.add_parser(
        "user", help="个人账号 personal web accounts (console, workbench)"
    ).add_subparsers(dest="user_command", required=True)
    p = users.add_parser("add", help="add a person; prints the one-time password alone")
    p.add_argument("--login", required=True, help="the sign-in name")
    p.add_argument("--name", required=True, help="the person's name, shown on the pages")
    p.add_argument(
        "--role",
        required=True,
        choices=["unit", "admin", "institution", "databureau"],
        help="what the user may do",
    )
    p.add_argument("--party", help="registry id of the unit or institution (not for admin)")
    p.add_argument("--actor", default="cli", help="who adds it, for the audit trail")
    p.set_defaults(func=cmd_user_add)
    p = users.add_parser("disable", help="disable a person and end every session of theirs")
    p.add_argument("login", help="the sign-in name")
    p.add_argument("--actor", default="cli", help="who does it, for the audit trail")
    p.set_defaults(func=cmd_user_disable)
    p = users.add_parser("reset", help="a new one-time password (prints it alone)")
    p.add_argument("login", help="the sign-in name")
    p.add_argument("--actor", default="cli", help="who does it, for the audit trail")
    p.set_defaults(func=cmd_user_reset)
    p = users.add_parser("list", help="every account, one JSON line each (no password)")
    p.set_defaults(func=cmd_user_list)
