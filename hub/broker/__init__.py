"""The hub's AMQP plumbing (RabbitMQ, pika): topology, the outbox relay, consumers.

topology   exchanges and queues, declared idempotently (`hub broker setup`)
relay      outbox rows -> RabbitMQ with asynchronous publisher confirms (`hub relay`)
worker     consumes party queues and hands each message to a connector (`hub connector`)
embedded   no broker: the same outbox drained in-process into the same connectors
routes     which connector serves which destination
deadletters listing and replaying what could not be delivered
"""
