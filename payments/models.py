"""What was owed (the fee snapshot), every payment attempt, every gateway callback and refund."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from procedures.constants import FeeKind

from .constants import CallbackKind, Outcome, PaymentSource, PaymentStatus, RefundStatus


class DossierFeeLine(models.Model):
    """One fee item of a dossier as it was when the dossier was submitted.

    The procedure's fees may change later; what the citizen owes is what was announced when they submitted.
    """

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="fee_lines")
    kind = models.CharField(_("loại"), max_length=10, choices=FeeKind.choices)
    name = models.CharField(_("nội dung"), max_length=255)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("khoản phí của hồ sơ")
        verbose_name_plural = _("khoản phí của hồ sơ")
        ordering = ["dossier", "position", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="fee_line_amount_non_negative")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.name}"


class ReceiptSeries(models.Model):
    """One series of e-receipt numbers (biên lai điện tử): one per issuing agency and year, numbered 1, 2, 3…
    without a gap, with the form number (mẫu số) and symbol (ký hiệu) the agency registered for it."""

    agency = models.ForeignKey("procedures.Agency", verbose_name=_("đơn vị thu"), on_delete=models.PROTECT,
                               related_name="receipt_series")
    year = models.PositiveSmallIntegerField(_("năm"))
    form_number = models.CharField(_("mẫu số"), max_length=20)
    symbol = models.CharField(_("ký hiệu"), max_length=20)
    last_number = models.PositiveIntegerField(_("số đã cấp gần nhất"), default=0, editable=False)

    class Meta:
        verbose_name = _("dãy số biên lai")
        verbose_name_plural = _("dãy số biên lai")
        ordering = ["agency", "-year"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="receipt_series_one_per_agency_year")]

    def __str__(self):
        return f"{self.agency} {self.year}: mẫu số {self.form_number}, ký hiệu {self.symbol}"


class Payment(models.Model):
    """One attempt to pay a dossier's fee through one gateway."""

    dossier = models.ForeignKey("dossiers.Dossier", verbose_name=_("hồ sơ"), on_delete=models.PROTECT,
                                related_name="payments")
    gateway = models.CharField(_("cổng thanh toán"), max_length=20)
    reference = models.CharField(_("mã giao dịch"), max_length=40)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    status = models.CharField(_("trạng thái"), max_length=20, choices=PaymentStatus.choices,
                              default=PaymentStatus.PENDING, db_index=True)
    bank_code = models.CharField(_("ngân hàng / phương thức"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), db_index=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    paid_at = models.DateTimeField(_("thanh toán lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    gateway_transaction_id = models.CharField(_("mã giao dịch tại cổng"), max_length=64, null=True, blank=True)
    result_code = models.CharField(_("mã kết quả"), max_length=10, blank=True)
    result_message = models.CharField(_("thông báo"), max_length=255, blank=True)
    raw_outcome = models.JSONField(_("dữ liệu kết quả"), default=dict, blank=True)
    receipt_series = models.ForeignKey(ReceiptSeries, verbose_name=_("dãy số biên lai"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="payments")
    receipt_number = models.CharField(_("số biên lai"), max_length=40, blank=True)
    refunded_amount = models.PositiveBigIntegerField(_("đã hoàn trả (đồng)"), default=0)

    class Meta:
        verbose_name = _("giao dịch thanh toán")
        verbose_name_plural = _("giao dịch thanh toán")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["reference"], name="payment_reference_unique"),
            models.UniqueConstraint(fields=["gateway", "gateway_transaction_id"],
                                    condition=Q(gateway_transaction_id__isnull=False),
                                    name="payment_gateway_transaction_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="payment_amount_non_negative"),
            models.CheckConstraint(condition=Q(refunded_amount__lte=models.F("amount")),
                                   name="payment_refunded_within_amount"),
            models.UniqueConstraint(fields=["receipt_series", "receipt_number"], condition=Q(receipt_series__isnull=False),
                                    name="payment_receipt_number_unique_in_series"),
            # Two clicks or two tabs never open two payments of the same dossier at once.
            models.UniqueConstraint(fields=["dossier"], condition=Q(status=PaymentStatus.PENDING),
                                    name="payment_one_pending_per_dossier"),
        ]

    def __str__(self):
        return self.reference

    @property
    def receipt_label(self) -> str:
        """“Mẫu số 01BLP0-001, ký hiệu BL26E, số 0000001” as printed and shown, in the reader's language."""
        if not self.receipt_series_id:
            return self.receipt_number
        series = self.receipt_series
        return gettext("Mẫu số %(form)s, ký hiệu %(symbol)s, số %(number)s") % {
            "form": series.form_number, "symbol": series.symbol, "number": self.receipt_number}


class GatewayCallback(models.Model):
    """One call from a gateway (or its browser return, or our status query), stored as it came. Never edited."""

    gateway = models.CharField(_("cổng"), max_length=20)
    kind = models.CharField(_("loại"), max_length=10, choices=CallbackKind.choices)
    method = models.CharField(_("phương thức HTTP"), max_length=8, blank=True)
    headers = models.JSONField(_("tiêu đề HTTP"), default=dict, blank=True)
    query = models.TextField(_("chuỗi truy vấn"), blank=True)
    body = models.TextField(_("nội dung"), blank=True)
    client_address = models.CharField(_("địa chỉ gửi"), max_length=64, blank=True)
    received_at = models.DateTimeField(_("nhận lúc"), auto_now_add=True, db_index=True)
    signature_ok = models.BooleanField(_("chữ ký hợp lệ"), null=True)
    outcome = models.CharField(_("kết luận"), max_length=20, choices=Outcome.choices, blank=True)
    payment = models.ForeignKey(Payment, verbose_name=_("giao dịch"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="callbacks")

    class Meta:
        verbose_name = _("lệnh gọi từ cổng thanh toán")
        verbose_name_plural = _("lệnh gọi từ cổng thanh toán")
        ordering = ["-received_at", "-id"]

    def __str__(self):
        return f"{self.gateway} {self.get_kind_display()} #{self.pk}"


class Refund(models.Model):
    """A refund asked of the gateway by staff, with the gateway's answer."""

    payment = models.ForeignKey(Payment, verbose_name=_("giao dịch"), on_delete=models.PROTECT, related_name="refunds")
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    reason = models.CharField(_("lý do"), max_length=255)
    requested_by = models.ForeignKey("accounts.User", verbose_name=_("người yêu cầu"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("trạng thái"), max_length=10, choices=RefundStatus.choices,
                              default=RefundStatus.REQUESTED)
    gateway_code = models.CharField(_("mã trả lời"), max_length=10, blank=True)
    gateway_message = models.CharField(_("thông báo"), max_length=255, blank=True)
    gateway_transaction_id = models.CharField(_("mã giao dịch hoàn"), max_length=64, blank=True)
    raw = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("hoàn tiền")
        verbose_name_plural = _("hoàn tiền")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
            # One refund at a time per payment: the gateway's answer to one is known before the next is asked.
            models.UniqueConstraint(fields=["payment"], condition=Q(status=RefundStatus.REQUESTED),
                                    name="refund_one_requested_per_payment"),
        ]

    @property
    def accepted(self) -> bool:
        return self.status == RefundStatus.ACCEPTED


class PaymentEvent(models.Model):
    """One move of a payment (workflow.TRANSITIONS, or its opening): what moved it, who, from → to, when.

    Written by services.payment_move in the transaction of the move, never edited. A state is reached once
    (the table has no cycle), so the database refuses a second event into the same state of one payment.
    """

    payment = models.ForeignKey(Payment, verbose_name=_("giao dịch"), on_delete=models.CASCADE, related_name="events")
    source = models.CharField(_("nguồn"), max_length=10, choices=PaymentSource.choices)
    from_status = models.CharField(_("từ trạng thái"), max_length=20, choices=PaymentStatus.choices, blank=True)
    to_status = models.CharField(_("sang trạng thái"), max_length=20, choices=PaymentStatus.choices)
    actor = models.ForeignKey("accounts.User", verbose_name=_("người thực hiện"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    callback = models.ForeignKey(GatewayCallback, verbose_name=_("lệnh gọi từ cổng thanh toán"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now)

    class Meta:
        verbose_name = _("lịch sử giao dịch")
        verbose_name_plural = _("lịch sử giao dịch")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["payment", "to_status"], name="payment_event_one_per_state"),
        ]

    def __str__(self):
        return f"{self.payment_id}: {self.from_status or '—'} → {self.to_status}"
