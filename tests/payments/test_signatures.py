"""Signatures checked against strings written out by hand from DESIGN.md §6, not by the code under test."""

import hashlib
import hmac
import json
from datetime import datetime, timezone
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.test import RequestFactory

from payments.gateways.base import WebhookCode
from payments.gateways.registry import get_gateway

VNPAY_SECRET = "SECRETKEYFORTESTS0123456789ABCDEF"
MOMO_ACCESS, MOMO_SECRET = "F8BBA842ECF85", "K951B6PE1waDMi640xX08PD3vg6EkVlz"


@pytest.fixture
def keys(settings):
    settings.VNPAY_TMN_CODE = "KT000001"
    settings.VNPAY_HASH_SECRET = VNPAY_SECRET
    settings.VNPAY_PAYMENT_URL = "https://sandbox.example/vpcpay.html"
    settings.PAYMENT_EXPIRY_MINUTES = 15
    settings.MOMO_PARTNER_CODE = "MOMO"
    settings.MOMO_ACCESS_KEY = MOMO_ACCESS
    settings.MOMO_SECRET_KEY = MOMO_SECRET


def sha512(data: str) -> str:
    return hmac.new(VNPAY_SECRET.encode(), data.encode(), hashlib.sha512).hexdigest()


def sha256(data: str) -> str:
    return hmac.new(MOMO_SECRET.encode(), data.encode(), hashlib.sha256).hexdigest()


def test_vnpay_pay_url_is_signed_over_sorted_quote_plus_pairs(keys):
    redirect = get_gateway("vnpay").start_payment(
        payment_ref="TT000123", amount=150_000, order_info="Thanh toán lệ phí hồ sơ H34.01-241122-0001",
        return_url="https://dvc.example/thanh-toan/vnpay/return/", ipn_url="https://dvc.example/ipn/",
        client_ip="203.0.113.7", created_at=datetime(2026, 11, 22, 1, 30, 5, tzinfo=timezone.utc),
    )
    # Sorted by key, values quote_plus'ed; dates in GMT+7; amount in VND x 100; no diacritics in OrderInfo.
    expected_data = (
        "vnp_Amount=15000000&vnp_Command=pay&vnp_CreateDate=20261122083005&vnp_CurrCode=VND"
        "&vnp_ExpireDate=20261122084505&vnp_IpAddr=203.0.113.7&vnp_Locale=vn"
        "&vnp_OrderInfo=Thanh+toan+le+phi+ho+so+H34.01-241122-0001&vnp_OrderType=other"
        "&vnp_ReturnUrl=https%3A%2F%2Fdvc.example%2Fthanh-toan%2Fvnpay%2Freturn%2F"
        "&vnp_TmnCode=KT000001&vnp_TxnRef=TT000123&vnp_Version=2.1.0"
    )
    assert redirect.method == "GET"
    assert redirect.url == f"https://sandbox.example/vpcpay.html?{expected_data}&vnp_SecureHash={sha512(expected_data)}"


def test_vnpay_bank_code_is_sent_and_signed_only_when_given(keys):
    kwargs = dict(payment_ref="TT1", amount=1000, order_info="x", return_url="https://r/", ipn_url="",
                  client_ip="127.0.0.1", created_at=datetime(2026, 1, 1, tzinfo=timezone.utc))
    without = dict(parse_qsl(urlsplit(get_gateway("vnpay").start_payment(**kwargs).url).query))
    with_bank = dict(parse_qsl(urlsplit(get_gateway("vnpay").start_payment(**kwargs, bank_code="NCB").url).query))
    assert "vnp_BankCode" not in without
    assert with_bank["vnp_BankCode"] == "NCB"
    assert with_bank["vnp_SecureHash"] != without["vnp_SecureHash"]


