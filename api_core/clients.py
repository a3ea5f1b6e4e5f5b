"""Who is asking: the one client identity every limit uses (API throttling, download
throttling, the suggestion limit, admin login lockout).

`X-Forwarded-For` is written by whoever sends the request, so it is believed only as far
as `TRUSTED_PROXIES` says: nothing by default (the client is the connecting address), a
number N (N reverse proxies of ours stand in front: the client is the address N hops back),
or a list of proxy addresses and networks (hops from those are skipped, right to left).
"""

import ipaddress

from django.conf import settings


def parse_trusted_proxies(value):
    """`TRUSTED_PROXIES` as 0, a count, or a tuple of networks; ValueError if malformed."""
    value = (value or "").strip()
    if not value:
        return 0
    if value.isascii() and value.isdigit():
        return int(value)
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in value.split(","))


def valid_address(text):
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_ip(request):
    """The client's address, believing forwarded addresses only from trusted proxies."""
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = settings.TRUSTED_PROXIES
    if not trusted:
        return remote
    forwarded = [
        hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop
    ]
    hops = [*forwarded, remote]  # nearest last
    if isinstance(trusted, int):
        chosen = hops[max(len(hops) - 1 - trusted, 0)]
        # A hop our own proxy wrote is an address; anything else came from the client.
        return valid_address(chosen) or remote
    client = remote
    for hop in reversed(hops):
        address = valid_address(hop)
        if address is None:
            return client
        client = address
        if not any(ipaddress.ip_address(address) in network for network in trusted):
            return address
    return client
