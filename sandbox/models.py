import uuid

from django.db import models
from django.db.models import F, Q

from .constants import Gateway, IpnMode, TransactionStatus

# Offsets that turn row ids into gateway-looking transaction numbers.
VNPAY_TRANSACTION_BASE = 14_000_000
MOMO_TRANSACTION_BASE = 4_000_000_000
MOMO_REFUND_BASE = 5_000_000_000


class SandboxTransaction(models.Model):
    """One payment as the simulated gateway sees it, from the merchant's signed request."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    gateway = models.CharField(max_length=10, choices=Gateway.choices)
    merchant_code = models.CharField(max_length=32)
    reference = models.CharField("Mã đơn hàng của đối tác", max_length=100)
    request_id = models.CharField(max_length=64, blank=True)
    amount = models.PositiveBigIntegerField("Số tiền (VND)")
    order_info = models.CharField(max_length=255)
    order_type = models.CharField(max_length=40, blank=True)
    bank_code = models.CharField(max_length=20, blank=True)
    card_type = models.CharField(max_length=20, blank=True)
    locale = models.CharField(max_length=5, blank=True)
    client_ip = models.CharField(max_length=45, blank=True)
    return_url = models.URLField(max_length=1000)
    ipn_url = models.URLField(max_length=1000, blank=True)
    extra_data = models.TextField(blank=True)
    merchant_created = models.CharField("vnp_CreateDate", max_length=14, blank=True)
    request_data = models.JSONField(default=dict)
    expires_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=TransactionStatus.choices, default=TransactionStatus.PENDING)
    response_code = models.CharField(max_length=10, blank=True)
    # The test card's outcome, applied once the payer enters the OTP.
    card_outcome = models.CharField(max_length=10, blank=True)
    otp_failures = models.PositiveSmallIntegerField(default=0)
    ipn_mode = models.CharField(max_length=10, choices=IpnMode.choices, default=IpnMode.NORMAL)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    refunded_amount = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["gateway", "merchant_code", "reference"], name="sandbox_unique_reference"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="sandbox_amount_positive"),
            models.CheckConstraint(condition=Q(refunded_amount__lte=F("amount")), name="sandbox_refund_le_amount"),
        ]

    def __str__(self):
        return f"{self.get_gateway_display()} {self.reference}"

    @property
    def transaction_no(self) -> int:
        base = VNPAY_TRANSACTION_BASE if self.gateway == Gateway.VNPAY else MOMO_TRANSACTION_BASE
        return base + self.pk


class SandboxIpnDelivery(models.Model):
    """One attempt at delivering an IPN to the merchant, and what the merchant answered."""

    transaction = models.ForeignKey(SandboxTransaction, on_delete=models.CASCADE, related_name="deliveries")
    copy = models.PositiveSmallIntegerField(default=1)
    attempt = models.PositiveSmallIntegerField()
    method = models.CharField(max_length=6)
    url = models.URLField(max_length=2000)
    payload = models.TextField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True)
    error = models.TextField(blank=True)
    acknowledged = models.BooleanField(default=False)
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["sent_at", "pk"]

    def __str__(self):
        return f"IPN {self.transaction} #{self.copy}.{self.attempt}"


class SandboxRefund(models.Model):
    """A refund the merchant asked for and the sandbox granted."""

    transaction = models.ForeignKey(SandboxTransaction, on_delete=models.PROTECT, related_name="refunds")
    request_id = models.CharField(max_length=64)
    order_id = models.CharField(max_length=100, blank=True)
    amount = models.PositiveBigIntegerField()
    created_by = models.CharField(max_length=250, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["transaction", "request_id"], name="sandbox_unique_refund_request"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="sandbox_refund_positive"),
        ]

    @property
    def refund_trans_id(self) -> int:
        return MOMO_REFUND_BASE + self.pk
