import json
from urllib.parse import urlsplit

import pytest

from tests.payments.urls import RECEIVER

MERCHANT = "http://testserver"


@pytest.fixture
def sandbox(settings):
    """The portal with the sandbox mounted, gateways pointing at it (through the test client)."""
    settings.ROOT_URLCONF = "tests.payments.urls"
    settings.VNPAY_PAYMENT_URL = f"{MERCHANT}/sandbox/vnpay/paymentv2/vpcpay.html"
    settings.VNPAY_API_URL = f"{MERCHANT}/sandbox/vnpay/merchant_webapi/api/transaction"
    settings.MOMO_ENDPOINT = f"{MERCHANT}/sandbox/momo"
    settings.PAYMENT_SANDBOX_VNPAY_IPN_URL = f"{MERCHANT}/test-ipn/vnpay/"
    RECEIVER.reset()
    return settings


@pytest.fixture
def gateway_http(sandbox, client, monkeypatch):
    """Route the plugins' server-to-server POSTs to the sandbox through Django's test client."""
    calls = []

    def post_json(url, payload):
        calls.append((url, payload))
        response = client.post(urlsplit(url).path, data=json.dumps(payload), content_type="application/json")
        assert response.status_code == 200, response.content
        return response.json()

    monkeypatch.setattr("payments.gateways.vnpay.post_json", post_json)
    monkeypatch.setattr("payments.gateways.momo.post_json", post_json)
    return calls


@pytest.fixture
def receiver():
    RECEIVER.reset()
    return RECEIVER


RETURN_URL = f"{MERCHANT}/test-return/{{}}/"
IPN_URL = f"{MERCHANT}/test-ipn/{{}}/"


@pytest.fixture
def open_vnpay(sandbox, client):
    """Start a VNPay payment with the plugin and open the signed URL in the sandbox; return the response."""

    def open_(*, ref="TT000123", amount=150_000, bank_code="", **kwargs):
        from payments.gateways.registry import get_gateway

        redirect = get_gateway("vnpay").start_payment(
            payment_ref=ref, amount=amount, order_info="Thanh toán lệ phí hồ sơ", return_url=RETURN_URL.format("vnpay"),
            ipn_url=IPN_URL.format("vnpay"), client_ip="203.0.113.7", bank_code=bank_code, **kwargs,
        )
        return client.get(redirect.url.removeprefix(MERCHANT))

    return open_


@pytest.fixture
def open_momo(gateway_http, client):
    """Create a MoMo payment with the plugin (server to server) and open its payUrl; return the response."""

    def open_(*, ref="TT000123", amount=150_000, ipn_url=IPN_URL.format("momo")):
        from payments.gateways.registry import get_gateway

        redirect = get_gateway("momo").start_payment(
            payment_ref=ref, amount=amount, order_info="Thanh toán lệ phí hồ sơ", return_url=RETURN_URL.format("momo"),
            ipn_url=ipn_url, client_ip="203.0.113.7",
        )
        return client.get(redirect.url.removeprefix(MERCHANT))

    return open_


@pytest.fixture
def queued_ipns(monkeypatch):
    """Record the IPN tasks the sandbox queues instead of sending them."""
    calls = []
    monkeypatch.setattr("sandbox.tasks.deliver_ipn.apply_async",
                        lambda kwargs, countdown=0: calls.append({**kwargs, "countdown": countdown}))
    return calls


def returned_params(response) -> dict[str, str]:
    """The query parameters of a redirect back to the merchant."""
    from urllib.parse import parse_qsl

    assert response.status_code == 302, response.status_code
    split = urlsplit(response["Location"])
    assert split.path.startswith("/test-return/"), response["Location"]
    return dict(parse_qsl(split.query, keep_blank_values=True))


@pytest.fixture
def live_merchant(sandbox, live_server):
    """The test merchant on a real HTTP server: the sandbox's IPNs arrive there over the network."""
    sandbox.PAYMENT_SANDBOX_VNPAY_IPN_URL = f"{live_server.url}/test-ipn/vnpay/"
    return live_server


# --- Portal side of payments (phase 2): dossiers that owe a fee, and their payments -------------


@pytest.fixture
def owed(build):
    """A received dossier of a pay-first procedure, waiting for its 150.000 đ fee (state 6)."""
    from tests.factories.payments import owed_dossier

    return owed_dossier(build)


@pytest.fixture
def open_payment():
    from tests.factories.payments import open_payment as open_

    return open_
