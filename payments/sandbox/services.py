"""What the simulated gateways do: open a transaction, finish it, tell the merchant, answer its API."""

import hmac
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone as dt_timezone
from functools import partial
from urllib.parse import urlencode

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from . import signing
from .constants import (
    FINAL,
    MOMO_DENIED,
    MOMO_EXPIRED,
    MOMO_INITIATED,
    MOMO_MAX_AMOUNT,
    MOMO_MESSAGES,
    MOMO_MIN_AMOUNT,
    MOMO_PAY_URL_MINUTES,
    MOMO_SUCCESS,
    REPEATED_COPIES,
    VNPAY_CANCELLED,
    VNPAY_EXPIRED,
    VNPAY_MESSAGES,
    VNPAY_PAID,
    Gateway,
    IpnMode,
    TransactionStatus,
)
from .models import MOMO_TRANSACTION_BASE, SandboxIpnDelivery, SandboxRefund, SandboxTransaction

logger = logging.getLogger(__name__)

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


def _vnpay_parse_date(value: str) -> datetime | None:
    try:
        return datetime.strptime(value, VNPAY_DATE).replace(tzinfo=GMT7)
    except (TypeError, ValueError):
        return None


def _vnpay_date(moment: datetime) -> str:
    return moment.astimezone(GMT7).strftime(VNPAY_DATE)


def _whole(value) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


# --- VNPay: the pay request ---------------------------------------------------------------------


def vnpay_transaction_open(*, params: dict[str, str]) -> SandboxTransaction:
    """Check a vpcpay.html request as VNPay does and return its transaction (new, or the same one reopened)."""
    merchant = vnpay_merchant()
    missing = [name for name in VNPAY_PAY_REQUIRED if not params.get(name)]
    if missing:
        raise SandboxError(f"Thiếu tham số bắt buộc: {', '.join(missing)}.", "03")
    if params["vnp_TmnCode"] != merchant.tmn_code:
        raise SandboxError("Website này chưa được phê duyệt (mã website không tồn tại).", "02")
    if not signing.vnpay_signature_ok(params, merchant.hash_secret):
        raise SandboxError("Sai chữ ký (vnp_SecureHash không hợp lệ). Dữ liệu giao dịch có thể đã bị thay đổi.", "97")
    if params["vnp_Version"] != "2.1.0" or params["vnp_Command"] != "pay" or params["vnp_CurrCode"] != "VND":
        raise SandboxError("Phiên bản, lệnh hoặc loại tiền tệ không được hỗ trợ.", "03")
    hundredths = _whole(params["vnp_Amount"])
    if not hundredths or hundredths % 100:
        raise SandboxError("Số tiền không hợp lệ.", "03")
    created, expires = _vnpay_parse_date(params["vnp_CreateDate"]), _vnpay_parse_date(params["vnp_ExpireDate"])
    if created is None or expires is None:
        raise SandboxError("Thời gian tạo hoặc hết hạn giao dịch không đúng định dạng yyyyMMddHHmmss.", "03")
    if expires <= timezone.now():
        raise SandboxError("Giao dịch đã quá thời gian chờ thanh toán.", VNPAY_EXPIRED)
    fields = {
        "amount": hundredths // 100,
        "order_info": params["vnp_OrderInfo"][:255],
        "order_type": params["vnp_OrderType"][:40],
        "bank_code": params.get("vnp_BankCode", "")[:20],
        "locale": params["vnp_Locale"][:5],
        "client_ip": params["vnp_IpAddr"][:45],
        "return_url": params["vnp_ReturnUrl"],
        "ipn_url": merchant.ipn_url,
        "merchant_created": params["vnp_CreateDate"],
        "request_data": params,
        "expires_at": expires,
    }
    try:
        with transaction.atomic():
            return SandboxTransaction.objects.create(
                gateway=Gateway.VNPAY, merchant_code=merchant.tmn_code, reference=params["vnp_TxnRef"][:100], **fields
            )
    except IntegrityError:
        pass
    existing = SandboxTransaction.objects.get(gateway=Gateway.VNPAY, merchant_code=merchant.tmn_code,
                                              reference=params["vnp_TxnRef"][:100])
    if existing.status in FINAL or existing.amount != fields["amount"]:
        raise SandboxError("Giao dịch đã tồn tại (mã đơn hàng vnp_TxnRef bị trùng).", "94")
    return existing


