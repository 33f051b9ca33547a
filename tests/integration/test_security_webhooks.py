"""Webhook targets (issue 12, item 9): https and public addresses, checked at registry load,
at a registry change and its approval, and again before every delivery; the timestamp is
signed with the body."""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlmodel import func, select
from starlette.testclient import TestClient

from connectors.receiver import Receiver, ReceiverServer
from connectors.webhook import (
    FakeTransport,
    HttpClientTransport,
    WebhookConnector,
    WebhookTransport,
    post_signed,
)
from hub.api.app import create_app
from hub.bootstrap import build_vault
from hub.clock import SystemClock
from hub.delivery.directory import Party, Route
from hub.delivery.message import Message
from hub.delivery.outcomes import Dead, Delivered, RetryPolicy
from hub.delivery.settings import DeliverySettings
from hub.services.errors import Invalid
from hub.services.registry import load
from hub.services.webhook_targets import TargetPolicy
from hub.store.models import Institution
from hub.store.models_ops import RegistryChange
from tests.integration.ops_support import sh, small_hub
from tests.support.api import SMALL_REGISTRY, issue_token

SECRET = "s3cret-s3cret-s3cret-0001"


@pytest.fixture(autouse=True)
def strict(monkeypatch: pytest.MonkeyPatch) -> None:
    """Production rules: neither http nor private addresses allowed."""
    monkeypatch.delenv("HUB_WEBHOOK_ALLOW_HTTP", raising=False)
    monkeypatch.delenv("HUB_WEBHOOK_ALLOW_PRIVATE", raising=False)


def _registry_with(tmp_path: Path, url: str) -> Path:
    data = yaml.safe_load(SMALL_REGISTRY.read_text(encoding="utf-8"))
    data["institutions"][0]["delivery"] = {"kind": "webhook", "url": url, "secret": SECRET}
    path = tmp_path / "registry.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "https://169.254.169.254/latest/meta-data/",
        "https://127.0.0.1:5432/",
        "https://10.0.0.8/hook",
        "http://pm-a.example/hook",
        "https://localhost/hook",
    ],
)
def test_registry_load_refuses_a_target_and_changes_nothing(
    sqlite_url: str, tmp_path: Path, url: str
) -> None:
    ctx = small_hub(sqlite_url, tmp_path, sh(2026, 3, 1, 10))
    try:
        with ctx.db.read() as s:
            before = s.get(Institution, "pm-a")
            assert before is not None
            delivery_before = dict(before.delivery)
        with pytest.raises(Invalid) as refused:
            ctx.db.run(lambda s: load(ctx, s, _registry_with(tmp_path, url)))
        assert [e.pointer for e in refused.value.errors] == ["/institutions/0/delivery/url"]
        with ctx.db.read() as s:
            after = s.get(Institution, "pm-a")
            assert after is not None and after.delivery == delivery_before
    finally:
        ctx.db.dispose()


def test_registry_load_accepts_a_public_https_target(sqlite_url: str, tmp_path: Path) -> None:
    ctx = small_hub(sqlite_url, tmp_path, sh(2026, 3, 1, 10))
    try:
        ctx.db.run(lambda s: load(ctx, s, _registry_with(tmp_path, "https://pm-a.example/hook")))
        with ctx.db.read() as s:
            inst = s.get(Institution, "pm-a")
            assert inst is not None and inst.delivery["url"] == "https://pm-a.example/hook"
    finally:
        ctx.db.dispose()


def _change(url: str) -> dict[str, Any]:
    return {
        "action": "update",
        "institution": "pm-a",
        "reason": "新的接收地址",
        "data": {"delivery": {"kind": "webhook", "url": url, "secret": SECRET}},
    }


