from django.db import models


class AccountType(models.TextChoices):
    INDIVIDUAL = "individual", "Công dân"
    ORGANISATION = "organisation", "Tổ chức"


class Gender(models.TextChoices):
    MALE = "male", "Nam"
    FEMALE = "female", "Nữ"


# The staff roles and their groups are accounts.roles.

# Kinds of the e-mails this app writes to the outbox (notifications.Email.kind).
EMAIL_KIND_CONFIRM = "account_confirm"
EMAIL_KIND_EXISTS = "account_exists"
EMAIL_KIND_EMAIL_CHANGE = "account_email_change"
EMAIL_KIND_PASSWORD_RESET = "account_password_reset"
