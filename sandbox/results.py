"""What the simulated gateways send back to the merchant: the browser return's signed parameters and the IPN,
delivered over HTTP (by tasks.deliver_ipn, which services queue)."""

import json
import urllib.error
import urllib.request
from urllib.parse import urlencode

from django.conf import settings
from django.utils import timezone

from . import signing
from .constants import FINAL, MOMO_MESSAGES, Gateway, TransactionStatus
from .models import SandboxIpnDelivery, SandboxTransaction
from .protocol import MOMO_RESULT_SIGNED, momo_merchant, vnpay_date, vnpay_hash

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
        "vnp_PayDate": vnpay_date(tx.completed_at or timezone.now()),
        "vnp_ResponseCode": tx.response_code,
        "vnp_TmnCode": tx.merchant_code,
        "vnp_TransactionNo": str(tx.transaction_no) if tx.status in (TransactionStatus.PAID, TransactionStatus.FAILED) else "0",
        "vnp_TransactionStatus": "00" if paid else "02",
        "vnp_TxnRef": tx.reference,
    }
    params = {key: value for key, value in params.items() if value != ""}
    params["vnp_SecureHash"] = vnpay_hash(params)
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


