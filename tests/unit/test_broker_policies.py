"""The delivery limit, dead-lettering, overflow and the tiers' TTL as RabbitMQ policies;
one reading of a cluster's HUB_AMQP_URL into pika parameters."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from hub.broker.memory import MemoryBroker
from hub.broker.policies import Policy, effective_arguments
from hub.broker.topology import QUORUM, Topology
from hub.broker.transport import MemoryTransport, connection_parameters
from hub.delivery.settings import DeliverySettings

SETTINGS = DeliverySettings(prefix="hubx", delivery_limit=4, retry_delays=(0.5, 2.0))


def _policy_for(policies: list[Policy], queue: str) -> Policy | None:
    matching = [p for p in policies if re.search(p.pattern, queue)]
    assert len(matching) <= 1, (queue, matching)  # one policy a queue: no priority games
    return matching[0] if matching else None


def test_queues_carry_only_their_type_and_policies_carry_the_limits() -> None:
    topo = Topology(SETTINGS)
    _, queues, _ = topo.objects(["pm-a", "portal"], frozenset({"pm-a"}))
    assert {q.name for q in queues} >= {"hubx.q.pm-a", "hubx.out.pm-a", "hubx.retry.500ms"}
    assert all(q.arguments == QUORUM for q in queues)
    policies = topo.policies()
    party = _policy_for(policies, "hubx.q.pm-a")
    assert party is not None and party.definition == {
        "delivery-limit": 4,
        "dead-letter-exchange": "hubx.dead",
        "dead-letter-strategy": "at-least-once",
        "overflow": "reject-publish",
    }
    assert _policy_for(policies, "hubx.inbound") == party
    tier = _policy_for(policies, "hubx.retry.2s")
    assert tier is not None and tier.definition["message-ttl"] == 2000
    assert tier.definition["dead-letter-exchange"] == "hubx.delivery"
    out = _policy_for(policies, "hubx.out.pm-a")
    assert out is not None and out.definition == {"overflow": "reject-publish"}
    # the dead-letter queue keeps every letter; another prefix's queues are not touched
    for other in ("hubx.dead", "hub.q.pm-a", "hubxy.q.pm-a", "hubx.retry.2s.old"):
        assert _policy_for(policies, other) is None, other
    doc = topo.definitions(["pm-a"])
    assert [p["name"] for p in doc["policies"]] == [p.name for p in policies]


def test_arguments_mode_puts_the_limits_on_the_queues_and_writes_no_policy() -> None:
    topo = Topology(replace(SETTINGS, limits="arguments"))
    _, queues, _ = topo.objects(["pm-a"])
    party = next(q for q in queues if q.name == "hubx.q.pm-a")
    assert party.arguments["x-delivery-limit"] == 4
    assert party.arguments["x-dead-letter-exchange"] == "hubx.dead"
    assert topo.definitions(["pm-a"])["policies"] == []


def test_a_queues_own_arguments_win_except_the_lower_delivery_limit() -> None:
    policy = Policy("p", r"^q$", {"delivery-limit": 5, "dead-letter-exchange": "d"})
    assert effective_arguments([policy], "q", {}) == {
        "x-delivery-limit": 5,
        "x-dead-letter-exchange": "d",
    }
    own = {"x-delivery-limit": 9, "x-dead-letter-exchange": "mine"}
    assert effective_arguments([policy], "q", own) == {
        "x-delivery-limit": 5,
        "x-dead-letter-exchange": "mine",
    }
    assert effective_arguments([policy], "other", {}) == {}


def test_the_in_process_broker_applies_a_changed_policy_in_place() -> None:
    broker = MemoryBroker()
    try:
        topo = Topology(SETTINGS)
        writer = MemoryTransport(broker).policy_writer()
        assert writer is not None
        topo.apply_policies(writer)
        broker.declare_queue("hubx.q.pm-a", dict(QUORUM), passive=False)
        assert broker.queue("hubx.q.pm-a").arguments["x-delivery-limit"] == 4
        topo2 = Topology(replace(SETTINGS, delivery_limit=2))
        topo2.apply_policies(writer)  # the operator's change: no queue is declared again
        assert broker.queue("hubx.q.pm-a").arguments["x-delivery-limit"] == 2
        assert broker.queue("hubx.q.pm-a").arguments["x-dead-letter-exchange"] == "hubx.dead"
    finally:
        broker.close()


def test_a_cluster_url_is_read_once_into_one_parameter_set_per_node() -> None:
    url = "amqp://hub:s3cret@10.0.0.1:5672/%2F, 10.0.0.2:5673 ,amqps://x:y@10.0.0.3:5671/prod"
    settings = replace(SETTINGS, amqp_url=url, heartbeat=7)
    params = connection_parameters(settings, "test", timeout=3)
    assert [(p.host, p.port) for p in params] == [
        ("10.0.0.1", 5672),
        ("10.0.0.2", 5673),
        ("10.0.0.3", 5671),
    ]
    # a node given as host:port takes the first node's credentials and vhost
    assert params[1].credentials.username == "hub" and params[1].credentials.password == "s3cret"
    assert params[1].virtual_host == "/" and params[2].virtual_host == "prod"
    assert all(p.heartbeat == 7 and p.connection_attempts == 1 for p in params)
    rotated = connection_parameters(settings, "test", start=1)
    assert [p.host for p in rotated] == ["10.0.0.2", "10.0.0.3", "10.0.0.1"]
    with pytest.raises(ValueError):
        connection_parameters(replace(SETTINGS, amqp_url=" , "), "test")
