"""The public statistics page in a real browser, on a phone and on a desktop, under the CSP."""

import pytest
from django.utils import timezone

from tests.factories.dossiers import Builder
from tests.e2e.conftest import assert_fits_width, shot
from tests.reports.data import build_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
YEAR = timezone.localdate().year - 1


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_statistics_page_with_chart_and_filters(pages, viewport):
    build_year(Builder(), YEAR)
    page = pages[viewport]
    page.goto(f"/thong-ke/?year={YEAR}")

    assert page.get_by_role("heading", level=1).inner_text() == "Thống kê tình hình giải quyết hồ sơ"
    assert page.locator("#stat-received").inner_text() == "8"
    chart = page.locator("svg.stats-chart-svg")
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box["width"] >= 300 and box["height"] > 100  # drawn, readable on a phone
    shot(page, "reports", "statistics", viewport)
    tallest = page.locator("rect.chart-received").nth(2)  # March: 4 received, the most
    assert tallest.bounding_box()["height"] > page.locator("rect.chart-received").nth(0).bounding_box()["height"] > 0
    assert_fits_width(page)
    shot(page, "reports", "statistics", viewport)

    page.select_option("#id_month", "4")
    page.select_option("#id_agency", "000.00.31.H34")
    page.get_by_role("button", name="Xem thống kê").click()
    page.wait_for_url("**/thong-ke/?*month=4*")
    assert page.locator("#stat-received").inner_text() == "2"
    assert page.locator("#by-agency tbody tr").count() == 1
    assert_fits_width(page)
    shot(page, "reports", "statistics-filtered", viewport)
    assert page.console_errors == []
