from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi lỗi")


FINAL = frozenset({EmailStatus.SENT})


class NoticeChannel(models.TextChoices):
    """The channels a citizen may add to e-mail (issue 30 §3): each has a plugin in notifications/channels/."""

    SMS = "sms", _("SMS")
    ZALO = "zalo", _("Zalo")


class NoticeKind(models.TextChoices):
    STATUS = "status", _("Trạng thái hồ sơ")
    CODE = "code", _("Mã xác minh số điện thoại")


class NoticeStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi lỗi")
    CAPPED = "capped", _("Quá hạn mức trong ngày")


NOTICE_FINAL = frozenset({NoticeStatus.SENT, NoticeStatus.CAPPED})
# What counts towards a citizen's daily cap: the notices sent, and those a sender holds (claimed under the lock).
NOTICE_COUNTED = frozenset({NoticeStatus.SENT, NoticeStatus.SENDING})
# Where the code goes in a verification SMS's stored text; the code itself travels only in the task's arguments.
CODE_MASK = "******"