# --- MoMo: the create request -------------------------------------------------------------------


def momo_transaction_create(*, data: dict) -> tuple[SandboxTransaction | None, dict]:
    """Handle POST /v2/gateway/api/create: return the new transaction and the answer without payUrl."""
    merchant = momo_merchant()
    answer = {"partnerCode": data.get("partnerCode", ""), "requestId": data.get("requestId", ""),
              "orderId": data.get("orderId", ""), "amount": data.get("amount"), "responseTime": _momo_now()}

    def refuse(code: int, message: str):
        return None, {**answer, "resultCode": code, "message": message}

    if any(data.get(name) in (None, "") for name in MOMO_CREATE_REQUIRED):
        return refuse(20, "Yêu cầu bị từ chối vì sai định dạng.")
    if data["partnerCode"] != merchant.partner_code:
        return refuse(11, "Truy cập bị từ chối.")
    expected = signing.momo_signature(MOMO_CREATE_SIGNED, data, merchant.access_key, merchant.secret_key)
    if not _same(str(data["signature"]), expected):
        return refuse(13, "Xác thực doanh nghiệp thất bại (sai chữ ký).")
    amount = _whole(data["amount"])
    if amount is None or not MOMO_MIN_AMOUNT <= amount <= MOMO_MAX_AMOUNT:
        return refuse(22, f"Số tiền giao dịch phải từ {MOMO_MIN_AMOUNT} đến {MOMO_MAX_AMOUNT} VND.")
    try:
        with transaction.atomic():
            created = SandboxTransaction.objects.create(
                gateway=Gateway.MOMO, merchant_code=merchant.partner_code, reference=str(data["orderId"])[:100],
                request_id=str(data["requestId"])[:64], amount=amount, order_info=str(data["orderInfo"])[:255],
                order_type="momo_wallet", locale=str(data.get("lang") or "vi")[:5],
                return_url=str(data["redirectUrl"]), ipn_url=str(data["ipnUrl"]),
                extra_data=str(data.get("extraData") or ""), request_data=data,
                expires_at=timezone.now() + timedelta(minutes=MOMO_PAY_URL_MINUTES),
            )
    except IntegrityError:
        return refuse(41, "Mã đơn hàng orderId bị trùng.")
    return created, {**answer, "amount": amount, "resultCode": MOMO_SUCCESS, "message": MOMO_MESSAGES[0]}


def _momo_now() -> int:
    return int(timezone.now().timestamp() * 1000)


def _same(received: str, expected: str) -> bool:
    return hmac.compare_digest(received.lower(), expected)


def _vnpay_hash(params: dict[str, str]) -> str:
    return signing.vnpay_signed_query(params, vnpay_merchant().hash_secret).rsplit("=", 1)[1]


# --- Finishing a transaction --------------------------------------------------------------------


def _status_for(gateway: str, code: str) -> str:
    if gateway == Gateway.VNPAY:
        table = {VNPAY_PAID: TransactionStatus.PAID, VNPAY_CANCELLED: TransactionStatus.CANCELLED,
                 VNPAY_EXPIRED: TransactionStatus.EXPIRED}
    else:
        table = {str(MOMO_SUCCESS): TransactionStatus.PAID, str(MOMO_DENIED): TransactionStatus.CANCELLED,
                 str(MOMO_EXPIRED): TransactionStatus.EXPIRED}
    return table.get(code, TransactionStatus.FAILED)


def transaction_finish(*, transaction_id: int, code: str, ipn_mode: str = IpnMode.NORMAL,
                       bank_code: str | None = None, card_type: str | None = None) -> SandboxTransaction:
    """End a pending transaction with the gateway's result `code`; queue the IPN as `ipn_mode` says.

    Finishing twice (a double click, two tabs) changes nothing and sends no second IPN.
    """
    changes = {"status": _status_for(SandboxTransaction.objects.get(pk=transaction_id).gateway, code),
               "response_code": code, "ipn_mode": ipn_mode, "completed_at": timezone.now()}
    if bank_code is not None:
        changes["bank_code"] = bank_code
    if card_type is not None:
        changes["card_type"] = card_type
    with transaction.atomic():
        finished = SandboxTransaction.objects.filter(pk=transaction_id, status=TransactionStatus.PENDING).update(**changes)
        if finished:
            transaction.on_commit(partial(_queue_ipn, transaction_id, ipn_mode))
    return SandboxTransaction.objects.get(pk=transaction_id)


