"""Which base URLs a test may hit: only TESTING_ALLOWED_TARGETS, never link-local/metadata addresses.

A host name is resolved and every address it resolves to must be allowed, so a name pointing at
169.254.169.254 (or at a third party) is refused as surely as the address itself.
"""
from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Cloud metadata services live at link-local addresses (169.254.169.254) or, on AWS IPv6, at
# fd00:ec2::254; no allow-list entry reopens these, nor the "any address" wildcards.
ALWAYS_REFUSED: tuple[IPNetwork, ...] = (
    ipaddress.ip_network("169.254.0.0/16"),
    ipaddress.ip_network("fe80::/10"),
    ipaddress.ip_network("fd00:ec2::254/128"),
    ipaddress.ip_network("0.0.0.0/32"),
    ipaddress.ip_network("::/128"),
)


class TargetRefused(ValueError):
    """The base URL is outside TESTING_ALLOWED_TARGETS (or malformed); the message says why."""


def _resolve(host: str) -> set[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        return {ipaddress.ip_address(host)}
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise TargetRefused(gettext("host %(host)s cannot be resolved (%(error)s)") % {"host": repr(host), "error": exc}) from None
    return {ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos}


def _allowed_networks(entries: list[str]) -> tuple[set[str], list[IPNetwork]]:
    """Split the allow-list into host names and networks (a name also allows what it resolves to)."""
    names: set[str] = set()
    networks: list[IPNetwork] = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
            continue
        except ValueError:
            names.add(entry.lower().rstrip("."))
        try:
            networks.extend(ipaddress.ip_network(addr) for addr in _resolve(entry))
        except TargetRefused:
            continue  # an allow-listed name that does not resolve allows nothing by address
    return names, networks


def check_target(base_url: str, allowed: list[str] | None = None) -> str:
    """Return the normalised base URL if a test may target it; raise TargetRefused otherwise."""
    parts = urlsplit(base_url.strip())
    if parts.scheme not in ("http", "https"):
        raise TargetRefused(gettext("must be an http:// or https:// URL"))
    if parts.username or parts.password:
        raise TargetRefused(gettext("must not carry credentials; put them in a step's headers"))
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        raise TargetRefused(gettext("must name a host"))
    if parts.query or parts.fragment:
        raise TargetRefused(gettext("must not have a query or fragment; put them in the steps"))
    try:
        parts.port  # noqa: B018  (raises on a bad port)
    except ValueError:
        raise TargetRefused(gettext("has an invalid port")) from None
    names, networks = _allowed_networks(settings.TESTING_ALLOWED_TARGETS if allowed is None else allowed)
    addresses = _resolve(host)
    for address in addresses:
        if any(address in net for net in ALWAYS_REFUSED if net.version == address.version):
            raise TargetRefused(gettext("%(host)s resolves to %(address)s, a link-local/metadata address that is never allowed")
                                 % {"host": host, "address": address})
    if host in names:
        return base_url.strip().rstrip("/")
    for address in addresses:
        if not any(address in net for net in networks if net.version == address.version):
            raise TargetRefused(gettext("%(host)s (%(address)s) is not in TESTING_ALLOWED_TARGETS")
                                 % {"host": host, "address": address})
    return base_url.strip().rstrip("/")
