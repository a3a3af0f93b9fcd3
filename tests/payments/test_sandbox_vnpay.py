"""The simulated VNPay: the payer's pages, each outcome's return and IPN, querydr and refund."""

import re
from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from payments.constants import VNPAY_BANKS as PORTAL_BANKS
from payments.gateways.registry import get_gateway
from sandbox import protocol, results
from sandbox.constants import TransactionStatus
from sandbox.models import SandboxTransaction
from tests.payments.conftest import returned_params

pytestmark = pytest.mark.django_db

NCB_OK = {"card_number": "9704 1985 2619 1432 198", "holder": "nguyen van a", "issue_date": "07/15"}
NCB_POOR = {"card_number": "9704195798459170488", "holder": "NGUYEN VAN A", "issue_date": "07/15"}


def pay_with_card(client, response, card, otp="123456", ipn_mode="never"):
    method_page = response["Location"]
    tx = SandboxTransaction.objects.get()
    bank = tx.bank_code if "/the-noi-dia/" in method_page else "NCB"
    card_response = client.post(f"/sandbox/vnpay/{tx.token}/the-noi-dia/{bank}/", card)
    assert card_response.status_code == 302 and card_response["Location"].endswith("/otp/"), method_page
    return client.post(card_response["Location"], {"otp": otp, "ipn_mode": ipn_mode})


def ipn_of(tx):
    """The IPN the sandbox would send, read by the portal's own verifier."""
    params = results.vnpay_result_params(sandbox_transaction=SandboxTransaction.objects.get(pk=tx.pk))
    return get_gateway("vnpay").verify_webhook(RequestFactory().get("/thanh-toan/vnpay/ipn/", params))


def test_the_signed_url_opens_the_method_page(open_vnpay, client, settings):
    response = open_vnpay()
    assert response.status_code == 302
    page = client.get(response["Location"])
    text = page.content.decode()
    assert page.status_code == 200
    assert "MÔI TRƯỜNG THỬ NGHIỆM" in text and "150.000 VND" in text
    assert "Thẻ nội địa và tài khoản ngân hàng" in text and "Ngân hàng Quốc Dân (NCB)" in text
    tx = SandboxTransaction.objects.get()
    assert (tx.reference, tx.amount, tx.status) == ("TT000123", 150_000, "pending")
    assert tx.merchant_code == settings.VNPAY_TMN_CODE


@pytest.mark.parametrize("field,value", [("vnp_Amount", "1500000"), ("vnp_TxnRef", "TT999"),
                                         ("vnp_SecureHash", "0" * 128), ("vnp_SecureHash", "chữký")])
def test_a_tampered_url_gets_a_vietnamese_error_page(sandbox, client, field, value):
    from urllib.parse import parse_qsl, urlencode, urlsplit

    url = get_gateway("vnpay").start_payment(payment_ref="TT000123", amount=150_000, order_info="Le phi",
                                             return_url="http://testserver/r/", ipn_url="", client_ip="127.0.0.1").url
    params = dict(parse_qsl(urlsplit(url).query)) | {field: value}
    response = client.get("/sandbox/vnpay/paymentv2/vpcpay.html?" + urlencode(params))
    assert response.status_code == 400
    assert "Sai chữ ký" in response.content.decode()
    assert not SandboxTransaction.objects.exists()


@pytest.mark.parametrize("kwargs,message", [
    ({"amount": 10**14}, "Số tiền không hợp lệ."),
    ({"return_url": "javascript:alert(1)"}, "vnp_ReturnUrl"),
])
def test_an_impossible_amount_or_return_address_is_refused(sandbox, client, kwargs, message):
    params = {"payment_ref": "TT1", "amount": 10_000, "order_info": "x", "return_url": "http://testserver/r/",
              "ipn_url": "", "client_ip": "127.0.0.1"} | kwargs
    response = client.get(get_gateway("vnpay").start_payment(**params).url.removeprefix("http://testserver"))
    assert response.status_code == 400 and message in response.content.decode()
    assert not SandboxTransaction.objects.exists()


def test_junk_on_the_pay_url_is_a_clear_error(sandbox, client):
    response = client.get("/sandbox/vnpay/paymentv2/vpcpay.html?vnp_Amount=%00&vnp_TxnRef=" + "x" * 3000)
    assert response.status_code == 400 and "Thiếu tham số bắt buộc" in response.content.decode()


