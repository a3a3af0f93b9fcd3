"""A citizen pays a dossier's fee in Chromium: cancels once at one gateway, pays at the other; the
transactions list, the dossier and the e-mail agree. Screenshots at 360 and 1280 px."""

import pytest

from dossiers.constants import FeeStatus
from notifications.models import Email
from payments.constants import PaymentStatus
from payments.models import Payment
from tests.e2e.conftest import assert_fits_width, choose, outcome, pay_at, shot, sign_in
from tests.factories.payments import owed_dossier

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# phone: cancel at VNPay, pay with MoMo; desktop: cancel at MoMo, pay with a card through VNPay.
PLAN = {"phone": ("vnpay", "momo"), "desktop": ("momo", "vnpay")}


def cancel_at(page, gateway):
    if gateway == "vnpay":
        page.wait_for_url("**/sandbox/vnpay/**")
    else:
        page.wait_for_url("**/sandbox/momo/**")
    page.get_by_role("button", name="Hủy thanh toán", exact=True).click()


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_cancel_once_then_pay_and_everything_agrees(pages, gateways_on_live_server, viewport):
    from tests.factories.dossiers import Builder

    live_server = gateways_on_live_server
    dossier = owed_dossier(Builder(), fee=1_250_000)
    page = pages[viewport]
    sign_in(page, live_server.url, dossier.owner)
    cancel_gateway, pay_gateway = PLAN[viewport]

    page.goto(f"/ho-so/{dossier.code}/")
    page.get_by_role("link", name="Thanh toán phí/lệ phí").click()
    page.wait_for_url(f"**/thanh-toan/ho-so/{dossier.code}/")
    assert page.locator("#fee-total").inner_text() == "1.250.000 đ"
    assert page.get_by_text("0123456789").is_visible()
    assert_fits_width(page)
    shot(page, "payments", "fee-detail", viewport)

    choose(page, cancel_gateway)
    cancel_at(page, cancel_gateway)
    assert outcome(page) == "Thanh toán không thành công"
    assert_fits_width(page)
    shot(page, "payments", "return-cancelled", viewport)

    page.get_by_role("link", name="Thanh toán lại").click()
    choose(page, pay_gateway)
    pay_at(page, pay_gateway)
    assert outcome(page) == "Thanh toán thành công"
    assert_fits_width(page)
    shot(page, "payments", "return-paid", viewport)

    page.get_by_role("link", name="Danh sách giao dịch").click()
    page.wait_for_url("**/thanh-toan/")
    card = page.locator(f'[id="ho-so-{dossier.code}"]')
    assert card.locator(".dossier-payment-status").inner_text() == "Đã thanh toán"
    attempts = card.locator(".payment-attempts li")
    assert attempts.count() == 2
    assert "Đã thanh toán" in attempts.nth(0).inner_text() and "Đã hủy" in attempts.nth(1).inner_text()
    assert card.get_by_role("link", name="Biên lai điện tử (PDF)").is_visible()
    assert card.get_by_role("link", name="Thanh toán phí/lệ phí").count() == 0
    assert_fits_width(page)
    shot(page, "payments", "transactions", viewport)

    page.goto(f"/ho-so/{dossier.code}/")
    assert "1.250.000 đ — Đã thanh toán" in page.inner_text("body")
    assert page.get_by_role("link", name="Thanh toán phí/lệ phí").count() == 0

    paid = Payment.objects.get(dossier=dossier, status=PaymentStatus.PAID)
    assert paid.gateway == pay_gateway
    assert Payment.objects.get(dossier=dossier, gateway=cancel_gateway).status == PaymentStatus.CANCELLED
    dossier.refresh_from_db()
    assert dossier.payment_status == FeeStatus.PAID and dossier.paid_online
    email = Email.objects.get(kind="payment_paid")
    assert email.to == dossier.applicant_email and dossier.code in email.subject
    assert paid.reference in email.body_text and "1.250.000 đ" in email.body_text
    assert page.console_errors == []
