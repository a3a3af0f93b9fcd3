"""A payment's history (issue 26): each move leaves one PaymentEvent naming what moved it (the citizen, an IPN,
the reconciliation's query, the expiry, a refund) and who, shown to the accountant on the payment's page. The
dossier's fee follows: pending while a payment waits at the gateway, owed again when it ends without success."""

from datetime import timedelta

import pytest

from dossiers.constants import FeeStatus
from payments.constants import CallbackKind, PaymentSource, PaymentStatus
from payments.models import GatewayCallback, Payment, PaymentEvent
from sandbox.constants import IpnMode
from sandbox.services import transaction_finish
from payments.services import payments_expire_due, payments_reconcile
from procedures.constants import StaffRole
from tests.payments.ipn import success_ipn, vnpay_params, vnpay_query
from tests.payments.test_reconcile_admin import RESULT, start_at_sandbox
from tests.support.otp import login_verified

pytestmark = pytest.mark.django_db


def history(payment) -> list[tuple]:
    return list(PaymentEvent.objects.filter(payment=payment).order_by("id")
                .values_list("source", "from_status", "to_status", "actor"))


def start(client, dossier, **data) -> Payment:
    client.force_login(dossier.owner)
    response = client.post(f"/thanh-toan/ho-so/{dossier.code}/", data={"gateway": "vnpay", **data})
    assert response.status_code == 302, response.content
    return Payment.objects.get(dossier=dossier, status=PaymentStatus.PENDING)


def test_the_citizen_opens_a_payment_then_chooses_another_way(client, owed):
    first = start(client, owed, method="VNPAYQR")
    owed.refresh_from_db()
    assert owed.payment_status == FeeStatus.PENDING
    assert history(first) == [(PaymentSource.CITIZEN, "", PaymentStatus.PENDING, owed.owner_id)]

    second = start(client, owed, method="INTCARD")

    assert history(first)[1:] == [(PaymentSource.CITIZEN, PaymentStatus.PENDING, PaymentStatus.CANCELLED, owed.owner_id)]
    assert history(second) == [(PaymentSource.CITIZEN, "", PaymentStatus.PENDING, owed.owner_id)]
    owed.refresh_from_db()
    assert owed.payment_status == FeeStatus.PENDING  # still waiting, for the second one
    page = client.get(f"/ho-so/{owed.code}/").content.decode()
    assert "Đang chờ thanh toán" in page and "Thanh toán phí/lệ phí" in page  # pending: may still pay (again)


@pytest.mark.parametrize("gateway", ["vnpay", "momo"])
def test_an_ipn_moves_the_payment_once_with_its_callback(client, owed, open_payment, gateway):
    payment = open_payment(owed, gateway)

    success_ipn(client, payment)
    success_ipn(client, payment)  # a repeated IPN: no second event

    ipn = GatewayCallback.objects.filter(payment=payment, kind=CallbackKind.IPN).earliest("id")
    event = PaymentEvent.objects.get(payment=payment)
    assert (event.source, event.from_status, event.to_status, event.actor, event.callback) == (
        PaymentSource.IPN, PaymentStatus.PENDING, PaymentStatus.PAID, None, ipn)
    owed.refresh_from_db()
    assert owed.payment_status == FeeStatus.PAID
    assert list(owed.fee_events.values_list("from_status", "to_status")) == [(FeeStatus.UNPAID, FeeStatus.PAID)]


def test_a_failed_ipn_makes_the_fee_owed_again(client, owed):
    payment = start(client, owed)
    query = vnpay_query(vnpay_params(payment, response="24", status="02"))

    client.get(f"/thanh-toan/vnpay/ipn/?{query}")

    assert history(payment)[1:] == [(PaymentSource.IPN, PaymentStatus.PENDING, PaymentStatus.CANCELLED, None)]
    owed.refresh_from_db()
    assert owed.payment_status == FeeStatus.UNPAID
    assert list(owed.fee_events.values_list("from_status", "to_status")) == [
        (FeeStatus.UNPAID, FeeStatus.PENDING), (FeeStatus.PENDING, FeeStatus.UNPAID)]
    page = client.get(f"/thanh-toan/vnpay/return/?{query}").content.decode()
    assert "Thanh toán lại" in page


