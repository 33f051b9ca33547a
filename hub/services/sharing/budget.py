"""隐私预算 The differential-privacy budget of a party (INTERFACE 9a, issue 11): spending on
aggregates, and its renewal by an admin.

A holder (the data bureau as one party, all its tokens and people together; an admin by
role and party) may spend `HUB_DP_BUDGET` (2) plus whatever admins granted it:
the remaining budget is that total minus what its releases spent. Once spent, a new
question is refused until a grant; a repeated question still gets its stored answer.

A grant (`hub privacy budget grant`, `POST /v1/admin/privacy-budget`) is an admin act: a
row of `shared_dp_grant` (who, when, epsilon, reason) and an entry of the
`privacy-budget` audit chain, in one transaction. Grants are refused above a ceiling:
at most `HUB_DP_EPSILON_CEILING_PER_YEAR` (2, only lowered) granted to one holder in any
365 days, so the privacy loss a data office can hand out grows by a bounded amount a
year, whoever asks how often. The base budget is not a grant and does not count against
it. The reason is stored scrubbed of personal data (`privacy.pii`): audit entries carry
none.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from sqlmodel import Session

from hub import jsonutil
from hub.services.context import HubContext
from hub.services.errors import Conflict, Forbidden, Invalid, NotFound
from hub.services.principal import Principal, Role
from hub.store import audit
from hub.store import dp_budget as store
from hub.store.models_privacy import DpBudget, DpGrant
from privacy.pii import scrub
from schemas.text import has_control

CHAIN = "privacy-budget"
DATABUREAU = "databureau"
YEAR = timedelta(days=365)
REASON_MAX = 500
_SLACK = 1e-9  # float sums of quarter epsilons


def holder_of(principal: Principal) -> str:
    """Who a privacy budget belongs to: the data bureau as one party (all its tokens and
    people together; there is one data bureau), anyone else by role and party."""
    if principal.role is Role.DATABUREAU:
        return DATABUREAU
    return principal.key


def total(ctx: HubContext, row: DpBudget) -> float:
    return ctx.settings.sharing.budget + row.granted


def view(ctx: HubContext, row: DpBudget) -> dict[str, Any]:
    """The budget as an answer states it."""
    whole = total(ctx, row)
    return {
        "holder": row.holder,
        "spent": round(row.spent, 6),
        "total": round(whole, 6),
        "remaining": round(max(0.0, whole - row.spent), 6),
    }


def spend(ctx: HubContext, session: Session, holder: str, epsilon: float) -> DpBudget:
    """Debit `epsilon` from the holder's budget (its row locked), or refuse if spent."""
    row = store.locked(session, holder)
    whole = total(ctx, row)
    if row.spent + epsilon > whole + _SLACK:
        raise Forbidden(
            f"隐私预算已用完（已用 {row.spent:g}，共 {whole:g}；本方所有令牌共用）：已问过的问题"
            "仍按原答复回答，追加预算须由管理员授予 / privacy budget spent "
            f"({row.spent:g} of {whole:g}, shared by all the party's tokens): questions "
            "already asked are answered again; more budget needs an admin's grant"
        )
    row.spent += epsilon
    row.releases += 1
    session.add(row)
    return row


def current(session: Session, holder: str) -> DpBudget:
    """The holder's row as it stands, unlocked (zeros if it never asked)."""
    return session.get(DpBudget, holder) or DpBudget(holder=holder, spent=0.0, granted=0.0)


def _known(session: Session, holder: str) -> None:
    if holder != DATABUREAU and session.get(DpBudget, holder) is None:
        raise NotFound(
            f"没有预算持有方 {holder}（数据局为 {DATABUREAU}） / no budget holder {holder} "
            f"(the data bureau is {DATABUREAU})"
        )


def _reason(raw: str) -> str:
    reason = raw.strip()
    if not reason or len(reason) > REASON_MAX or has_control(reason):
        raise Invalid.at(
            "/reason",
            f"须写明理由（1-{REASON_MAX} 字，无控制字符） / a reason is required "
            f"(1-{REASON_MAX} characters, no control characters)",
        )
    return scrub(reason)


def show(ctx: HubContext, session: Session, holder: str) -> dict[str, Any]:
    """The holder's budget, what may still be granted this year, and every grant."""
    _known(session, holder)
    now = ctx.clock.now()
    ceiling = ctx.settings.sharing.ceiling_per_year
    this_year = store.granted_since(session, holder, now - YEAR)
    row = current(session, holder)
    return {
        **view(ctx, row),
        "base": ctx.settings.sharing.budget,
        "granted": round(row.granted, 6),
        "releases": row.releases,
        "ceiling_per_year": ceiling,
        "granted_last_365_days": round(this_year, 6),
        "grantable": round(max(0.0, ceiling - this_year), 6),
        "grants": [grant_view(g) for g in store.grants(session, holder)],
    }


def grant_view(g: DpGrant) -> dict[str, Any]:
    return {
        "id": g.id,
        "epsilon": g.epsilon,
        "reason": g.reason,
        "granted_at": jsonutil.rfc3339(g.granted_at),
        "granted_by": {
            "role": g.granted_by_role,
            "party": g.granted_by_party,
            "login": g.granted_by_login,
            "token": g.granted_by_token,
        },
    }


def grant(
    ctx: HubContext,
    session: Session,
    principal: Principal,
    holder: str,
    epsilon: float,
    reason: str,
) -> dict[str, Any]:
    """Add `epsilon` to the holder's budget (admin only), audited; refused above the
    yearly ceiling. Answers `show` after the grant, with the grant as `grant`."""
    if principal.role is not Role.ADMIN:
        raise Forbidden("只有管理员可以追加隐私预算 / only an admin grants privacy budget")
    if not math.isfinite(epsilon) or epsilon <= 0:
        raise Invalid.at("/epsilon", "epsilon 须为正数 / epsilon must be positive")
    text = _reason(reason)
    _known(session, holder)
    now = ctx.clock.now()
    row = store.locked(session, holder)  # serialises grants: the ceiling holds under races
    ceiling = ctx.settings.sharing.ceiling_per_year
    this_year = store.granted_since(session, holder, now - YEAR)
    if this_year + epsilon > ceiling + _SLACK:
        left = max(0.0, ceiling - this_year)
        raise Conflict(
            f"超出年度上限：365 天内已追加 {this_year:g}，上限 {ceiling:g}"
            f"（HUB_DP_EPSILON_CEILING_PER_YEAR），最多还可追加 {left:g} / over the yearly "
            f"ceiling: {this_year:g} granted in the last 365 days, ceiling {ceiling:g}, "
            f"at most {left:g} more"
        )
    record = DpGrant(
        holder=holder,
        epsilon=epsilon,
        reason=text,
        granted_at=now,
        granted_by_role=principal.role,
        granted_by_party=principal.party,
        granted_by_login=principal.login,
        granted_by_token=principal.token_id or None,
    )
    session.add(record)
    row.granted += epsilon
    session.add(row)
    session.flush()
    audit.append(
        session,
        chain=CHAIN,
        at=now,
        actor_role=principal.role,
        actor_party=principal.party,
        actor_login=principal.login,
        action="dp_budget.granted",
        detail={
            "grant": record.id,
            "holder": holder,
            "epsilon": epsilon,
            "reason": text,
            "total": round(total(ctx, row), 6),
            "spent": round(row.spent, 6),
            # an API token acts for no party and no login: its id says who granted
            "token_id": principal.token_id or None,
        },
    )
    return {**show(ctx, session, holder), "grant": grant_view(record)}
