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


# A final payment never changes again, with two exceptions a gateway forces on us:
# a success confirmed after a failure or an expiry is honoured (the money did move),
# and a paid payment can be refunded.
FINAL = frozenset({PaymentStatus.PAID, PaymentStatus.FAILED, PaymentStatus.CANCELLED, PaymentStatus.EXPIRED,
                   PaymentStatus.PARTLY_REFUNDED, PaymentStatus.REFUNDED})
# Paid, money with us: what a repeated success leaves alone and what a receipt is printed for.
MONEY_RECEIVED = frozenset({PaymentStatus.PAID, PaymentStatus.PARTLY_REFUNDED, PaymentStatus.REFUNDED})


class RefundStatus(models.TextChoices):
    REQUESTED = "requested", "Đang chờ cổng thanh toán"
    ACCEPTED = "accepted", "Đã hoàn tiền"
    REFUSED = "refused", "Cổng từ chối"


# The refund state machine (STYLE.md §4): a payment's state after the gateway accepts a refund, by whether
# money remains; a refund may start only from these payment states, one at a time.
REFUNDABLE = frozenset({PaymentStatus.PAID, PaymentStatus.PARTLY_REFUNDED})
REFUND_TRANSITIONS = {
    (PaymentStatus.PAID, "part"): PaymentStatus.PARTLY_REFUNDED,
    (PaymentStatus.PAID, "rest"): PaymentStatus.REFUNDED,
    (PaymentStatus.PARTLY_REFUNDED, "part"): PaymentStatus.PARTLY_REFUNDED,
    (PaymentStatus.PARTLY_REFUNDED, "rest"): PaymentStatus.REFUNDED,
}
REFUND_FINAL = frozenset({RefundStatus.ACCEPTED, RefundStatus.REFUSED})
# States a late success confirmed by the gateway may still turn into PAID.
SUCCESS_MAY_FOLLOW = frozenset({PaymentStatus.PENDING, PaymentStatus.FAILED, PaymentStatus.CANCELLED,
                                PaymentStatus.EXPIRED})


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
