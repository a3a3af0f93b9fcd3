"""The transactions list comes from the cache (dossiers/citizen_pages.py): each payment's move, a new attempt,
an expiry and a refund show at once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from common.events import PAYMENT_MOVED
from payments.constants import PaymentStatus
from payments.gateways.base import RefundResult
from payments.models import Payment, Refund
from payments.services import _refund_conclude, payments_expire_due
from tests.payments.ipn import success_ipn

pytestmark = pytest.mark.django_db


@pytest.fixture
def me(client, owed):
    from django.test import Client

    mine = Client()
    mine.force_login(owed.owner)
    return mine


def transactions(client) -> str:
    response = client.get("/thanh-toan/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_payment_made_shows_at_once(me, client, owed, open_payment):
    assert "Chưa có giao dịch nào." in transactions(me)
    payment = open_payment(owed, "vnpay")
    text = transactions(me)
    assert payment.reference in text and "Đang chờ thanh toán" in text
    assert f"/ho-so/{owed.code}/" in me.get(f"/ho-so/{owed.code}/").content.decode()
    success_ipn(client, payment)  # the gateway's server-to-server call, not the citizen's session
    text = transactions(me)
    assert "Đã thanh toán" in text and "Thanh toán phí/lệ phí" not in text
    assert f"/thanh-toan/ho-so/{owed.code}/" not in me.get(f"/ho-so/{owed.code}/").content.decode()


def test_an_expired_attempt_shows_at_once(me, owed, open_payment):
    payment = open_payment(owed, "momo")
    assert "Đang chờ thanh toán" in transactions(me)
    payments_expire_due(now=payment.expires_at + timedelta(seconds=1))
    assert "Hết hạn" in transactions(me)


@pytest.mark.parametrize("accepted, shown", [(True, "Đã hoàn tiền"), (False, "Cổng từ chối")])
def test_a_refund_shows_at_once(me, owed, open_payment, accepted, shown):
    payment = open_payment(owed, "vnpay", status=PaymentStatus.PAID)
    Payment.objects.filter(pk=payment.pk).update(paid_at=timezone.now())  # set-up only
    assert "Hoàn tiền" not in transactions(me)
    refund = Refund.objects.create(payment=payment, amount=payment.amount, reason="Hồ sơ bị từ chối")
    PAYMENT_MOVED.emit(payment_id=payment.pk, dossier_id=owed.pk, owner_id=owed.owner_id)  # as payment_refund does
    assert "Đang chờ cổng thanh toán" in transactions(me)
    _refund_conclude(refund=refund, result=RefundResult(signature_ok=True, accepted=accepted, code="00" if accepted
                                                        else "94", message="ok" if accepted else "Từ chối"))
    assert shown in transactions(me)