def test_the_browser_return_moves_nothing_and_writes_no_event(client, owed, open_payment):
    payment = open_payment(owed, "vnpay")
    client.force_login(owed.owner)

    client.get(f"/thanh-toan/vnpay/return/?{vnpay_query(vnpay_params(payment))}")

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING and not PaymentEvent.objects.exists()


@pytest.mark.parametrize("gateway", ["vnpay", "momo"])
def test_the_reconciliation_query_settles_with_its_own_source(client, owed, gateway_http, queued_ipns, gateway):
    payment, tx = start_at_sandbox(client, owed, gateway)
    transaction_finish(transaction_id=tx.pk, code=RESULT[gateway]["paid"], ipn_mode=IpnMode.NEVER)

    payments_reconcile(older_than=timedelta(0))

    query = GatewayCallback.objects.get(kind=CallbackKind.QUERY)
    event = PaymentEvent.objects.get(payment=payment, to_status=PaymentStatus.PAID)
    assert (event.source, event.from_status, event.callback) == (PaymentSource.QUERY, PaymentStatus.PENDING, query)


def test_the_expiry_closes_the_payment_and_the_fee_is_owed_again(client, owed):
    payment = start(client, owed)

    assert payments_expire_due(now=payment.expires_at + timedelta(seconds=1)) == 1
    assert payments_expire_due(now=payment.expires_at + timedelta(seconds=2)) == 0

    assert history(payment)[1:] == [(PaymentSource.EXPIRY, PaymentStatus.PENDING, PaymentStatus.EXPIRED, None)]
    owed.refresh_from_db()
    assert owed.payment_status == FeeStatus.UNPAID
    page = client.get(f"/ho-so/{owed.code}/").content.decode()
    assert "Chưa thanh toán" in page and "Thanh toán phí/lệ phí" in page


@pytest.fixture
def paid_history(client, owed, gateway_http, queued_ipns):
    payment, tx = start_at_sandbox(client, owed, "vnpay")
    transaction_finish(transaction_id=tx.pk, code=RESULT["vnpay"]["paid"], ipn_mode=IpnMode.NEVER)
    payments_reconcile(older_than=timedelta(0))
    client.logout()
    return payment


def test_the_accountant_sees_the_history_on_the_payment_and_refunds_into_it(client, build, owed, paid_history):
    accountant = build.clerk(owed.agency, roles=(StaffRole.ACCOUNTANT,))
    login_verified(client, accountant)
    url = f"/admin/payments/payment/{paid_history.pk}/refund/"
    client.post(url, {"amount": 150_000, "reason": "Hồ sơ bị từ chối", "confirm": "1"})

    page = client.get(f"/admin/payments/payment/{paid_history.pk}/change/").content.decode()

    assert history(paid_history)[-1] == (PaymentSource.REFUND, PaymentStatus.PAID, PaymentStatus.REFUNDED,
                                         accountant.pk)
    assert "Lịch sử giao dịch" in page
    rows = page[page.index("Lịch sử giao dịch"):]
    for words in ("Người nộp", "Truy vấn đối soát (querydr)", "Hoàn tiền", "Đang chờ thanh toán", "Đã thanh toán",
                  "Đã hoàn tiền", str(accountant), str(owed.owner)):
        assert words in rows, words
    assert 'name="events-0-source"' not in page and 'name="events-0-to_status"' not in page  # read-only


def test_the_history_is_in_english_for_an_english_accountant(client, build, owed, paid_history):
    from django.conf import settings

    login_verified(client, build.clerk(owed.agency, roles=(StaffRole.ACCOUNTANT,)))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/admin/payments/payment/{paid_history.pk}/change/").content.decode()
    assert "Transaction history" in page and "Reconciliation query (querydr)" in page and "Applicant" in page


def test_a_clerk_without_the_history_right_does_not_see_it(client, build, owed, paid_history):
    receiving = build.clerk(owed.agency, roles=(StaffRole.RECEIVE,))  # may view the payment, not its history
    login_verified(client, receiving)
    page = client.get(f"/admin/payments/payment/{paid_history.pk}/change/")
    assert page.status_code == 200 and "Lịch sử giao dịch" not in page.content.decode()

    processing = build.clerk(owed.agency, roles=(StaffRole.PROCESS,))  # no payment rights at all
    login_verified(client, processing)
    assert client.get(f"/admin/payments/payment/{paid_history.pk}/change/").status_code in (302, 403, 404)
