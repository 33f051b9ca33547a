"""Webhook targets (issue 12, item 9): https, and no loopback, link-local or private address."""

from __future__ import annotations

import pytest

from hub.services.webhook_targets import (
    TargetPolicy,
    TargetRefused,
    address_allowed,
    check_target,
    resolve_target,
)

STRICT = TargetPolicy()
TESTS = TargetPolicy(allow_http=True, allow_private=True)


def resolver_to(*addresses: str):  # type: ignore[no-untyped-def]
    return lambda host, port: list(addresses)


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",  # plain http, and the metadata service
        "https://169.254.169.254/latest/meta-data/",
        "https://127.0.0.1:5432/",
        "https://[::1]/hook",
        "https://10.1.2.3/hook",
        "https://172.16.0.9/hook",
        "https://192.168.1.20/hook",
        "https://100.64.0.1/hook",  # carrier-grade NAT
        "https://0.0.0.0/hook",
        "https://[fe80::1]/hook",
        "https://[fd00::5]/hook",
        "https://[::ffff:127.0.0.1]/hook",  # IPv4 loopback written as IPv6
        "https://224.0.0.1/hook",
        "https://localhost/hook",
        "https://api.localhost/hook",
        "https://user:pw@inst.example/hook",
        "http://inst.example/hook",
        "ftp://inst.example/hook",
    ],
)
def test_refused_targets(url: str) -> None:
    with pytest.raises(TargetRefused):
        check_target(url, STRICT, resolver_to("203.0.113.7"))


def test_a_public_https_target_is_accepted() -> None:
    check_target("https://inst.example/hook", STRICT, resolver_to("8.8.8.8"))
    check_target("https://8.8.4.4:8443/hook", STRICT, None)
    assert resolve_target("https://inst.example/hook", STRICT, resolver_to("8.8.8.8")) == (
        "8.8.8.8"
    )


def test_a_name_that_resolves_to_a_private_address_is_refused() -> None:
    with pytest.raises(TargetRefused):
        check_target("https://inst.example/hook", STRICT, resolver_to("8.8.8.8", "10.0.0.4"))


def test_a_name_that_does_not_resolve_yet_is_accepted_at_load_and_retried_at_delivery() -> None:
    def no_answer(host: str, port: int) -> list[str]:
        raise OSError("no such name")

    check_target("https://new-inst.example/hook", STRICT, no_answer)
    with pytest.raises(OSError):
        resolve_target("https://new-inst.example/hook", STRICT, no_answer)


def test_at_delivery_a_name_re_pointed_at_a_private_address_is_refused() -> None:
    """DNS can change after the registry check: the delivery-time check is the one that counts."""
    with pytest.raises(TargetRefused):
        resolve_target("https://inst.example/hook", STRICT, resolver_to("169.254.169.254"))


def test_the_operator_may_allow_http_and_private_addresses_for_tests() -> None:
    check_target("http://127.0.0.1:8081/hooks/pm-a", TESTS)
    assert resolve_target("http://127.0.0.1:8081/hooks/pm-a", TESTS) == "127.0.0.1"
    with pytest.raises(TargetRefused):  # http alone does not open private addresses
        check_target("http://127.0.0.1:8081/", TargetPolicy(allow_http=True))
    with pytest.raises(TargetRefused):  # nor the reverse
        check_target("http://8.8.8.8/", TargetPolicy(allow_private=True))


def test_policy_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HUB_WEBHOOK_ALLOW_HTTP", raising=False)
    monkeypatch.delenv("HUB_WEBHOOK_ALLOW_PRIVATE", raising=False)
    assert TargetPolicy.from_env() == STRICT
    monkeypatch.setenv("HUB_WEBHOOK_ALLOW_HTTP", "1")
    monkeypatch.setenv("HUB_WEBHOOK_ALLOW_PRIVATE", "1")
    assert TargetPolicy.from_env() == TESTS


def test_address_classes() -> None:
    assert address_allowed("8.8.8.8") and address_allowed("2001:4860:4860::8888")
    assert not any(
        address_allowed(a)
        for a in ("127.0.0.1", "10.0.0.1", "169.254.1.1", "::1", "fe80::1%eth0", "not-an-ip")
    )