def transaction_expire_if_due(*, sandbox_transaction: SandboxTransaction) -> SandboxTransaction:
    """Finish a pending transaction whose payment window has passed, as the gateway's timer would."""
    if sandbox_transaction.status == TransactionStatus.PENDING and sandbox_transaction.expires_at <= timezone.now():
        code = VNPAY_EXPIRED if sandbox_transaction.gateway == Gateway.VNPAY else str(MOMO_EXPIRED)
        return transaction_finish(transaction_id=sandbox_transaction.pk, code=code)
    return sandbox_transaction


def transaction_record_card(*, transaction_id: int, bank_code: str, card_type: str, outcome: str) -> None:
    """Remember the card the payer entered; its outcome applies once the OTP is confirmed."""
    SandboxTransaction.objects.filter(pk=transaction_id, status=TransactionStatus.PENDING).update(
        bank_code=bank_code, card_type=card_type, card_outcome=outcome, otp_failures=0
    )


def transaction_otp_failed(*, transaction_id: int) -> int:
    """Count a wrong OTP; return how many wrong OTPs the transaction has had."""
    SandboxTransaction.objects.filter(pk=transaction_id).update(otp_failures=F("otp_failures") + 1)
    return SandboxTransaction.objects.values_list("otp_failures", flat=True).get(pk=transaction_id)


def _queue_ipn(transaction_id: int, ipn_mode: str) -> None:
    from .tasks import deliver_ipn

    plan = {
        IpnMode.NORMAL: [(1, 0)],
        IpnMode.DELAYED: [(1, settings.PAYMENT_SANDBOX_IPN_DELAY)],
        IpnMode.REPEATED: [(copy, copy - 1) for copy in range(1, REPEATED_COPIES + 1)],
        IpnMode.NEVER: [],
    }[ipn_mode]
    for copy, countdown in plan:
        try:
            deliver_ipn.apply_async(kwargs={"transaction_id": transaction_id, "copy": copy}, countdown=countdown)
        except Exception as exc:  # broker unreachable: the merchant reconciles with querydr / query
            logger.warning("sandbox IPN for transaction %s not queued: %s", transaction_id, exc)


# --- What goes back to the merchant -------------------------------------------------------------


def vnpay_result_params(*, sandbox_transaction: SandboxTransaction) -> dict[str, str]:
    """The signed parameters of the browser return and the IPN (they are the same in VNPay)."""
    tx = sandbox_transaction
    paid = tx.status == TransactionStatus.PAID
    params = {
        "vnp_Amount": str(tx.amount * 100),
        "vnp_BankCode": tx.bank_code or "VNPAY",
        "vnp_BankTranNo": f"VNP{tx.transaction_no}" if paid else "",
        "vnp_CardType": tx.card_type,
        "vnp_OrderInfo": tx.order_info,
        "vnp_PayDate": _vnpay_date(tx.completed_at or timezone.now()),
        "vnp_ResponseCode": tx.response_code,
        "vnp_TmnCode": tx.merchant_code,
        "vnp_TransactionNo": str(tx.transaction_no) if tx.status in (TransactionStatus.PAID, TransactionStatus.FAILED) else "0",
        "vnp_TransactionStatus": "00" if paid else "02",
        "vnp_TxnRef": tx.reference,
    }
    params = {key: value for key, value in params.items() if value != ""}
    params["vnp_SecureHash"] = _vnpay_hash(params)
    return params


def momo_result_payload(*, sandbox_transaction: SandboxTransaction) -> dict:
    """The signed JSON of the IPN, also the query string of the browser return."""
    tx = sandbox_transaction
    merchant = momo_merchant()
    result_code = int(tx.response_code)
    payload = {
        "partnerCode": tx.merchant_code,
        "orderId": tx.reference,
        "requestId": tx.request_id,
        "amount": tx.amount,
        "orderInfo": tx.order_info,
        "orderType": tx.order_type,
        "transId": tx.transaction_no,
        "resultCode": result_code,
        "message": MOMO_MESSAGES.get(result_code, "Giao dịch thất bại."),
        "payType": "webApp",
        "responseTime": int((tx.completed_at or timezone.now()).timestamp() * 1000),
        "extraData": tx.extra_data,
    }
    payload["signature"] = signing.momo_signature(MOMO_RESULT_SIGNED, payload, merchant.access_key,
                                                  merchant.secret_key)
    return payload


