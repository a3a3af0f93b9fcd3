"""Signed links for e-mail confirmation, without a token table (django.contrib.auth.tokens)."""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class _TimedTokenGenerator(PasswordResetTokenGenerator):
    """A token generator that expires after ACCOUNT_CONFIRMATION_TIMEOUT, not PASSWORD_RESET_TIMEOUT."""

    def check_token(self, user, token):
        if not (user and token):
            return False
        try:
            ts_b36, _ = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return self._num_seconds(self._now()) - ts <= settings.ACCOUNT_CONFIRMATION_TIMEOUT


class AccountConfirmationTokenGenerator(_TimedTokenGenerator):
    """The registration link: dies once the account is confirmed or its e-mail changes."""

    key_salt = "accounts.tokens.AccountConfirmationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        confirmed = "" if user.email_confirmed_at is None else user.email_confirmed_at.replace(microsecond=0, tzinfo=None)
        return f"{user.pk}{user.email}{user.is_active}{confirmed}{timestamp}"


class EmailChangeTokenGenerator(_TimedTokenGenerator):
    """The link sent to a new address: dies once used (the pending address is cleared) or replaced."""

    key_salt = "accounts.tokens.EmailChangeTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.email}{user.pending_email}{user.is_active}{timestamp}"


account_confirmation_token = AccountConfirmationTokenGenerator()
email_change_token = EmailChangeTokenGenerator()
