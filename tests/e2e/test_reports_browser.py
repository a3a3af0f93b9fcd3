"""The public statistics page in a real browser, on a phone and on a desktop, under the CSP."""

import pytest
from django.utils import timezone

from reports.services import figures_rebuild
from tests.e2e.axe import axe_run, axe_source, describe
from tests.factories.dossiers import Builder
from tests.e2e.conftest import assert_fits_width, shot
from tests.reports.data import build_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
YEAR = timezone.localdate().year - 1


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_statistics_page_with_chart_and_filters(pages, viewport):
    build_year(Builder(), YEAR)
    figures_rebuild()
    page = pages[viewport]
    page.goto(f"/thong-ke/?year={YEAR}")

    assert page.get_by_role("heading", level=1).inner_text() == "Thống kê tình hình giải quyết hồ sơ"
    assert page.locator("#stat-received").inner_text() == "8"
    chart = page.locator("svg.stats-chart-svg:visible")
    assert chart.count() == 1
    box = chart.bounding_box()
    assert box["width"] >= 300 and box["height"] > 100  # drawn, readable on a phone
    shot(page, "reports", "statistics", viewport)
    tallest = chart.locator("rect.chart-received").nth(2)  # March: 4 received, the most
    assert tallest.bounding_box()["height"] > chart.locator("rect.chart-received").nth(0).bounding_box()["height"] > 0
    # December, the last month, is on the screen: the chart is no wider than the viewport.
    december = chart.locator("text.chart-label").nth(11).bounding_box()
    assert december["x"] + december["width"] <= page.viewport_size["width"]
    assert chart.locator("text.chart-label").nth(11).text_content() == "T12"
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


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_service_index_page_fits_and_passes_axe(pages, viewport, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    build_year(Builder(), YEAR)
    figures_rebuild()
    page = pages[viewport]
    page.goto(f"/thong-ke/?year={YEAR}")
    page.get_by_role("link", name="Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)").click()
    page.wait_for_url("**/thong-ke/chi-so/")
    page.select_option("#id_year", str(YEAR))
    page.select_option("#id_month", "3")
    page.get_by_role("button", name="Xem chỉ số").click()
    page.wait_for_url("**/thong-ke/chi-so/?*month=3*")

    assert page.get_by_role("heading", level=1).inner_text() == "Chỉ số phục vụ người dân, doanh nghiệp"
    assert page.locator("#index-received").inner_text() == "4"
    bars = page.locator("#index-agencies svg.index-bar")
    assert bars.count() == 2
    assert bars.nth(0).bounding_box()["width"] > 250  # a bar across the phone's width, not a thumbnail
    assert page.locator("#indicators tbody tr").count() == 8  # 4.3, reuse of digitised data, included
    assert_fits_width(page)
    shot(page, "reports", "service-index", viewport)
    serious = [v for v in axe_run(page, axe_source()) if v["impact"] in ("serious", "critical")]
    assert not serious, describe(serious)

    page.get_by_role("link", name="1. Sở Tư pháp").click()
    assert page.locator("#index-points").inner_text() == "53,7/82"
    assert_fits_width(page)
    shot(page, "reports", "service-index-agency", viewport)
    assert page.console_errors == []


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_both_pages_in_english_name_the_months_and_the_month_shown(pages, viewport, settings):
    """In English the months read Jan…Dec (not the Vietnamese T1…T12), and the index opened without a month
    shows this month's figures under a select that says this month (not "Month 1")."""
    build_year(Builder(), YEAR)
    figures_rebuild()
    page = pages[viewport]
    page.goto(f"/thong-ke/?year={YEAR}")
    # The language switch's choice (on a phone it sits in the folded menu).
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": page.url}])
    page.reload()
    chart = page.locator("svg.stats-chart-svg:visible")
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    assert chart.locator("text.chart-label").all_text_contents() == months
    assert page.locator("#by-month tbody th").all_inner_texts() == months
    assert_fits_width(page)
    shot(page, "reports", "statistics-en", viewport)

    page.goto("/thong-ke/chi-so/")
    today = timezone.localdate()
    assert page.locator("#id_month").input_value() == str(today.month)
    assert page.locator("#id_year").input_value() == str(today.year)
    assert_fits_width(page)
    shot(page, "reports", "service-index-en", viewport)
    assert page.console_errors == []