def transaction_return_url(*, sandbox_transaction: SandboxTransaction) -> str:
    """Where the payer's browser goes back to, with the protocol's signed parameters."""
    tx = sandbox_transaction
    if tx.gateway == Gateway.VNPAY:
        query = urlencode(vnpay_result_params(sandbox_transaction=tx))
    else:
        query = urlencode(momo_result_payload(sandbox_transaction=tx))
    return f"{tx.return_url}{'&' if '?' in tx.return_url else '?'}{query}"


# --- IPN delivery -------------------------------------------------------------------------------


def ipn_retry_delay(*, retries: int) -> int:
    """Seconds before the next attempt: the configured delay, doubled per earlier retry, at most an hour."""
    return min(settings.PAYMENT_SANDBOX_IPN_RETRY_DELAY * 2**retries, 3600)


def ipn_deliver(*, transaction_id: int, copy: int = 1) -> bool:
    """Send the IPN once over HTTP, record the attempt, and return whether the merchant acknowledged it.

    VNPay counts RspCode 00 (confirmed) and 02 (already confirmed) as acknowledged; MoMo expects 204.
    """
    tx = SandboxTransaction.objects.get(pk=transaction_id)
    if tx.status not in FINAL or not tx.ipn_url:
        return True
    if tx.gateway == Gateway.VNPAY:
        query = urlencode(vnpay_result_params(sandbox_transaction=tx))
        url = f"{tx.ipn_url}{'&' if '?' in tx.ipn_url else '?'}{query}"
        method, body, payload_text = "GET", None, query
        request = urllib.request.Request(url, method="GET")
    else:
        url = tx.ipn_url
        payload_text = json.dumps(momo_result_payload(sandbox_transaction=tx), ensure_ascii=False)
        method, body = "POST", payload_text.encode()
        request = urllib.request.Request(url, data=body, method="POST",
                                         headers={"Content-Type": "application/json; charset=UTF-8"})
    status_code, response_body, error = None, "", ""
    try:
        with urllib.request.urlopen(request, timeout=settings.PAYMENT_HTTP_TIMEOUT) as response:
            status_code, response_body = response.status, response.read(10_000).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        status_code, response_body = exc.code, exc.read(10_000).decode("utf-8", "replace")
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        error = f"{type(exc).__name__}: {exc}"
    acknowledged = _acknowledged(tx.gateway, status_code, response_body)
    SandboxIpnDelivery.objects.create(
        transaction=tx, copy=copy, attempt=tx.deliveries.filter(copy=copy).count() + 1, method=method, url=url[:2000],
        payload=payload_text, status_code=status_code, response_body=response_body, error=error,
        acknowledged=acknowledged, sent_at=timezone.now(),
    )
    return acknowledged


def _acknowledged(gateway: str, status_code: int | None, body: str) -> bool:
    if gateway == Gateway.MOMO:
        return status_code == 204
    if status_code != 200:
        return False
    try:
        answer = json.loads(body)
    except ValueError:
        return False
    return isinstance(answer, dict) and answer.get("RspCode") in ("00", "02")



# --- Merchant API: status query and refund ------------------------------------------------------


