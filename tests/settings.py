"""Settings for the test suite: the production settings, served over plain HTTP on loopback.

The live server and the worker a test starts read these too, so they are set before the
settings module is evaluated rather than overridden per test.
"""

import os

os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "0")
os.environ.setdefault("DJANGO_SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("DJANGO_STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage")

from portal.settings import *  # noqa: E402,F403

# Tests create users by the hundred (and the live server and workers they start read these settings too):
# the production hasher would be most of the run time. Password checks behave the same with this one.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
