"""Secrets and the production refusal of unsafe defaults; HTTPS, cookies, headers, CSP, proxies, login lockout."""

from datetime import timedelta

from .base import DEBUG, PORTAL_NAME, env

# Production refuses the repository's values: with DEBUG off, every secret read through env_secret must be set,
# to neither its development value nor an .env.example placeholder ("change-me…"); the names of those that are
# not are collected here, by each concern as it reads its secrets, into UNSAFE_DEFAULTS (portal/settings/__init__.py).
# The portal refuses to start on them (portal.startup: the WSGI application, a Celery worker or beat) and
# `check --deploy` fails naming them; commands that serve nothing (makemigrations, collectstatic) still run.
_UNSAFE: list[str] = []


def placeholder(value: str | None) -> bool:
    return bool(value) and value.lower().startswith("change-me")


def env_secret(name: str, *, development: str) -> str:
    """The variable's value; its development value only with DEBUG, otherwise the name is refused below."""
    value = env.str(name, default="")
    if DEBUG:
        return value or development
    if not value or value == development or placeholder(value):
        _UNSAFE.append(name)
    return value


def refuse_unsafe(name: str) -> None:
    """Refuse `name` with the secrets (a value a concern judged unsafe itself, such as a bucket's key pair)."""
    _UNSAFE.append(name)


def unsafe_defaults(databases: dict) -> list[str]:
    """The variables refused, in the order read (the database's password is judged here, last)."""
    if not DEBUG and placeholder(databases["default"].get("PASSWORD")):
        _UNSAFE.append("DATABASE_URL")
    return list(_UNSAFE)


def unsafe_defaults_message(names: list[str]) -> str:
    return (
        "DJANGO_DEBUG is off (production) and these variables are unset or hold a development or example value: "
        f"{', '.join(names)}. Set each to this deployment's own value (.env.example lists them; a random secret: "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'), or set DJANGO_DEBUG=1 on a development machine."
    )


SECRET_KEY = env_secret("DJANGO_SECRET_KEY", development="dev-only-insecure-key-change-me-in-production-0123456789")

# Production runs behind a TLS-terminating proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The balancer's and the supervisor's probes and Prometheus ask over plain HTTP from inside.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^livez$", r"^metrics$"]
# Content Security Policy (django-csp): pages load scripts, styles and images from the portal only;
# no inline script or style attribute is needed anywhere. A real gateway's host is added to
# form-action, because the browser follows the form's redirect to the bank.
CSP_EXTRA_FORM_ACTION = env.list("CSP_EXTRA_FORM_ACTION", default=[])
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'", *CSP_EXTRA_FORM_ACTION],
    }
}

# The proxies in front of the portal (addresses or networks). Only a request arriving from one of them may
# name the client in X-Forwarded-For; empty (the default): the header is ignored and REMOTE_ADDR is the client.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

# The operators' token: `Authorization: Bearer <METRICS_TOKEN>` opens /metrics and /healthz's details from
# anywhere (portal/operators.py); unset, only the machine itself (and, for /healthz, the internal network) sees them.
# An .env.example placeholder ("change-me…") counts as unset: everybody knows it.
METRICS_TOKEN = "" if placeholder(env.str("METRICS_TOKEN", default="")) else env.str("METRICS_TOKEN", default="")

# Login lockout (django-axes).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
# Lock the pair (account, client): a stranger cannot lock a citizen out from elsewhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
# The account is the same whether the login names it by e-mail or by CCCD/MST.
AXES_USERNAME_CALLABLE = "accounts.backends.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout_response"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# The client address: common.client.client_ip, the one answer for lockouts, rate limits and the rest.
AXES_CLIENT_IP_CALLABLE = "common.client.client_ip_or_none"

# Two-factor login for the admin: the issuer shown in the staff's authenticator app.
OTP_TOTP_ISSUER = PORTAL_NAME

# Staff access to personal data is kept this long (Law 91/2025, Decree 356/2025), then pruned by the beat.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=730)
