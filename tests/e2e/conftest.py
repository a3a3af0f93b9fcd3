"""Playwright on Debian's Chromium, against pytest-django's live server."""

import os
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop running in this thread; the ORM calls the tests make
# between page actions are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"))
VIEWPORTS = {"phone": {"width": 360, "height": 760}, "desktop": {"width": 1280, "height": 900}}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]


@pytest.fixture(scope="session")
def browser(chromium_path_session):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path_session, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def chromium_path_session():
    from tests.conftest import CHROMIUM, need_service

    need_service("Chromium", Path(CHROMIUM).exists(), f"install Debian's chromium ({CHROMIUM})")
    return CHROMIUM


@pytest.fixture
def pages(browser, live_server, settings):
    """Open one browser context per viewport; yield {name: page}. Console errors are collected."""
    result = {name: open_page(browser, live_server.url, name) for name in VIEWPORTS}
    yield result
    for page in result.values():
        page.context.close()


def open_page(browser, base_url: str, viewport: str):
    """A page in a new browser context (its own cookies) at a named viewport; console errors are collected."""
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="vi-VN", base_url=base_url)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
    return page


def shot(page, folder: str, name: str, viewport: str) -> Path:
    """Save a full-page screenshot under artifacts/screenshots/<folder>/<name>-<viewport>.png."""
    path = SCREENSHOTS / folder / f"{name}-{viewport}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_fits_width(page) -> None:
    """Nothing on the page forces sideways scrolling."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page is {overflow}px wider than the viewport"


# --- Paying at the sandbox gateways, as a payer in the browser -------------------------------------


@pytest.fixture
def gateways_on_live_server(settings, live_server):
    """The portal with the sandbox mounted, its gateways and IPNs addressed on the live server."""
    settings.VNPAY_PAYMENT_URL = f"{live_server.url}/sandbox/vnpay/paymentv2/vpcpay.html"
    settings.VNPAY_API_URL = f"{live_server.url}/sandbox/vnpay/merchant_webapi/api/transaction"
    settings.MOMO_ENDPOINT = f"{live_server.url}/sandbox/momo"
    settings.PAYMENT_SANDBOX_VNPAY_IPN_URL = f"{live_server.url}/thanh-toan/vnpay/ipn/"
    settings.ROOT_URLCONF = "tests.payments.urls"  # the portal with the sandbox mounted
    return live_server


def choose(page, gateway):
    """On the fee page, choose the gateway (VNPay: a domestic ATM card of NCB) and press pay."""
    if gateway == "vnpay":
        page.get_by_label("Ngân hàng", exact=True).check()
        page.get_by_label("Phương thức").select_option("VNBANK")
        page.get_by_label("Ngân hàng (thẻ ATM nội địa)").select_option("NCB")
    else:
        page.get_by_label("Ví điện tử").check()
    page.locator("#pay-button").click()


def pay_at(page, gateway, look=lambda step: None):
    """Pay at the sandbox gateway as the payer would; `look(step)` is called on each page before leaving it."""
    if gateway == "vnpay":
        page.wait_for_url("**/the-noi-dia/NCB/")
        page.get_by_label("Số thẻ").fill("9704198526191432198")
        page.get_by_label("Tên chủ thẻ").fill("NGUYEN VAN A")
        page.get_by_label("Ngày phát hành").fill("07/15")
        look("vnpay-card")
        page.get_by_role("button", name="Tiếp tục").click()
        page.wait_for_url("**/otp/")
        page.get_by_label("Mã OTP").fill("123456")
        look("vnpay-otp")
        page.get_by_role("button", name="Thanh toán", exact=True).click()
    else:
        page.wait_for_url("**/sandbox/momo/**")
        look("momo-confirm")
        page.get_by_role("button", name="Xác nhận thanh toán").click()


def outcome(page) -> str:
    """The return page's verdict, once the IPN has been recorded (the page refreshes itself until then)."""
    page.wait_for_url("**/thanh-toan/*/return/?*")
    heading = page.locator("#payment-outcome")
    page.wait_for_function(
        "() => !document.querySelector('#payment-outcome').innerText.includes('đang được xử lý')", timeout=20_000)
    return heading.inner_text()
