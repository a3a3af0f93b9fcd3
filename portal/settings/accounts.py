"""Accounts: the user model, passwords, how a login is checked, e-mail confirmation and its resend limits, captcha."""

from .base import env

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

# E-mail confirmation and resend limits (the login lockout, django-axes: security.py).
ACCOUNT_CONFIRMATION_TIMEOUT = env.int("ACCOUNT_CONFIRMATION_TIMEOUT", default=72 * 3600)  # seconds
ACCOUNT_RESEND_WINDOW = env.int("ACCOUNT_RESEND_WINDOW", default=3600)  # seconds
ACCOUNT_RESEND_PER_ADDRESS = env.int("ACCOUNT_RESEND_PER_ADDRESS", default=3)
ACCOUNT_RESEND_PER_CLIENT = env.int("ACCOUNT_RESEND_PER_CLIENT", default=10)

# Captcha (django-simple-captcha)
CAPTCHA_TEST_MODE = env.bool("CAPTCHA_TEST_MODE", default=False)
CAPTCHA_LENGTH = 5
# Digits: a phone shows its number pad, and common/captcha.py reads them aloud from recorded clips.
CAPTCHA_CHALLENGE_FUNCT = "common.captcha.digit_challenge"
CAPTCHA_FONT_SIZE = 46
CAPTCHA_IMAGE_SIZE = (240, 80)
CAPTCHA_LETTER_ROTATION = (-20, 20)
