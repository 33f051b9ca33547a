"""Where the hub may POST a party's webhooks (INTERFACE 18): https, public addresses only.

A registry entry names a URL; the hub must not become a way into its own network (the
cloud metadata service at 169.254.169.254, the database on 127.0.0.1:5432, a private
10.x host). So a target is refused when:

- its scheme is not `https` (`HUB_WEBHOOK_ALLOW_HTTP=1` allows `http`, for tests);
- it carries a user name or password (secrets belong in the sealed delivery secret);
- its host is, or resolves to, an address that is not globally reachable: loopback,
  link-local, private, shared (100.64/10), multicast, reserved, unspecified, and IPv4
  addresses written as IPv6 (`HUB_WEBHOOK_ALLOW_PRIVATE=1` allows them, for tests);
- its host is `localhost` or under `.localhost`.

The check runs when the registry is loaded or changed (`check_target`, a host that does not
resolve yet is accepted) and again before every delivery (`resolve_target`: DNS can change
after the check), which answers the address to connect to, so the connection goes where the
check looked.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from urllib.parse import SplitResult, urlsplit

from hub.config import TargetPolicy as TargetPolicy  # re-exported: its home was here

Resolver = Callable[[str, int], Sequence[str]]


class TargetRefused(ValueError):
    """The URL may not receive the hub's webhooks; the message says why (Chinese / English)."""


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _parts(url: str, policy: TargetPolicy) -> tuple[SplitResult, str, int]:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise TargetRefused("网址格式不正确 / malformed URL") from None
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http") or not parts.hostname:
        raise TargetRefused("须为 https 网址 / must be an https URL")
    if scheme == "http" and not policy.allow_http:
        raise TargetRefused("须使用 https，不接受 http / must be https, not http")
    if parts.username is not None or parts.password is not None:
        raise TargetRefused("网址不得包含用户名或密码 / no user name or password in the URL")
    host = parts.hostname.lower().rstrip(".")
    return parts, host, port or (443 if scheme == "https" else 80)


def address_allowed(address: str) -> bool:
    """Is this IP address globally reachable (so neither the hub's own nor its network's)?"""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour
        if mapped is not None:
            return False  # an IPv4 address in IPv6 clothing: refuse rather than guess
    return ip.is_global and not ip.is_multicast


def _literal(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


def _refuse_address(address: str) -> None:
    raise TargetRefused(
        f"目标地址 {address} 不是公网地址（回环、链路本地或内网） / "
        f"{address} is not a public address (loopback, link-local or private)"
    )


def check_target(
    url: str, policy: TargetPolicy, resolver: Resolver | None = system_resolver
) -> None:
    """At registry load or change: refuse a URL that may not receive webhooks.

    A host name that resolves is checked address by address; one that does not resolve
    (yet) is accepted, since `resolve_target` checks again before each delivery.
    """
    _, host, port = _parts(url, policy)
    if policy.allow_private:
        return
    if host == "localhost" or host.endswith(".localhost"):
        raise TargetRefused("不得指向本机 / must not point at localhost")
    literal = _literal(host)
    if literal is not None:
        if not address_allowed(literal):
            _refuse_address(literal)
        return
    if resolver is None:
        return
    try:
        addresses = resolver(host, port)
    except OSError:
        return
    for address in addresses:
        if not address_allowed(address):
            _refuse_address(address)


def resolve_target(url: str, policy: TargetPolicy, resolver: Resolver = system_resolver) -> str:
    """Before a delivery: the address to connect to, checked now. Raises TargetRefused, or
    OSError when the name does not resolve (a transient failure: the delivery is retried)."""
    _, host, port = _parts(url, policy)
    literal = _literal(host)
    if literal is not None:
        addresses: Sequence[str] = [literal]
    else:
        if not policy.allow_private and (host == "localhost" or host.endswith(".localhost")):
            raise TargetRefused("不得指向本机 / must not point at localhost")
        addresses = resolver(host, port)
        if not addresses:
            raise OSError(f"{host} has no address")
    if not policy.allow_private:
        for address in addresses:
            if not address_allowed(address):
                _refuse_address(address)
    return addresses[0]
