"""Who is asking: the client's address, resolved once, in one place, for every use.

The login lockout (django-axes, AXES_CLIENT_IP_CALLABLE), the rate limits, the public lookup, the payment
gateway's return IP and the access audit all call `client_ip`.

X-Forwarded-For is believed only as far as the proxies named in TRUSTED_PROXIES wrote it: walking the
chain from the right (the hop nearest the portal), each address is taken as the client unless it is one
of those proxies. With no proxy configured the header is ignored and the client is REMOTE_ADDR, so a
client cannot choose its own address by sending the header; behind the documented nginx
(`proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for`) whatever the client put in the header
stands to the left of the address nginx saw, and is never reached.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings

UNKNOWN = "unknown"
_ATTRIBUTE = "_portal_client_ip"


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _address(value: str):
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [IPv6]:port
        value = value[1 : value.index("]")]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def client_address(*, remote_addr: str, forwarded_for: str, proxies) -> str:
    """The client's address from the socket's peer and the X-Forwarded-For chain (pure, for tests)."""
    networks = _networks(tuple(proxies))
    current = _address(remote_addr or "")
    if current is None:
        return UNKNOWN
    for hop in reversed([h for h in (forwarded_for or "").split(",") if h.strip()]):
        if not any(current in network for network in networks):
            break
        found = _address(hop)
        if found is None:  # garbage left of a trusted proxy: stop at the last address it vouched for
            break
        current = found
    return str(current)


def client_ip(request) -> str:
    """The client's address for this request (computed once per request)."""
    cached = getattr(request, _ATTRIBUTE, None)
    if cached is None:
        meta = getattr(request, "META", {}) or {}
        cached = client_address(
            remote_addr=meta.get("REMOTE_ADDR", ""),
            forwarded_for=meta.get("HTTP_X_FORWARDED_FOR", ""),
            proxies=settings.TRUSTED_PROXIES,
        )
        try:
            setattr(request, _ATTRIBUTE, cached)
        except AttributeError:  # an object that takes no attributes: compute again next time
            pass
    return cached


def client_ip_or_none(request) -> str | None:
    """`client_ip` for django-axes, which stores the address in an IP field: None when there is none
    (a request made in code, such as the test client's force_login, has no peer)."""
    address = client_ip(request)
    return None if address == UNKNOWN else address
