"""The sandbox delivers IPNs over real HTTP and records every attempt (tasks run in-process here)."""

import json

import pytest

from sandbox import results
from sandbox.models import SandboxIpnDelivery, SandboxTransaction
from tests.payments.test_sandbox_vnpay import NCB_OK, pay_with_card

pytestmark = pytest.mark.django_db(transaction=True)


def test_vnpay_ipn_is_acknowledged_by_the_merchant(open_vnpay, live_merchant, client, receiver):
    pay_with_card(client, open_vnpay(), NCB_OK, ipn_mode="normal")
    [delivery] = SandboxIpnDelivery.objects.all()
    assert delivery.method == "GET" and delivery.url.startswith(f"{live_merchant.url}/test-ipn/vnpay/?vnp_Amount=")
    assert delivery.status_code == 200 and json.loads(delivery.response_body) == {"RspCode": "00", "Message": "Confirm Success"}
    assert delivery.acknowledged and (delivery.copy, delivery.attempt) == (1, 1)
    [ipn] = receiver.ipns
    assert ipn.signature_ok and ipn.success and ipn.amount_vnd == 150_000


def test_vnpay_ipn_refused_is_sent_again_until_acknowledged(open_vnpay, live_merchant, client, receiver):
    receiver.reset(refuse=2)
    pay_with_card(client, open_vnpay(), NCB_OK, ipn_mode="normal")
    deliveries = list(SandboxIpnDelivery.objects.values_list("attempt", "acknowledged", "response_body"))
    assert [(attempt, ack) for attempt, ack, _ in deliveries] == [(1, False), (2, False), (3, True)]
    assert [json.loads(body)["RspCode"] for _, _, body in deliveries] == ["99", "99", "00"]


def test_repeated_ipn_is_sent_three_times(open_vnpay, live_merchant, client, receiver):
    tx_response = open_vnpay()
    tx = SandboxTransaction.objects.get()
    client.post(f"/sandbox/vnpay/{tx.token}/ket-thuc/", {"action": "cancel", "cancel-ipn_mode": "repeated"})
    assert list(SandboxIpnDelivery.objects.values_list("copy", "acknowledged")) == [(1, True), (2, True), (3, True)]
    assert [ipn.code for ipn in receiver.ipns] == ["24", "24", "24"] and tx_response.status_code == 302


def test_momo_ipn_is_posted_as_json_and_acknowledged_with_204(open_momo, live_merchant, client, receiver):
    open_momo(ipn_url=f"{live_merchant.url}/test-ipn/momo/")
    tx = SandboxTransaction.objects.get()
    client.post(f"/sandbox/momo/{tx.token}/", {"action": "confirm", "ipn_mode": "normal"})
    [delivery] = SandboxIpnDelivery.objects.all()
    assert delivery.method == "POST" and json.loads(delivery.payload)["resultCode"] == 0
    assert delivery.status_code == 204 and delivery.acknowledged
    [ipn] = receiver.ipns
    assert ipn.signature_ok and ipn.success and ipn.transaction_id == str(tx.transaction_no)


def test_an_unreachable_merchant_is_recorded_as_an_error(open_vnpay, sandbox, client):
    sandbox.PAYMENT_SANDBOX_VNPAY_IPN_URL = "http://127.0.0.1:9/ipn/"
    open_vnpay()
    tx = SandboxTransaction.objects.get()
    client.post(f"/sandbox/vnpay/{tx.token}/ket-thuc/", {"action": "cancel", "cancel-ipn_mode": "never"})
    assert results.ipn_deliver(transaction_id=tx.pk) is False
    [delivery] = SandboxIpnDelivery.objects.all()
    assert delivery.status_code is None and "Connection refused" in delivery.error and not delivery.acknowledged


def test_the_sandbox_log_page_lists_the_attempts(open_vnpay, live_merchant, client, receiver):
    receiver.reset(refuse=1)
    pay_with_card(client, open_vnpay(), NCB_OK, ipn_mode="normal")
    text = client.get("/sandbox/").content.decode()
    assert "TT000123" in text and "Thành công (00)" in text
    assert text.count("HTTP 200") == 2
