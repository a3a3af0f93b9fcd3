"""What both simulated gateways share: the merchants they know, field lists, dates and first checks."""

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone as dt_timezone
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from . import signing
GMT7 = dt_timezone(timedelta(hours=7))
VNPAY_DATE = "%Y%m%d%H%M%S"
VNPAY_PAY_REQUIRED = ("vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_Amount", "vnp_CurrCode", "vnp_TxnRef",
                      "vnp_OrderInfo", "vnp_OrderType", "vnp_Locale", "vnp_CreateDate", "vnp_ExpireDate",
                      "vnp_IpAddr", "vnp_ReturnUrl", "vnp_SecureHash")
MOMO_CREATE_REQUIRED = ("partnerCode", "requestId", "amount", "orderId", "orderInfo", "redirectUrl", "ipnUrl",
                        "requestType", "signature")
MOMO_CREATE_SIGNED = ("accessKey", "amount", "extraData", "ipnUrl", "orderId", "orderInfo", "partnerCode",
                      "redirectUrl", "requestId", "requestType")
MOMO_RESULT_SIGNED = ("accessKey", "amount", "extraData", "message", "orderId", "orderInfo", "orderType",
                      "partnerCode", "payType", "requestId", "responseTime", "resultCode", "transId")
MOMO_QUERY_SIGNED = ("accessKey", "orderId", "partnerCode", "requestId")
MOMO_QUERY_ANSWER_SIGNED = ("accessKey", "amount", "extraData", "message", "orderId", "partnerCode", "payType",
                            "requestId", "responseTime", "resultCode", "transId")
MOMO_REFUND_SIGNED = ("accessKey", "amount", "description", "orderId", "partnerCode", "requestId", "transId")
MOMO_REFUND_ANSWER_SIGNED = ("accessKey", "amount", "message", "orderId", "partnerCode", "requestId",
                             "responseTime", "resultCode", "transId")
VNPAY_QUERYDR_SIGNED = ("vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TxnRef",
                        "vnp_TransactionDate", "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo")
VNPAY_REFUND_SIGNED = ("vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TransactionType",
                       "vnp_TxnRef", "vnp_Amount", "vnp_TransactionNo", "vnp_TransactionDate", "vnp_CreateBy",
                       "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo")
VNPAY_ANSWER_SIGNED = ("vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode",
                       "vnp_TxnRef", "vnp_Amount", "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo",
                       "vnp_TransactionType", "vnp_TransactionStatus", "vnp_OrderInfo", "vnp_PromotionCode",
                       "vnp_PromotionAmount")


class SandboxError(Exception):
    """A merchant request the gateway refuses; `message` is shown to the payer in Vietnamese."""

    def __init__(self, message: str, code: str = "99"):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class VnpayMerchant:
    tmn_code: str
    hash_secret: str
    ipn_url: str


@dataclass(frozen=True)
class MomoMerchant:
    partner_code: str
    access_key: str
    secret_key: str


def vnpay_merchant() -> VnpayMerchant:
    """The one merchant registered at the simulated VNPay (its keys are the portal's settings)."""
    return VnpayMerchant(settings.VNPAY_TMN_CODE, settings.VNPAY_HASH_SECRET, settings.PAYMENT_SANDBOX_VNPAY_IPN_URL)


def momo_merchant() -> MomoMerchant:
    """The one partner registered at the simulated MoMo."""
    return MomoMerchant(settings.MOMO_PARTNER_CODE, settings.MOMO_ACCESS_KEY, settings.MOMO_SECRET_KEY)


def vnpay_parse_date(value: str) -> datetime | None:
    try:
        return datetime.strptime(value, VNPAY_DATE).replace(tzinfo=GMT7)
    except (TypeError, ValueError):
        return None


def vnpay_date(moment: datetime) -> str:
    return moment.astimezone(GMT7).strftime(VNPAY_DATE)


# Larger numbers are no amount or id a gateway issues, and would overflow a database bigint.
LARGEST_NUMBER = 10**15


def whole_number(value) -> int | None:
    """A non-negative int from an int or a digit string, None for anything else or anything absurdly large."""
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= LARGEST_NUMBER:
        return value
    return None


def web_address(value: object) -> bool:
    """Whether a merchant's return or IPN address is an absolute http(s) URL the sandbox can store and use."""
    if not isinstance(value, str) or len(value) > 1000:
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def momo_refusal(data: dict, required: tuple[str, ...], signed: tuple[str, ...]) -> tuple[int, str] | None:
    """MoMo's first checks of any partner request: fields present, partner known, signature right."""
    merchant = momo_merchant()
    if any(data.get(name) in (None, "") for name in required):
        return 20, "Yêu cầu bị từ chối vì sai định dạng."
    if data["partnerCode"] != merchant.partner_code:
        return 11, "Truy cập bị từ chối."
    expected = signing.momo_signature(signed, data, merchant.access_key, merchant.secret_key)
    if not signing.signature_matches(str(data["signature"]), expected):
        return 13, "Xác thực doanh nghiệp thất bại (sai chữ ký)."
    return None


def momo_now() -> int:
    return int(timezone.now().timestamp() * 1000)


def vnpay_hash(params: dict[str, str]) -> str:
    return signing.vnpay_signed_query(params, vnpay_merchant().hash_secret).rsplit("=", 1)[1]