def test_a_url_signed_with_another_secret_is_refused(open_vnpay, settings):
    settings.VNPAY_HASH_SECRET = "another-merchant-secret"
    url = get_gateway("vnpay").start_payment(payment_ref="T1", amount=10_000, order_info="x",
                                             return_url="http://testserver/r/", ipn_url="", client_ip="127.0.0.1").url
    settings.VNPAY_HASH_SECRET = "SANDBOXVNPAYSECRETKONTUM0123456789"
    from django.test import Client

    response = Client().get(url.removeprefix("http://testserver"))
    assert response.status_code == 400 and "Sai chữ ký" in response.content.decode()


def test_an_expired_request_is_refused(open_vnpay):
    response = open_vnpay(created_at=timezone.now() - timedelta(hours=1))
    assert response.status_code == 400
    assert "quá thời gian chờ thanh toán" in response.content.decode()


def test_domestic_card_and_otp_pay_and_return_signed_success(open_vnpay, client):
    final = pay_with_card(client, open_vnpay(), NCB_OK)
    params = returned_params(final)
    assert params["vnp_ResponseCode"] == "00" and params["vnp_TransactionStatus"] == "00"
    assert params["vnp_Amount"] == "15000000" and params["vnp_BankCode"] == "NCB" and params["vnp_CardType"] == "ATM"
    outcome = get_gateway("vnpay").parse_return(params)
    assert outcome.signature_ok and outcome.success and outcome.amount_vnd == 150_000
    tx = SandboxTransaction.objects.get()
    assert tx.status == TransactionStatus.PAID
    ipn = ipn_of(tx)
    assert ipn.signature_ok and ipn.success and ipn.reference == "TT000123"
    assert ipn.transaction_id == str(tx.transaction_no)
    assert set(ipn.raw) == {"vnp_Amount", "vnp_BankCode", "vnp_BankTranNo", "vnp_CardType", "vnp_OrderInfo",
                            "vnp_PayDate", "vnp_ResponseCode", "vnp_TmnCode", "vnp_TransactionNo",
                            "vnp_TransactionStatus", "vnp_TxnRef", "vnp_SecureHash"}


