"""The merchant API of the simulated gateways: status query and refund (VNPay merchant_webapi, MoMo v2)."""

from django.db import IntegrityError, transaction
from django.db.models import F

from . import signing
from .constants import FINAL, MOMO_INITIATED, MOMO_MESSAGES, Gateway, TransactionStatus
from .models import MOMO_TRANSACTION_BASE, SandboxRefund, SandboxTransaction
from .protocol import (
    MOMO_QUERY_ANSWER_SIGNED,
    MOMO_QUERY_SIGNED,
    MOMO_REFUND_ANSWER_SIGNED,
    MOMO_REFUND_SIGNED,
    VNPAY_ANSWER_SIGNED,
    VNPAY_QUERYDR_SIGNED,
    VNPAY_REFUND_SIGNED,
    momo_merchant,
    momo_now,
    momo_refusal,
    vnpay_date,
    vnpay_merchant,
    whole_number,
)
from .services import transaction_expire_if_due

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
    if not signing.signature_matches(str(data["vnp_SecureHash"]), expected):
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
        "vnp_PayDate": vnpay_date(tx.completed_at) if tx.completed_at else "",
        "vnp_TransactionNo": str(tx.transaction_no) if tx.status == TransactionStatus.PAID else "0",
        "vnp_TransactionStatus": status,
        "vnp_PromotionCode": "",
        "vnp_PromotionAmount": "",
    }


def _vnpay_refund(data: dict[str, str], tx: SandboxTransaction, reply) -> dict[str, str]:
    hundredths = whole_number(data["vnp_Amount"])
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
              "refundTrans": [], "responseTime": momo_now()}

    def reply(code: int, message: str, **extra) -> dict:
        answer.update({"resultCode": code, "message": message, **extra})
        answer["signature"] = signing.momo_signature(MOMO_QUERY_ANSWER_SIGNED, answer, merchant.access_key,
                                                     merchant.secret_key)
        return answer

    refusal = momo_refusal(data, ("partnerCode", "requestId", "orderId", "signature"), MOMO_QUERY_SIGNED)
    if refusal:
        return reply(*refusal)
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
              "responseTime": momo_now()}

    def reply(code: int, message: str, **extra) -> dict:
        answer.update({"resultCode": code, "message": message, **extra})
        answer["signature"] = signing.momo_signature(MOMO_REFUND_ANSWER_SIGNED, answer, merchant.access_key,
                                                     merchant.secret_key)
        return answer

    refusal = momo_refusal(data, ("partnerCode", "orderId", "requestId", "amount", "transId", "signature"),
                            MOMO_REFUND_SIGNED)
    if refusal:
        return reply(*refusal)
    trans_id, amount = whole_number(data["transId"]), whole_number(data["amount"])
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
