"""Payment states and their final set (STYLE.md §4)."""

from django.db import models


class PaymentStatus(models.TextChoices):
    PENDING = "pending", "Đang chờ thanh toán"
    PAID = "paid", "Đã thanh toán"
    FAILED = "failed", "Không thành công"
    CANCELLED = "cancelled", "Đã hủy"
    EXPIRED = "expired", "Hết hạn"
    PARTLY_REFUNDED = "partly_refunded", "Đã hoàn một phần"
    REFUNDED = "refunded", "Đã hoàn tiền"


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
    REQUESTED = "requested", "Đang chờ cổng thanh toán"
    ACCEPTED = "accepted", "Đã hoàn tiền"
    REFUSED = "refused", "Cổng từ chối"


class CallbackKind(models.TextChoices):
    IPN = "ipn", "IPN (máy chủ – máy chủ)"
    RETURN = "return", "Trình duyệt quay về"
    QUERY = "query", "Truy vấn đối soát"


class Outcome(models.TextChoices):
    """What the portal concluded about a callback (gateways.base.WebhookCode, plus the return's view)."""

    BAD_SIGNATURE = "bad_signature", "Sai chữ ký"
    UNKNOWN_ORDER = "unknown_order", "Không tìm thấy giao dịch"
    WRONG_AMOUNT = "wrong_amount", "Sai số tiền"
    ALREADY_FINAL = "already_final", "Đã xử lý trước đó"
    ACCEPTED = "accepted", "Đã ghi nhận"
    UNEXPECTED = "unexpected", "Lỗi không xác định"
    SHOWN = "shown", "Hiển thị cho người nộp"
    STILL_PENDING = "still_pending", "Cổng chưa có kết quả"


# Bank choices offered for VNPay (vnp_BankCode): empty lets the payer choose at VNPay.
VNPAY_METHODS = (
    ("", "Chọn tại cổng VNPay"),
    ("VNBANK", "Thẻ ATM / tài khoản ngân hàng nội địa"),
    ("VNPAYQR", "Quét mã QR (ứng dụng ngân hàng)"),
    ("INTCARD", "Thẻ thanh toán quốc tế (Visa, MasterCard, JCB)"),
)
VNPAY_BANKS = (
    ("NCB", "Ngân hàng NCB"),
    ("VIETCOMBANK", "Vietcombank"),
    ("VIETINBANK", "VietinBank"),
    ("BIDV", "BIDV"),
    ("AGRIBANK", "Agribank"),
    ("TECHCOMBANK", "Techcombank"),
    ("MBBANK", "MB Bank"),
    ("SACOMBANK", "Sacombank"),
)
REFERENCE_PREFIX = "KT"
