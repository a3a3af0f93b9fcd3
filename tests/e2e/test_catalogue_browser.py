"""A citizen finds a procedure in the catalogue, on a phone and on a desktop."""

import pytest

from tests.e2e.conftest import assert_fits_width, shot, sign_in
from tests.factories.procedures import AgencyFactory, FieldFactory, ProcedureFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATER = "1.004232.000.00.00.H34"


@pytest.fixture
def catalogue():
    tnmt = AgencyFactory(code="000.00.21.H34", name="Sở Tài nguyên và Môi trường", phone="0260.3916028")
    water = FieldFactory(code="TNN", name="Tài nguyên nước")
    ProcedureFactory.with_components(
        code=WATER, field=water, agencies=[tnmt], is_frequent=True,
        name="Cấp giấy phép thăm dò nước dưới đất đối với công trình có lưu lượng dưới 3.000m³/ngày đêm",
        fees=(("le_phi", "Lệ phí cấp giấy phép thăm dò", 1250000),),
        result="Giấy phép thăm dò nước dưới đất", legal_basis="Luật Tài nguyên nước số 28/2023/QH15",
        steps="Bước 1: Nộp hồ sơ.\nBước 2: Thẩm định.\nBước 3: Trả kết quả.",
    )
    ProcedureFactory(code="1.004228.000.00.00.H34", field=water, agencies=[tnmt],
                     name="Gia hạn, điều chỉnh nội dung giấy phép thăm dò nước dưới đất đối với công trình có lưu lượng dưới 3.000m³/ngày đêm")
    for n in range(1, 4):
        ProcedureFactory(field=water, agencies=[tnmt], name=f"Thủ tục tài nguyên nước mẫu số {n}")


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_citizen_finds_the_procedure_typing_without_diacritics(pages, catalogue, viewport):
    page = pages[viewport]
    page.goto("/")
    assert page.get_by_text("Thủ tục thường gặp").first.is_visible()
    assert_fits_width(page)
    shot(page, "catalogue", "home", viewport)

    page.fill("#home-q", "CAP GIAY PHEP THAM DO NUOC")
    page.click("button[type=submit] >> text=Tìm kiếm")
    page.wait_for_url("**/thu-tuc/?q=*")
    first = page.locator("table.catalogue-table tbody tr").first
    assert WATER in first.inner_text()
    assert_fits_width(page)
    shot(page, "catalogue", "catalogue", viewport)

    first.get_by_role("link", name="Cấp giấy phép thăm dò nước dưới đất").click()
    page.wait_for_url(f"**/thu-tuc/{WATER}/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Cấp giấy phép thăm dò nước dưới đất")
    assert page.get_by_text("1.250.000 đ").is_visible()
    assert_fits_width(page)
    shot(page, "catalogue", "detail", viewport)
    assert page.console_errors == []


def test_menu_collapses_on_a_phone_and_opens(pages, catalogue):
    page = pages["phone"]
    page.goto("/")
    menu_link = page.locator("#mainmenu").get_by_role("link", name="Câu hỏi thường gặp")
    assert not menu_link.is_visible()
    page.click(".navbar-toggler")
    menu_link.wait_for(state="visible")
    shot(page, "catalogue", "menu-open", "phone")
    menu_link.click()
    page.wait_for_url("**/cau-hoi-thuong-gap/")
    assert page.get_by_role("heading", name="Câu hỏi thường gặp").is_visible()


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_guide_and_faq_pages(pages, catalogue, viewport):
    page = pages[viewport]
    for name, path in (("guide", "/huong-dan/"), ("faq", "/cau-hoi-thuong-gap/"), ("online", "/dich-vu-cong-truc-tuyen/")):
        page.goto(path)
        assert_fits_width(page)
        shot(page, "catalogue", name, viewport)
    assert page.console_errors == []


def test_signed_in_menu_fits_one_row_and_logs_out(pages, catalogue, live_server):
    from accounts.models import User

    user = User.objects.create_user("nhung@example.vn", "mat-khau-rat-dai-2026", is_active=True,
                                    full_name="Nguyễn Thị Hồng Nhung")
    page = pages["desktop"]
    sign_in(page, live_server.url, user)
    page.goto("/")
    nav_height = page.evaluate("document.querySelector('.portal-nav').getBoundingClientRect().height")
    assert nav_height < 70, f"the menu wraps onto several rows ({nav_height}px)"
    page.locator(".portal-nav .dropdown-toggle").click()
    page.get_by_role("link", name="Hồ sơ của tôi").wait_for(state="visible")
    shot(page, "catalogue", "user-menu", "desktop")
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator(".portal-nav").get_by_role("link", name="Đăng nhập").is_visible()
