"""Which connector serves which destination, from the registry (cached, refreshed).

    institution with delivery webhook -> webhook connector (signed POST)
    institution with delivery amqp    -> amqp connector (copied to the party's own queue)
    institution with delivery feed    -> nothing to push: the party pulls GET /v1/feed
    "notify"                          -> notify connector (SMS and e-mail to applicants)
    any other destination             -> a portal: portal connector if HUB_PORTAL_URL is set,
                                         else the portal pulls its feed
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import select

from hub.broker.settings import DeliverySettings
from hub.services.casework import NOTIFY
from hub.services.context import HubContext
from hub.services.registry import open_secret
from hub.store.models import Institution


class Route(StrEnum):
    WEBHOOK = "webhook"
    AMQP = "amqp"
    FEED = "feed"
    NOTIFY = "notify"
    PORTAL = "portal"


@dataclass(frozen=True)
class Party:
    id: str
    route: Route
    url: str | None = None
    secret: str | None = None

    @property
    def pushed(self) -> bool:
        """False for pull-feed parties: the relay marks their rows without publishing."""
        return self.route is not Route.FEED


class Directory:
    def __init__(self, ctx: HubContext, settings: DeliverySettings, ttl: float = 30.0) -> None:
        self.ctx = ctx
        self.settings = settings
        self.ttl = ttl
        self._parties: dict[str, Party] = {}
        self._loaded = 0.0
        self._lock = threading.Lock()

    def refresh(self) -> None:
        parties: dict[str, Party] = {}
        with self.ctx.db.read() as session:
            for inst in session.exec(select(Institution)).all():
                kind = (inst.delivery or {}).get("kind", "feed")
                route = Route(kind) if kind in ("webhook", "amqp", "feed") else Route.FEED
                if route is Route.WEBHOOK and not inst.delivery.get("url"):
                    route = Route.FEED
                parties[inst.id] = Party(inst.id, route, inst.delivery.get("url"),
                                         open_secret(self.ctx, inst))
        with self._lock:
            self._parties = parties
            self._loaded = time.monotonic()

    def party(self, destination: str) -> Party:
        if time.monotonic() - self._loaded > self.ttl:
            self.refresh()
        with self._lock:
            found = self._parties.get(destination)
        if found is not None:
            return found
        if destination == NOTIFY:
            return Party(destination, Route.NOTIFY)
        if self.settings.portal_url:
            return Party(destination, Route.PORTAL, self.settings.portal_url,
                         self.settings.portal_secret)
        return Party(destination, Route.FEED)

    def all(self) -> list[Party]:
        self.refresh()
        with self._lock:
            return list(self._parties.values())

    def pushed_destinations(self, *, everyone: bool = False) -> tuple[list[str], frozenset[str]]:
        """Destinations that get a broker queue, and those that also get a party-facing queue.

        Pull-feed parties need no queue; `everyone` declares one for them too, so a party
        can later switch to webhook delivery without a topology change.
        """
        parties = [p for p in self.all() if p.pushed or everyone]
        names = [p.id for p in parties] + [NOTIFY]
        if self.settings.portal_url:
            names.append("portal")
        return names, frozenset(p.id for p in parties if p.route is Route.AMQP)
