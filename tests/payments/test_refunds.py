"""Refunds as an accountant makes them: one payment, amount and reason, a confirmation page, the gateway's
refund API (the sandbox, over HTTP through the test client), an e-mail to the citizen, and the same state
on the fee page, the transactions list and the e-receipt."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission

from dossiers.constants import FeeStatus
from dossiers.models import Dossier
from notifications.models import Email
from payments.constants import PaymentStatus, RefundStatus
from payments.models import Payment, Refund
from sandbox.constants import IpnMode
from sandbox.models import SandboxTransaction
from sandbox.services import transaction_finish
from payments.services import payments_reconcile
from procedures.constants import StaffRole
from tests.payments.test_reconcile_admin import RESULT, start_at_sandbox
from tests.support.otp import login_verified

pytestmark = pytest.mark.django_db
FEE = 150_000


@pytest.fixture
def paid(client, owed, gateway_http, queued_ipns, request):
    """A fee paid at the sandbox (settled by reconciliation, as the IPN is not delivered here)."""
    gateway = getattr(request, "param", "vnpay")
    payment, tx = start_at_sandbox(client, owed, gateway)
    transaction_finish(transaction_id=tx.pk, code=RESULT[gateway]["paid"], ipn_mode=IpnMode.NEVER)
    payments_reconcile(older_than=timedelta(0))
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.receipt_number
    client.logout()
    return payment, tx


@pytest.fixture
def accountant(build, owed):
    user = build.clerk(owed.agency, roles=(StaffRole.RECEIVE,))
    user.user_permissions.add(Permission.objects.get(codename="add_refund", content_type__app_label="payments"))
    return user


def _refund(client, payment, amount, reason="Hồ sơ bị từ chối, hoàn lệ phí"):
    url = f"/admin/payments/payment/{payment.pk}/refund/"
    confirm = client.post(url, {"amount": amount, "reason": reason})
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert "Xác nhận hoàn tiền" in page and payment.reference in page, page
    assert not Refund.objects.filter(payment=payment, amount=amount, reason=reason).exists()  # nothing before confirming
    return client.post(url, {"amount": amount, "reason": reason, "confirm": "1"}, follow=True)


@pytest.mark.parametrize("paid", ["vnpay", "momo"], indirect=True)
def test_accountant_refunds_in_full_and_everything_agrees(client, paid, accountant, owed):
    payment, tx = paid
    login_verified(client, accountant)
    change = client.get(f"/admin/payments/payment/{payment.pk}/change/").content.decode()
    assert f'href="/admin/payments/payment/{payment.pk}/refund/"' in change

    done = _refund(client, payment, FEE).content.decode()

    assert f"Đã hoàn 150.000 đồng cho giao dịch {payment.reference}" in done
    payment.refresh_from_db()
    tx.refresh_from_db()
    refund = Refund.objects.get()
    assert refund.status == RefundStatus.ACCEPTED and refund.gateway_transaction_id and refund.requested_by == accountant
    assert payment.status == PaymentStatus.REFUNDED and payment.refunded_amount == FEE == tx.refunded_amount
    email = Email.objects.get(kind="payment_refunded")
    assert email.to == owed.recipient_email and owed.code in email.subject
    assert "đã hoàn trả 150.000" in email.body_text.lower() and payment.receipt_label in email.body_text

    client.force_login(owed.owner)
    transactions = client.get("/thanh-toan/").content.decode()
    assert "Đã hoàn tiền" in transactions and "Hồ sơ bị từ chối, hoàn lệ phí" in transactions
    fee_page = client.get(f"/thanh-toan/ho-so/{owed.code}/").content.decode()
    assert "đã hoàn trả 150.000" in fee_page and payment.receipt_label in fee_page
    receipt = client.get(f"/thanh-toan/bien-lai/{payment.reference}/")
    assert receipt.status_code == 200 and receipt.content.startswith(b"%PDF")
    # The dossier's fee is refunded too (issue 26: it used to stay "paid"), on the citizen's and the clerk's page.
    owed.refresh_from_db()
    assert owed.payment_status == FeeStatus.REFUNDED
    dossier_page = client.get(f"/ho-so/{owed.code}/").content.decode()
    assert "Đã hoàn tiền" in dossier_page and "Thanh toán phí/lệ phí" not in dossier_page
    login_verified(client, accountant)
    admin_page = client.get(f"/admin/dossiers/dossier/{owed.pk}/change/").content.decode()
    assert "Đã hoàn tiền" in admin_page and "dossier-move-mark_paid" not in admin_page
    for char in "ĐÃHOÀNTRẢ":  # “ĐÃ HOÀN TRẢ TOÀN BỘ” is printed: its letters are in the font subset's map
        assert f"<{ord(char):04X}>".encode() in receipt.content, char


def test_partial_refunds_then_nothing_left(client, paid, accountant, owed):
    payment, tx = paid
    login_verified(client, accountant)
    _refund(client, payment, 50_000, "Hoàn phần phí thẩm định không thực hiện")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PARTLY_REFUNDED and payment.refunded_amount == 50_000
    owed.refresh_from_db()
    assert owed.payment_status == FeeStatus.PARTLY_REFUNDED
    assert "Đã hoàn một phần" in client.get(f"/admin/dossiers/dossier/{owed.pk}/change/").content.decode()

    too_much = client.post(f"/admin/payments/payment/{payment.pk}/refund/", {"amount": 150_000, "reason": "x"})
    assert "Số tiền hoàn không được vượt quá 100.000 đồng." in too_much.content.decode()

    _refund(client, payment, 30_000, "Hoàn phí gửi kết quả qua bưu chính")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PARTLY_REFUNDED and payment.refunded_amount == 80_000
    _refund(client, payment, 70_000, "Hoàn nốt")
    payment.refresh_from_db()
    tx.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED and payment.refunded_amount == 150_000 == tx.refunded_amount
    assert Email.objects.filter(kind="payment_refunded").count() == 3
    assert "Hoàn tiền" not in client.get(f"/admin/payments/payment/{payment.pk}/change/").content.decode()
    again = client.post(f"/admin/payments/payment/{payment.pk}/refund/",
                        {"amount": 1, "reason": "Lần nữa", "confirm": "1"}).content.decode()
    assert "Số tiền hoàn không được vượt quá 0 đồng." in again or "không còn khoản nào để hoàn" in again
    assert Refund.objects.count() == 3

    client.force_login(owed.owner)
    transactions = client.get("/thanh-toan/").content.decode()
    assert transactions.count("payment-refund-accepted") == 3 and "Đã hoàn tiền" in transactions
    owed.refresh_from_db()
    assert owed.payment_status == FeeStatus.REFUNDED
    assert list(owed.fee_events.values_list("to_status", flat=True))[-3:] == [
        FeeStatus.PAID, FeeStatus.PARTLY_REFUNDED, FeeStatus.REFUNDED]  # the second part moved nothing


def test_a_second_payment_given_back_leaves_the_fee_paid(client, paid, accountant, owed, build):
    """Paid at the counter, then the gateway's late success: refunding that second payment keeps the fee paid."""
    payment, tx = paid
    Dossier.objects.filter(pk=owed.pk).update(paid_online=False)  # as if the clerk had recorded it first
    login_verified(client, accountant)

    _refund(client, payment, FEE)

    owed.refresh_from_db()
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED and owed.payment_status == FeeStatus.PAID