def vnpay_api(*, data: dict) -> dict[str, str]:
    """Answer POST merchant_webapi/api/transaction (vnp_Command querydr or refund), signed with `|`."""
    merchant = vnpay_merchant()
    data = {key: str(value) for key, value in data.items()} if isinstance(data, dict) else {}
    command = data.get("vnp_Command", "")
    answer = {"vnp_ResponseId": data.get("vnp_RequestId", ""), "vnp_Command": command,
              "vnp_TmnCode": data.get("vnp_TmnCode", ""), "vnp_TxnRef": data.get("vnp_TxnRef", "")}

    def reply(code: str, message: str, tx: SandboxTransaction | None = None, **extra) -> dict[str, str]:
        answer.update({"vnp_ResponseCode": code, "vnp_Message": message})
        if tx is not None:
            answer.update(_vnpay_api_fields(tx))
        answer.update(extra)
        names = VNPAY_ANSWER_SIGNED if command == "querydr" else VNPAY_ANSWER_SIGNED[:13]
        answer["vnp_SecureHash"] = signing.vnpay_pipe_hash((answer.get(n, "") for n in names), merchant.hash_secret)
        return answer

    signed = {"querydr": VNPAY_QUERYDR_SIGNED, "refund": VNPAY_REFUND_SIGNED}.get(command)
    if signed is None or any(name not in data for name in signed) or "vnp_SecureHash" not in data:
        return reply("03", "Dữ liệu gửi sang không đúng định dạng")
    if data["vnp_TmnCode"] != merchant.tmn_code:
        return reply("02", "Mã định danh kết nối không hợp lệ")
    expected = signing.vnpay_pipe_hash((data[name] for name in signed), merchant.hash_secret)
    if not _same(data["vnp_SecureHash"], expected):
        return reply("97", "Checksum không hợp lệ")
    tx = SandboxTransaction.objects.filter(gateway=Gateway.VNPAY, merchant_code=merchant.tmn_code,
                                           reference=data["vnp_TxnRef"],
                                           merchant_created=data["vnp_TransactionDate"]).first()
    if tx is None:
        return reply("91", "Không tìm thấy giao dịch yêu cầu")
    tx = transaction_expire_if_due(sandbox_transaction=tx)
    if command == "querydr":
        return reply("00", "Truy vấn thành công", tx, vnp_TransactionType="01")
    return _vnpay_refund(data, tx, reply)


def _vnpay_api_fields(tx: SandboxTransaction) -> dict[str, str]:
    status = {TransactionStatus.PAID: "00", TransactionStatus.PENDING: "01"}.get(tx.status, "02")
    return {
        "vnp_Amount": str(tx.amount * 100),
        "vnp_OrderInfo": tx.order_info,
        "vnp_BankCode": tx.bank_code,
        "vnp_PayDate": _vnpay_date(tx.completed_at) if tx.completed_at else "",
        "vnp_TransactionNo": str(tx.transaction_no) if tx.status == TransactionStatus.PAID else "0",
        "vnp_TransactionStatus": status,
        "vnp_PromotionCode": "",
        "vnp_PromotionAmount": "",
    }


def _vnpay_refund(data: dict[str, str], tx: SandboxTransaction, reply) -> dict[str, str]:
    hundredths = _whole(data["vnp_Amount"])
    kind = data["vnp_TransactionType"]
    if tx.status != TransactionStatus.PAID or data["vnp_TransactionNo"] != str(tx.transaction_no):
        return reply("95", "Giao dịch không thành công bên VNPAY, VNPAY từ chối xử lý yêu cầu", tx)
    if kind not in ("02", "03") or not hundredths or hundredths % 100:
        return reply("03", "Dữ liệu gửi sang không đúng định dạng", tx)
    amount = hundredths // 100
    if amount > tx.amount - tx.refunded_amount or (kind == "02" and amount != tx.amount):
        return reply("93", "Số tiền hoàn trả không hợp lệ", tx)
    if not _refund_record(tx, request_id=data["vnp_RequestId"], amount=amount, created_by=data["vnp_CreateBy"]):
        return reply("94", "Yêu cầu bị trùng lặp", tx)
    return reply("00", "Yêu cầu hoàn tiền thành công", tx, vnp_Amount=str(amount * 100), vnp_TransactionType=kind)


def _refund_record(tx: SandboxTransaction, *, request_id: str, amount: int, created_by: str = "",
                   order_id: str = "") -> SandboxRefund | None:
    """Grant a refund once per request id, never beyond what was paid; None for a duplicate."""
    try:
        with transaction.atomic():
            refund = SandboxRefund.objects.create(transaction=tx, request_id=request_id[:64], amount=amount,
                                                  created_by=created_by[:250], order_id=order_id[:100])
            granted = SandboxTransaction.objects.filter(pk=tx.pk, refunded_amount__lte=tx.amount - amount).update(
                refunded_amount=F("refunded_amount") + amount)
            if not granted:
                raise IntegrityError("refund beyond the amount paid")
    except IntegrityError:
        return None
    return refund


