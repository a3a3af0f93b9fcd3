"""The API's browsable docs (/api/v1/docs): Swagger UI from the portal's own static files, under the site's CSP."""

import pytest

from tests.e2e.conftest import SCREENSHOTS

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_the_docs_show_every_operation_without_a_csp_violation(pages, live_server):
    page = pages["desktop"]
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    response = page.goto("/api/v1/docs")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector(".opblock", timeout=20_000)
    assert page.locator(".opblock").count() == 8
    assert "searchProcedures" in page.content() or page.get_by_text("/api/v1/procedures").count()
    assert [url for url in requested if not url.startswith(live_server.url)] == []  # no CDN
    assert [e for e in page.console_errors if "Content Security Policy" in e or "Refused" in e] == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "api-docs-desktop.png"), full_page=False)
