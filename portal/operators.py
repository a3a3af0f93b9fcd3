"""Who may read what the portal says about itself: health details and metrics are for the balancer, the
supervisor and the operators, not for the public.

A request is from the machine itself (loopback) or the internal network (a private address) only when no
proxy stands between: behind nginx or HAProxy on the same host every visitor arrives from 127.0.0.1, so a
request carrying X-Forwarded-For counts as the client that header names, as far as TRUSTED_PROXIES vouch for
it (common.client), and as public when no trusted proxy wrote it. Anyone else needs the operators' token,
`Authorization: Bearer <METRICS_TOKEN>` (unset: nobody outside).
"""

import hmac
import ipaddress

from django.conf import settings

from common.client import client_ip

# The internal network: RFC 1918 and IPv6 unique local addresses (ipaddress's is_private also counts the
# documentation ranges, which are nobody's network).
_INTERNAL = tuple(ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"))


def _internal_address(request):
    """The client's address when it is a known one, else None (unknown, or forwarded by an unknown proxy)."""
    address = client_ip(request)
    if "HTTP_X_FORWARDED_FOR" in request.META and address == request.META.get("REMOTE_ADDR"):
        return None  # a proxy we do not trust forwarded it: the real client is unknown
    try:
        return ipaddress.ip_address(address)
    except ValueError:
        return None


def operator_token(request) -> bool:
    """Whether the request carries the operators' bearer token (METRICS_TOKEN)."""
    token = settings.METRICS_TOKEN
    sent = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(sent.encode(), f"Bearer {token}".encode())


def may_read_health_details(request) -> bool:
    """The balancer and operators: loopback, the internal network, or the token."""
    address = _internal_address(request)
    internal = address is not None and (address.is_loopback or any(address in net for net in _INTERNAL))
    return internal or operator_token(request)


def may_scrape_metrics(request) -> bool:
    """Prometheus: the machine itself, or the token (a scraper on another host sends it)."""
    address = _internal_address(request)
    return (address is not None and address.is_loopback) or operator_token(request)