def vnpay_ipn(**changes) -> dict[str, str]:
    params = {
        "vnp_Amount": "15000000", "vnp_BankCode": "NCB", "vnp_BankTranNo": "VNP14000001", "vnp_CardType": "ATM",
        "vnp_OrderInfo": "Thanh toan le phi", "vnp_PayDate": "20261122083500", "vnp_ResponseCode": "00",
        "vnp_TmnCode": "KT000001", "vnp_TransactionNo": "14000001", "vnp_TransactionStatus": "00",
        "vnp_TxnRef": "TT000123",
    }
    data = ("vnp_Amount=15000000&vnp_BankCode=NCB&vnp_BankTranNo=VNP14000001&vnp_CardType=ATM"
            "&vnp_OrderInfo=Thanh+toan+le+phi&vnp_PayDate=20261122083500&vnp_ResponseCode=00&vnp_TmnCode=KT000001"
            "&vnp_TransactionNo=14000001&vnp_TransactionStatus=00&vnp_TxnRef=TT000123")
    params["vnp_SecureHash"] = sha512(data)
    params.update(changes)
    return params


def test_vnpay_ipn_with_a_valid_signature_is_a_success(keys):
    request = RequestFactory().get("/thanh-toan/vnpay/ipn/", vnpay_ipn())
    parsed = get_gateway("vnpay").verify_webhook(request)
    assert parsed.signature_ok and parsed.success and not parsed.final_failure
    assert (parsed.reference, parsed.amount_vnd, parsed.transaction_id) == ("TT000123", 150_000, "14000001")


@pytest.mark.parametrize("field,value", [("vnp_Amount", "1500000"), ("vnp_ResponseCode", "24"),
                                         ("vnp_TxnRef", "TT000124"), ("vnp_SecureHash", "00" * 64)])
def test_vnpay_ipn_with_a_tampered_parameter_fails_the_signature(keys, field, value):
    parsed = get_gateway("vnpay").verify_webhook(RequestFactory().get("/ipn/", vnpay_ipn(**{field: value})))
    assert not parsed.signature_ok
    assert not parsed.success and not parsed.final_failure


def test_vnpay_ipn_without_any_parameter_is_refused_quietly(keys):
    parsed = get_gateway("vnpay").verify_webhook(RequestFactory().get("/ipn/"))
    assert not parsed.signature_ok


@pytest.mark.parametrize("hundredths,vnd", [("15000000", 150_000), ("100", 1), ("0", 0), ("15000050", None),
                                            ("abc", None), ("-100", None), ("", None), ("--100", None),
                                            ("1" * 40, None), ("١٠٠", None), (None, None)])
def test_vnpay_amount_is_hundredths_of_a_dong(keys, hundredths, vnd):
    from payments.gateways.vnpay import amount_from_vnpay

    assert amount_from_vnpay(hundredths) == vnd


def test_vnpay_cancelled_payment_is_a_final_failure(keys):
    data = ("vnp_Amount=15000000&vnp_BankCode=VNPAY&vnp_OrderInfo=x&vnp_PayDate=20261122083500"
            "&vnp_ResponseCode=24&vnp_TmnCode=KT000001&vnp_TransactionNo=0&vnp_TransactionStatus=02&vnp_TxnRef=T1")
    params = dict(parse_qsl(data)) | {"vnp_SecureHash": sha512(data)}
    outcome = get_gateway("vnpay").parse_return(params)
    assert outcome.signature_ok and outcome.final_failure and not outcome.success
    assert outcome.code == "24" and outcome.message == "Khách hàng hủy giao dịch" and outcome.transaction_id == ""


@pytest.mark.parametrize("code,rsp", [(WebhookCode.BAD_SIGNATURE, "97"), (WebhookCode.UNKNOWN_ORDER, "01"),
                                      (WebhookCode.WRONG_AMOUNT, "04"), (WebhookCode.ALREADY_FINAL, "02"),
                                      (WebhookCode.ACCEPTED, "00"), (WebhookCode.UNEXPECTED, "99")])
def test_vnpay_ipn_answers(code, rsp):
    response = get_gateway("vnpay").webhook_response(code)
    assert response.status_code == 200
    assert json.loads(response.content)["RspCode"] == rsp


