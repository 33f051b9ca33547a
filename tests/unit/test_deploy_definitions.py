"""`deploy/rabbitmq/definitions.json` is what `hub broker setup --definitions` writes for the
demo registry (every party, the portal): the file operators import cannot drift from the code."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from hub.broker.topology import RETRY_TIER, Topology
from hub.delivery.settings import DeliverySettings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def _demo_definitions() -> dict[str, object]:
    registry = yaml.safe_load((DEPLOY / "registry" / "demo.yaml").read_text(encoding="utf-8"))
    parties = [i["id"] for i in registry["institutions"]] + ["notify", "portal"]
    amqp = frozenset(
        i["id"] for i in registry["institutions"] if (i.get("delivery") or {}).get("kind") == "amqp"
    )
    return Topology(DeliverySettings()).definitions(parties, amqp)


def test_the_deployed_definitions_are_the_topology_of_the_demo_registry() -> None:
    on_disk = json.loads((DEPLOY / "rabbitmq" / "definitions.json").read_text(encoding="utf-8"))
    assert on_disk == _demo_definitions()


def test_retry_tiers_are_bound_on_a_header_a_headers_exchange_matches() -> None:
    """A headers exchange ignores binding arguments named x-...: a tier bound on one took
    every retry, so each retry went to every tier and came back once from each."""
    doc = _demo_definitions()
    tiers = [b for b in doc["bindings"] if b["source"] == "hub.retry"]  # type: ignore[index]
    assert len(tiers) == len(DeliverySettings().retry_delays)
    for b in tiers:
        matched = {k for k in b["arguments"] if k != "x-match"}
        assert matched == {RETRY_TIER} and not RETRY_TIER.startswith("x-")
