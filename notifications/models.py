from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import EmailStatus, NoticeChannel, NoticeKind, NoticeStatus


class Email(models.Model):
    """One e-mail to one recipient, written in the same transaction as the change it reports.

    The row is the outbox: a Celery task sends it after commit and marks it sent exactly once,
    so a broker or SMTP outage delays an e-mail but never loses it or sends it twice.
    """

    to = models.EmailField(_("người nhận"))
    # The dossier code the e-mail is about, when there is one: clerks see the e-mails of their agency's dossiers.
    reference = models.CharField(_("hồ sơ liên quan"), max_length=64, blank=True, db_index=True)
    subject = models.CharField(_("tiêu đề"), max_length=255)
    body_text = models.TextField(_("nội dung"))
    body_html = models.TextField(_("nội dung HTML"), blank=True)
    # Attachments are produced when the e-mail is sent (e.g. a receipt PDF), by a builder of notifications.attachments.
    attachment_builder = models.CharField(max_length=200, blank=True)
    attachment_args = models.JSONField(default=dict, blank=True)
    # An e-mail carrying a link that grants access (password reset, confirmation, e-mail change) keeps only a
    # redacted body: the link is made when the e-mail is sent, by `link_builder(**link_args)`, and the body is
    # rendered again from `template` and `context` then. Nobody who can read this table can use the link.
    template = models.CharField(max_length=200, blank=True)
    context = models.JSONField(default=dict, blank=True)
    link_builder = models.CharField(max_length=200, blank=True)
    link_args = models.JSONField(default=dict, blank=True)
    kind = models.CharField(_("loại thư"), max_length=50, blank=True, db_index=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thư điện tử")
        verbose_name_plural = _("thư điện tử")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.subject} → {self.to}"


class NoticeSettings(models.Model):
    """A citizen's choice of notice channels besides e-mail, and the phone verified for them."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_settings")
    # The verified number, normalised 0xxxxxxxxx; empty until a code sent to it was typed back.
    phone = models.CharField(_("số điện thoại nhận tin"), max_length=20, blank=True)
    phone_verified_at = models.DateTimeField(_("xác minh lúc"), null=True, blank=True)
    sms = models.BooleanField(_("nhận tin SMS"), default=False)
    zalo = models.BooleanField(_("nhận tin Zalo"), default=False)
    # The citizen's id for the portal's Zalo Official Account (known once they follow it).
    zalo_user_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("cài đặt nhận tin")
        verbose_name_plural = _("cài đặt nhận tin")


class PhoneCode(models.Model):
    """A verification code sent by SMS: only its keyed hash is kept; it expires and takes few wrong tries."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    phone = models.CharField(max_length=20)
    code_hash = models.CharField(max_length=64)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)


class Notice(models.Model):
    """One SMS or Zalo message to one citizen: the outbox of the channels besides e-mail.

    Written in the transaction of the change it reports; a Celery task sends it after commit through the channel's
    plugin. The text holds no personal data beyond the dossier code and a link (notifications.notices).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("kênh"), max_length=10, choices=NoticeChannel.choices)
    provider = models.CharField(_("nhà cung cấp"), max_length=20)
    kind = models.CharField(_("loại tin"), max_length=10, choices=NoticeKind.choices, default=NoticeKind.STATUS)
    # The phone number (SMS) or the Zalo user id the message goes to.
    recipient = models.CharField(_("người nhận"), max_length=64)
    reference = models.CharField(_("hồ sơ liên quan"), max_length=64, blank=True, db_index=True)
    text = models.CharField(_("nội dung"), max_length=500)
    status = models.CharField(_("trạng thái"), max_length=10, choices=NoticeStatus.choices,
                              default=NoticeStatus.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    provider_id = models.CharField(_("mã tin của nhà cung cấp"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True, db_index=True)
    # The day (local) the notice counts towards its citizen's daily cap: set when a sender claims it.
    day = models.DateField(null=True, blank=True)
    # When a sender last claimed it (SENDING): the sweep takes back a notice left sending past NOTICE_SENDING_LEASE.
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("tin nhắn SMS/Zalo")
        verbose_name_plural = _("tin nhắn SMS/Zalo")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "channel", "day"], name="notice_cap_idx")]

    def __str__(self):
        return f"{self.get_channel_display()} {self.reference or self.get_kind_display()}"
