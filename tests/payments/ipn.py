"""Build gateway callbacks as the gateways would, with the sandbox's own signer (sandbox/signing.py)."""

import json

from django.conf import settings

from sandbox import signing
from sandbox.protocol import MOMO_RESULT_SIGNED


def vnpay_params(payment, *, response="00", status="00", amount_hundredths=None, reference=None, trans_no=None):
    return {
        "vnp_Amount": str(amount_hundredths if amount_hundredths is not None else payment.amount * 100),
        "vnp_BankCode": "NCB",
        "vnp_BankTranNo": "VNP14000001",
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": "Thanh toan phi",
        "vnp_PayDate": "20261122091500",
        "vnp_ResponseCode": response,
        "vnp_TmnCode": settings.VNPAY_TMN_CODE,
        "vnp_TransactionNo": str(trans_no or 14_000_000 + payment.pk),
        "vnp_TransactionStatus": status,
        "vnp_TxnRef": reference or payment.reference,
    }


def vnpay_query(params, *, secret=None) -> str:
    return signing.vnpay_signed_query(params, secret or settings.VNPAY_HASH_SECRET)


def momo_payload(payment, *, result=0, amount=None, reference=None, trans_id=None):
    payload = {
        "partnerCode": settings.MOMO_PARTNER_CODE, "orderId": reference or payment.reference,
        "requestId": "req-" + payment.reference, "amount": payment.amount if amount is None else amount,
        "orderInfo": "Thanh toán phí", "orderType": "momo_wallet", "transId": trans_id or 4_000_000_000 + payment.pk,
        "resultCode": result, "message": "Thành công." if result == 0 else "Giao dịch thất bại.",
        "payType": "webApp", "responseTime": 1763800000000, "extraData": "",
    }
    return payload


def momo_sign(payload, *, secret=None) -> dict:
    signature = signing.momo_signature(MOMO_RESULT_SIGNED, payload, settings.MOMO_ACCESS_KEY,
                                       secret or settings.MOMO_SECRET_KEY)
    return {**payload, "signature": signature}


def success_ipn(client, payment):
    """Deliver the gateway's signed success IPN for `payment`; return the response."""
    if payment.gateway == "vnpay":
        return client.get(f"/thanh-toan/vnpay/ipn/?{vnpay_query(vnpay_params(payment))}")
    return client.post("/thanh-toan/momo/ipn/", data=json.dumps(momo_sign(momo_payload(payment))),
                       content_type="application/json")


def answer(response) -> str:
    """The gateway-format answer, normalised: VNPay's RspCode, or MoMo's HTTP 204 / resultCode."""
    if response.status_code == 204:
        return "204"
    data = response.json()
    return data.get("RspCode", str(data.get("resultCode")))
