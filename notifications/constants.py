from django.db import models


class EmailStatus(models.TextChoices):
    PENDING = "pending", "Chờ gửi"
    SENT = "sent", "Đã gửi"
    FAILED = "failed", "Gửi lỗi"


FINAL = frozenset({EmailStatus.SENT})