@pytest.mark.parametrize("paid", ["vnpay", "momo"], indirect=True)
def test_a_refund_the_gateway_refuses_is_shown_and_changes_nothing(client, paid, accountant, owed):
    payment, tx = paid
    # Already given back at the gateway's merchant portal: the sandbox refuses anything more.
    SandboxTransaction.objects.filter(pk=tx.pk).update(refunded_amount=tx.amount)
    login_verified(client, accountant)

    page = _refund(client, payment, FEE).content.decode()

    assert f"Cổng thanh toán từ chối hoàn tiền giao dịch {payment.reference}" in page
    refund = Refund.objects.get()
    payment.refresh_from_db()
    assert refund.status == RefundStatus.REFUSED and refund.gateway_code
    assert payment.status == PaymentStatus.PAID and payment.refunded_amount == 0
    assert not Email.objects.filter(kind="payment_refunded").exists()
    client.force_login(owed.owner)
    transactions = client.get("/thanh-toan/").content.decode()
    assert "payment-refund-refused" in transactions and "Cổng từ chối" in transactions


def test_a_refund_needs_a_reason_next_to_the_field(client, paid, accountant):
    payment, _ = paid
    login_verified(client, accountant)
    page = client.post(f"/admin/payments/payment/{payment.pk}/refund/", {"amount": 1000, "reason": "   "})
    assert "Vui lòng nhập lý do hoàn tiền." in page.content.decode()
    assert not Refund.objects.exists()


def test_a_second_refund_while_one_waits_for_the_gateway_is_refused(paid, accountant):
    from django.core.exceptions import ValidationError

    from payments.services import payment_refund

    payment, _ = paid
    Refund.objects.create(payment=payment, amount=1000, reason="Đang chờ", requested_by=accountant)
    with pytest.raises(ValidationError, match="đang có một yêu cầu hoàn tiền"):
        payment_refund(payment=payment, amount=1000, reason="Lần hai", user=accountant)
    assert Payment.objects.get().status == PaymentStatus.PAID
