"""The client's address: X-Forwarded-For is believed only as far as trusted proxies vouch for it."""

from collections.abc import Sequence
from functools import lru_cache
from ipaddress import IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network

from fastapi import Request

Network = IPv4Network | IPv6Network


def is_trusted(address: str, proxies: Sequence[Network]) -> bool:
    if not proxies:  # the usual case, checked on every request: no address to parse
        return False
    try:
        parsed = ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in proxies)


# Asked on every /auth request, mostly of the same few addresses; parsing one took 2 % of a
# refresh. Bounded, so that a client changing addresses only evicts.
@lru_cache(maxsize=4096)
def limited_as(address: str, ipv6_prefix_length: int) -> str:
    """What a per-client limit counts: the address, or for IPv6 its network, as one host holds
    a whole /64 and could change addresses within it at will."""
    try:
        parsed = ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ip_network(f"{parsed}/{ipv6_prefix_length}", strict=False))
    return str(parsed)


def client_ip(request: Request, proxies: Sequence[Network]) -> str:
    """Walk the forwarding chain from the nearest hop; the first untrusted hop is the client.

    Each trusted proxy appends the address it received the request from, so only the entries
    right of the last untrusted one were written by proxies we trust; anything further left
    could have been sent by the client itself.
    """
    peer = request.client.host if request.client else ""
    if not is_trusted(peer, proxies):
        return peer
    hops = [
        hop.strip()
        for header in request.headers.getlist("x-forwarded-for")
        for hop in header.split(",")
        if hop.strip()
    ]
    for hop in reversed(hops):
        if not is_trusted(hop, proxies):
            return hop
    return hops[0] if hops else peer
