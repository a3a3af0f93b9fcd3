"""What the portal checks before it serves or works: it refuses to start on the repository's secrets.

Called where the portal starts (the WSGI application gunicorn and runserver load, a Celery worker or beat); the
settings only collect the unsafe variables (settings.UNSAFE_DEFAULTS), so that commands that serve nothing
(makemigrations, collectstatic, a shell) run anywhere, and `check --deploy` names them too (portal.checks).
"""

from django.core.exceptions import ImproperlyConfigured


def refuse_to_start_on_unsafe_defaults(unsafe: list[str] | None = None) -> None:
    """Raise ImproperlyConfigured naming every unset or development secret (production, DEBUG off)."""
    from django.conf import settings

    from .settings.security import unsafe_defaults_message

    unsafe = settings.UNSAFE_DEFAULTS if unsafe is None else unsafe
    if unsafe:
        raise ImproperlyConfigured(unsafe_defaults_message(unsafe))
