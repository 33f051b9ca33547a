"""Bearer tokens (INTERFACE 1): issued by the operator, stored only as SHA-256 hashes."""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
import time
import uuid

from sqlmodel import select

from hub.services.context import HubContext
from hub.services.errors import Invalid
from hub.services.principal import PARTY_ROLES, Principal, Role
from hub.store import audit
from hub.store.models import ApiToken, Institution, Unit

_CACHE_SECONDS = 30.0
#: Outbox destinations that are not parties' own feeds.
RESERVED_DESTINATIONS = frozenset({"notify", "admin", "databureau"})

#: The registry's identifier form (schemas/common.schema.json#/$defs/identifier).
_PARTY_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(ctx: HubContext, role: str, party: str | None = None, label: str | None = None) -> str:
    """Create a token and answer it; only its hash is kept."""
    try:
        the_role = Role(role)
    except ValueError:
        raise Invalid.at("/role", f"未知角色 / unknown role {role!r}") from None
    if the_role in PARTY_ROLES and not party:
        raise Invalid.at("/party", f"角色 {role} 需要 --party / role {role} needs --party")
    if the_role is Role.DATABUREAU and party:  # its feed would be that party's feed
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
    if the_role is Role.PORTAL and party in RESERVED_DESTINATIONS:
        raise Invalid.at("/party", f"{party} 是保留名称 / {party} is a reserved destination")
    token = f"om_{secrets.token_urlsafe(32)}"
    now = ctx.clock.now()
    with ctx.db.transaction() as session:
        # A portal's party id is its feed's destination: it must not be a registry party's.
        if the_role is Role.PORTAL and (
            session.get(Unit, party) is not None or session.get(Institution, party) is not None
        ):
            raise Invalid.at(
                "/party", f"{party} 是名录中的单位或机构 / {party} is a registry party"
            )
        if the_role is Role.UNIT and session.get(Unit, party) is None:
            raise Invalid.at("/party", f"名录中没有单位 {party} / unknown unit")
        if the_role in (Role.INSTITUTION, Role.COURT, Role.ARBITRATION):
            inst = session.get(Institution, party)
            if inst is None:
                raise Invalid.at("/party", f"名录中没有机构 {party} / unknown institution")
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
        )
        session.add(record)
        audit.append(
            session,
            chain="tokens",
            at=now,
            actor_role="admin",
            actor_party="cli",
            action="token.issued",
            detail={"token_id": record.id, "role": role, "party": party},
        )
    return token


class TokenCache:
    """Tokens looked up once and remembered briefly, so intake does not pay a query per call."""

    def __init__(self, ctx: HubContext) -> None:
        self._ctx = ctx
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[float, Principal | None]] = {}

    def authenticate(self, token: str) -> Principal | None:
        digest = token_hash(token)
        now = time.monotonic()
        with self._lock:
            hit = self._entries.get(digest)
        if hit and hit[0] > now:
            return hit[1]
        with self._ctx.db.read() as session:
            row = session.exec(select(ApiToken).where(ApiToken.token_hash == digest)).first()
        principal = (
            Principal(Role(row.role), row.party_id, row.id)
            if row is not None and row.revoked_at is None
            else None
        )
        with self._lock:
            if len(self._entries) > 10000:
                self._entries.clear()
            self._entries[digest] = (now + _CACHE_SECONDS, principal)
        return principal
