"""E-mail: SMTP in production (EMAIL_URL=smtp://host:port), files under var/mail/ by default."""

from .base import PORTAL_NAME, VAR_DIR, env

EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    globals().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default=f"{PORTAL_NAME} <no-reply@dichvucong.kontum.gov.vn>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# The beat queues again e-mails still unsent this long after they were written (broker down, retries spent).
EMAIL_SWEEP_AFTER_SECONDS = env.int("EMAIL_SWEEP_AFTER_SECONDS", default=300)
# How often the beat runs that sweep (tasks.py), in seconds.
EMAIL_SWEEP_EVERY = env.int("EMAIL_SWEEP_EVERY", default=300)
