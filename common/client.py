"""Who is asking: the client's address as the portal sees it."""

from django.conf import settings


def client_ip(request) -> str:
    """The client's address; behind a proxy, from the header the proxy sets (DOSSIER_CLIENT_IP_HEADER)."""
    header = settings.DOSSIER_CLIENT_IP_HEADER
    value = request.META.get(header, "") if header else ""
    return value.split(",")[-1].strip() or request.META.get("REMOTE_ADDR", "") or "unknown"
