"""What the simulated national portal received, and how it is told to misbehave."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Protocol(models.TextChoices):
    MOTCUA = "motcua", _("Một cửa (DongBoHoSoMC, CapNhatTienDoHoSoMC)")
    V2 = "v2", _("API v2 (OAuth 2)")


class Mode(models.TextChoices):
    NORMAL = "normal", _("Bình thường")
    FAIL = "fail", _("Báo lỗi, không lưu")
    TIMEOUT = "timeout", _("Lưu rồi trả lời quá thời gian chờ")
    TWICE = "twice", _("Trả lời hai lần: lưu, báo lỗi, lần gửi lại báo đã nhận")
    LOSE = "lose", _("Báo thành công nhưng không lưu (mất bản ghi)")


class Control(models.Model):
    """How one protocol answers the next data calls: `mode` on one call in `every`, for `times` calls (0: always)."""

    protocol = models.CharField(max_length=10, choices=Protocol.choices, unique=True)
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.NORMAL)
    every = models.PositiveIntegerField(default=1)
    times = models.PositiveIntegerField(default=0)
    seen = models.PositiveBigIntegerField(default=0)
    affected = models.PositiveBigIntegerField(default=0)
    delay = models.FloatField(default=30.0)  # seconds the "timeout" mode waits before answering


class Message(models.Model):
    """One message stored, once per request id (MaYeuCau / X-Request-ID)."""

    protocol = models.CharField(max_length=10, choices=Protocol.choices)
    request_id = models.CharField(max_length=120)
    service = models.CharField(max_length=40)
    code = models.CharField("MaHoSo", max_length=60, db_index=True)
    status = models.PositiveSmallIntegerField("TrangThaiHoSo", null=True)
    at = models.CharField("ThoiDiemXuLy", max_length=14, blank=True)
    sequence = models.PositiveIntegerField("SoThuTu", default=0)
    body = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["protocol", "request_id"], name="dvcqg_message_once")]


class Call(models.Model):
    """Every data call and what the sandbox did with it."""

    protocol = models.CharField(max_length=10, choices=Protocol.choices)
    request_id = models.CharField(max_length=120, blank=True)
    service = models.CharField(max_length=40)
    outcome = models.CharField(max_length=20)  # stored, duplicate, failed, timeout, twice, lost, refused
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["protocol", "request_id"], name="dvcqg_call_request")]


class UploadedFile(models.Model):
    """A file uploaded through v2 (its bytes' digest; the bytes themselves are not kept)."""

    request_id = models.CharField(max_length=160, unique=True)
    code = models.CharField("MaHoSo", max_length=60)
    name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    received_at = models.DateTimeField(auto_now_add=True)
