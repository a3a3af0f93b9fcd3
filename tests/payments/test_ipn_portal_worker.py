"""End to end over HTTP: a real Celery worker delivers the sandbox's IPN to the portal's own IPN view on a
live server; the portal's first answer is an error (a fault in the settling path), the sandbox retries, and
the payment is settled once."""

import json
import time

import pytest

from dossiers.constants import FeeStatus
from notifications.models import Email
from payments.constants import Outcome, PaymentStatus
from payments.models import GatewayCallback
from sandbox.models import SandboxIpnDelivery, SandboxTransaction
from payments.services import payment_start
from tests.payments.conftest import MERCHANT
from tests.factories.payments import owed_dossier
from tests.payments.test_sandbox_vnpay import NCB_OK, pay_with_card

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(monkeypatch, celery_worker_process):
    return celery_worker_process


@pytest.fixture(autouse=True)
def fast_retries(monkeypatch):
    """Set before the worker starts: it reads its settings from the environment."""
    monkeypatch.setenv("PAYMENT_SANDBOX_IPN_RETRY_DELAY", "1")


def wait_for(condition, timeout=45.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def first_settle_fails(monkeypatch):
    """The live server runs in this process: make the first settling hit a fault, as a lost database would."""
    from payments import services

    real = services.dossier_mark_paid
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise RuntimeError("could not serialize access (simulated)")
        return real(**kwargs)

    monkeypatch.setattr(services, "dossier_mark_paid", flaky)
    return calls


@pytest.mark.parametrize("gateway", ["vnpay", "momo"])
def test_sandbox_ipn_reaches_the_portal_after_a_refusal(worker, tasks_on_redis, gateway_http, live_merchant,
                                                         client, first_settle_fails, gateway, settings):
    from tests.factories.dossiers import Builder

    settings.PAYMENT_SANDBOX_VNPAY_IPN_URL = f"{live_merchant.url}/thanh-toan/vnpay/ipn/"
    dossier = owed_dossier(Builder())
    started = payment_start(
        dossier=dossier, user=dossier.owner, gateway=gateway, client_ip="203.0.113.7",
        return_url=f"{MERCHANT}/thanh-toan/{gateway}/return/", ipn_url=f"{live_merchant.url}/thanh-toan/{gateway}/ipn/",
    )
    opened = client.get(started.redirect.url.removeprefix(MERCHANT))
    if gateway == "vnpay":
        pay_with_card(client, opened, NCB_OK, ipn_mode="normal")
    else:
        tx = SandboxTransaction.objects.get(reference=started.payment.reference)
        client.post(f"/sandbox/momo/{tx.token}/", {"action": "confirm", "ipn_mode": "normal"})

    assert wait_for(lambda: SandboxIpnDelivery.objects.filter(acknowledged=True).exists()), worker.output()[-3000:]
    deliveries = list(SandboxIpnDelivery.objects.order_by("attempt"))
    assert [(d.attempt, d.acknowledged) for d in deliveries] == [(1, False), (2, True)]
    if gateway == "vnpay":
        assert [json.loads(d.response_body)["RspCode"] for d in deliveries] == ["99", "00"]
    else:
        assert [d.status_code for d in deliveries] == [503, 204]
    assert list(GatewayCallback.objects.order_by("pk").values_list("outcome", flat=True)) == [
        Outcome.UNEXPECTED, Outcome.ACCEPTED]
    payment = started.payment
    payment.refresh_from_db()
    dossier.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and dossier.payment_status == FeeStatus.PAID
    assert Email.objects.filter(kind="payment_paid").count() == 1
    assert len(first_settle_fails) == 2
