from django.db import models


class AccessKind(models.TextChoices):
    """What a staff member opened (Law 91/2025 on personal data: who accessed which record, when)."""

    DOSSIER = "dossier", "Hồ sơ"
    FILE = "file", "Tệp hồ sơ"
    RECEIPT = "receipt", "Giấy tiếp nhận"
    USER = "user", "Tài khoản công dân"
    OTP_RESET = "otp_reset", "Đặt lại xác thực hai lớp"
