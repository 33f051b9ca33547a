"""Exchanges and queues, as data and as code: one description, two uses.

`Topology.definitions(parties)` is the RabbitMQ definitions document (importable with
`rabbitmqctl import_definitions` or the management UI) and `Topology.declare(channel,
parties)` declares exactly the same objects through pika, idempotently.

    {p}.delivery  direct   the relay publishes each outbox row with routing key = party id
    {p}.q.<party> quorum   one durable queue per destination party; a delivery limit, then
                           dead-lettered (at-least-once) to {p}.dead
    {p}.retry     headers  a failed delivery goes here with header hub-retry-tier (a name
                           without "x-": a headers exchange ignores x- arguments of a
                           binding, so such a binding matched every message, and each retry
                           went to every tier and came back once from each)
    {p}.retry.<t> quorum   waits its TTL (growing per tier), then dead-letters back to
                           {p}.delivery with its original routing key: back in its party's queue
    {p}.dead      fanout   dead letters, from the broker (delivery limit) and the connectors
    {p}.dead      quorum   the dead-letter queue, recorded in the database by `deadletters`
    {p}.inbound   topic    parties that publish their events on the broker (routing key
                           events.<party>), consumed by the `inbound` connector
    {p}.out       direct   party-facing copies for parties whose delivery kind is amqp
    {p}.out.<party> quorum the queue such a party reads

The delivery limit, dead-lettering, overflow and the tiers' TTL are RabbitMQ policies
(`policies()`, written by `hub broker setup`, `hub.broker.policies`), so they change in
place; the queues carry only their type. `DeliverySettings.limits = "arguments"` puts them
on the queues instead, for a broker where the hub can set no policy (and they cannot be
changed there without deleting the queues).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from hub.broker.policies import Policy, PolicyWriter
from hub.delivery.settings import DeliverySettings
from hub.domain import destinations

QUORUM = {"x-queue-type": "quorum"}
#: The header a retry copy carries to pick its tier queue.
RETRY_TIER = "hub-retry-tier"
#: The name before it: bindings on it matched every message, so `declare` removes them.
LEGACY_RETRY_TIER = "x-retry-tier"
INBOUND_QUEUE = "inbound"
VHOST = "/"


def _queue_part(destination: str) -> str:
    kind, ident = destinations.split(destination)
    if kind in (None, destinations.INSTITUTION, destinations.HUB):
        return ident  # institutions (whose ids the hub's names never are), notify
    if kind == destinations.PORTAL:
        return "portal"
    return f"{kind}.{ident}"


def tier_name(seconds: float) -> str:
    if seconds < 1 or seconds != int(seconds):
        return f"{round(seconds * 1000)}ms"
    return f"{int(seconds)}s"


@dataclass(frozen=True)
class Exchange:
    name: str
    type: str

    def as_definition(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "vhost": VHOST,
            "type": self.type,
            "durable": True,
            "auto_delete": False,
            "internal": False,
            "arguments": {},
        }


@dataclass(frozen=True)
class Queue:
    name: str
    arguments: dict[str, Any]

    def as_definition(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "vhost": VHOST,
            "durable": True,
            "auto_delete": False,
            "arguments": dict(self.arguments),
        }


@dataclass(frozen=True)
class Binding:
    source: str
    destination: str
    routing_key: str = ""
    arguments: dict[str, Any] | None = None

    def as_definition(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "vhost": VHOST,
            "destination": self.destination,
            "destination_type": "queue",
            "routing_key": self.routing_key,
            "arguments": dict(self.arguments or {}),
        }


class Topology:
    def __init__(self, settings: DeliverySettings) -> None:
        self.settings = settings
        p = settings.prefix
        self.delivery_exchange = f"{p}.delivery"
        self.retry_exchange = f"{p}.retry"
        self.dead_exchange = f"{p}.dead"
        self.dead_queue = f"{p}.dead"
        self.inbound_exchange = f"{p}.inbound"
        self.inbound_queue = f"{p}.{INBOUND_QUEUE}"
        self.out_exchange = f"{p}.out"

    # names
    def party_queue(self, party: str) -> str:
        """A destination's queue: the names of older builds are kept (`hub.q.<institution
        id>`, `hub.q.notify`, one `hub.q.portal` for every portal), the routing key is the
        qualified destination (`hub.domain.destinations`)."""
        return f"{self.settings.prefix}.q.{_queue_part(party)}"

    def out_queue(self, party: str) -> str:
        return f"{self.settings.prefix}.out.{_queue_part(party)}"

    def retry_queue(self, seconds: float) -> str:
        return f"{self.settings.prefix}.retry.{tier_name(seconds)}"

    def tier_for(self, delay: float) -> float:
        """The smallest tier that holds `delay` (the largest if none does)."""
        for t in self.settings.retry_delays:
            if delay <= t:
                return t
        return self.settings.retry_delays[-1]

    # limits: policies (default) or queue arguments
    @property
    def by_policy(self) -> bool:
        return self.settings.limits != "arguments"

    def _limits(self) -> dict[str, Any]:
        return {
            "delivery-limit": self.settings.delivery_limit,
            "dead-letter-exchange": self.dead_exchange,
            "dead-letter-strategy": "at-least-once",
            "overflow": "reject-publish",
        }

    def _tier_limits(self, seconds: float) -> dict[str, Any]:
        return {
            "message-ttl": int(seconds * 1000),
            "dead-letter-exchange": self.delivery_exchange,
            "dead-letter-strategy": "at-least-once",
            "overflow": "reject-publish",
        }

    def _arguments(self, limits: dict[str, Any]) -> dict[str, Any]:
        if self.by_policy:
            return dict(QUORUM)
        return {**QUORUM, **{f"x-{k}": v for k, v in limits.items()}}

    def policies(self) -> list[Policy]:
        """One policy per kind of queue, matching this prefix's queues alone."""
        p = re.escape(self.settings.prefix)
        out = [
            Policy(
                f"{self.settings.prefix}.parties",
                rf"^{p}\.(q\..+|{INBOUND_QUEUE})$",
                self._limits(),
            ),
            Policy(
                f"{self.settings.prefix}.out", rf"^{p}\.out\..+$", {"overflow": "reject-publish"}
            ),
        ]
        for t in self.settings.retry_delays:
            tier = re.escape(tier_name(t))
            out.append(Policy(self.retry_queue(t), rf"^{p}\.retry\.{tier}$", self._tier_limits(t)))
        return out

    def apply_policies(self, writer: PolicyWriter) -> None:
        if self.by_policy:
            writer.apply(self.policies())

    # objects
    def _limited(self) -> dict[str, Any]:
        return self._arguments(self._limits())

    def base(self) -> tuple[list[Exchange], list[Queue], list[Binding]]:
        exchanges = [
            Exchange(self.delivery_exchange, "direct"),
            Exchange(self.retry_exchange, "headers"),
            Exchange(self.dead_exchange, "fanout"),
            Exchange(self.inbound_exchange, "topic"),
            Exchange(self.out_exchange, "direct"),
        ]
        queues = [Queue(self.dead_queue, dict(QUORUM)), Queue(self.inbound_queue, self._limited())]
        bindings = [
            Binding(self.dead_exchange, self.dead_queue),
            Binding(self.inbound_exchange, self.inbound_queue, "events.*"),
        ]
        for t in self.settings.retry_delays:
            name = self.retry_queue(t)
            queues.append(Queue(name, self._arguments(self._tier_limits(t))))
            bindings.append(
                Binding(self.retry_exchange, name, "", {"x-match": "all", RETRY_TIER: tier_name(t)})
            )
        return exchanges, queues, bindings

    def for_party(self, party: str, *, amqp_out: bool = False) -> tuple[list[Queue], list[Binding]]:
        queues = [Queue(self.party_queue(party), self._limited())]
        bindings = [Binding(self.delivery_exchange, self.party_queue(party), party)]
        if amqp_out:
            queues.append(
                Queue(self.out_queue(party), self._arguments({"overflow": "reject-publish"}))
            )
            bindings.append(Binding(self.out_exchange, self.out_queue(party), party))
        return queues, bindings

    def objects(
        self, parties: list[str], amqp_parties: frozenset[str] = frozenset()
    ) -> tuple[list[Exchange], list[Queue], list[Binding]]:
        exchanges, queues, bindings = self.base()
        for party in sorted(set(parties)):
            q, b = self.for_party(party, amqp_out=party in amqp_parties)
            queues += q
            bindings += b
        return exchanges, queues, bindings

    def definitions(
        self, parties: list[str], amqp_parties: frozenset[str] = frozenset()
    ) -> dict[str, Any]:
        exchanges, queues, bindings = self.objects(parties, amqp_parties)
        return {
            "rabbit_version": "3.10.0",
            "vhosts": [{"name": VHOST}],
            "policies": [p.as_definition() for p in self.policies()] if self.by_policy else [],
            "exchanges": [e.as_definition() for e in exchanges],
            "queues": [q.as_definition() for q in queues],
            "bindings": [b.as_definition() for b in bindings],
        }

    # declaration (pika BlockingChannel)
    def declare(
        self, channel: Any, parties: list[str], amqp_parties: frozenset[str] = frozenset()
    ) -> None:
        exchanges, queues, bindings = self.objects(parties, amqp_parties)
        self._declare(channel, exchanges, queues, bindings)
        for t in self.settings.retry_delays:  # unbinding what is not bound is a no-op
            channel.queue_unbind(
                self.retry_queue(t),
                self.retry_exchange,
                arguments={"x-match": "all", LEGACY_RETRY_TIER: tier_name(t)},
            )

    def declare_party(self, channel: Any, party: str, *, amqp_out: bool = False) -> None:
        queues, bindings = self.for_party(party, amqp_out=amqp_out)
        self._declare(channel, [], queues, bindings)

    @staticmethod
    def _declare(
        channel: Any, exchanges: list[Exchange], queues: list[Queue], bindings: list[Binding]
    ) -> None:
        for e in exchanges:
            channel.exchange_declare(e.name, e.type, durable=True)
        for q in queues:
            channel.queue_declare(q.name, durable=True, arguments=q.arguments)
        for b in bindings:
            channel.queue_bind(
                b.destination, b.source, routing_key=b.routing_key or None, arguments=b.arguments
            )

    def teardown(self, channel: Any, parties: list[str]) -> None:
        """Tests only: delete what `declare` made for these parties."""
        exchanges, queues, _ = self.objects(parties, frozenset(parties))
        for q in queues:
            channel.queue_delete(q.name)
        for e in exchanges:
            channel.exchange_delete(e.name)
