"""VNPay 2.1.0: pay by redirect, IPN by GET, querydr and refund by JSON (DESIGN.md §6)."""

import hashlib
import hmac
import unicodedata
import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone as dt_timezone
from urllib.parse import quote_plus

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..constants import PaymentStatus
from .base import (
    GatewayOutcome,
    PaymentGateway,
    PaymentRedirect,
    RefundResult,
    WebhookCode,
    WebhookParse,
    post_json,
    signature_matches,
    to_int,
)
from .registry import register

VERSION = "2.1.0"
GMT7 = dt_timezone(timedelta(hours=7))
DATE_FORMAT = "%Y%m%d%H%M%S"

# vnp_ResponseCode of a payment, as VNPay documents them.
RESPONSE_MESSAGES = {
    "00": "Giao dịch thành công",
    "07": "Trừ tiền thành công, giao dịch bị nghi ngờ",
    "09": "Thẻ/Tài khoản chưa đăng ký dịch vụ InternetBanking",
    "10": "Xác thực thông tin thẻ/tài khoản không đúng quá 3 lần",
    "11": "Đã hết hạn chờ thanh toán",
    "12": "Thẻ/Tài khoản bị khóa",
    "13": "Nhập sai mật khẩu xác thực giao dịch (OTP)",
    "24": "Khách hàng hủy giao dịch",
    "51": "Tài khoản không đủ số dư để thực hiện giao dịch",
    "65": "Tài khoản đã vượt quá hạn mức giao dịch trong ngày",
    "75": "Ngân hàng thanh toán đang bảo trì",
    "79": "Nhập sai mật khẩu thanh toán quá số lần quy định",
    "99": "Lỗi không xác định",
}
# vnp_TransactionStatus: "00" paid, "01" not finished yet; "02" failed and "04" reversed are final.
STATUS_PAID, STATUS_PENDING = "00", "01"
STATUS_FAILED = frozenset({"02", "04"})
# vnp_ResponseCode of a payment that did not go through, when it says more than "failed".
FAILURE_STATUS = {"24": PaymentStatus.CANCELLED, "11": PaymentStatus.EXPIRED}

# The IPN answer (RspCode, Message), from VNPay's IPN sample.
IPN_ANSWERS = {
    WebhookCode.BAD_SIGNATURE: ("97", "Invalid Checksum"),
    WebhookCode.UNKNOWN_ORDER: ("01", "Order not found"),
    WebhookCode.WRONG_AMOUNT: ("04", "Invalid amount"),
    WebhookCode.ALREADY_FINAL: ("02", "Order already confirmed"),
    WebhookCode.ACCEPTED: ("00", "Confirm Success"),
    WebhookCode.UNEXPECTED: ("99", "Unknow error"),
}

# Field order of the pipe-joined hash of the merchant API (querydr, refund) and its answers.
QUERYDR_FIELDS = ("vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TxnRef",
                  "vnp_TransactionDate", "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo")
QUERYDR_ANSWER_FIELDS = ("vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode",
                         "vnp_TxnRef", "vnp_Amount", "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo",
                         "vnp_TransactionType", "vnp_TransactionStatus", "vnp_OrderInfo", "vnp_PromotionCode",
                         "vnp_PromotionAmount")
REFUND_FIELDS = ("vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TransactionType",
                 "vnp_TxnRef", "vnp_Amount", "vnp_TransactionNo", "vnp_TransactionDate", "vnp_CreateBy",
                 "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo")
REFUND_ANSWER_FIELDS = QUERYDR_ANSWER_FIELDS[:13]


def vnpay_hash_data(params: Mapping[str, str]) -> str:
    """The string VNPay signs: non-empty vnp_* pairs but the hash, sorted by key, `key=quote_plus(value)`."""
    return "&".join(
        f"{key}={quote_plus(str(value))}"
        for key, value in sorted(params.items())
        if key.startswith("vnp_") and key not in ("vnp_SecureHash", "vnp_SecureHashType") and str(value) != ""
    )


