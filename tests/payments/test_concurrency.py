"""Races on PostgreSQL: each thread has its own connection, so row locks and constraints really decide."""

import pytest
from django.test import Client

from dossiers.constants import DossierAction, FeeStatus
from dossiers.models import DossierEvent, DossierFeeEvent
from notifications.models import Email
from payments.constants import PaymentSource, PaymentStatus
from payments.models import GatewayCallback, Payment, PaymentEvent
from tests.factories.payments import open_payment, owed_dossier
from tests.payments.ipn import answer, success_ipn, vnpay_params, vnpay_query
from tests.support.threads import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def dossier():
    from tests.factories.dossiers import Builder

    return owed_dossier(Builder())


def paid_once(dossier, payment):
    payment.refresh_from_db()
    dossier.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and dossier.payment_status == FeeStatus.PAID
    assert DossierEvent.objects.filter(dossier=dossier, action=DossierAction.MARK_PAID).count() == 1
    assert Email.objects.filter(kind="payment_paid").count() == 1
    # One move, one event: the payment's (by the IPN that won, naming its callback) and the fee's.
    event = PaymentEvent.objects.get(payment=payment)
    assert (event.source, event.from_status, event.to_status) == (PaymentSource.IPN, PaymentStatus.PENDING,
                                                                  PaymentStatus.PAID)
    assert event.callback == GatewayCallback.objects.get(payment=payment, outcome="accepted")
    assert list(DossierFeeEvent.objects.filter(dossier=dossier).values_list("to_status", flat=True)) == [FeeStatus.PAID]


@pytest.mark.parametrize("gateway", ["vnpay", "momo"])
def test_twenty_copies_of_one_ipn_at_once_change_the_payment_once(dossier, gateway):
    payment = open_payment(dossier, gateway)
    results = run_together(*[lambda: success_ipn(Client(), payment) for _ in range(20)])

    assert not [r for r in results if isinstance(r, Exception)]
    answers = sorted(answer(r) for r in results)
    if gateway == "vnpay":
        assert answers == ["00"] + ["02"] * 19
    else:
        assert answers == ["204"] * 20
    paid_once(dossier, payment)
    assert GatewayCallback.objects.filter(payment=payment).count() == 20
    assert GatewayCallback.objects.filter(payment=payment, outcome="accepted").count() == 1


def test_browser_return_and_ipn_at_the_same_moment(dossier):
    payment = open_payment(dossier, "vnpay")
    query = vnpay_query(vnpay_params(payment))
    owner = Client()
    owner.force_login(dossier.owner)

    results = run_together(lambda: owner.get(f"/thanh-toan/vnpay/return/?{query}"),
                           lambda: Client().get(f"/thanh-toan/vnpay/ipn/?{query}"),
                           lambda: owner.get(f"/thanh-toan/vnpay/return/?{query}"),
                           lambda: Client().get(f"/thanh-toan/vnpay/ipn/?{query}"))

    assert [r.status_code for r in results] == [200, 200, 200, 200]
    assert sorted(answer(r) for r in results[1::2]) == ["00", "02"]
    paid_once(dossier, payment)
    for page in (r.content.decode() for r in results[0::2]):
        assert "Thanh toán thành công" in page or "Giao dịch đang được xử lý" in page


def test_two_tabs_starting_a_payment_at_once_share_one_pending_payment(dossier):
    tabs = []
    for _ in range(2):
        tab = Client()
        tab.force_login(dossier.owner)
        tabs.append(tab)
    url = f"/thanh-toan/ho-so/{dossier.code}/"

    results = run_together(*[lambda tab=tab: tab.post(url, {"gateway": "vnpay", "method": "VNPAYQR"}) for tab in tabs])

    assert [r.status_code for r in results] == [302, 302]
    assert results[0]["Location"] == results[1]["Location"]
    assert Payment.objects.filter(dossier=dossier).count() == 1
    assert PaymentEvent.objects.filter(payment__dossier=dossier).count() == 1
    dossier.refresh_from_db()
    assert dossier.payment_status == FeeStatus.PENDING and dossier.fee_events.count() == 1


def test_the_expiry_and_a_late_ipn_at_once_leave_one_event_each(dossier):
    """The reconciliation's expiry (dossier row first) against the IPN (dossier row first): no deadlock, and each
    move that happened has one event."""
    from datetime import timedelta

    from payments.services import payments_expire_due

    payment = open_payment(dossier, "vnpay", minutes_ago=60)
    results = run_together(lambda: payments_expire_due(now=payment.expires_at + timedelta(seconds=1)),
                           lambda: success_ipn(Client(), payment))

    assert not [r for r in results if isinstance(r, Exception)], results
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID  # a late success is honoured, before or after the expiry
    moves = list(PaymentEvent.objects.filter(payment=payment).order_by("id").values_list("from_status", "to_status"))
    assert moves in ([(PaymentStatus.PENDING, PaymentStatus.PAID)],
                     [(PaymentStatus.PENDING, PaymentStatus.EXPIRED), (PaymentStatus.EXPIRED, PaymentStatus.PAID)])
    dossier.refresh_from_db()
    assert dossier.payment_status == FeeStatus.PAID
    assert DossierEvent.objects.filter(dossier=dossier, action=DossierAction.MARK_PAID).count() == 1
    assert list(DossierFeeEvent.objects.filter(dossier=dossier).values_list("to_status", flat=True)) == [FeeStatus.PAID]