def momo_ipn(**changes) -> dict:
    body = {"partnerCode": "MOMO", "orderId": "TT000123", "requestId": "req-1", "amount": 150000,
            "orderInfo": "Thanh toán lệ phí", "orderType": "momo_wallet", "transId": 4000000001, "resultCode": 0,
            "message": "Thành công.", "payType": "webApp", "responseTime": 1763775300000, "extraData": ""}
    raw = (f"accessKey={MOMO_ACCESS}&amount=150000&extraData=&message=Thành công.&orderId=TT000123"
           "&orderInfo=Thanh toán lệ phí&orderType=momo_wallet&partnerCode=MOMO&payType=webApp&requestId=req-1"
           "&responseTime=1763775300000&resultCode=0&transId=4000000001")
    body["signature"] = sha256(raw)
    body.update(changes)
    return body


def post_json(body):
    return RequestFactory().post("/thanh-toan/momo/ipn/", data=json.dumps(body), content_type="application/json")


def test_momo_ipn_with_a_valid_signature_is_a_success(keys):
    parsed = get_gateway("momo").verify_webhook(post_json(momo_ipn()))
    assert parsed.signature_ok and parsed.success
    assert (parsed.reference, parsed.amount_vnd, parsed.transaction_id) == ("TT000123", 150_000, "4000000001")


@pytest.mark.parametrize("field,value", [("amount", 15000), ("resultCode", 1006), ("orderId", "TT9"),
                                         ("partnerCode", "OTHER"), ("signature", "ab" * 32)])
def test_momo_ipn_with_a_tampered_field_fails_the_signature(keys, field, value):
    parsed = get_gateway("momo").verify_webhook(post_json(momo_ipn(**{field: value})))
    assert not parsed.signature_ok and not parsed.success


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b""])
def test_momo_ipn_that_is_not_a_json_object_is_refused_quietly(keys, body):
    request = RequestFactory().post("/ipn/", data=body, content_type="application/json")
    assert not get_gateway("momo").verify_webhook(request).signature_ok


def test_momo_ipn_answers_204_to_accept_and_an_error_otherwise():
    momo = get_gateway("momo")
    assert momo.webhook_response(WebhookCode.ACCEPTED).status_code == 204
    assert momo.webhook_response(WebhookCode.ALREADY_FINAL).status_code == 204
    assert momo.webhook_response(WebhookCode.BAD_SIGNATURE).status_code == 400
    assert momo.webhook_response(WebhookCode.UNEXPECTED).status_code == 503


def test_momo_create_request_is_signed_over_the_documented_fields(keys, monkeypatch):
    sent = {}

    def fake_post(url, payload):
        sent.update(url=url, payload=payload)
        return {"resultCode": 0, "payUrl": "https://pay.example/p/1"}

    monkeypatch.setattr("payments.gateways.momo.post_json", fake_post)
    redirect = get_gateway("momo").start_payment(
        payment_ref="TT000123", amount=150_000, order_info="Thanh toán lệ phí", return_url="https://dvc.example/r/",
        ipn_url="https://dvc.example/ipn/", client_ip="127.0.0.1",
    )
    payload = sent["payload"]
    raw = (f"accessKey={MOMO_ACCESS}&amount=150000&extraData=&ipnUrl=https://dvc.example/ipn/&orderId=TT000123"
           f"&orderInfo=Thanh toán lệ phí&partnerCode=MOMO&redirectUrl=https://dvc.example/r/"
           f"&requestId={payload['requestId']}&requestType=captureWallet")
    assert payload["signature"] == sha256(raw)
    assert payload["amount"] == 150_000  # MoMo counts whole đồng, unlike VNPay
    assert redirect.url == "https://pay.example/p/1"


def test_unknown_gateway_is_a_lookup_error():
    with pytest.raises(LookupError):
        get_gateway("paypal")
    assert get_gateway("vnpay").name == "vnpay" and get_gateway("momo").name == "momo"
