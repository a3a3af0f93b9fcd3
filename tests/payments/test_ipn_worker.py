"""A real Celery worker delivers the sandbox's IPN over HTTP and retries it until the merchant accepts."""

import json
import time

import pytest

from sandbox.models import SandboxIpnDelivery
from tests.payments.test_sandbox_vnpay import NCB_OK, pay_with_card

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(fast_retries, celery_worker_process):
    return celery_worker_process


@pytest.fixture
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


def test_worker_retries_a_refused_ipn_until_acknowledged(worker, tasks_on_redis, open_vnpay,
                                                         live_merchant, client, receiver):
    receiver.reset(refuse=1)
    pay_with_card(client, open_vnpay(), NCB_OK, ipn_mode="normal")
    assert wait_for(lambda: SandboxIpnDelivery.objects.filter(acknowledged=True).exists()), worker.output()[-3000:]
    deliveries = list(SandboxIpnDelivery.objects.order_by("attempt"))
    assert [(d.attempt, d.status_code, d.acknowledged) for d in deliveries] == [(1, 200, False), (2, 200, True)]
    assert [json.loads(d.response_body)["RspCode"] for d in deliveries] == ["99", "00"]
    assert deliveries[1].sent_at > deliveries[0].sent_at
    assert [ipn.signature_ok and ipn.success for ipn in receiver.ipns] == [True, True]
    assert "deliver_ipn" in worker.output()
