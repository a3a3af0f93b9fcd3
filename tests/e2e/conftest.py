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
    contexts, result = [], {}
    for name, viewport in VIEWPORTS.items():
        context = browser.new_context(viewport=viewport, locale="vi-VN", base_url=live_server.url)
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda msg, p=page: msg.type == "error" and p.console_errors.append(msg.text))
        page.on("pageerror", lambda exc, p=page: p.console_errors.append(str(exc)))
        contexts.append(context)
        result[name] = page
    yield result
    for context in contexts:
        context.close()


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
