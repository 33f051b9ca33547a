"""Status push-back to the portal (一网通办 / 随申办): every status change, in order per case.

The same signed POST as a webhook (`HUB_PORTAL_URL`, `HUB_PORTAL_SECRET`). Ordered: the
portal's queue is consumed one message at a time and a failed push is retried in place, so a
later status never overtakes an earlier one; the relay already publishes a case's messages
in order.
"""

from __future__ import annotations

from connectors.webhook import WebhookConnector


class PortalConnector(WebhookConnector):
    name = "portal"
    ordered = True
