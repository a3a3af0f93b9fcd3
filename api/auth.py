"""`Authorization: Bearer <key>`: which system client calls, within its own rate limit."""

from django.conf import settings
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from accounts.roles import API_SCOPES

from . import services
from .constants import Scope
from .problems import Problem


class ClientKey(HttpBearer):
    """The client of the key, or a 401 problem; past its limit a 429 problem. Sets request.user to the client's
    staff account, which the access audit names and whose roles the workflow table checks. `operation` is checked
    against the client's scope before the request's parameters are read (accounts.roles.API_SCOPES)."""

    def __init__(self, operation: str):
        super().__init__()
        self.operation = operation

    def authenticate(self, request, token):
        client = services.api_client_authenticate(key=token)
        if client is None:
            raise Problem("unauthorized", _("Khóa API không đúng, đã bị thu hồi hoặc đã được thay bằng khóa mới."),
                          headers={"WWW-Authenticate": 'Bearer realm="api"'})
        window = settings.API_RATE_WINDOW
        if not services.api_client_call_allow(client=client, window=window):
            raise Problem("rate-limited", _("Hệ thống đã vượt quá %(n)s lượt gọi trong %(s)s giây.")
                          % {"n": client.rate_limit, "s": window}, headers={"Retry-After": str(window)})
        request.user = client.account
        scope_check(client, self.operation)
        return client


def scope_check(client, operation: str) -> None:
    """Refuse an operation the client's scope does not open (accounts.roles.API_SCOPES, the matrix's API cells)."""
    if operation not in API_SCOPES.get(client.scope, ()):
        raise Problem("forbidden", _("Khóa API này chỉ được đọc hồ sơ.") if client.scope == Scope.READ else "")
