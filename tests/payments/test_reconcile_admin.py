"""Reconciliation (the beat task and the command) against the sandbox, and the staff admin."""

from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from dossiers.constants import FeeStatus
from notifications.models import Email
from payments.constants import CallbackKind, Outcome, PaymentStatus
from payments.models import GatewayCallback, Payment
from sandbox.constants import IpnMode
from sandbox.models import SandboxTransaction
from sandbox.services import transaction_finish
from payments.services import payments_reconcile
from procedures.constants import StaffRole
from tests.payments.conftest import MERCHANT
from tests.payments.ipn import success_ipn
from tests.support.otp import login_verified

pytestmark = pytest.mark.django_db

RESULT = {"vnpay": {"paid": "00", "cancelled": "24"}, "momo": {"paid": "0", "cancelled": "1006"}}


def start_at_sandbox(client, dossier, gateway):
    """The citizen starts paying; the sandbox opens its transaction (the IPN never comes in these tests)."""
    client.force_login(dossier.owner)
    response = client.post(f"/thanh-toan/ho-so/{dossier.code}/", data={"gateway": gateway})
    assert response.status_code == 302, response.content
    if gateway == "vnpay":
        client.get(response["Location"].removeprefix(MERCHANT))
    payment = Payment.objects.get(dossier=dossier, status=PaymentStatus.PENDING)
    return payment, SandboxTransaction.objects.get(reference=payment.reference)


@pytest.mark.parametrize("gateway", ["vnpay", "momo"])
@pytest.mark.parametrize("result", ["paid", "cancelled"])
def test_reconciliation_settles_what_the_ipn_never_said(client, owed, gateway_http, queued_ipns, gateway, result):
    payment, tx = start_at_sandbox(client, owed, gateway)
    transaction_finish(transaction_id=tx.pk, code=RESULT[gateway][result], ipn_mode=IpnMode.NEVER)

    assert payments_reconcile(older_than=timedelta(minutes=10))["asked"] == 0  # too recent to ask
    counts = payments_reconcile(older_than=timedelta(0))

    payment.refresh_from_db()
    owed.refresh_from_db()
    # VNPay's querydr tells only the transaction status ("02"), not why: a cancel reads as a failure.
    expected = "failed" if (gateway, result) == ("vnpay", "cancelled") else result
    assert counts["asked"] == 1 and payment.status == expected
    assert (owed.payment_status == FeeStatus.PAID) == (result == "paid")
    assert Email.objects.filter(kind="payment_paid").count() == (result == "paid")
    query = GatewayCallback.objects.get(kind=CallbackKind.QUERY)
    assert query.signature_ok and query.payment == payment and query.outcome == Outcome.ACCEPTED
    # A second run finds nothing pending and changes nothing.
    assert payments_reconcile(older_than=timedelta(0))["asked"] == 0


def test_reconciliation_leaves_a_live_payment_and_closes_an_expired_one(client, owed, gateway_http, build,
                                                                       open_payment):
    payment, _ = start_at_sandbox(client, owed, "vnpay")
    stale = open_payment(build.dossier(procedure=owed.procedure, fee_total=10_000,
                                       payment_status=FeeStatus.UNPAID), "momo", minutes_ago=60)

    counts = payments_reconcile(older_than=timedelta(0))

    payment.refresh_from_db()
    stale.refresh_from_db()
    assert counts == {"asked": 2, "paid": 0, "closed": 1, "errors": 0}
    assert payment.status == PaymentStatus.PENDING and stale.status == PaymentStatus.EXPIRED
    assert GatewayCallback.objects.get(payment=payment).outcome == Outcome.STILL_PENDING


def test_reconcile_command(client, owed, gateway_http, queued_ipns):
    payment, tx = start_at_sandbox(client, owed, "momo")
    transaction_finish(transaction_id=tx.pk, code="0", ipn_mode=IpnMode.NEVER)
    out = StringIO()
    call_command("reconcile_payments", "--older-than=0", stdout=out)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and "1 đã thanh toán" in out.getvalue()


def test_gateway_unreachable_is_counted_not_raised(owed, open_payment, monkeypatch):
    from payments.gateways.base import GatewayError

    def down(*args, **kwargs):
        raise GatewayError("down")

    monkeypatch.setattr("payments.gateways.vnpay.post_json", down)
    open_payment(owed, "vnpay", minutes_ago=60)
    assert payments_reconcile(older_than=timedelta(0)) == {"asked": 1, "paid": 0, "closed": 1, "errors": 1}


def test_the_beat_runs_reconciliation():
    entry = settings.CELERY_BEAT_SCHEDULE["payments-reconcile"]
    from portal.celery import app

    assert entry["task"] == "payments.tasks.payments_reconcile"
    assert entry["task"] in app.tasks


# --- Admin ---------------------------------------------------------------------------------------


def test_clerks_see_only_their_agencies_payments(client, build, open_payment):
    from tests.factories.payments import owed_dossier

    mine, theirs = owed_dossier(build), owed_dossier(build)
    p_mine, p_theirs = open_payment(mine, "vnpay"), open_payment(theirs, "momo")
    success_ipn(client, p_mine)
    success_ipn(client, p_theirs)
    login_verified(client, build.clerk(mine.agency))

    page = client.get("/admin/payments/payment/").content.decode()
    assert p_mine.reference in page and p_theirs.reference not in page
    assert client.get(f"/admin/payments/payment/{p_theirs.pk}/change/").status_code in (302, 404)
    assert client.get("/admin/payments/gatewaycallback/").status_code == 403  # the accountant's (accounts.roles)
    client.logout()
    login_verified(client, build.clerk(mine.agency, roles=[StaffRole.ACCOUNTANT]))
    accountant_page = client.get("/admin/payments/payment/").content.decode()
    assert p_mine.reference in accountant_page and p_theirs.reference not in accountant_page
    # payments.add_refund: the accountant's, through the refund page of the payment
    assert f"/admin/payments/payment/{p_mine.pk}/refund/" in client.get(
        f"/admin/payments/payment/{p_mine.pk}/change/").content.decode()
    assert client.get(f"/admin/dossiers/dossier/{mine.pk}/change/").status_code == 403  # payments, not dossiers
    callbacks = client.get("/admin/payments/gatewaycallback/").content.decode()
    assert p_mine.reference in callbacks and p_theirs.reference not in callbacks
    searched = client.get("/admin/payments/payment/", {"q": mine.code}).content.decode()
    assert p_mine.reference in searched
    filtered = client.get("/admin/payments/payment/", {"gateway": "momo"}).content.decode()
    assert p_mine.reference not in filtered


def test_payments_are_read_only_in_the_admin(client, build, owed, open_payment):
    from accounts.models import User

    payment = open_payment(owed)
    login_verified(client, User.objects.create_superuser(email="root@kontum.gov.vn", password="x"))
    assert client.get("/admin/payments/payment/add/").status_code == 403
    page = client.get(f"/admin/payments/payment/{payment.pk}/change/").content.decode()
    assert payment.reference in page and 'name="status"' not in page


def test_clerk_without_the_permission_cannot_refund(client, build, owed, open_payment):
    # The refund flow itself: tests/payments/test_refunds.py.
    payment = open_payment(owed)
    success_ipn(client, payment)
    login_verified(client, build.clerk(owed.agency))
    assert "Hoàn tiền" not in client.get(f"/admin/payments/payment/{payment.pk}/change/").content.decode()
    assert client.get(f"/admin/payments/payment/{payment.pk}/refund/").status_code == 403
