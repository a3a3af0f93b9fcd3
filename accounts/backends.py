"""Log in with an e-mail address or a CCCD/MST number; django-axes keys failures on the account."""

from axes.backends import AxesStandaloneBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from . import selectors
from .user_cache import user_get_cached


class AxesBackend(AxesStandaloneBackend):
    """django-axes' lockout check, skipped for calls that carry no request.

    Every login page passes the request; only code such as the test client's `login()` or a
    shell calls `authenticate()` without one, and there is no client to lock out then.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class EmailOrIdentityBackend(ModelBackend):
    """Authenticate by e-mail (any case) or CCCD/MST; an unconfirmed account is returned too.

    Returning the inactive account lets the login form say "confirm your e-mail first" once the
    password is right; the session backend (`get_user`) still refuses inactive accounts.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        identifier = username or kwargs.get("email")
        if not identifier or password is None:
            return None
        user = selectors.user_get_by_identifier(identifier=identifier)
        if user is None:
            # Hash anyway, so that an unknown account takes as long as a wrong password.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password):
            return user
        return None

    def get_user(self, user_id):
        """The session's user, through the cache (accounts.user_cache); None for an account that may not sign in."""
        user = user_get_cached(pk=user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


def axes_username(request, credentials) -> str:
    """Return the key django-axes counts failures under: the account's e-mail when it exists."""
    identifier = (credentials or {}).get("username") or (credentials or {}).get("email") or ""
    if not identifier and request is not None:
        identifier = request.POST.get("username", "")
    user = selectors.user_get_by_identifier(identifier=identifier) if identifier else None
    return user.email if user is not None else identifier.strip().lower()