def vnpay_hmac(data: str, secret: str) -> str:
    """HMAC-SHA512 hex of `data` with the merchant's hash secret."""
    return hmac.new(secret.encode(), data.encode("utf-8"), hashlib.sha512).hexdigest()


def vnpay_signature_valid(params: Mapping[str, str], secret: str) -> bool:
    """True if params' vnp_SecureHash signs its other vnp_* pairs."""
    received = str(params.get("vnp_SecureHash", ""))
    expected = vnpay_hmac(vnpay_hash_data(params), secret)
    return signature_matches(received, expected)


def vnpay_date(moment: datetime) -> str:
    """`yyyyMMddHHmmss` in GMT+7, as every VNPay date is written."""
    return moment.astimezone(GMT7).strftime(DATE_FORMAT)


def ascii_text(text: str, limit: int = 255) -> str:
    """Vietnamese without diacritics: VNPay accepts only plain ASCII in vnp_OrderInfo."""
    text = text.replace("đ", "d").replace("Đ", "D")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(plain.split())[:limit]


def amount_from_vnpay(value) -> int | None:
    """VND from vnp_Amount (VND × 100); None unless it is a whole, non-negative number of đồng."""
    hundredths = to_int(value)
    if hundredths is None or hundredths < 0 or hundredths % 100:
        return None
    return hundredths // 100


def vnpay_outcome(params: dict[str, str], *, signature_ok: bool, status: str, code: str, message: str) -> GatewayOutcome:
    """Return the outcome of a VNPay statement (return, IPN, querydr answer) read by the caller as `status`.

    The statements name the order, the amount and VNPay's transaction alike; "0" is VNPay's "no transaction".
    """
    transaction_no = params.get("vnp_TransactionNo", "")
    return GatewayOutcome(
        signature_ok=signature_ok,
        reference=params.get("vnp_TxnRef", ""),
        amount_vnd=amount_from_vnpay(params.get("vnp_Amount")),
        status=status,
        transaction_id="" if transaction_no in ("", "0") else transaction_no,
        code=code,
        message=message,
        raw=params,
    )


