"""Every page of `/web/`, by audience: citizens (`public`), signing in (`signin`), the
institution workbench (`workbench`) and the console for units, the justice bureau and admins
(`hub.web.console`). Mounted by `hub.api.app` beside the API's routes."""

from __future__ import annotations

from starlette.routing import BaseRoute

from hub.web import public, signin, workbench
from hub.web.console import (
    alerts,
    complaints,
    deadletters,
    grants,
    help,
    overdue,
    registry,
    stats,
    today,
    undeliverable,
    workorders,
)

CONSOLE = [
    today,
    overdue,
    undeliverable,
    deadletters,
    registry,
    complaints,
    workorders,
    stats,
    alerts,
    help,
    grants,
]

routes: list[BaseRoute] = [
    *public.routes,
    *signin.routes,
    *workbench.routes,
    *(route for module in CONSOLE for route in module.routes),
]
