"""Connectors built from the settings, and which queues each `hub connector NAME` consumes."""

from __future__ import annotations

from dataclasses import dataclass

from connectors.amqp import AmqpCopyConnector
from connectors.inbound import InboundConnector
from connectors.journal import FlushingJournal, Journal
from connectors.notify import (
    HttpSmsGateway,
    LogOnly,
    Mailer,
    NotifyConnector,
    SmsGateway,
    SmtpMailer,
)
from connectors.portal import PortalConnector
from connectors.webhook import HttpClientTransport, WebhookConnector, WebhookTransport
from hub.broker.deadletters import DeadLetterRecorder
from hub.broker.topology import Topology
from hub.broker.worker import Handler, Subscription, outbox_handler
from hub.delivery.directory import Directory, Route
from hub.delivery.message import Delivery, Message
from hub.delivery.outcomes import Connector, Delivered, Outcome, RetryPolicy
from hub.delivery.settings import DeliverySettings
from hub.logsafety import bound, get_logger, message_facts
from hub.services.casework import NOTIFY
from hub.services.context import HubContext

NAMES = ("webhook", "portal", "notify", "amqp", "inbound", "deadletters")


@dataclass
class Connectors:
    webhook: WebhookConnector
    portal: PortalConnector
    notify: NotifyConnector
    amqp: AmqpCopyConnector

    def for_route(self, route: Route) -> Connector | None:
        return {
            Route.WEBHOOK: self.webhook,
            Route.PORTAL: self.portal,
            Route.NOTIFY: self.notify,
            Route.AMQP: self.amqp,
        }.get(route)

    def close(self) -> None:
        self.webhook.close()
        self.portal.close()
        self.notify.journal.close()  # the one journal over RabbitMQ: writes what it holds


log = get_logger("hub.delivery")


def build(
    ctx: HubContext,
    settings: DeliverySettings,
    directory: Directory,
    *,
    transport: WebhookTransport | None = None,
    sms: SmsGateway | None = None,
    mailer: Mailer | None = None,
    journal: Journal | None = None,
) -> Connectors:
    policy = RetryPolicy(settings, ctx.clock)
    transport = transport or HttpClientTransport(settings.webhook_timeout)
    if sms is None:
        sms = (
            HttpSmsGateway(settings.sms_url, settings.sms_key)
            if settings.sms_url
            else LogOnly("sms")
        )
    if mailer is None:
        mailer = (
            SmtpMailer(
                settings.smtp_host,
                settings.smtp_port,
                sender=settings.smtp_sender,
                user=settings.smtp_user,
                password=settings.smtp_password,
                starttls=settings.smtp_starttls,
            )
            if settings.smtp_host
            else LogOnly("mail")
        )
    # A copy of an answered message can come back: over RabbitMQ a connection broken before
    # its ack or a relay killed before its mark; in process a relay session that ended
    # while the first copy was still in a connector's hands. Webhooks ask the journal
    # first (connectors.journal); the embedded default passes its BufferedJournal.
    answered = journal or (FlushingJournal(ctx) if settings.amqp_url else None)
    return Connectors(
        webhook=WebhookConnector(ctx.vault, directory, transport, policy, journal=answered),
        portal=PortalConnector(ctx.vault, directory, transport, policy, journal=answered),
        notify=NotifyConnector(ctx, sms, mailer, policy, answered),
        amqp=AmqpCopyConnector(ctx.vault, Topology(settings).out_exchange),
    )


def party_handler(connectors: Connectors, directory: Directory) -> Handler:
    """A party queue's messages, each to the connector of the party's route *now*: a party
    whose delivery kind changed while its queue held messages gets them the new way, and
    one that now reads its feed finds them there (the feed serves every outbox row)."""

    def handle(d: Delivery) -> Outcome:
        message = Message.from_delivery(d.routing_key, d.properties, d.body, d.redelivered)
        with bound(**message_facts(message)):
            connector = connectors.for_route(directory.party(message.destination).route)
            if connector is None:
                return Delivered("the party reads its feed")
            outcome = connector.handle(message)
            log.debug("delivery handled", outcome=type(outcome).__name__)
            return outcome

    return handle


