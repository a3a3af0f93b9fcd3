import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .constants import Channel, RecordKind, RecordState


class OutboxRecord(models.Model):
    """One message for the national portal about one dossier: written in the transaction of the dossier's change,
    delivered in `sequence` order per dossier, and confirmed once the national side's look-up shows it held."""

    # The request id the national side deduplicates on (MaYeuCau / X-Request-ID): a resend is the same message.
    uuid = models.UUIDField(_("mã yêu cầu"), default=uuid.uuid4, unique=True, editable=False)
    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name=_("hồ sơ"), on_delete=models.CASCADE, related_name="national_records"
    )
    sequence = models.PositiveIntegerField(_("thứ tự"))
    kind = models.CharField(_("loại"), max_length=10, choices=RecordKind.choices)
    national_status = models.PositiveSmallIntegerField(_("trạng thái quốc gia"))
    channel = models.PositiveSmallIntegerField(_("hình thức"), choices=Channel.choices)
    procedure_code = models.CharField(_("mã TTHC"), max_length=40)
    payload = models.JSONField(_("dữ liệu gửi"))
    state = models.CharField(
        _("tình trạng"), max_length=10, choices=RecordState.choices, default=RecordState.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    next_attempt_at = models.DateTimeField(_("gửi lại lúc"), null=True, blank=True)
    # Until when a task queued by the sweep (or a worker's own retry) answers for this record: the sweep leaves it
    # alone till then (national_sync.delivery.dossiers_lease).
    leased_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("gửi được lúc"), null=True, blank=True)
    # Set by the comparison when the national side's look-up shows this message held; cleared if it no longer does.
    confirmed_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("bản ghi đồng bộ Cổng DVC quốc gia")
        verbose_name_plural = _("bản ghi đồng bộ Cổng DVC quốc gia")
        ordering = ["dossier_id", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "sequence"], name="outbox_dossier_sequence_unique"),
            models.CheckConstraint(condition=Q(national_status__gte=1, national_status__lte=10),
                                   name="outbox_national_status_1_10"),
        ]
        indexes = [
            # The sweep and the sender: the records still to deliver, per dossier in order.
            models.Index(fields=["dossier", "sequence"], condition=~Q(state=RecordState.DELIVERED),
                         name="outbox_undelivered"),
        ]

    def __str__(self):
        return f"{self.payload.get('MaHoSo', '')} #{self.sequence} ({self.get_kind_display()})"
