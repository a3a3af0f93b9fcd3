"""The portal itself: the environment, DEBUG, its addresses, apps, middleware, templates and languages."""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("PORTAL_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)

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
# /sandbox/sms/ and /sandbox/zalo/: the simulated SMS brandname gateway and Zalo OA API (notice_sandbox/).
SMS_SANDBOX = env.bool("SMS_SANDBOX", default=DEBUG)
ZALO_SANDBOX = env.bool("ZALO_SANDBOX", default=DEBUG)
# /sandbox/idp/: the simulated national identity provider (sandbox_idp/, on django-oauth-toolkit, whose tables it
# needs: production, with it off, installs neither).
NATIONAL_IDP_SANDBOX = env.bool("NATIONAL_IDP_SANDBOX", default=DEBUG)
# /sandbox/dvcqg/: the simulated national portal (Cổng DVC quốc gia), both sync protocols (sandbox_dvcqg/).
NATIONAL_SANDBOX = env.bool("NATIONAL_SANDBOX", default=DEBUG)
STAND_IN_APPS = [
    app for app, on in (
        ("sandbox", PAYMENT_SANDBOX), ("sandbox_dvcqg", NATIONAL_SANDBOX), ("demo", DEMO_MODE or BENCH_ENDPOINTS),
        ("notice_sandbox", SMS_SANDBOX or ZALO_SANDBOX),
        ("oauth2_provider", NATIONAL_IDP_SANDBOX), ("sandbox_idp", NATIONAL_IDP_SANDBOX),
    ) if on
]

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
    "signatures",
    "representation",
    "dossiers",
    "payments",
    "appointments",
    "national_sync",
    "uploads_tus",
    "wallet",
    "reports",
    "audit",
    "idempotency",
    "ninja",  # the integration API's framework: its Swagger UI is served from its own static files
    "api",
    *STAND_IN_APPS,
    "portal",
    "axes",
]

MIDDLEWARE = [
    "portal.observability.RequestIdMiddleware",
    # Requests by route, method and status class, and their latency, for Prometheus (/metrics).
    "portal.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.PortalLocaleMiddleware",
    "portal.middleware.RequestLimitsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # request.acting_for: whom the user chose to act for, checked again on every request (representation).
    "representation.middleware.ActingForMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ADMIN_URL = env.str("DJANGO_ADMIN_URL", default="admin/")

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
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# Fonts for PDFs (receipts, e-receipts): DejaVu Sans covers every Vietnamese diacritic.
PDF_FONT_REGULAR = BASE_DIR / "common" / "fonts" / "DejaVuSans.ttf"
PDF_FONT_BOLD = BASE_DIR / "common" / "fonts" / "DejaVuSans-Bold.ttf"
