"""Parties that read AMQP: the opened envelope is copied to the party's own queue.

The hub's internal queues carry the sealed envelope; `{prefix}.out.<party>` carries the
INTERFACE 8 envelope in clear JSON for that party alone (its RabbitMQ user may read only
that queue).
"""

from __future__ import annotations

from connectors.base import Connector, Forward, Outcome
from hub import jsonutil
from hub.broker.message import Message
from hub.broker.topology import Topology
from hub.vault import Vault


class AmqpCopyConnector(Connector):
    name = "amqp"

    def __init__(self, vault: Vault, topology: Topology) -> None:
        self.vault = vault
        self.topology = topology

    def handle(self, message: Message) -> Outcome:
        body = jsonutil.dumps(message.envelope(self.vault)).encode()
        return Forward(self.topology.out_exchange, message.destination, body,
                       {"x-hub-message-type": message.type})
