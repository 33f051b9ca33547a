"""`hub privacy budget show|grant`: the data bureau's differential-privacy budget
(hub.services.sharing.budget).

    hub privacy budget show [--party databureau]
    hub privacy budget grant --party databureau --epsilon 2 --reason "2027 年度统计"
                             [--actor NAME]

`grant` is an audited admin act (the `privacy-budget` chain names `--actor`, default
`cli`), refused above `HUB_DP_EPSILON_CEILING_PER_YEAR` granted in 365 days.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any


def _print(view: dict[str, Any]) -> None:
    print(
        f"{view['holder']}：已用 {view['spent']:g}，共 {view['total']:g}"
        f"（基础 {view['base']:g} + 追加 {view['granted']:g}），剩余 {view['remaining']:g} / "
        f"spent {view['spent']:g} of {view['total']:g} (base {view['base']:g} + granted "
        f"{view['granted']:g}), remaining {view['remaining']:g}"
    )
    print(
        f"365 天内已追加 {view['granted_last_365_days']:g}，年度上限 "
        f"{view['ceiling_per_year']:g}，还可追加 {view['grantable']:g} / "
        f"granted in the last 365 days {view['granted_last_365_days']:g}, ceiling "
        f"{view['ceiling_per_year']:g}, grantable {view['grantable']:g}"
    )
    for g in view["grants"]:
        who = _who(g["granted_by"])
        print(f"  #{g['id']} {g['granted_at']} +{g['epsilon']:g} {who}: {g['reason']}")


def _who(by: dict[str, Any]) -> str:
    """Who granted: a person's login, the operator a command named, or the API token's id
    (an admin token has no name of its own; its id tells one token from another)."""
    if by["login"] or by["party"]:
        return str(by["login"] or by["party"])
    if by["token"]:
        return f"{by['role']} 令牌 token {by['token']}"
    return str(by["role"])


def _run(work: Any) -> int:
    from hub.bootstrap import bootstrap
    from hub.services.errors import Invalid, ServiceError

    ctx = bootstrap()
    try:
        view = ctx.db.run(lambda session: work(ctx, session))
    except Invalid as exc:
        for e in exc.errors:
            print(f"{e.pointer.lstrip('/')}: {e.message}", file=sys.stderr)
        return 2
    except ServiceError as exc:
        print(exc.detail, file=sys.stderr)
        return 1
    finally:
        ctx.db.dispose()
    if "grant" in view:  # after the commit: the grant is made
        g = view["grant"]
        print(
            f"已追加 {g['epsilon']:g}（#{g['id']}，已记入审计） / granted {g['epsilon']:g} "
            f"(#{g['id']}, audited)"
        )
    _print(view)
    return 0


def cmd_budget_show(args: argparse.Namespace) -> int:
    from hub.services.sharing import budget

    return _run(lambda ctx, session: budget.show(ctx, session, args.party))


def cmd_budget_grant(args: argparse.Namespace) -> int:
    from hub.services.principal import Principal, Role
    from hub.services.sharing import budget

    admin = Principal(Role.ADMIN, args.actor)

    return _run(
        lambda ctx, session: budget.grant(
            ctx, session, admin, args.party, args.epsilon, args.reason
        )
    )


def register(sub: Any) -> None:
    privacy = sub.add_parser("privacy", help="隐私 privacy of what the data bureau receives")
    budgets = privacy.add_subparsers(dest="privacy_command", required=True).add_parser(
        "budget", help="隐私预算 the differential-privacy budget of a party"
    )
    acts = budgets.add_subparsers(dest="budget_command", required=True)
    p = acts.add_parser("show", help="spent, total, remaining, and every grant")
    p.add_argument("--party", default="databureau", help="the holder (default databureau)")
    p.set_defaults(func=cmd_budget_show)
    p = acts.add_parser("grant", help="add epsilon to a party's budget (audited)")
    p.add_argument("--party", default="databureau", help="the holder (default databureau)")
    p.add_argument("--epsilon", type=float, required=True, help="how much to add")
    p.add_argument("--reason", required=True, help="why (kept in the audit trail)")
    p.add_argument("--actor", default="cli", help="who grants it, for the audit trail")
    p.set_defaults(func=cmd_budget_grant)
