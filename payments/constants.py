"""Payment states and their final set (STYLE.md §4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Đang chờ thanh toán")
    PAID = "paid", _("Đã thanh toán")
    FAILED = "failed", _("Không thành công")
    CANCELLED = "cancelled", _("Đã hủy")
    EXPIRED = "expired", _("Hết hạn")
    PARTLY_REFUNDED = "partly_refunded", _("Đã hoàn một phần")
    REFUNDED = "refunded", _("Đã hoàn tiền")


# A final payment changes again only as payments/workflow.py allows (a late success, a refund).
FINAL = frozenset({PaymentStatus.PAID, PaymentStatus.FAILED, PaymentStatus.CANCELLED, PaymentStatus.EXPIRED,
                   PaymentStatus.PARTLY_REFUNDED, PaymentStatus.REFUNDED})
# The ends of a payment that did not go through, as a gateway's statement may name them.
FAILURES = frozenset({PaymentStatus.FAILED, PaymentStatus.CANCELLED, PaymentStatus.EXPIRED})
# Paid, money with us (some maybe given back): what a receipt is printed for.
MONEY_RECEIVED = frozenset({PaymentStatus.PAID, PaymentStatus.PARTLY_REFUNDED, PaymentStatus.REFUNDED})
# A refund may start from these (payments/workflow.py has the moves a refund makes), one at a time.
REFUNDABLE = frozenset({PaymentStatus.PAID, PaymentStatus.PARTLY_REFUNDED})


class RefundStatus(models.TextChoices):
    REQUESTED = "requested", _("Đang chờ cổng thanh toán")
    ACCEPTED = "accepted", _("Đã hoàn tiền")
    REFUSED = "refused", _("Cổng từ chối")


class CallbackKind(models.TextChoices):
    IPN = "ipn", _("IPN (máy chủ – máy chủ)")
    RETURN = "return", _("Trình duyệt quay về")
    QUERY = "query", _("Truy vấn đối soát")


class PaymentSource(models.TextChoices):
    """What moved a payment (PaymentEvent.source). The browser's return never does: it only shows (DESIGN.md §6)."""

    CITIZEN = "citizen", _("Người nộp")  # opened the payment, or chose another way to pay
    IPN = CallbackKind.IPN.value, CallbackKind.IPN.label
    QUERY = CallbackKind.QUERY.value, _("Truy vấn đối soát (querydr)")
    EXPIRY = "expiry", _("Hết thời gian chờ thanh toán")
    REFUND = "refund", _("Hoàn tiền")


class Outcome(models.TextChoices):
    """What the portal concluded about a callback (gateways.base.WebhookCode, plus the return's view)."""

    BAD_SIGNATURE = "bad_signature", _("Sai chữ ký")
    UNKNOWN_ORDER = "unknown_order", _("Không tìm thấy giao dịch")
    WRONG_AMOUNT = "wrong_amount", _("Sai số tiền")
    ALREADY_FINAL = "already_final", _("Đã xử lý trước đó")
    ACCEPTED = "accepted", _("Đã ghi nhận")
    UNEXPECTED = "unexpected", _("Lỗi không xác định")
    SHOWN = "shown", _("Hiển thị cho người nộp")
    STILL_PENDING = "still_pending", _("Cổng chưa có kết quả")


# Bank choices offered for VNPay (vnp_BankCode): empty lets the payer choose at VNPay.
VNPAY_METHODS = (
    ("", _("Chọn tại cổng VNPay")),
    ("VNBANK", _("Thẻ ATM / tài khoản ngân hàng nội địa")),
    ("VNPAYQR", _("Quét mã QR (ứng dụng ngân hàng)")),
    ("INTCARD", _("Thẻ thanh toán quốc tế (Visa, MasterCard, JCB)")),
)
VNPAY_BANKS = (
    ("NCB", _("Ngân hàng NCB")),
    ("VIETCOMBANK", "Vietcombank"),
    ("VIETINBANK", "VietinBank"),
    ("BIDV", "BIDV"),
    ("AGRIBANK", "Agribank"),
    ("TECHCOMBANK", "Techcombank"),
    ("MBBANK", "MB Bank"),
    ("SACOMBANK", "Sacombank"),
)
REFERENCE_PREFIX = "KT"
