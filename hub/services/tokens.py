"""Bearer tokens (INTERFACE 1): issued by the operator, stored only as SHA-256 hashes.

`hub token issue [--expires DAYS]`, `hub token list`, `hub token revoke ID`. Every API
process remembers a token it has looked up for at most `CACHE_SECONDS` (10), so a
revocation or an expiry takes effect on every process within that time; the last use of
each token is written to its row in the background, to the minute (hub.api.token_cache).
Issuing and revoking write in the caller's unit of work (the command opens it).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, update
from sqlmodel import col, select

from hub import jsonutil
from hub.domain.routing import MEDIATION_KINDS
from hub.logsafety import get_logger
from hub.services import web_sessions
from hub.services.context import HubContext
from hub.services.errors import Invalid, NotFound
from hub.services.principal import PARTY_ROLES, Role
from hub.store import audit
from hub.store.models import ApiToken, Institution, Unit
from hub.store.unit_of_work import UnitOfWork
from schemas import reserved as reserved_names

log = get_logger("hub.tokens")

#: How long a process trusts what it read about a token (revocation and expiry included).
CACHE_SECONDS = 10.0
#: How often the last use of tokens is written, and how stale a stored one may be.
USAGE_FLUSH_SECONDS = 60.0
#: The longest `--expires` accepted, in days.
MAX_EXPIRES_DAYS = 3650
#: Outbox destinations that are not parties' own feeds.
RESERVED_DESTINATIONS = frozenset({"notify", "admin", "databureau"})

#: The registry's identifier form (schemas/common.schema.json#/$defs/identifier).
_PARTY_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(
    ctx: HubContext,
    session: UnitOfWork,
    role: str,
    party: str | None = None,
    label: str | None = None,
    expires_days: int | None = None,
) -> str:
    """Create a token and answer it; only its hash is kept. With `expires_days` the token
    stops working that many days after now."""
    if expires_days is not None and not 1 <= expires_days <= MAX_EXPIRES_DAYS:
        raise Invalid.at(
            "/expires",
            f"有效天数须为 1-{MAX_EXPIRES_DAYS} / --expires is 1-{MAX_EXPIRES_DAYS} days",
        )
    try:
        the_role = Role(role)
    except ValueError:
        raise Invalid.at("/role", f"未知角色 / unknown role {role!r}") from None
    if the_role in PARTY_ROLES and not party:
        raise Invalid.at("/party", f"角色 {role} 需要 --party / role {role} needs --party")
    if the_role in (Role.DATABUREAU, Role.ADMIN) and party:  # a feed not theirs to read
        raise Invalid.at("/party", f"角色 {role} 不带 --party / role {role} takes no --party")
    if the_role is Role.PORTAL and not party:
        party = "portal"
    if the_role is Role.PORTAL and not _PARTY_ID.fullmatch(party or ""):
        # It becomes a message destination (queue name, routing key): registry-id form only.
        raise Invalid.at(
            "/party",
            "门户标识只能由小写字母、数字、- 和 _ 组成 / a portal id is lowercase letters, "
            "digits, - and _",
        )
    reserved = reserved_names.namespace_of(party or "")
    if the_role is Role.PORTAL and (
        party in RESERVED_DESTINATIONS or reserved not in (None, "portal")
    ):
        raise Invalid.at("/party", f"{party} 是保留名称 / {party} is a reserved destination")
    token = f"om_{secrets.token_urlsafe(32)}"
    now = ctx.clock.now()
    # A portal's party id is its feed's destination: it must not be a registry party's.
    if the_role is Role.PORTAL and (
        session.get(Unit, party) is not None or session.get(Institution, party) is not None
    ):
        raise Invalid.at("/party", f"{party} 是名录中的单位或机构 / {party} is a registry party")
    if the_role is Role.UNIT and session.get(Unit, party) is None:
        raise Invalid.at("/party", f"名录中没有单位 {party} / unknown unit")
    if the_role in (Role.INSTITUTION, Role.COURT, Role.ARBITRATION):
        inst = session.get(Institution, party)
        if inst is None:
            raise Invalid.at("/party", f"名录中没有机构 {party} / unknown institution")
        if the_role is Role.INSTITUTION and inst.kind not in MEDIATION_KINDS:
            raise Invalid.at(
                "/party", "institution 角色须对应调解组织 / institution role needs a mediator"
            )
        if the_role is Role.COURT and inst.kind != "court":
            raise Invalid.at("/party", "court 角色须对应法院 / court role needs a court")
        if the_role is Role.ARBITRATION and not inst.kind.endswith("_arbitration"):
            raise Invalid.at("/party", "arbitration 角色须对应仲裁委 / needs a commission")
    record = ApiToken(
        id=str(uuid.uuid4()),
        token_hash=token_hash(token),
        role=the_role,
        party_id=party,
        label=label,
        created_at=now,
        expires_at=now + timedelta(days=expires_days) if expires_days else None,
    )
    session.add(record)
    expires = jsonutil.rfc3339(record.expires_at) if record.expires_at else None
    _audit(session, now, "token.issued", record, expires_at=expires)
    return token


def _audit(session: Any, at: datetime, action: str, row: ApiToken, **detail: Any) -> None:
    """The `tokens` audit chain: what the operator did with which token (never the token)."""
    audit.append(
        session,
        chain="tokens",
        at=at,
        actor_role="admin",
        actor_party="cli",
        action=action,
        detail={"token_id": row.id, "role": row.role, "party": row.party_id, **detail},
    )


@dataclass(frozen=True)
class TokenView:
    """What an operator sees of a token: never the token, never its hash."""

    id: str
    role: str
    party: str | None
    label: str | None
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, row: ApiToken) -> TokenView:
        return cls(
            row.id,
            row.role,
            row.party_id,
            row.label,
            row.created_at,
            row.expires_at,
            row.last_used_at,
            row.revoked_at,
        )

    def state(self, now: datetime) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "active"


def list_tokens(ctx: HubContext, *, everything: bool = False) -> list[TokenView]:
    """Every token, newest first; without `everything` the revoked and expired are left out."""
    now = ctx.clock.now()
    with ctx.db.read() as session:
        rows = session.exec(
            select(ApiToken).order_by(col(ApiToken.created_at).desc(), col(ApiToken.id))
        ).all()
    views = [TokenView.of(r) for r in rows]
    return views if everything else [v for v in views if v.state(now) == "active"]


def revoke(
    ctx: HubContext, session: UnitOfWork, token_id: str, reason: str | None = None
) -> TokenView:
    """Revoke a token by its id (or an unambiguous prefix of 8 or more characters); its web
    sessions end with it. Revoking a revoked token changes nothing."""
    now = ctx.clock.now()
    row = session.get(ApiToken, token_id)
    if row is None and len(token_id) >= 8:
        found = session.exec(
            select(ApiToken).where(col(ApiToken.id).startswith(token_id)).limit(2)
        ).all()
        row = found[0] if len(found) == 1 else None
    if row is None:
        raise NotFound(f"没有这个凭证 / no token {token_id!r}")
    if row.revoked_at is None:
        row.revoked_at = now
        session.add(row)
        web_sessions.end_all_of_token(session, row.id, now, "token revoked")
        _audit(session, now, "token.revoked", row, reason=reason)
    return TokenView.of(row)


def write_usage(session: UnitOfWork, used: dict[str, datetime]) -> int:
    """Write the last use of each token in `used` (token id -> when); answers how many rows
    changed. A row is written only when its stored time is a minute older."""
    changed = 0
    for token_id, at in used.items():
        result: Any = session.connection().execute(
            update(ApiToken)
            .where(
                col(ApiToken.id) == token_id,
                or_(
                    col(ApiToken.last_used_at).is_(None),
                    col(ApiToken.last_used_at) < at - timedelta(minutes=1),
                ),
            )
            .values(last_used_at=at)
        )
        changed += int(result.rowcount or 0)
    return changed
