from django.db import models
from django.utils.translation import gettext_lazy as _


class Received(models.Model):
    """A message the simulated provider accepted, as it arrived."""

    channel = models.CharField(max_length=10)  # "sms" or "zalo"
    recipient = models.CharField(max_length=64)
    text = models.TextField()
    request_id = models.CharField(max_length=100, blank=True)
    message_id = models.CharField(max_length=64)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-id"]


class Mode(models.TextChoices):
    OK = "ok", _("Nhận bình thường")
    FAIL = "fail", _("Báo lỗi tạm thời")
    DOWN = "down", _("Lỗi máy chủ (HTTP 503)")
    TIMEOUT = "timeout", _("Không trả lời (quá thời gian chờ)")
    REJECT = "reject", _("Từ chối hẳn (hết tiền, người nhận chặn tin)")


class Behaviour(models.Model):
    """How the simulated provider answers the next requests: `mode` for the next `times` (0: until changed)."""

    channel = models.CharField(max_length=10, unique=True)
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.OK)
    times = models.PositiveIntegerField(default=0)
