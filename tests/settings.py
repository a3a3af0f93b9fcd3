"""Settings for the test suite: the production settings, served over plain HTTP on loopback.

The live server and the worker a test starts read these too, so they are set before the
settings module is evaluated rather than overridden per test.
"""

import os
import secrets

os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "0")
os.environ.setdefault("DJANGO_SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("DJANGO_STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage")
# The development stand-ins the suite exercises (the payment sandbox; the demo data and mailbox), on explicitly: in
# the production settings they are off unless set.
os.environ.setdefault("PAYMENT_SANDBOX", "1")
os.environ.setdefault("DEMO_MODE", "1")
# The SMS and Zalo sandboxes, and both notice channels a citizen may choose (issue 30 §3).
os.environ.setdefault("SMS_SANDBOX", "1")
os.environ.setdefault("ZALO_SANDBOX", "1")
os.environ.setdefault("NOTICE_CHANNELS", "sms,zalo")
# The simulated national identity provider (/sandbox/idp/) and the login through it.
os.environ.setdefault("NATIONAL_IDP_SANDBOX", "1")
os.environ.setdefault("NATIONAL_LOGIN_ENABLED", "1")
# The simulated national portal (/sandbox/dvcqg/).
os.environ.setdefault("NATIONAL_SANDBOX", "1")
# Production refuses to start on the repository's secrets (DEBUG is off here too: portal.startup): the run makes up its own, in the
# environment, so that the servers and workers a test starts share them.
for _name in ("DJANGO_SECRET_KEY", "VNPAY_HASH_SECRET", "MOMO_ACCESS_KEY", "MOMO_SECRET_KEY",
              "SMS_API_KEY", "SMS_SECRET_KEY", "ZALO_OA_ACCESS_TOKEN", "NATIONAL_IDP_CLIENT_SECRET",
              "NATIONAL_MOTCUA_PASSWORD", "NATIONAL_V2_CLIENT_SECRET"):
    os.environ.setdefault(_name, "tests-" + secrets.token_urlsafe(32))
os.environ.setdefault("VNPAY_TMN_CODE", "KTTEST01")
os.environ.setdefault("MOMO_PARTNER_CODE", "MOMOTEST")

from portal.settings import *  # noqa: E402,F403

# Tests create users by the hundred (and the live server and workers they start read these settings too):
# the production hasher would be most of the run time. Password checks behave the same with this one.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
