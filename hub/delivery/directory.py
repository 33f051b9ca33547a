"""Which connector serves which destination, by the kind of party first
(`hub.domain.destinations`), then for institutions from the registry (cached, refreshed).

institution:<id>, delivery webhook -> webhook connector (signed POST)
institution:<id>, delivery amqp    -> amqp connector (copied to the party's own queue)
institution:<id>, delivery feed    -> nothing to push: the party pulls GET /v1/feed
hub:notify                         -> notify connector (SMS and e-mail to applicants)
portal:<id>                        -> portal connector if HUB_PORTAL_URL is set, else the
                                      portal pulls its feed
unit:<id>, hub:admin               -> their feed
A registry entry can only ever be an institution: it never claims `hub:notify` or a portal's
messages, whatever its id. A bare destination (a message an older build put on the broker)
is read as the older build did, except that `notify` is the hub's first.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from enum import StrEnum

from sqlmodel import select

from hub.delivery.settings import DeliverySettings
from hub.domain import destinations
from hub.services.casework import NOTIFY
from hub.services.context import HubContext
from hub.services.registry import open_secret
from hub.services.registry_cache import CHECK_EVERY, RevisionWatch
from hub.store import registry_revision
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
    """Who is pushed how, from the registry; reloaded when the registry's revision moves
    (read at most every `check_every` seconds), so a change approved on any node reaches
    the relays and connectors of every node within about that long."""

    def __init__(
        self, ctx: HubContext, settings: DeliverySettings, check_every: float = CHECK_EVERY
    ) -> None:
        self.ctx = ctx
        self.settings = settings
        self.watch = RevisionWatch(check_every)
        self._parties: dict[str, Party] = {}
        self._lock = threading.Lock()

    def _revision(self) -> int:
        with self.ctx.db.read_engine.connect() as conn:  # SQLite: beside the writer
            revision = registry_revision.read(conn)
            conn.rollback()
        return revision

    def check(self) -> bool:
        """Reload if the registry changed since the last look; True if it did."""
        if not self.watch.moved(self._revision):
            return False
        self.refresh()
        return True

    def refresh(self) -> None:
        parties: dict[str, Party] = {}
        with self.ctx.db.read() as session:
            for inst in session.exec(select(Institution)).all():
                kind = (inst.delivery or {}).get("kind", "feed")
                route = Route(kind) if kind in ("webhook", "amqp", "feed") else Route.FEED
                if route is Route.WEBHOOK and not inst.delivery.get("url"):
                    route = Route.FEED
                if route is Route.AMQP and not self.settings.amqp_url:
                    route = Route.FEED  # no broker a party could read: it reads its feed
                at = destinations.institution(inst.id)
                parties[at] = Party(
                    at, route, inst.delivery.get("url"), open_secret(self.ctx, inst)
                )
        with self._lock:
            self._parties = parties

    def party(self, destination: str) -> Party:
        kind, ident = destinations.split(destination)
        if destination == NOTIFY or (kind is None and ident == "notify"):
            return Party(destination, Route.NOTIFY)
        if kind in (destinations.UNIT, destinations.HUB):
            return Party(destination, Route.FEED)  # they pull their feed
        self.check()
        with self._lock:
            found = self._parties.get(destinations.institution(ident))
        if found is not None and kind in (destinations.INSTITUTION, None):
            return replace(found, id=destination)
        if kind == destinations.INSTITUTION:
            return Party(destination, Route.FEED)  # not (or no longer) in the registry
        if self.settings.portal_url:
            return Party(
                destination, Route.PORTAL, self.settings.portal_url, self.settings.portal_secret
            )
        return Party(destination, Route.FEED)

    def all(self) -> list[Party]:
        self.check()
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
            names.append(destinations.portal("portal"))
        return names, frozenset(p.id for p in parties if p.route is Route.AMQP)
