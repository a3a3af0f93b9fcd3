"""MoMo v2 (AIO): create by JSON, IPN by JSON POST answered 204, query and refund (DESIGN.md §6)."""

import hashlib
import hmac
import json
import uuid
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from ..constants import PaymentStatus
from .base import (
    GatewayError,
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

CREATE_PATH = "/v2/gateway/api/create"
QUERY_PATH = "/v2/gateway/api/query"
REFUND_PATH = "/v2/gateway/api/refund"

# The fields each signature covers, in the order MoMo lists them (accessKey comes from settings).
CREATE_SIGNED = ("accessKey", "amount", "extraData", "ipnUrl", "orderId", "orderInfo", "partnerCode",
                 "redirectUrl", "requestId", "requestType")
RESULT_SIGNED = ("accessKey", "amount", "extraData", "message", "orderId", "orderInfo", "orderType",
                 "partnerCode", "payType", "requestId", "responseTime", "resultCode", "transId")
QUERY_SIGNED = ("accessKey", "orderId", "partnerCode", "requestId")
REFUND_SIGNED = ("accessKey", "amount", "description", "orderId", "partnerCode", "requestId", "transId")

SUCCESS = 0
# Initiated, authorised but not captured, processing: the payment may still succeed.
PENDING = frozenset({1000, 7000, 7002, 9000})
# resultCode of a payment that did not go through, when it says more than "failed":
# 1003 cancelled, 1006 the payer declined, 1005 the QR code or link expired.
FAILURE_STATUS = {1003: PaymentStatus.CANCELLED, 1006: PaymentStatus.CANCELLED, 1005: PaymentStatus.EXPIRED}

WEBHOOK_ANSWERS = {
    WebhookCode.BAD_SIGNATURE: (400, 13, "Chữ ký không hợp lệ"),
    WebhookCode.UNKNOWN_ORDER: (400, 42, "Không tìm thấy đơn hàng"),
    WebhookCode.WRONG_AMOUNT: (400, 21, "Số tiền không khớp"),
    WebhookCode.UNEXPECTED: (503, 99, "Lỗi không xác định, vui lòng gửi lại"),
}


def momo_raw(values: Mapping[str, object], names: Iterable[str]) -> str:
    """`name=value` of the signed fields, joined with `&`, values as written (no URL quoting)."""
    return "&".join(f"{name}={_text(values.get(name, ''))}" for name in names)


def momo_hmac(raw: str, secret: str) -> str:
    """HMAC-SHA256 hex of the raw string with the secret key."""
    return hmac.new(secret.encode(), raw.encode("utf-8"), hashlib.sha256).hexdigest()


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _signed(values: Mapping[str, object], names: Iterable[str]) -> str:
    return momo_hmac(momo_raw({**values, "accessKey": settings.MOMO_ACCESS_KEY}, names), settings.MOMO_SECRET_KEY)


def _signature_valid(values: Mapping[str, object], names: Iterable[str]) -> bool:
    received = _text(values.get("signature"))
    return signature_matches(received, _signed(values, names))


def _endpoint(path: str) -> str:
    return settings.MOMO_ENDPOINT.rstrip("/") + path


@register("momo")
class MomoGateway(PaymentGateway):
    label = "Ví điện tử MoMo"

    def start_payment(self, *, payment_ref, amount, order_info, return_url, ipn_url, client_ip, bank_code="",
                      created_at=None) -> PaymentRedirect:
        payload = {
            "partnerCode": settings.MOMO_PARTNER_CODE,
            "requestId": uuid.uuid4().hex,
            "amount": amount,
            "orderId": payment_ref,
            "orderInfo": order_info,
            "redirectUrl": return_url,
            "ipnUrl": ipn_url,
            "lang": "vi",
            "extraData": "",
            "requestType": "captureWallet",
        }
        payload["signature"] = _signed(payload, CREATE_SIGNED)
        answer = post_json(_endpoint(CREATE_PATH), payload)
        if answer.get("resultCode") != SUCCESS or not answer.get("payUrl"):
            raise GatewayError(f"MoMo refused the payment: {answer.get('resultCode')} {answer.get('message')}")
        return PaymentRedirect(url=str(answer["payUrl"]))

    def parse_return(self, request_data: Mapping[str, str]) -> GatewayOutcome:
        return self._outcome(dict(request_data.items()), RESULT_SIGNED)

    def verify_webhook(self, request: HttpRequest) -> WebhookParse:
        try:
            data = json.loads(request.body)
        except ValueError:
            data = None
        if not isinstance(data, dict):
            return WebhookParse(signature_ok=False, raw={"body": request.body.decode("utf-8", "replace")[:5000]})
        return self._outcome(data, RESULT_SIGNED)

    def _outcome(self, data: dict, signed: tuple[str, ...]) -> GatewayOutcome:
        signature_ok = _signature_valid(data, signed) and _text(data.get("partnerCode")) == settings.MOMO_PARTNER_CODE
        result_code = to_int(data.get("resultCode"))
        if not signature_ok or result_code in PENDING:
            status = PaymentStatus.PENDING
        elif result_code == SUCCESS:
            status = PaymentStatus.PAID
        else:
            status = FAILURE_STATUS.get(result_code, PaymentStatus.FAILED)
        amount = to_int(data.get("amount"))
        return GatewayOutcome(
            signature_ok=signature_ok,
            reference=_text(data.get("orderId")),
            amount_vnd=amount if amount is not None and amount >= 0 else None,
            status=status,
            transaction_id=_text(data.get("transId")) if status == PaymentStatus.PAID else "",
            code=_text(data.get("resultCode")),
            message=_text(data.get("message")),
            raw=data,
        )

    def webhook_response(self, code: WebhookCode) -> HttpResponse:
        if code in (WebhookCode.ACCEPTED, WebhookCode.ALREADY_FINAL):
            return HttpResponse(status=204)
        status, result_code, message = WEBHOOK_ANSWERS[code]
        return JsonResponse({"resultCode": result_code, "message": message}, status=status)

    def query_status(self, *, payment_ref, created_at, client_ip="127.0.0.1", order_info="") -> GatewayOutcome:
        payload = {"partnerCode": settings.MOMO_PARTNER_CODE, "requestId": uuid.uuid4().hex,
                   "orderId": payment_ref, "lang": "vi"}
        payload["signature"] = _signed(payload, QUERY_SIGNED)
        answer = post_json(_endpoint(QUERY_PATH), payload)
        # The query answer has no orderInfo/orderType; its signature covers the fields it has.
        return self._outcome(answer, tuple(name for name in RESULT_SIGNED if name not in ("orderInfo", "orderType")))

    def refund(self, *, payment_ref, amount, transaction_id, created_at, reason, requested_by,
               client_ip="127.0.0.1", full=True) -> RefundResult:
        # A refund is a new MoMo order of its own; MoMo finds the payment by transId.
        payload = {"partnerCode": settings.MOMO_PARTNER_CODE, "orderId": f"{payment_ref}-HT{uuid.uuid4().hex[:8]}",
                   "requestId": uuid.uuid4().hex, "amount": amount, "transId": to_int(transaction_id),
                   "lang": "vi", "description": reason}
        payload["signature"] = _signed(payload, REFUND_SIGNED)
        answer = post_json(_endpoint(REFUND_PATH), payload)
        signature_ok = _signature_valid(answer, ("accessKey", "amount", "message", "orderId", "partnerCode",
                                                 "requestId", "responseTime", "resultCode", "transId"))
        return RefundResult(
            signature_ok=signature_ok,
            accepted=signature_ok and answer.get("resultCode") == SUCCESS,
            code=_text(answer.get("resultCode")),
            message=_text(answer.get("message")),
            transaction_id=_text(answer.get("transId")),
            raw=answer,
        )
