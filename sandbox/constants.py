from django.db import models


class Gateway(models.TextChoices):
    VNPAY = "vnpay", "VNPay"
    MOMO = "momo", "MoMo"


class TransactionStatus(models.TextChoices):
    PENDING = "pending", "Chờ thanh toán"
    PAID = "paid", "Thành công"
    FAILED = "failed", "Không thành công"
    CANCELLED = "cancelled", "Khách hàng hủy"
    EXPIRED = "expired", "Hết hạn thanh toán"


FINAL = frozenset({TransactionStatus.PAID, TransactionStatus.FAILED, TransactionStatus.CANCELLED,
                   TransactionStatus.EXPIRED})


class IpnMode(models.TextChoices):
    NORMAL = "normal", "Gửi IPN ngay"
    DELAYED = "delayed", "Gửi IPN trễ"
    REPEATED = "repeated", "Gửi IPN 3 lần"
    NEVER = "never", "Không gửi IPN"


REPEATED_COPIES = 3
MAX_IPN_RETRIES = 8
# MoMo's payUrl lives 100 minutes unless the partner asks otherwise.
MOMO_PAY_URL_MINUTES = 100

# VNPay: what each response code means for the transaction.
VNPAY_PAID = "00"
VNPAY_CANCELLED = "24"
VNPAY_EXPIRED = "11"
VNPAY_WRONG_OTP = "13"
VNPAY_MESSAGES = {
    "00": "Giao dịch thành công",
    "11": "Đã hết hạn chờ thanh toán",
    "12": "Thẻ/Tài khoản bị khóa",
    "13": "Nhập sai mật khẩu xác thực giao dịch (OTP) quá số lần quy định",
    "24": "Khách hàng hủy giao dịch",
    "51": "Tài khoản không đủ số dư để thực hiện giao dịch",
}
OTP_ATTEMPTS = 3
TEST_OTP = "123456"

# The banks on the "domestic card" list and the first six digits (BIN) of their cards.
VNPAY_BANKS = [
    ("NCB", "Ngân hàng Quốc Dân (NCB)"),
    ("VIETCOMBANK", "Vietcombank"),
    ("VIETINBANK", "VietinBank"),
    ("BIDV", "BIDV"),
    ("AGRIBANK", "Agribank"),
    ("TECHCOMBANK", "Techcombank"),
    ("MBBANK", "MB Bank"),
    ("ACB", "ACB"),
    ("SACOMBANK", "Sacombank"),
    ("TPBANK", "TPBank"),
]
BANK_BINS = {
    "NCB": "970419", "VIETCOMBANK": "970436", "VIETINBANK": "970415", "BIDV": "970418", "AGRIBANK": "970405",
    "TECHCOMBANK": "970407", "MBBANK": "970422", "ACB": "970416", "SACOMBANK": "970403", "TPBANK": "970423",
}
# Test cards per bank: (number, holder, date printed on the card) -> response code after OTP. NCB's are the ones
# VNPay's own sandbox publishes; every other bank gets one card that pays and one without funds, so a payer who
# picked their bank on the merchant's site (vnp_BankCode) can finish there instead of choosing again.
VNPAY_ATM_CARDS: dict[str, dict[tuple[str, str, str], str]] = {
    "NCB": {
        ("9704198526191432198", "NGUYEN VAN A", "07/15"): "00",
        ("9704195798459170488", "NGUYEN VAN A", "07/15"): "51",
        ("9704193370791314", "NGUYEN VAN A", "07/15"): "12",
    },
    **{
        bank: {(f"{bin_}0000000018", "NGUYEN VAN A", "07/15"): "00", (f"{bin_}0000000051", "NGUYEN VAN A", "07/15"): "51"}
        for bank, bin_ in BANK_BINS.items() if bank != "NCB"
    },
}
SANDBOX_BANKS = frozenset(VNPAY_ATM_CARDS)
VNPAY_INTERNATIONAL_CARDS = {
    ("4456530000001005", "NGUYEN VAN A", "12/26"): ("VISA", "00"),
    ("5200000000001096", "NGUYEN VAN A", "12/26"): ("MASTERCARD", "51"),
}
TEST_CVV = "123"
# vnp_BankCode values that pick the payment method instead of a bank.
VNPAY_METHOD_CODES = {"VNPAYQR": "qr", "VNBANK": "atm", "INTCARD": "international"}

# MoMo resultCode values the sandbox produces.
MOMO_SUCCESS = 0
MOMO_INITIATED = 1000
MOMO_INSUFFICIENT = 1001
MOMO_EXPIRED = 1005
MOMO_DENIED = 1006
MOMO_MESSAGES = {
    0: "Thành công.",
    1000: "Giao dịch đã được khởi tạo, chờ người dùng xác nhận thanh toán.",
    1001: "Giao dịch thanh toán thất bại do tài khoản người dùng không đủ tiền.",
    1005: "Giao dịch thất bại do url hoặc QR code đã hết hạn.",
    1006: "Giao dịch thất bại do người dùng đã từ chối xác nhận thanh toán.",
}
MOMO_MIN_AMOUNT = 1_000
MOMO_MAX_AMOUNT = 50_000_000
MOMO_TEST_WALLET = "0919100100"
