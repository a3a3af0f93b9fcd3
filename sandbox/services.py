"""What the simulated gateways do: open a transaction, finish it, send the result back to the merchant."""

import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from . import signing
from .constants import (
    FINAL,
    MOMO_DENIED,
    MOMO_EXPIRED,
    MOMO_MAX_AMOUNT,
    MOMO_MESSAGES,
    MOMO_MIN_AMOUNT,
    MOMO_PAY_URL_MINUTES,
    MOMO_SUCCESS,
    REPEATED_COPIES,
    VNPAY_CANCELLED,
    VNPAY_EXPIRED,
    VNPAY_PAID,
    Gateway,
    IpnMode,
    TransactionStatus,
)
from .models import SandboxTransaction
from .protocol import (
    MOMO_CREATE_REQUIRED,
    MOMO_CREATE_SIGNED,
    VNPAY_PAY_REQUIRED,
    SandboxError,
    momo_merchant,
    momo_now,
    momo_refusal,
    vnpay_merchant,
    vnpay_parse_date,
    web_address,
    whole_number,
)
from .tasks import deliver_ipn

logger = logging.getLogger(__name__)


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
    hundredths = whole_number(params["vnp_Amount"])
    if not hundredths or hundredths % 100:
        raise SandboxError("Số tiền không hợp lệ.", "03")
    if not web_address(params["vnp_ReturnUrl"]):
        raise SandboxError("Địa chỉ trả kết quả (vnp_ReturnUrl) không hợp lệ.", "03")
    created, expires = vnpay_parse_date(params["vnp_CreateDate"]), vnpay_parse_date(params["vnp_ExpireDate"])
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
              "orderId": data.get("orderId", ""), "amount": data.get("amount"), "responseTime": momo_now()}

    def refuse(code: int, message: str):
        return None, {**answer, "resultCode": code, "message": message}

    refusal = momo_refusal(data, MOMO_CREATE_REQUIRED, MOMO_CREATE_SIGNED)
    if refusal:
        return refuse(*refusal)
    if not (web_address(data["redirectUrl"]) and web_address(data["ipnUrl"])):
        return refuse(20, "redirectUrl hoặc ipnUrl không hợp lệ.")
    amount = whole_number(data["amount"])
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
