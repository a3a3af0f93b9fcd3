from django.db import models

from .constants import EmailStatus


class Email(models.Model):
    """One e-mail to one recipient, written in the same transaction as the change it reports.

    The row is the outbox: a Celery task sends it after commit and marks it sent exactly once,
    so a broker or SMTP outage delays an e-mail but never loses it or sends it twice.
    """

    to = models.EmailField("người nhận")
    # The dossier code the e-mail is about, when there is one: clerks see the e-mails of their agency's dossiers.
    reference = models.CharField("hồ sơ liên quan", max_length=64, blank=True, db_index=True)
    subject = models.CharField("tiêu đề", max_length=255)
    body_text = models.TextField("nội dung")
    body_html = models.TextField("nội dung HTML", blank=True)
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
    kind = models.CharField("loại thư", max_length=50, blank=True, db_index=True)
    status = models.CharField(
        "trạng thái", max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField("số lần gửi", default=0)
    last_error = models.TextField("lỗi gần nhất", blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField("gửi lúc", null=True, blank=True)

    class Meta:
        verbose_name = "thư điện tử"
        verbose_name_plural = "thư điện tử"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.subject} → {self.to}"
