"""Settings for the Cổng Dịch vụ công portal, all read from the environment.

Every value has an embedded default that runs the portal on one machine with nothing
else installed (SQLite, in-process tasks, e-mail to files, private local storage);
production sets the variables documented in `.env.example`.
"""

from datetime import timedelta
from pathlib import Path

import environ
from boto3.s3.transfer import TransferConfig
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("PORTAL_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)

# Production refuses the repository's values: with DEBUG off, every secret read through _env_secret must be set,
# to neither its development value nor an .env.example placeholder ("change-me…"); the names of those that are
# not are collected here and refused all at once at the end of this file.
_UNSAFE: list[str] = []


def _placeholder(value: str | None) -> bool:
    return bool(value) and value.lower().startswith("change-me")


def _env_secret(name: str, *, development: str) -> str:
    """The variable's value; its development value only with DEBUG, otherwise the name is refused below."""
    value = env.str(name, default="")
    if DEBUG:
        return value or development
    if not value or value == development or _placeholder(value):
        _UNSAFE.append(name)
    return value


SECRET_KEY = _env_secret("DJANGO_SECRET_KEY", development="dev-only-insecure-key-change-me-in-production-0123456789")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# Absolute address used in e-mails and QR codes.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
PORTAL_NAME = env.str("PORTAL_NAME", default="Cổng Dịch vụ công tỉnh Kon Tum")
# Support lines from the provincial guidance letters (seeds).
PORTAL_HOTLINES = [
    ("0260.3797799", gettext_lazy("Trung tâm Phục vụ hành chính công tỉnh (giờ hành chính, thứ 2 đến thứ 6)")),
    ("0260.3958789", gettext_lazy("Viễn thông Kon Tum - VNPT (hỗ trợ 24/7)")),
]

# Development stand-ins (STYLE 19): the simulated payment gateways, the demo data and mailbox, the benchmarks'
# ping. Each is installed (below) and routed (portal/urls.py) only when its own setting is on, and
# `check --deploy` warns when one is (portal/checks.py: portal.W001, W002, W003).
# /sandbox/: the simulated VNPay and MoMo (sandbox/).
PAYMENT_SANDBOX = env.bool("PAYMENT_SANDBOX", default=DEBUG)
# The demo app: `seed_demo`, `generate_procedures` and the demo mailbox at /tai-khoan/hop-thu/ (demo/).
DEMO_MODE = env.bool("DEMO_MODE", default=DEBUG)
# /bench/ping/, the minimal view benchmarks measure the stack's ceiling with; it installs the demo app too, whose
# `generate_procedures` the benchmarks load their catalogue with (the mailbox stays unrouted).
BENCH_ENDPOINTS = env.bool("BENCH_ENDPOINTS", default=False)
STAND_IN_APPS = [app for app, on in (("sandbox", PAYMENT_SANDBOX), ("demo", DEMO_MODE or BENCH_ENDPOINTS)) if on]

INSTALLED_APPS = [
    "portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # the built-in widget templates, for FORM_RENDERER below
    "django.contrib.postgres",
    "bootstrap",
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "captcha",
    "notifications",
    "accounts",
    "procedures",
    "dossiers",
    "payments",
    "reports",
    "audit",
    *STAND_IN_APPS,
    "portal",
    "axes",
]

MIDDLEWARE = [
    "portal.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.PortalLocaleMiddleware",
    "portal.middleware.RequestLimitsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

# Widgets render through TEMPLATES, so a widget template may live in templates/ (the captcha's does).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
                # The demo mailbox's address, for the link on "registration done" (demo/context_processors.py).
                *(["demo.context_processors.demo"] if DEMO_MODE else []),
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The same backend, with a health check that looks at the socket before it asks the server (portal/db).
    DATABASES["default"]["ENGINE"] = "portal.db.postgresql"
    # Sequential scans from the table's start: a scan of a large table may otherwise begin where another is
    # reading (synchronize_seqscans), and the first rows of a search (LIMIT without ORDER BY,
    # procedures.selectors.search._candidates_sql) changed from one request to the next at 100 000 procedures.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c synchronize_seqscans=off".strip()
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Several requests and the in-process tasks share one file: wait instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
    # A file, not memory, so that a worker or server started by a test sees the test database.
    DATABASES["default"]["TEST"] = {"NAME": env.str("SQLITE_TEST_NAME", default=str(VAR_DIR / "test-db.sqlite3"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def _degrading(config: dict) -> dict:
    if config["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        # The same cache, answering a miss instead of an error while Redis is down (portal/cache.py).
        config["BACKEND"] = "portal.cache.RedisCache"
    return config


CACHES = {"default": _degrading(env.cache("CACHE_URL", default="locmemcache://portal"))}
# Each process's own memory, for what is keyed by the catalogue's version and never changes under it (the
# catalogue's filter lists, its rendered rows): read without a round trip to Redis, which on a busy machine waits
# for a context switch each time. A change of the catalogue changes the keys, so no process serves an old copy.
CACHES["local"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal-local",
                   "OPTIONS": {"MAX_ENTRIES": 20_000}}
# Rate-limit counters (common/ratelimit.py) on a server that never evicts (docker-compose.yml: the broker's Redis):
# on the cache's own server, which evicts under its memory limit, filling the cache with pages could drop a slow
# attacker's counter and open a fresh window. Without LIMITS_CACHE_URL the counters share the default cache.
if env.str("LIMITS_CACHE_URL", default=""):
    CACHES["limits"] = _degrading(env.cache("LIMITS_CACHE_URL"))
# One cache seen by every process (gunicorn's workers, Celery's): what one process forgets, all forget.
CACHE_SHARED = CACHES["default"]["BACKEND"] == "portal.cache.RedisCache"
# A citizen's own pages kept in the cache (dossiers/citizen_pages.py): only on a shared cache, where a write made
# by any process reaches the cached pages of all.
CITIZEN_PAGES_CACHED = env.bool("CITIZEN_PAGES_CACHED", default=CACHE_SHARED)

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "accounts.backends.AxesBackend",
    "accounts.backends.EmailOrIdentityBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]

# Uploaded files are private: there is no MEDIA_URL; every download goes through a view
# that checks who asks. With a bucket name, files go to S3-compatible object storage
# (MinIO in compose) and a permitted download is a redirect to a short-lived signed URL.
# The AWS_* values are read by django-storages when the storage is first used.
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
# The address the portal reaches the bucket at, and the one citizens' browsers do when it differs
# (a signed URL is signed for its host; the proxy must pass that Host header on to MinIO).
AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default=None)
AWS_S3_PUBLIC_ENDPOINT_URL = env.str("AWS_S3_PUBLIC_ENDPOINT_URL", default="")
# No default: without keys boto3 looks for its own credentials (an instance role). A bucket's key pair is set whole
# and never to .env.example's placeholder.
AWS_ACCESS_KEY_ID = env.str("AWS_ACCESS_KEY_ID", default=None)
AWS_SECRET_ACCESS_KEY = env.str("AWS_SECRET_ACCESS_KEY", default=None)
if not DEBUG and AWS_STORAGE_BUCKET_NAME and (_placeholder(AWS_SECRET_ACCESS_KEY)
                                              or (AWS_ACCESS_KEY_ID and not AWS_SECRET_ACCESS_KEY)):
    _UNSAFE.append("AWS_SECRET_ACCESS_KEY")
AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default="us-east-1")
# Objects are private (no public-read); only a signed URL opens one, and only for a short while.
AWS_DEFAULT_ACL = env.str("AWS_DEFAULT_ACL", default="private") or None
AWS_QUERYSTRING_AUTH = True
AWS_QUERYSTRING_EXPIRE = env.int("AWS_QUERYSTRING_EXPIRE", default=60)  # seconds
AWS_S3_SIGNATURE_VERSION = "s3v4"
# MinIO serves buckets under the path (http://minio:9000/<bucket>/<key>), not as a subdomain.
AWS_S3_ADDRESSING_STYLE = env.str("AWS_S3_ADDRESSING_STYLE", default="path")
AWS_S3_FILE_OVERWRITE = False
# Upload parts one after another: a web worker holds one part (8 MB) in memory, not ten at once.
AWS_S3_TRANSFER_CONFIG = TransferConfig(use_threads=False)
MEDIA_ROOT = env.str("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media"))
if AWS_STORAGE_BUCKET_NAME:
    _default_storage = {"BACKEND": "storages.backends.s3.S3Storage"}
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": env.str(
            "DJANGO_STATICFILES_STORAGE", default="whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# E-mail: SMTP in production (EMAIL_URL=smtp://host:port), files under var/mail/ by default.
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    globals().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default=f"{PORTAL_NAME} <no-reply@dichvucong.kontum.gov.vn>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# Celery: a real broker when CELERY_BROKER_URL is set, otherwise tasks run in-process.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
CELERY_TIMEZONE = TIME_ZONE
# Celery's consumer with a guard for closing a lost Redis connection (portal/celery.py explains).
CELERY_WORKER_CONSUMER = "portal.celery:Consumer"
# The beat queues again e-mails still unsent this long after they were written (broker down, retries spent).
EMAIL_SWEEP_AFTER_SECONDS = env.int("EMAIL_SWEEP_AFTER_SECONDS", default=300)
CELERY_BEAT_SCHEDULE = {
    "email-sweep-pending": {"task": "notifications.tasks.email_sweep_pending", "schedule": 300.0},
    "dossier-drafts-purge": {"task": "dossiers.tasks.dossier_drafts_purge", "schedule": 6 * 3600.0},
}

# Captcha (django-simple-captcha)
CAPTCHA_TEST_MODE = env.bool("CAPTCHA_TEST_MODE", default=False)
CAPTCHA_LENGTH = 5
# Digits: a phone shows its number pad, and common/captcha.py reads them aloud from recorded clips.
CAPTCHA_CHALLENGE_FUNCT = "common.captcha.digit_challenge"
CAPTCHA_FONT_SIZE = 46
CAPTCHA_IMAGE_SIZE = (240, 80)
CAPTCHA_LETTER_ROTATION = (-20, 20)

# --- Payments (DESIGN.md §6): gateway plugins and the simulated gateways ---
# The sandbox (/sandbox/…, PAYMENT_SANDBOX above) stands in for VNPay and MoMo, and knows the merchant by the keys
# below. Their development values (the sandbox's test merchant, MoMo's published test partner) serve only with
# DEBUG: a deployment sets its own, even one that runs the sandbox.
_SANDBOX_URL = SITE_URL.rstrip("/") + "/sandbox"
# VNPay 2.1.0: terminal code and hash secret issued by VNPay.
VNPAY_TMN_CODE = _env_secret("VNPAY_TMN_CODE", development="KONTUM01")
VNPAY_HASH_SECRET = _env_secret("VNPAY_HASH_SECRET", development="SANDBOXVNPAYSECRETKONTUM0123456789")
VNPAY_PAYMENT_URL = env.str("VNPAY_PAYMENT_URL", default=_SANDBOX_URL + "/vnpay/paymentv2/vpcpay.html")
# querydr and refund (merchant_webapi).
VNPAY_API_URL = env.str("VNPAY_API_URL", default=_SANDBOX_URL + "/vnpay/merchant_webapi/api/transaction")
# MoMo v2: partner code and keys issued by MoMo; the endpoint is the base of /v2/gateway/api/….
MOMO_PARTNER_CODE = _env_secret("MOMO_PARTNER_CODE", development="MOMO")
MOMO_ACCESS_KEY = _env_secret("MOMO_ACCESS_KEY", development="F8BBA842ECF85")
MOMO_SECRET_KEY = _env_secret("MOMO_SECRET_KEY", development="K951B6PE1waDMi640xX08PD3vg6EkVlz")
MOMO_ENDPOINT = env.str("MOMO_ENDPOINT", default=_SANDBOX_URL + "/momo")
# Seconds to wait for a gateway's server-to-server answer.
PAYMENT_HTTP_TIMEOUT = env.int("PAYMENT_HTTP_TIMEOUT", default=15)
PAYMENT_EXPIRY_MINUTES = env.int("PAYMENT_EXPIRY_MINUTES", default=15)
# Sandbox only. VNPay registers the IPN address per merchant (it is not part of the pay request).
PAYMENT_SANDBOX_VNPAY_IPN_URL = env.str(
    "PAYMENT_SANDBOX_VNPAY_IPN_URL", default=SITE_URL.rstrip("/") + "/thanh-toan/vnpay/ipn/"
)
# The "delayed IPN" choice waits this long; a refused IPN is sent again after this delay, doubled each time.
PAYMENT_SANDBOX_IPN_DELAY = env.int("PAYMENT_SANDBOX_IPN_DELAY", default=30)
PAYMENT_SANDBOX_IPN_RETRY_DELAY = env.int("PAYMENT_SANDBOX_IPN_RETRY_DELAY", default=10)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Accounts: e-mail confirmation, resend limits, login lockout (django-axes).
ACCOUNT_CONFIRMATION_TIMEOUT = env.int("ACCOUNT_CONFIRMATION_TIMEOUT", default=72 * 3600)  # seconds
ACCOUNT_RESEND_WINDOW = env.int("ACCOUNT_RESEND_WINDOW", default=3600)  # seconds
ACCOUNT_RESEND_PER_ADDRESS = env.int("ACCOUNT_RESEND_PER_ADDRESS", default=3)
ACCOUNT_RESEND_PER_CLIENT = env.int("ACCOUNT_RESEND_PER_CLIENT", default=10)
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
# The proxies in front of the portal (addresses or networks). Only a request arriving from one of them may
# name the client in X-Forwarded-For; empty (the default): the header is ignored and REMOTE_ADDR is the client.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

CATALOGUE_PAGE_SIZE = env.int("CATALOGUE_PAGE_SIZE", default=20)
# The province's code in the national procedure codes (1.004232.000.00.00.H34): H34 is Kon Tum.
PROVINCE_CODE = env("PROVINCE_CODE", default="H34")

# Dossiers: upload limits, list size and the public lookup's rate limit.
# E-receipts (biên lai điện tử): the form number and symbol a new agency's series starts with; each agency's own
# are set in the admin (Dãy số biên lai). {yy}: the year's last two digits.
RECEIPT_FORM_NUMBER = env.str("RECEIPT_FORM_NUMBER", default="01BLP0-001")
RECEIPT_SYMBOL = env.str("RECEIPT_SYMBOL", default="BL{yy}E")
DOSSIER_MAX_FILE_MB = env.int("DOSSIER_MAX_FILE_MB", default=20)
DOSSIER_MAX_TOTAL_MB = env.int("DOSSIER_MAX_TOTAL_MB", default=100)
DOSSIER_MAX_FILES_PER_COMPONENT = env.int("DOSSIER_MAX_FILES_PER_COMPONENT", default=5)
DOSSIER_PAGE_SIZE = env.int("DOSSIER_PAGE_SIZE", default=20)
DOSSIER_LOOKUP_LIMIT = env.int("DOSSIER_LOOKUP_LIMIT", default=20)  # attempts per client IP per window
DOSSIER_LOOKUP_CODE_LIMIT = env.int("DOSSIER_LOOKUP_CODE_LIMIT", default=5)  # wrong keys per code per window
DOSSIER_LOOKUP_WINDOW = env.int("DOSSIER_LOOKUP_WINDOW", default=600)  # seconds
# Uploads larger than this go to a temporary file while they arrive, never whole into memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int("FILE_UPLOAD_MAX_MEMORY_SIZE", default=256 * 1024)
FILE_UPLOAD_PERMISSIONS = 0o600
# Drafts nobody touched for this many days are deleted with their files (beat task, `cleanup_drafts`).
DRAFT_RETENTION_DAYS = env.int("DRAFT_RETENTION_DAYS", default=30)
# Staff access to personal data is kept this long (Law 91/2025, Decree 356/2025), then pruned by the beat.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=730)
CELERY_BEAT_SCHEDULE["audit-prune"] = {"task": "audit.tasks.audit_prune", "schedule": 24 * 3600.0}

# Security. Production runs behind a TLS-terminating proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
# Sessions read from the cache and written through to the database (a logged-in page costs no session query, a
# session outlives a flushed cache), when the cache is Redis: one cache for all the processes, so a logout is seen by
# every worker at once. A local-memory cache belongs to one process: there sessions stay in the database alone.
SESSION_ENGINE = "django.contrib.sessions.backends." + ("cached_db" if CACHE_SHARED else "db")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "portal.observability.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "portal.observability.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env.str("DJANGO_LOG_FORMAT", default="plain" if DEBUG else "json"),
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # Each request is logged once by portal.request, with its id; runserver's own line is noise.
        "django.server": {"level": "WARNING"},
    },
}
# Two-factor login for the admin: the issuer shown in the staff's authenticator app.
OTP_TOTP_ISSUER = PORTAL_NAME
ADMIN_URL = env.str("DJANGO_ADMIN_URL", default="admin/")

# Fonts for PDFs (receipts, e-receipts): DejaVu Sans covers every Vietnamese diacritic.
PDF_FONT_REGULAR = BASE_DIR / "common" / "fonts" / "DejaVuSans.ttf"
PDF_FONT_BOLD = BASE_DIR / "common" / "fonts" / "DejaVuSans-Bold.ttf"

# --- Payments phase 2: reconciliation (payments.tasks.payments_reconcile) ---
# A payment still pending this many minutes after it was opened is asked about at the gateway.
PAYMENT_RECONCILE_AFTER_MINUTES = env.int("PAYMENT_RECONCILE_AFTER_MINUTES", default=5)
# At most this many payments are asked about per run (the beat runs every PAYMENT_RECONCILE_EVERY seconds).
PAYMENT_RECONCILE_BATCH = env.int("PAYMENT_RECONCILE_BATCH", default=200)
PAYMENT_RECONCILE_EVERY = env.int("PAYMENT_RECONCILE_EVERY", default=120)
CELERY_BEAT_SCHEDULE["payments-reconcile"] = {
    "task": "payments.tasks.payments_reconcile", "schedule": float(PAYMENT_RECONCILE_EVERY),
}

if not DEBUG and _placeholder(DATABASES["default"].get("PASSWORD")):
    _UNSAFE.append("DATABASE_URL")
if _UNSAFE:
    raise ImproperlyConfigured(
        "DJANGO_DEBUG is off (production) and these variables are unset or hold a development or example value: "
        f"{', '.join(_UNSAFE)}. Set each to this deployment's own value (.env.example lists them; a random secret: "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'), or set DJANGO_DEBUG=1 on a development machine."
    )
