"""A payer goes through the simulated VNPay and MoMo pages in Chromium, on a phone and on a desktop."""

import pytest

from payments.gateways.registry import get_gateway
from tests.e2e.conftest import assert_fits_width, shot
from tests.payments.conftest import receiver, sandbox  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def merchant(sandbox, live_server, receiver):
    """Gateways and the test merchant on the live server, as a real deployment would address them."""
    sandbox.VNPAY_PAYMENT_URL = f"{live_server.url}/sandbox/vnpay/paymentv2/vpcpay.html"
    sandbox.MOMO_ENDPOINT = f"{live_server.url}/sandbox/momo"
    sandbox.PAYMENT_SANDBOX_VNPAY_IPN_URL = f"{live_server.url}/test-ipn/vnpay/"

    def start(gateway: str, ref: str) -> str:
        return get_gateway(gateway).start_payment(
            payment_ref=ref, amount=1_250_000, order_info="Lệ phí cấp giấy phép thăm dò nước dưới đất",
            return_url=f"{live_server.url}/test-return/{gateway}/", ipn_url=f"{live_server.url}/test-ipn/{gateway}/",
            client_ip="127.0.0.1",
        ).url

    return start


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_pay_with_the_ncb_test_card_and_otp(pages, merchant, receiver, viewport):
    page = pages[viewport]
    page.goto(merchant("vnpay", "TT20261122001"))
    assert page.locator(".sb-banner").inner_text().startswith("MÔI TRƯỜNG THỬ NGHIỆM")
    assert page.get_by_test_id("amount").inner_text() == "1.250.000 VND"
    assert_fits_width(page)
    shot(page, "payments", "vnpay-method", viewport)

    page.get_by_role("link", name="Ngân hàng Quốc Dân (NCB)").click()
    page.wait_for_url("**/the-noi-dia/NCB/")
    page.get_by_label("Số thẻ").fill("9704198526191432198")
    page.get_by_label("Tên chủ thẻ").fill("NGUYEN VAN A")
    page.get_by_label("Ngày phát hành").fill("07/16")
    page.get_by_role("button", name="Tiếp tục").click()
    assert page.get_by_text("Thông tin thẻ không đúng").is_visible()
    assert page.get_by_label("Số thẻ").input_value() == "9704198526191432198"
    assert_fits_width(page)
    shot(page, "payments", "vnpay-card-error", viewport)
    page.get_by_label("Ngày phát hành").fill("07/15")
    page.get_by_role("button", name="Tiếp tục").click()

    page.wait_for_url("**/otp/")
    page.get_by_label("Mã OTP").fill("123456")
    assert_fits_width(page)
    shot(page, "payments", "vnpay-otp", viewport)
    page.get_by_role("button", name="Thanh toán", exact=True).click()

    page.wait_for_url("**/test-return/vnpay/?*")
    assert page.get_by_role("heading").inner_text() == "Thanh toán thành công"
    assert page.locator("#code").inner_text() == "00"
    assert [(ipn.reference, ipn.success) for ipn in receiver.ipns] == [("TT20261122001", True)]
    assert page.console_errors == []


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_cancel_on_the_method_page(pages, merchant, receiver, viewport):
    page = pages[viewport]
    page.goto(merchant("vnpay", "TT20261122002"))
    page.get_by_label("Mô phỏng IPN").select_option("never")
    page.get_by_role("button", name="Hủy thanh toán", exact=True).click()
    page.wait_for_url("**/test-return/vnpay/?*")
    assert page.get_by_role("heading").inner_text() == "Thanh toán không thành công"
    assert page.locator("#code").inner_text() == "24"
    assert receiver.ipns == []


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_other_sandbox_pages_fit_the_screen(pages, merchant, viewport):
    page = pages[viewport]
    page.goto(merchant("vnpay", "TT20261122003").replace("vnp_Amount=125000000", "vnp_Amount=1000"))
    assert page.get_by_text("Sai chữ ký").is_visible()
    assert_fits_width(page)
    shot(page, "payments", "vnpay-error", viewport)

    page.goto(merchant("vnpay", "TT20261122004").replace("vnp_Amount", "vnp_BankCode=VNPAYQR&vnp_Amount", 1))
    assert page.get_by_text("Sai chữ ký").is_visible()  # an unsigned bank code is tampering too
    page.console_errors.clear()  # the two 400 answers above are on purpose

    page.goto(merchant("vnpay", "TT20261122005"))
    page.get_by_role("link", name="Thẻ thanh toán quốc tế").click()
    page.wait_for_url("**/the-quoc-te/")
    assert_fits_width(page)
    shot(page, "payments", "vnpay-international", viewport)
    page.go_back()
    page.get_by_role("link", name="VNPAY-QR").click()
    page.wait_for_url("**/qr/")
    assert_fits_width(page)
    shot(page, "payments", "vnpay-qr", viewport)

    page.goto(merchant("momo", "TT20261122006"))
    assert page.get_by_role("heading", name="Xác nhận thanh toán bằng ví MoMo").is_visible()
    assert_fits_width(page)
    shot(page, "payments", "momo-confirm", viewport)
    page.get_by_role("button", name="Mô phỏng: số dư ví không đủ").click()
    page.wait_for_url("**/test-return/momo/?*")
    assert page.locator("#code").inner_text() == "1001"
    assert page.console_errors == []
