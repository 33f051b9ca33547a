"""Reads of personal data are audited (查阅留痕, Art. 24): who read which case, when, how.

A case record through the API (`record.read`) or the workbench page (`record.read`, via
`web`), an attachment or a served document (hub.services.documents), a grant read
(hub.services.sharing), an evidential bundle (`bundle.exported`). The entry goes to the
case's own chain, in a transaction the entrypoint opens for it and commits before the data
is answered: a read that cannot be recorded is not answered.
"""

from __future__ import annotations

from typing import Any

from hub.services.context import HubContext
from hub.services.principal import Principal
from hub.store import audit
from hub.store.unit_of_work import UnitOfWork


def record_read(
    ctx: HubContext,
    session: UnitOfWork,
    principal: Principal,
    no: str,
    *,
    via: str,
    action: str = "record.read",
    detail: dict[str, Any] | None = None,
) -> None:
    audit.append(
        session,
        chain=no,
        at=ctx.clock.now(),
        actor_role=principal.role,
        actor_party=principal.party,
        actor_login=principal.login,
        action=action,
        application_no=no,
        detail={"via": via, "token_id": principal.token_id, **(detail or {})},
    )
