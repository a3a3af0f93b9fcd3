from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import AccountType, Gender
from .managers import UserManager
from .user_cache import user_cache_forget


class User(AbstractBaseUser, PermissionsMixin):
    """A portal account: a citizen, an organisation, or agency staff. Logs in with its e-mail."""

    email = models.EmailField("e-mail", unique=True)
    account_type = models.CharField(
        _("loại tài khoản"), max_length=20, choices=AccountType.choices, default=AccountType.INDIVIDUAL
    )
    full_name = models.CharField(_("họ và tên / tên tổ chức"), max_length=255, blank=True)
    # CCCD (12 digits) for a citizen, MST (10 or 13 digits) for an organisation.
    identity_number = models.CharField(_("số CCCD / mã số thuế"), max_length=20, null=True, blank=True, unique=True)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)  # stored normalised: 0xxxxxxxxx
    date_of_birth = models.DateField(_("ngày sinh"), null=True, blank=True)
    gender = models.CharField(_("giới tính"), max_length=10, choices=Gender.choices, blank=True)
    representative = models.CharField(_("người đại diện (tổ chức)"), max_length=255, blank=True)
    # Address: 2025 administrative units (vietnam-provinces codes) plus street and house number.
    province_code = models.PositiveIntegerField(_("tỉnh, thành phố"), null=True, blank=True)
    commune_code = models.PositiveIntegerField(_("xã, phường"), null=True, blank=True)
    street_address = models.CharField(_("số nhà, đường, thôn"), max_length=255, blank=True)
    # Set when the registration link is opened; the token changes with it, so a link works once.
    email_confirmed_at = models.DateTimeField(_("xác nhận e-mail lúc"), null=True, blank=True)
    # A new address waiting for its confirmation link; `email` changes only once it is opened.
    pending_email = models.EmailField(_("e-mail mới chờ xác nhận"), blank=True)
    is_staff = models.BooleanField(_("cán bộ"), default=False)
    is_active = models.BooleanField(_("đang hoạt động"), default=False)
    date_joined = models.DateTimeField(_("ngày đăng ký"), default=timezone.now)
    # The language the portal's e-mails to this account are written in: the one last chosen on the portal.
    language = models.CharField(_("ngôn ngữ"), max_length=8, choices=settings.LANGUAGES, default="vi")

    objects = UserManager()

    # Every write to the row reaches the cache of signed-in users (accounts/user_cache.py): a save or a delete here,
    # the writes that go past them in managers.UserQuerySet.
    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        user_cache_forget(self.pk)

    def delete(self, *args, **kwargs):
        pk = self.pk
        deleted = super().delete(*args, **kwargs)
        user_cache_forget(pk)
        return deleted

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name.split()[-1] if self.full_name else self.email


class NationalIdentity(models.Model):
    """An account's link to its identity at the national identity provider (login through it, accounts/national.py).

    Made when the provider's verified identity number created the account, or matched one whose owner then proved it
    with its password; afterwards the provider's subject alone finds the account.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="national_identities",
                             verbose_name=_("tài khoản"))
    issuer = models.CharField(_("nhà cung cấp định danh (iss)"), max_length=255)
    subject = models.CharField(_("mã định danh tại nhà cung cấp (sub)"), max_length=255)
    identity_number = models.CharField(_("số định danh cá nhân"), max_length=20)
    last_loa = models.PositiveSmallIntegerField(_("mức định danh lần đăng nhập gần nhất"), null=True, blank=True)
    linked_at = models.DateTimeField(_("liên kết lúc"), default=timezone.now)
    last_login_at = models.DateTimeField(_("đăng nhập gần nhất lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("liên kết định danh quốc gia")
        verbose_name_plural = _("liên kết định danh quốc gia")
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="national_identity_unique")]

    def __str__(self):
        return f"{self.identity_number} ({self.issuer})"
