"""The simulated MoMo wallet: create, the confirm page's outcomes, IPN payload, query and refund."""

import json

import pytest
from django.test import RequestFactory

from payments.gateways.base import GatewayError
from payments.gateways.registry import get_gateway
from sandbox import protocol, results, services
from sandbox.constants import TransactionStatus
from sandbox.models import SandboxTransaction
from tests.payments.conftest import returned_params

pytestmark = pytest.mark.django_db


def ipn_of(tx):
    payload = results.momo_result_payload(sandbox_transaction=SandboxTransaction.objects.get(pk=tx.pk))
    request = RequestFactory().post("/thanh-toan/momo/ipn/", data=json.dumps(payload), content_type="application/json")
    return get_gateway("momo").verify_webhook(request)


def test_create_returns_a_pay_url_to_the_wallet_page(open_momo, gateway_http):
    page = open_momo()
    text = page.content.decode()
    assert page.status_code == 200
    assert "MÔI TRƯỜNG THỬ NGHIỆM" in text and "150.000 VND" in text and "Xác nhận thanh toán" in text
    url, payload = gateway_http[0]
    assert url.endswith("/sandbox/momo/v2/gateway/api/create")
    assert set(payload) == {"partnerCode", "requestId", "amount", "orderId", "orderInfo", "redirectUrl", "ipnUrl",
                            "lang", "extraData", "requestType", "signature"}
    tx = SandboxTransaction.objects.get()
    assert (tx.gateway, tx.reference, tx.amount, tx.ipn_url) == ("momo", "TT000123", 150_000,
                                                                 "http://testserver/test-ipn/momo/")


@pytest.mark.parametrize("action,code,success", [("confirm", "0", True), ("insufficient", "1001", False),
                                                 ("cancel", "1006", False), ("timeout", "1005", False)])
def test_each_wallet_outcome_returns_and_notifies_signed(open_momo, client, action, code, success):
    open_momo()
    tx = SandboxTransaction.objects.get()
    params = returned_params(client.post(f"/sandbox/momo/{tx.token}/", {"action": action, "ipn_mode": "never"}))
    outcome = get_gateway("momo").parse_return(params)
    assert outcome.signature_ok and outcome.code == code
    assert outcome.success is success and outcome.final_failure is not success
    ipn = ipn_of(tx)
    assert ipn.signature_ok and ipn.success is success and ipn.amount_vnd == 150_000
    assert set(ipn.raw) == {"partnerCode", "orderId", "requestId", "amount", "orderInfo", "orderType", "transId",
                            "resultCode", "message", "payType", "responseTime", "extraData", "signature"}
    if success:
        assert ipn.transaction_id == str(tx.transaction_no)
        assert SandboxTransaction.objects.get().status == TransactionStatus.PAID


def test_a_create_with_a_wrong_signature_is_refused(gateway_http, monkeypatch, settings):
    # The sandbox knows the partner by another secret than the one the portal signs with.
    registered = protocol.MomoMerchant(settings.MOMO_PARTNER_CODE, settings.MOMO_ACCESS_KEY,
                                       "the-secret-momo-registered")
    monkeypatch.setattr(protocol, "momo_merchant", lambda: registered)
    monkeypatch.setattr(services, "momo_merchant", lambda: registered)
    with pytest.raises(GatewayError, match="13"):
        get_gateway("momo").start_payment(payment_ref="T1", amount=10_000, order_info="x", return_url="http://r/",
                                          ipn_url="http://i/", client_ip="127.0.0.1")
    assert not SandboxTransaction.objects.exists()


def test_a_duplicate_order_id_and_an_amount_out_of_range_are_refused(open_momo, gateway_http):
    open_momo()
    momo = get_gateway("momo")
    kwargs = dict(order_info="x", return_url="http://r/", ipn_url="http://i/", client_ip="127.0.0.1")
    with pytest.raises(GatewayError, match="41"):
        momo.start_payment(payment_ref="TT000123", amount=150_000, **kwargs)
    with pytest.raises(GatewayError, match="22"):
        momo.start_payment(payment_ref="TT2", amount=999, **kwargs)
    with pytest.raises(GatewayError, match="20"):
        momo.start_payment(payment_ref="TT3", amount=10_000, **(kwargs | {"ipn_url": "ftp://i/"}))


def test_create_with_junk_is_answered_not_crashed(sandbox, client):
    answer = client.post("/sandbox/momo/v2/gateway/api/create", data="junk", content_type="application/json")
    assert answer.status_code == 200 and answer.json()["resultCode"] == 20


def test_query_reports_initiated_then_paid(open_momo, client, gateway_http):
    momo = get_gateway("momo")
    from django.utils import timezone

    assert momo.query_status(payment_ref="TT000123", created_at=timezone.now()).code == "42"
    open_momo()
    pending = momo.query_status(payment_ref="TT000123", created_at=timezone.now())
    assert pending.signature_ok and pending.code == "1000" and not pending.success and not pending.final_failure
    tx = SandboxTransaction.objects.get()
    client.post(f"/sandbox/momo/{tx.token}/", {"action": "confirm", "ipn_mode": "never"})
    paid = momo.query_status(payment_ref="TT000123", created_at=timezone.now())
    assert paid.signature_ok and paid.success and paid.transaction_id == str(tx.transaction_no)


def test_refund_by_trans_id(open_momo, client, gateway_http):
    from django.utils import timezone

    open_momo()
    tx = SandboxTransaction.objects.get()
    client.post(f"/sandbox/momo/{tx.token}/", {"action": "confirm", "ipn_mode": "never"})
    momo = get_gateway("momo")
    refund = lambda amount: momo.refund(payment_ref="TT000123", amount=amount, transaction_id=str(tx.transaction_no),  # noqa: E731
                                        created_at=timezone.now(), reason="Hoàn lệ phí", requested_by="canbo")
    first = refund(100_000)
    assert first.signature_ok and first.accepted and first.transaction_id
    assert refund(60_000).code == "21"  # only 50.000 left
    assert refund(50_000).accepted
    query = momo.query_status(payment_ref="TT000123", created_at=timezone.now())
    assert [r["amount"] for r in query.raw["refundTrans"]] == [100_000, 50_000]
