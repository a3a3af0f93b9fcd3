"""Races on PostgreSQL: each thread has its own connection, so row locks and constraints really decide."""

import threading

import pytest
from django.db import connection
from django.test import Client

from dossiers.constants import DossierAction, FeeStatus
from dossiers.models import DossierEvent
from notifications.models import Email
from payments.constants import PaymentStatus
from payments.models import GatewayCallback, Payment
from tests.factories.payments import open_payment, owed_dossier
from tests.payments.ipn import answer, success_ipn, vnpay_params, vnpay_query

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(*calls):
    """Run the calls in threads released at the same moment; return their results (or exceptions)."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(n, call):
        try:
            barrier.wait()
            results[n] = call()
        except Exception as exc:  # reported by the caller
            results[n] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, call)) for n, call in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


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