def test_a_registry_change_is_checked_at_request_and_again_at_approval(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = small_hub(database_url, tmp_path, sh(2026, 3, 1, 10))
    sfj = {"Authorization": f"Bearer {issue_token(ctx, 'unit', 'sfj')}"}
    admin = {"Authorization": f"Bearer {issue_token(ctx, 'admin')}"}
    try:
        with TestClient(create_app(ctx)) as c:
            r = c.post("/v1/registry/changes", headers=sfj, json=_change("https://10.1.1.1/h"))
            assert r.status_code == 422, r.text
            assert [e["pointer"] for e in r.json()["errors"]] == ["/data/delivery/url"]
            with ctx.db.read() as s:
                assert s.exec(select(func.count()).select_from(RegistryChange)).one() == 0

            # requested while the operator allowed private targets, approved after
            monkeypatch.setenv("HUB_WEBHOOK_ALLOW_PRIVATE", "1")
            r = c.post("/v1/registry/changes", headers=sfj, json=_change("https://10.1.1.1/h"))
            assert r.status_code == 201, r.text
            change_id = r.json()["id"]
            monkeypatch.delenv("HUB_WEBHOOK_ALLOW_PRIVATE")
            r = c.post(f"/v1/registry/changes/{change_id}/approve", headers=admin, json={})
            assert r.status_code == 422, r.text
            assert [e["pointer"] for e in r.json()["errors"]] == ["/data/delivery/url"]
            with ctx.db.read() as s:
                inst = s.get(Institution, "pm-a")
                assert inst is not None and inst.delivery.get("url") != "https://10.1.1.1/h"
    finally:
        ctx.db.dispose()


class _OneParty:
    def __init__(self, url: str) -> None:
        self._party = Party("pm-a", Route.WEBHOOK, url, SECRET)

    def party(self, destination: str) -> Party:
        return self._party


def _message() -> tuple[Message, dict[str, Any]]:
    vault = build_vault()
    mid = str(uuid.uuid4())
    envelope = {"message_id": mid, "type": "application.dispatched", "data": {"n": 1}}
    sealed = vault.seal_json(envelope, table="outbox", field="envelope", record_id=mid)
    return Message(mid, "pm-a", "application.dispatched", None, sealed), envelope


def _connector(
    url: str, transport: WebhookTransport, targets: TargetPolicy, resolve: Any
) -> WebhookConnector:
    return WebhookConnector(
        build_vault(),
        _OneParty(url),  # type: ignore[arg-type]
        transport,
        RetryPolicy(DeliverySettings(), SystemClock()),
        targets,
        resolve,
    )


def test_a_name_re_pointed_at_a_private_address_is_refused_at_delivery() -> None:
    fake = FakeTransport()
    connector = _connector(
        "https://pm-a.example/hook", fake, TargetPolicy(), lambda h, p: ["169.254.169.254"]
    )
    message, _ = _message()
    outcome = connector.handle(message)
    assert isinstance(outcome, Dead) and "169.254.169.254" in outcome.reason
    assert fake.posted == []


def test_a_delivery_goes_to_the_checked_address_with_a_signed_timestamp() -> None:
    """The name `pm-a.example` resolves (by this test's resolver) to 127.0.0.1, where the
    reference receiver listens: the connection goes to the address the check returned,
    the Host header keeps the name, and the receiver verifies timestamp and body."""
    receiver = Receiver(SECRET)
    transport: WebhookTransport = HttpClientTransport(timeout=2.0)
    seen: list[str] = []
    original = receiver.handle

    def handle(path: str, body: bytes, headers: dict[str, str]) -> int:
        seen.append(headers.get("host", ""))
        return original(path, body, headers)

    receiver.handle = handle  # type: ignore[method-assign]
    try:
        with ReceiverServer(receiver) as server:
            url = f"http://pm-a.example:{server.port}/hooks/pm-a"
            connector = _connector(
                url,
                transport,
                TargetPolicy(allow_http=True, allow_private=True),
                lambda h, p: ["127.0.0.1"] if h == "pm-a.example" else [],
            )
            message, envelope = _message()
            assert isinstance(connector.handle(message), Delivered)
        assert receiver.count() == 1 and receiver.bad_signatures == 0
        assert seen == [f"pm-a.example:{server.port}"]
        assert receiver.applied[message.message_id] == envelope
    finally:
        transport.close()


def test_an_old_or_re_stamped_delivery_is_refused_by_the_reference_receiver() -> None:
    receiver = Receiver(SECRET)
    fake = FakeTransport()
    connector = _connector(
        "https://pm-a.example/hook", fake, TargetPolicy(), lambda h, p: ["8.8.8.8"]
    )
    message, _ = _message()
    assert isinstance(connector.handle(message), Delivered)
    posted = fake.posted[0]
    assert posted.address == "8.8.8.8"
    headers = {k.lower(): v for k, v in posted.headers.items()}
    assert headers["x-hub-signature"].startswith("sha256=")
    assert receiver.handle("/hooks/pm-a", posted.body, headers) == 200
    # a captured delivery stamped anew: the signature covers the timestamp
    fresh = {**headers, "x-hub-timestamp": str(int(headers["x-hub-timestamp"]) + 1)}
    assert receiver.handle("/hooks/pm-a", posted.body, fresh) == 401
    # a captured delivery replayed ten minutes later
    party = Party("pm-a", Route.WEBHOOK, "https://pm-a.example/hook", SECRET)
    post_signed(fake, party, message, posted.body, "8.8.8.8", now=time.time() - 600)
    old = {k.lower(): v for k, v in fake.posted[-1].headers.items()}
    assert receiver.handle("/hooks/pm-a", posted.body, old) == 401
