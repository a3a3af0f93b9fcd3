from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountType(models.TextChoices):
    INDIVIDUAL = "individual", _("Công dân")
    ORGANISATION = "organisation", _("Tổ chức")


class Gender(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


# The staff roles and their groups are accounts.roles.

# Kinds of the e-mails this app writes to the outbox (notifications.Email.kind).
EMAIL_KIND_CONFIRM = "account_confirm"
EMAIL_KIND_EXISTS = "account_exists"
EMAIL_KIND_EMAIL_CHANGE = "account_email_change"
EMAIL_KIND_PASSWORD_RESET = "account_password_reset"
