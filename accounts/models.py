from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from .constants import AccountType, Gender
from .managers import UserManager


class User(AbstractBaseUser, PermissionsMixin):
    """A portal account: a citizen, an organisation, or agency staff. Logs in with its e-mail."""

    email = models.EmailField("e-mail", unique=True)
    account_type = models.CharField(
        "loại tài khoản", max_length=20, choices=AccountType.choices, default=AccountType.INDIVIDUAL
    )
    full_name = models.CharField("họ và tên / tên tổ chức", max_length=255, blank=True)
    # CCCD (12 digits) for a citizen, MST (10 or 13 digits) for an organisation.
    identity_number = models.CharField("số CCCD / mã số thuế", max_length=20, null=True, blank=True, unique=True)
    phone = models.CharField("số điện thoại", max_length=20, blank=True)  # stored normalised: 0xxxxxxxxx
    date_of_birth = models.DateField("ngày sinh", null=True, blank=True)
    gender = models.CharField("giới tính", max_length=10, choices=Gender.choices, blank=True)
    representative = models.CharField("người đại diện (tổ chức)", max_length=255, blank=True)
    # Address: 2025 administrative units (vietnam-provinces codes) plus street and house number.
    province_code = models.PositiveIntegerField("tỉnh, thành phố", null=True, blank=True)
    commune_code = models.PositiveIntegerField("xã, phường", null=True, blank=True)
    street_address = models.CharField("số nhà, đường, thôn", max_length=255, blank=True)
    # Set when the registration link is opened; the token changes with it, so a link works once.
    email_confirmed_at = models.DateTimeField("xác nhận e-mail lúc", null=True, blank=True)
    # A new address waiting for its confirmation link; `email` changes only once it is opened.
    pending_email = models.EmailField("e-mail mới chờ xác nhận", blank=True)
    is_staff = models.BooleanField("cán bộ", default=False)
    is_active = models.BooleanField("đang hoạt động", default=False)
    date_joined = models.DateTimeField("ngày đăng ký", default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = "tài khoản"
        verbose_name_plural = "tài khoản"
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name.split()[-1] if self.full_name else self.email
