"""Who is calling: a role and, for parties, the party's registry id."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from hub.domain import destinations


class Role(StrEnum):
    PORTAL = "portal"
    INSTITUTION = "institution"
    UNIT = "unit"
    COURT = "court"
    ARBITRATION = "arbitration"
    DATABUREAU = "databureau"
    ADMIN = "admin"


PARTY_ROLES = frozenset({Role.INSTITUTION, Role.UNIT, Role.COURT, Role.ARBITRATION})


@dataclass(frozen=True)
class Principal:
    """A system by its API token (`token_id`), or a person by their web `login`."""

    role: Role
    party: str | None
    token_id: str = ""
    login: str | None = None

    @property
    def key(self) -> str:
        """Scope of idempotency keys: a key is the caller's own."""
        return f"{self.role}:{self.party or '-'}"

    @property
    def destination(self) -> str:
        """The outbox destination this principal reads in its pull feed: qualified by the
        kind of party its role is (`hub.domain.destinations`), never a bare id."""
        return destinations.for_party(str(self.role), self.party)


SYSTEM = Principal(Role.ADMIN, "hub", "system")
