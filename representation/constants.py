from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    PROCEDURE = "procedure", _("Một thủ tục")
    FIELD = "field", _("Một lĩnh vực")
    ALL = "all", _("Mọi thủ tục")


class MemberRole(models.TextChoices):
    SUBMITTER = "submitter", _("Người nộp hồ sơ")
    VIEWER = "viewer", _("Người xem")


class GrantState(models.TextChoices):
    """What an authorisation is today (computed, never stored: dates pass without a write)."""

    VALID = "valid", _("Đang hiệu lực")
    FUTURE = "future", _("Chưa đến ngày hiệu lực")
    EXPIRED = "expired", _("Đã hết hạn")
    REVOKED = "revoked", _("Đã thu hồi")


# The session key holding the account the user has chosen to act for (representation.middleware).
SESSION_KEY = "acting_for"
# Kinds of the e-mails this app writes to the outbox (notifications.Email.kind).
EMAIL_GRANTED = "authorisation_granted"
