"""Status push-back to the portal (一网通办 / 随申办): every status change, in order per case.

The same signed POST as a webhook (`HUB_PORTAL_URL`, `HUB_PORTAL_SECRET`). Ordered: the
portal's queue is consumed one message at a time and a failed push is retried in place, so a
later status never overtakes an earlier one; the relay already publishes a case's messages
in order.

`HUB_PORTAL_URL` is the operator's own configuration, not a registry entry a unit can
request, and the city portal sits on the government network: its address is not held to
the registry's webhook rules (https, public addresses).
"""

from __future__ import annotations

from typing import Any

from connectors.webhook import WebhookConnector
from hub.services.webhook_targets import TargetPolicy

#: The operator configured the portal's URL: http and private addresses are theirs to choose.
OPERATOR_CONFIGURED = TargetPolicy(allow_http=True, allow_private=True)


class PortalConnector(WebhookConnector):
    name = "portal"
    ordered = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("targets", OPERATOR_CONFIGURED)
        super().__init__(*args, **kwargs)
