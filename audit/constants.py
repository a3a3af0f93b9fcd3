from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessKind(models.TextChoices):
    """What a staff member opened (Law 91/2025 on personal data: who accessed which record, when)."""

    DOSSIER = "dossier", _("Hồ sơ")
    FILE = "file", _("Tệp hồ sơ")
    RECEIPT = "receipt", _("Giấy tiếp nhận")
    USER = "user", _("Tài khoản công dân")
    OTP_RESET = "otp_reset", _("Đặt lại xác thực hai lớp")
    API = "api", _("Hồ sơ (qua API tích hợp)")