@register("vnpay")
class VnpayGateway(PaymentGateway):
    label = _("VNPay (thẻ ATM, QR, thẻ quốc tế)")

    def start_payment(self, *, payment_ref, amount, order_info, return_url, ipn_url, client_ip, bank_code="",
                      created_at=None) -> PaymentRedirect:
        # ipn_url is not part of VNPay's request: VNPay registers it per terminal (TmnCode).
        created_at = created_at or timezone.now()
        params = {
            "vnp_Version": VERSION,
            "vnp_Command": "pay",
            "vnp_TmnCode": settings.VNPAY_TMN_CODE,
            "vnp_Amount": str(amount * 100),
            "vnp_CurrCode": "VND",
            "vnp_TxnRef": payment_ref,
            "vnp_OrderInfo": ascii_text(order_info),
            "vnp_OrderType": "other",
            "vnp_Locale": "vn",
            "vnp_CreateDate": vnpay_date(created_at),
            "vnp_ExpireDate": vnpay_date(created_at + timedelta(minutes=settings.PAYMENT_EXPIRY_MINUTES)),
            "vnp_IpAddr": client_ip,
            "vnp_ReturnUrl": return_url,
        }
        if bank_code:
            params["vnp_BankCode"] = bank_code
        data = vnpay_hash_data(params)
        signature = vnpay_hmac(data, settings.VNPAY_HASH_SECRET)
        return PaymentRedirect(url=f"{settings.VNPAY_PAYMENT_URL}?{data}&vnp_SecureHash={signature}")

    def parse_return(self, request_data: Mapping[str, str]) -> GatewayOutcome:
        params = {key: str(value) for key, value in request_data.items() if key.startswith("vnp_")}
        if not (vnpay_signature_valid(params, settings.VNPAY_HASH_SECRET)
                and params.get("vnp_TmnCode") == settings.VNPAY_TMN_CODE):
            return GatewayOutcome(signature_ok=False, reference=params.get("vnp_TxnRef", ""), raw=params)
        response_code = params.get("vnp_ResponseCode", "")
        status = params.get("vnp_TransactionStatus", "")
        if response_code == "00" and status == STATUS_PAID:
            portal_status = PaymentStatus.PAID
        elif status == STATUS_PENDING:
            portal_status = PaymentStatus.PENDING
        else:
            portal_status = FAILURE_STATUS.get(response_code, PaymentStatus.FAILED)
        return vnpay_outcome(params, signature_ok=True, status=portal_status, code=response_code,
                             message=RESPONSE_MESSAGES.get(response_code, RESPONSE_MESSAGES["99"]))

    def verify_webhook(self, request: HttpRequest) -> WebhookParse:
        return self.parse_return(request.GET)

    def webhook_response(self, code: WebhookCode) -> HttpResponse:
        rsp_code, message = IPN_ANSWERS[code]
        return JsonResponse({"RspCode": rsp_code, "Message": message})

    def _api_call(self, payload: dict[str, str], fields: tuple[str, ...], answer_fields: tuple[str, ...]) -> tuple[bool, dict]:
        """POST a pipe-signed merchant API request; return (answer signature valid, answer)."""
        secret = settings.VNPAY_HASH_SECRET
        payload["vnp_SecureHash"] = vnpay_hmac("|".join(payload[name] for name in fields), secret)
        answer = {key: str(value) for key, value in post_json(settings.VNPAY_API_URL, payload).items()}
        expected = vnpay_hmac("|".join(answer.get(name, "") for name in answer_fields), secret)
        return signature_matches(answer.get("vnp_SecureHash", ""), expected), answer

    def _api_base(self, command: str, payment_ref: str, client_ip: str) -> dict[str, str]:
        return {
            "vnp_RequestId": uuid.uuid4().hex,
            "vnp_Version": VERSION,
            "vnp_Command": command,
            "vnp_TmnCode": settings.VNPAY_TMN_CODE,
            "vnp_TxnRef": payment_ref,
            "vnp_CreateDate": vnpay_date(timezone.now()),
            "vnp_IpAddr": client_ip,
        }

    def query_status(self, *, payment_ref, created_at, client_ip="127.0.0.1", order_info="") -> GatewayOutcome:
        payload = self._api_base("querydr", payment_ref, client_ip)
        payload["vnp_TransactionDate"] = vnpay_date(created_at)
        payload["vnp_OrderInfo"] = ascii_text(order_info or f"Truy van giao dich {payment_ref}")
        signature_ok, answer = self._api_call(payload, QUERYDR_FIELDS, QUERYDR_ANSWER_FIELDS)
        response_code = answer.get("vnp_ResponseCode", "")
        status = answer.get("vnp_TransactionStatus", "")
        found = signature_ok and response_code == "00" and answer.get("vnp_TxnRef") == payment_ref
        portal_status = PaymentStatus.PENDING
        if found and status == STATUS_PAID:
            portal_status = PaymentStatus.PAID
        elif found and status in STATUS_FAILED:
            portal_status = PaymentStatus.FAILED
        return vnpay_outcome(answer, signature_ok=signature_ok, status=portal_status,
                             code=status if found else response_code, message=answer.get("vnp_Message", ""))

    def refund(self, *, payment_ref, amount, transaction_id, created_at, reason, requested_by,
               client_ip="127.0.0.1", full=True) -> RefundResult:
        payload = self._api_base("refund", payment_ref, client_ip)
        payload.update({
            "vnp_TransactionType": "02" if full else "03",
            "vnp_Amount": str(amount * 100),
            "vnp_TransactionNo": transaction_id,
            "vnp_TransactionDate": vnpay_date(created_at),
            "vnp_CreateBy": requested_by,
            "vnp_OrderInfo": ascii_text(reason),
        })
        signature_ok, answer = self._api_call(payload, REFUND_FIELDS, REFUND_ANSWER_FIELDS)
        return RefundResult(
            signature_ok=signature_ok,
            accepted=signature_ok and answer.get("vnp_ResponseCode") == "00",
            code=answer.get("vnp_ResponseCode", ""),
            message=answer.get("vnp_Message", ""),
            transaction_id=answer.get("vnp_TransactionNo", ""),
            raw=answer,
        )
