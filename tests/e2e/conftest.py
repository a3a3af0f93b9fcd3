"""Playwright on Debian's Chromium, against pytest-django's live server."""

import base64
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


def sign_in(context_or_page, base_url: str, user) -> None:
    """Give a browser context (or a page's) the session cookie of `user`, signed in by the test client."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    context = getattr(context_or_page, "context", context_or_page)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": base_url}])


def new_context(browser, **options):
    """A browser context as every browser test opens one: in Vietnamese, and asking for reduced motion.

    With reduced motion Bootstrap and the portal's style sheets drop their transitions, so a page is judged
    (axe, screenshots, computed colours) in its final state, never halfway through a hover fading in or out.
    """
    options.setdefault("locale", "vi-VN")
    options.setdefault("reduced_motion", "reduce")
    return browser.new_context(**options)


def open_page(browser, base_url: str, viewport: str):
    """A page in a new browser context (its own cookies) at a named viewport; console errors are collected."""
    context = new_context(browser, viewport=VIEWPORTS[viewport], base_url=base_url)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
    return page


# Resolves to the animations still running after `limit` ms (none, normally). Infinite ones (a spinner) never
# finish and are left alone; an animation cancelled while awaited counts as done.
_WAIT_FOR_ANIMATIONS = """async (limit) => {
    const deadline = performance.now() + limit;
    const pending = () => document.getAnimations().filter(a =>
        a.playState !== "finished" && a.playState !== "idle" && a.effect
        && Number.isFinite(a.effect.getComputedTiming().endTime));
    for (let running = pending(); running.length; running = pending()) {
        const left = deadline - performance.now();
        if (left <= 0) {
            return running.map(a => `${a.transitionProperty || a.animationName || a.id} on ${a.effect.target?.outerHTML.slice(0, 120)}`);
        }
        await Promise.race([Promise.allSettled(running.map(a => a.finished)), new Promise(r => setTimeout(r, left))]);
    }
    return [];
}"""
SETTLE_LIMIT_MS = 10_000


def settle(page) -> None:
    """Bring the page to rest before it is judged or photographed, wherever the last action left the pointer.

    The pointer leaves the page (a hover under it ends, and a scroll or layout change can no longer bring one
    under it), then every transition and finite animation is awaited to its end (the Web Animations API).
    """
    page.mouse.move(-1, -1)
    still_running = page.evaluate(_WAIT_FOR_ANIMATIONS, SETTLE_LIMIT_MS)
    assert not still_running, f"still animating after {SETTLE_LIMIT_MS} ms: {still_running}"


def shot(page, folder: str, name: str, viewport: str) -> Path:
    """Save a full-page screenshot under artifacts/screenshots/<folder>/<name>-<viewport>.png, the page at rest."""
    path = SCREENSHOTS / folder / f"{name}-{viewport}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    settle(page)
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_fits_width(page) -> None:
    """Nothing on the page forces sideways scrolling.

    Measured once the document is parsed: right after a navigation commits, its root element does not exist yet.
    """
    page.wait_for_load_state("domcontentloaded")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 0:
        # Name the widest culprits (elements whose right edge passes the viewport, outside scrolling boxes).
        culprits = page.evaluate("""() => [...document.querySelectorAll("body *")]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                && !e.closest(".table-responsive, [tabindex='0'][role='region']"))
            .slice(-5).map(e => e.tagName.toLowerCase() + (e.className && typeof e.className === "string"
                ? "." + e.className.trim().split(/\\s+/).join(".") : "") + " " + Math.round(e.getBoundingClientRect().right)
                + "px: " + (e.textContent || "").trim().slice(0, 40))""")
        raise AssertionError(f"page is {overflow}px wider than the viewport: {culprits}")


def app_code(secret: str) -> str:
    """What an authenticator app shows for the secret typed into it by hand (the pairing page shows it)."""
    from django_otp.oath import TOTP

    raw = secret.replace(" ", "")
    key = base64.b32decode(raw + "=" * (-len(raw) % 8))
    return f"{TOTP(key, step=30, t0=0, digits=6).token():06d}"


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