def test_wrong_card_details_are_shown_next_to_the_field_and_kept(open_vnpay, client):
    open_vnpay()
    tx = SandboxTransaction.objects.get()
    response = client.post(f"/sandbox/vnpay/{tx.token}/the-noi-dia/NCB/",
                           {"card_number": "9704000000000000", "holder": "TRAN THI B", "issue_date": "01/20"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Thông tin thẻ không đúng" in text
    assert 'value="9704000000000000"' in text and 'value="TRAN THI B"' in text
    assert SandboxTransaction.objects.get().status == TransactionStatus.PENDING


def test_insufficient_funds_card_fails_with_51(open_vnpay, client):
    params = returned_params(pay_with_card(client, open_vnpay(), NCB_POOR))
    outcome = get_gateway("vnpay").parse_return(params)
    assert outcome.signature_ok and outcome.final_failure and outcome.code == "51"
    assert ipn_of(SandboxTransaction.objects.get()).final_failure


def test_wrong_otp_three_times_fails_with_13(open_vnpay, client):
    response = pay_with_card(client, open_vnpay(), NCB_OK, otp="000000")
    assert response.status_code == 200
    assert "Mã OTP không đúng. Bạn còn 2 lần nhập." in response.content.decode()
    tx = SandboxTransaction.objects.get()
    client.post(f"/sandbox/vnpay/{tx.token}/otp/", {"otp": "111111", "ipn_mode": "never"})
    params = returned_params(client.post(f"/sandbox/vnpay/{tx.token}/otp/", {"otp": "222222", "ipn_mode": "never"}))
    assert params["vnp_ResponseCode"] == "13" and params["vnp_TransactionStatus"] == "02"
    assert SandboxTransaction.objects.get().status == TransactionStatus.FAILED


@pytest.mark.parametrize("action,code,status", [("cancel", "24", TransactionStatus.CANCELLED),
                                                ("timeout", "11", TransactionStatus.EXPIRED)])
def test_cancel_and_timeout_buttons(open_vnpay, client, action, code, status):
    open_vnpay()
    tx = SandboxTransaction.objects.get()
    params = returned_params(client.post(f"/sandbox/vnpay/{tx.token}/ket-thuc/", {"action": action, "cancel-ipn_mode": "never"}))
    outcome = get_gateway("vnpay").parse_return(params)
    assert outcome.signature_ok and outcome.final_failure and outcome.code == code
    assert params["vnp_TransactionNo"] == "0"
    assert SandboxTransaction.objects.get().status == status
    ipn = ipn_of(tx)
    assert ipn.signature_ok and ipn.code == code


def test_a_page_opened_after_the_deadline_ends_the_payment_as_expired(open_vnpay, client, queued_ipns,
                                                                      django_capture_on_commit_callbacks):
    open_vnpay()
    SandboxTransaction.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    tx = SandboxTransaction.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        params = returned_params(client.get(f"/sandbox/vnpay/{tx.token}/"))
    assert params["vnp_ResponseCode"] == "11"
    assert queued_ipns == [{"transaction_id": tx.pk, "copy": 1, "countdown": 0}]


def test_qr_payment(open_vnpay, client):
    response = open_vnpay(bank_code="VNPAYQR")
    assert response["Location"].endswith("/qr/")
    page = client.get(response["Location"])
    assert "<svg" in page.content.decode()
    params = returned_params(client.post(response["Location"], {"ipn_mode": "never"}))
    assert params["vnp_ResponseCode"] == "00" and params["vnp_BankCode"] == "VNPAYQR"
    assert params["vnp_CardType"] == "QRCODE"


def test_international_card_payment(open_vnpay, client):
    response = open_vnpay(bank_code="INTCARD")
    assert response["Location"].endswith("/the-quoc-te/")
    otp = client.post(response["Location"], {"card_number": "4456530000001005", "expiry": "12/26", "cvv": "123",
                                             "holder": "NGUYEN VAN A"})
    params = returned_params(client.post(otp["Location"], {"otp": "123456", "ipn_mode": "never"}))
    assert params["vnp_ResponseCode"] == "00" and params["vnp_CardType"] == "VISA"


def test_wrong_cvv_is_shown_next_to_the_field(open_vnpay, client):
    response = open_vnpay(bank_code="INTCARD")
    page = client.post(response["Location"], {"card_number": "4456530000001005", "expiry": "12/26", "cvv": "999",
                                              "holder": "NGUYEN VAN A"})
    assert page.status_code == 200 and "Mã CVV/CVC không đúng." in page.content.decode()


def test_bank_code_ncb_goes_straight_to_the_card_page(open_vnpay):
    assert open_vnpay(bank_code="NCB")["Location"].endswith("/the-noi-dia/NCB/")


def test_an_unknown_bank_has_no_card_page(open_vnpay, client):
    open_vnpay()
    tx = SandboxTransaction.objects.get()
    assert client.get(f"/sandbox/vnpay/{tx.token}/the-noi-dia/NOBANK/").status_code == 404


@pytest.mark.parametrize("bank", [code for code, _ in PORTAL_BANKS])
def test_every_bank_the_portal_offers_pays_in_the_sandbox(open_vnpay, client, bank):
    """The bank picked on the portal (vnp_BankCode) opens its own card page, whose test card pays."""
    response = open_vnpay(bank_code=bank)
    assert response["Location"].endswith(f"/the-noi-dia/{bank}/")
    page = client.get(response["Location"]).content.decode()
    card = re.search(r'sb-mono fw-semibold">(\d+)<', page).group(1)
    params = returned_params(pay_with_card(client, response, {"card_number": card, "holder": "NGUYEN VAN A",
                                                               "issue_date": "07/15"}))
    assert params["vnp_ResponseCode"] == "00" and params["vnp_BankCode"] == bank


def test_a_card_of_another_bank_is_refused(open_vnpay, client):
    response = open_vnpay(bank_code="VIETCOMBANK")
    page = client.post(response["Location"], NCB_OK)
    assert page.status_code == 200 and "Thông tin thẻ không đúng" in page.content.decode()


def test_the_bank_list_offers_several_working_banks(open_vnpay, client):
    open_vnpay()
    tx = SandboxTransaction.objects.get()
    page = client.get(f"/sandbox/vnpay/{tx.token}/").content.decode()
    assert "không hỗ trợ thử nghiệm" not in page
    assert page.count("/the-noi-dia/") >= 8


@pytest.mark.parametrize("mode,expected", [
    ("normal", [(1, 0)]), ("delayed", [(1, 30)]), ("repeated", [(1, 0), (2, 1), (3, 2)]), ("never", []),
])
def test_ipn_mode_decides_what_is_queued(open_vnpay, client, queued_ipns, django_capture_on_commit_callbacks,
                                         settings, mode, expected):
    settings.PAYMENT_SANDBOX_IPN_DELAY = 30
    open_vnpay()
    tx = SandboxTransaction.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/sandbox/vnpay/{tx.token}/ket-thuc/", {"action": "cancel", "cancel-ipn_mode": mode})
    assert [(call["copy"], call["countdown"]) for call in queued_ipns] == expected


def test_finishing_twice_sends_one_ipn_and_keeps_the_first_result(open_vnpay, client, queued_ipns,
                                                                  django_capture_on_commit_callbacks):
    open_vnpay()
    tx = SandboxTransaction.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/sandbox/vnpay/{tx.token}/ket-thuc/", {"action": "cancel", "cancel-ipn_mode": "normal"})
        second = client.post(f"/sandbox/vnpay/{tx.token}/ket-thuc/", {"action": "timeout", "cancel-ipn_mode": "normal"})
    assert returned_params(second)["vnp_ResponseCode"] == "24"
    assert len(queued_ipns) == 1


def test_reopening_the_same_url_continues_the_same_transaction(open_vnpay):
    open_vnpay(created_at=timezone.now().replace(microsecond=0))
    open_vnpay(created_at=timezone.now().replace(microsecond=0))
    assert SandboxTransaction.objects.count() == 1


def test_querydr_reports_pending_then_paid(open_vnpay, client, gateway_http):
    created_at = timezone.now().replace(microsecond=0)
    vnpay = get_gateway("vnpay")
    missing = vnpay.query_status(payment_ref="TT000123", created_at=created_at)
    assert missing.signature_ok and missing.code == "91" and not missing.success and not missing.final_failure
    response = open_vnpay(created_at=created_at)
    pending = vnpay.query_status(payment_ref="TT000123", created_at=created_at)
    assert pending.signature_ok and pending.code == "01" and not pending.success and not pending.final_failure
    pay_with_card(client, response, NCB_OK)
    paid = vnpay.query_status(payment_ref="TT000123", created_at=created_at)
    tx = SandboxTransaction.objects.get()
    assert paid.signature_ok and paid.success and paid.amount_vnd == 150_000
    assert paid.transaction_id == str(tx.transaction_no)
    assert gateway_http[-1][1]["vnp_Command"] == "querydr"


def test_querydr_after_a_cancel_is_a_final_failure(open_vnpay, client, gateway_http):
    created_at = timezone.now().replace(microsecond=0)
    open_vnpay(created_at=created_at)
    tx = SandboxTransaction.objects.get()
    client.post(f"/sandbox/vnpay/{tx.token}/ket-thuc/", {"action": "cancel", "cancel-ipn_mode": "never"})
    outcome = get_gateway("vnpay").query_status(payment_ref="TT000123", created_at=created_at)
    assert outcome.final_failure and not outcome.success


def test_refund_partial_then_the_rest_then_nothing_more(open_vnpay, client, gateway_http):
    created_at = timezone.now().replace(microsecond=0)
    pay_with_card(client, open_vnpay(created_at=created_at), NCB_OK)
    tx = SandboxTransaction.objects.get()
    vnpay = get_gateway("vnpay")
    refund = lambda amount, full: vnpay.refund(payment_ref="TT000123", amount=amount, transaction_id=str(tx.transaction_no),  # noqa: E731
                                               created_at=created_at, reason="Hoàn lệ phí", requested_by="canbo@kontum.gov.vn", full=full)
    partial = refund(50_000, False)
    assert partial.signature_ok and partial.accepted
    assert refund(150_000, True).code == "93"  # full refund after a partial one: more than what is left
    assert refund(100_000, False).accepted
    assert refund(1_000, False).code == "93"
    assert SandboxTransaction.objects.get().refunded_amount == 150_000


def test_refund_of_an_unpaid_transaction_is_refused(open_vnpay, gateway_http):
    created_at = timezone.now().replace(microsecond=0)
    open_vnpay(created_at=created_at)
    result = get_gateway("vnpay").refund(payment_ref="TT000123", amount=150_000, transaction_id="0",
                                         created_at=created_at, reason="x", requested_by="a")
    assert result.signature_ok and not result.accepted and result.code == "95"


def test_merchant_api_with_a_bad_checksum_or_junk(sandbox, client):
    answer = client.post("/sandbox/vnpay/merchant_webapi/api/transaction", data="not json",
                         content_type="application/json").json()
    assert answer["vnp_ResponseCode"] == "03"
    body = {name: "x" for name in protocol.VNPAY_QUERYDR_SIGNED} | {"vnp_Command": "querydr",
                                                                  "vnp_TmnCode": sandbox.VNPAY_TMN_CODE,
                                                                  "vnp_SecureHash": "ab"}
    answer = client.post("/sandbox/vnpay/merchant_webapi/api/transaction", data=body,
                         content_type="application/json").json()
    assert answer["vnp_ResponseCode"] == "97"
