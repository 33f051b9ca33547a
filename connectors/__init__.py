"""Workers between the hub's outbox (through RabbitMQ, or in-process) and outside systems.

Each outside system sits behind one small port with an in-memory fake beside it:

    base      Connector, the outcomes (Delivered, Retry, Dead, Forward), RetryPolicy
    webhook   signed POST to an institution, court or commission (WebhookTransport)
    portal    status push-back to the portal, in order per case
    notify    notices to applicants: SMTP e-mail (Mailer) and SMS (SmsGateway)
    amqp      copies for parties that read their own AMQP queue
    inbound   events and referral results that parties publish on the broker
    receiver  a reference webhook receiver (signature check, repeats dropped)
"""
