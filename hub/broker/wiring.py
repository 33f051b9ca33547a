"""Connectors built from the settings, and which queues each `hub connector NAME` consumes."""

from __future__ import annotations

from dataclasses import dataclass

from connectors.amqp import AmqpCopyConnector
from connectors.base import Connector, RetryPolicy
from connectors.inbound import InboundConnector
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
from hub.broker.routes import Directory, Route
from hub.broker.settings import DeliverySettings
from hub.broker.topology import Topology
from hub.broker.worker import Subscription, outbox_handler
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


def build(
    ctx: HubContext,
    settings: DeliverySettings,
    directory: Directory,
    *,
    transport: WebhookTransport | None = None,
    sms: SmsGateway | None = None,
    mailer: Mailer | None = None,
) -> Connectors:
    policy = RetryPolicy(settings, ctx.clock)
    transport = transport or HttpClientTransport(settings.webhook_timeout)
    if sms is None:
        sms = HttpSmsGateway(settings.sms_url, settings.sms_key) if settings.sms_url else LogOnly()
    if mailer is None:
        mailer = (
            SmtpMailer(settings.smtp_host, settings.smtp_port, sender=settings.smtp_sender,
                       user=settings.smtp_user, password=settings.smtp_password,
                       starttls=settings.smtp_starttls)
            if settings.smtp_host else LogOnly()
        )
    return Connectors(
        webhook=WebhookConnector(ctx.vault, directory, transport, policy),
        portal=PortalConnector(ctx.vault, directory, transport, policy),
        notify=NotifyConnector(ctx, sms, mailer, policy),
        amqp=AmqpCopyConnector(ctx.vault, Topology(settings)),
    )


def subscriptions(
    ctx: HubContext,
    settings: DeliverySettings,
    names: list[str],
    connectors: Connectors,
    directory: Directory,
) -> list[Subscription]:
    topo = Topology(settings)
    wanted = set(NAMES) if "all" in names else set(names)
    unknown = wanted - set(NAMES)
    if unknown:
        raise ValueError(f"unknown connector(s): {', '.join(sorted(unknown))}")
    subs: list[Subscription] = []
    parties = directory.all()
    c = settings.party_concurrency
    if "webhook" in wanted:
        subs += [Subscription(topo.party_queue(p.id), outbox_handler(connectors.webhook),
                              "webhook", concurrency=c)
                 for p in parties if p.route is Route.WEBHOOK]
    if "amqp" in wanted:
        subs += [Subscription(topo.party_queue(p.id), outbox_handler(connectors.amqp), "amqp",
                              concurrency=c)
                 for p in parties if p.route is Route.AMQP]
    if "portal" in wanted and settings.portal_url:
        subs.append(Subscription(topo.party_queue("portal"), outbox_handler(connectors.portal),
                                 "portal", ordered=True))
    if "notify" in wanted:
        subs.append(Subscription(topo.party_queue(NOTIFY), outbox_handler(connectors.notify),
                                 "notify", concurrency=c))
    if "inbound" in wanted:
        subs.append(Subscription(topo.inbound_queue, InboundConnector(ctx), "inbound",
                                 concurrency=c))
    if "deadletters" in wanted:
        subs.append(Subscription(topo.dead_queue, DeadLetterRecorder(ctx), "deadletters",
                                 concurrency=2))
    return subs