def momo_query(*, data: dict) -> dict:
    """Answer POST /v2/gateway/api/query with the transaction's current result."""
    merchant = momo_merchant()
    data = data if isinstance(data, dict) else {}
    answer = {"partnerCode": data.get("partnerCode", ""), "orderId": data.get("orderId", ""),
              "requestId": data.get("requestId", ""), "extraData": "", "amount": 0, "transId": 0, "payType": "",
              "refundTrans": [], "responseTime": _momo_now()}

    def reply(code: int, message: str, **extra) -> dict:
        answer.update({"resultCode": code, "message": message, **extra})
        answer["signature"] = signing.momo_signature(MOMO_QUERY_ANSWER_SIGNED, answer, merchant.access_key,
                                                     merchant.secret_key)
        return answer

    if any(not data.get(name) for name in ("partnerCode", "requestId", "orderId", "signature")):
        return reply(20, "Yêu cầu bị từ chối vì sai định dạng.")
    if data["partnerCode"] != merchant.partner_code:
        return reply(11, "Truy cập bị từ chối.")
    expected = signing.momo_signature(MOMO_QUERY_SIGNED, data, merchant.access_key, merchant.secret_key)
    if not _same(str(data["signature"]), expected):
        return reply(13, "Xác thực doanh nghiệp thất bại (sai chữ ký).")
    tx = SandboxTransaction.objects.filter(gateway=Gateway.MOMO, merchant_code=merchant.partner_code,
                                           reference=str(data["orderId"])).first()
    if tx is None:
        return reply(42, "Mã đơn hàng không tồn tại.")
    tx = transaction_expire_if_due(sandbox_transaction=tx)
    code = int(tx.response_code) if tx.status in FINAL else MOMO_INITIATED
    refunds = [{"orderId": r.order_id, "amount": r.amount, "resultCode": 0, "transId": r.refund_trans_id,
                "createdTime": int(r.created_at.timestamp() * 1000)} for r in tx.refunds.all()]
    return reply(code, MOMO_MESSAGES.get(code, "Giao dịch thất bại."), amount=tx.amount, extraData=tx.extra_data,
                 transId=tx.transaction_no if tx.status in FINAL else 0, payType="webApp" if tx.status in FINAL else "",
                 refundTrans=refunds)


def momo_refund(*, data: dict) -> dict:
    """Answer POST /v2/gateway/api/refund: refund part or all of a paid transaction found by transId."""
    merchant = momo_merchant()
    data = data if isinstance(data, dict) else {}
    answer = {"partnerCode": data.get("partnerCode", ""), "orderId": data.get("orderId", ""),
              "requestId": data.get("requestId", ""), "amount": data.get("amount"), "transId": 0,
              "responseTime": _momo_now()}

    def reply(code: int, message: str, **extra) -> dict:
        answer.update({"resultCode": code, "message": message, **extra})
        answer["signature"] = signing.momo_signature(MOMO_REFUND_ANSWER_SIGNED, answer, merchant.access_key,
                                                     merchant.secret_key)
        return answer

    if any(data.get(name) in (None, "") for name in ("partnerCode", "orderId", "requestId", "amount", "transId",
                                                       "signature")):
        return reply(20, "Yêu cầu bị từ chối vì sai định dạng.")
    if data["partnerCode"] != merchant.partner_code:
        return reply(11, "Truy cập bị từ chối.")
    expected = signing.momo_signature(MOMO_REFUND_SIGNED, data, merchant.access_key, merchant.secret_key)
    if not _same(str(data["signature"]), expected):
        return reply(13, "Xác thực doanh nghiệp thất bại (sai chữ ký).")
    trans_id, amount = _whole(data["transId"]), _whole(data["amount"])
    tx = None
    if trans_id is not None and trans_id > MOMO_TRANSACTION_BASE:
        tx = SandboxTransaction.objects.filter(pk=trans_id - MOMO_TRANSACTION_BASE, gateway=Gateway.MOMO,
                                               merchant_code=merchant.partner_code).first()
    if tx is None or tx.status != TransactionStatus.PAID:
        return reply(1080, "Giao dịch hoàn tiền thất bại: không tìm thấy giao dịch thanh toán thành công.")
    if amount is None or amount <= 0 or amount > tx.amount - tx.refunded_amount:
        return reply(21, "Số tiền hoàn không hợp lệ.")
    refund = _refund_record(tx, request_id=str(data["requestId"]), amount=amount, order_id=str(data["orderId"]),
                            created_by=str(data.get("description") or ""))
    if refund is None:
        return reply(40, "RequestId bị trùng.")
    return reply(0, "Thành công.", amount=amount, transId=refund.refund_trans_id)
