"""Parties that read AMQP: the opened envelope is copied to the party's own queue.

The hub's internal queues carry the sealed envelope; `{prefix}.out.<party>` carries the
INTERFACE 8 envelope in clear JSON for that party alone (its RabbitMQ user may read only
that queue).
"""

from __future__ import annotations

from hub import jsonutil
from hub.delivery.message import Message
from hub.delivery.outcomes import Connector, Forward, Outcome
from hub.vault import Vault


class AmqpCopyConnector(Connector):
    name = "amqp"

    def __init__(self, vault: Vault, out_exchange: str) -> None:
        self.vault = vault
        self.out_exchange = out_exchange

    def handle(self, message: Message) -> Outcome:
        body = jsonutil.dumps(message.envelope(self.vault)).encode()
        return Forward(
            self.out_exchange, message.destination, body, {"x-hub-message-type": message.type}
        )