def subscriptions(
    ctx: HubContext,
    settings: DeliverySettings,
    names: list[str],
    connectors: Connectors,
    directory: Directory,
) -> list[Subscription]:
    """What `hub connector NAMES` consumes, for the registry as it is now."""
    return RegistryPlan(ctx, settings, names, connectors, directory)()


class RegistryPlan:
    """The subscriptions of `hub connector NAMES`, following the registry: asked again by
    the worker every second, it recomputes them when the registry's revision has moved, so
    a new webhook or AMQP party is consumed, and one whose delivery kind changed is consumed
    by its new connector, within seconds of the change on any node, without a restart. A
    party that turned to the pull feed keeps its consumer while this process runs, so what
    its queue still held is acknowledged as served by the feed rather than left behind."""

    def __init__(
        self,
        ctx: HubContext,
        settings: DeliverySettings,
        names: list[str],
        connectors: Connectors,
        directory: Directory,
    ) -> None:
        wanted = set(NAMES) if "all" in names else set(names)
        unknown = wanted - set(NAMES)
        if unknown:
            raise ValueError(f"unknown connector(s): {', '.join(sorted(unknown))}")
        self.ctx = ctx
        self.settings = settings
        self.wanted = wanted
        self.connectors = connectors
        self.directory = directory
        self.topology = Topology(settings)
        self._handler = party_handler(connectors, directory)
        self._fixed = self._fixed_subscriptions()
        self._parties: dict[str, Subscription] = {}
        self._current: list[Subscription] | None = None
        self._revision: int | None = None

    def __call__(self) -> list[Subscription]:
        self.directory.check()  # anyone sharing the directory may have seen the move first
        revision = self.directory.watch.seen
        if self._current is None or revision != self._revision:
            self._revision = revision
            self._current = self._fixed + self._party_subscriptions()
        return self._current

    def _party_subscriptions(self) -> list[Subscription]:
        routes = {Route.WEBHOOK: "webhook", Route.AMQP: "amqp"}
        now: dict[str, Subscription] = {}
        for p in self.directory.all():
            name = routes.get(p.route)
            if name in self.wanted:
                now[p.id] = self._party(p.id, name, p.route is Route.AMQP)
            elif p.route is Route.FEED and p.id in self._parties:
                now[p.id] = self._parties[p.id]  # drains to the feed while we run
        self._parties = now
        return list(now.values())

    def _party(self, party: str, name: str, amqp_out: bool) -> Subscription:
        known = self._parties.get(party)
        if known is not None and known.name == name:
            return known
        topology = self.topology
        return Subscription(
            topology.party_queue(party),
            self._handler,
            name,
            concurrency=self.settings.party_concurrency,
            declare=lambda channel: topology.declare_party(channel, party, amqp_out=amqp_out),
        )

    def _fixed_subscriptions(self) -> list[Subscription]:
        topo, settings, c = self.topology, self.settings, self.settings.party_concurrency
        subs: list[Subscription] = []
        if "portal" in self.wanted and settings.portal_url:
            subs.append(
                Subscription(
                    topo.party_queue("portal"),
                    outbox_handler(self.connectors.portal),
                    "portal",
                    ordered=True,
                )
            )
        if "notify" in self.wanted:
            subs.append(
                Subscription(
                    topo.party_queue(NOTIFY),
                    outbox_handler(self.connectors.notify),
                    "notify",
                    concurrency=c,
                )
            )
        if "inbound" in self.wanted:
            subs.append(
                Subscription(
                    topo.inbound_queue, InboundConnector(self.ctx), "inbound", concurrency=c
                )
            )
        if "deadletters" in self.wanted:
            subs.append(
                Subscription(
                    topo.dead_queue, DeadLetterRecorder(self.ctx), "deadletters", concurrency=2
                )
            )
        return subs
