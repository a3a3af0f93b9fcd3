from django.conf import settings

from .constants import SESSION_KEY
from .selectors import principal_allowed


class ActingForMiddleware:
    """Set request.acting_for: the account the user chose to act for, checked again on every request.

    A revoked or expired authorisation, or a membership ended, drops the choice at the next request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.acting_for = None
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            # No session to read: a visitor, a probe, a gateway's callback. Reading it would make every answer vary
            # on the cookie (and cost a session look-up) for nothing.
            return self.get_response(request)
        user = getattr(request, "user", None)
        chosen = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        if chosen is not None and user is not None and user.is_authenticated:
            request.acting_for = principal_allowed(user=user, principal_id=chosen)
            if request.acting_for is None:
                request.session.pop(SESSION_KEY, None)
        elif chosen is not None:
            request.session.pop(SESSION_KEY, None)
        return self.get_response(request)


def acting_principal(request):
    """The account a page works for: the one chosen, else the user."""
    return getattr(request, "acting_for", None) or request.user
