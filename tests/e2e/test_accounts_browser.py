"""A citizen registers, opens the link from the demo mailbox, logs in and edits the profile."""

import pytest

from accounts.models import User
from tests.e2e.conftest import assert_fits_width, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Mật khẩu dài của tôi 2025"


@pytest.fixture
def demo_site(settings, tmp_path, monkeypatch, live_server):
    """As `make run`: DEBUG on, e-mails written to files, tasks in-process, captcha in test mode."""
    from captcha.conf import settings as captcha_settings

    settings.DEBUG = True
    settings.SITE_URL = live_server.url
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_register_confirm_login_and_edit_profile(pages, demo_site, viewport):
    page = pages[viewport]
    page.goto("/tai-khoan/dang-ky/")
    captcha_width = page.eval_on_selector("img.captcha", "img => img.complete && img.naturalWidth")
    assert captcha_width and captcha_width > 0, "the captcha image did not load"
    assert_fits_width(page)
    shot(page, "accounts", "register", viewport)

    page.fill("#id_full_name", "Nguyễn Thị Hoa")
    page.fill("#id_date_of_birth", "2001-03-09")
    page.check("input[name=gender][value=female]")
    page.fill("#id_identity_number", "062001123456")  # century digit says a man born in the 1900s
    page.fill("#id_phone", "0912 345 678")
    page.fill("#id_email", "hoa@example.vn")
    with page.expect_response("**/tai-khoan/xa-phuong/?tinh=51"):
        page.select_option("#id_province_code", "51")
    page.select_option("#id_commune_code", index=1)
    commune = page.eval_on_selector("#id_commune_code", "s => s.options[s.selectedIndex].text")
    page.fill("#id_street_address", "45 Lê Lợi")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.fill("#id_captcha_1", "PASSED")
    page.click("button[type=submit] >> text=Đăng ký")
    error = page.locator("#error_1_id_identity_number")
    assert "không khớp với ngày sinh và giới tính" in error.inner_text()
    assert page.input_value("#id_full_name") == "Nguyễn Thị Hoa" and page.input_value("#id_password1") == ""
    assert page.eval_on_selector("#id_commune_code", "s => s.options[s.selectedIndex].text") == commune
    assert_fits_width(page)
    shot(page, "accounts", "register-errors", viewport)

    page.fill("#id_identity_number", "062301123456")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.fill("#id_captcha_1", "PASSED")
    page.click("button[type=submit] >> text=Đăng ký")
    page.wait_for_url("**/tai-khoan/dang-ky/da-gui/")
    assert_fits_width(page)
    shot(page, "accounts", "register-done", viewport)

    page.click("text=Mở hộp thư thử nghiệm")
    page.wait_for_url("**/tai-khoan/hop-thu/")
    shot(page, "accounts", "mailbox", viewport)
    page.click("text=Xác nhận đăng ký tài khoản sử dụng Cổng dịch vụ công trực tuyến")
    page.wait_for_url("**/tai-khoan/hop-thu/*/*/")
    assert_fits_width(page)
    shot(page, "accounts", "mailbox-message", viewport)
    page.click("a[href*='/tai-khoan/xac-nhan/']")
    page.wait_for_url("**/tai-khoan/dang-nhap/")
    assert "Tài khoản của bạn đã được kích hoạt" in page.inner_text("main")
    assert_fits_width(page)
    shot(page, "accounts", "login", viewport)

    page.fill("#id_username", "062301123456")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit] >> text=Đăng nhập")
    page.wait_for_url("**/tai-khoan/")
    assert "Trang cá nhân" in page.inner_text("h1")
    page.fill("#id_phone", "+84 387 654 321")
    with page.expect_response("**/tai-khoan/xa-phuong/?tinh=1"):
        page.select_option("#id_province_code", "1")
    page.select_option("#id_commune_code", "70")
    page.fill("#id_street_address", "1 Tràng Tiền")
    page.click("button[type=submit] >> text=Lưu thay đổi")
    page.wait_for_url("**/tai-khoan/")
    assert "Đã lưu thông tin cá nhân." in page.inner_text("main")
    assert "Phường Hoàn Kiếm" in page.inner_text("main")
    assert_fits_width(page)
    shot(page, "accounts", "profile", viewport)
    user = User.objects.get()
    assert user.is_active and (user.phone, user.commune_code, user.street_address) == ("0387654321", 70, "1 Tràng Tiền")
    assert page.console_errors == []


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_organisation_tab_resend_and_lockout_pages(pages, demo_site, settings, viewport):
    from tests.factories.accounts import UserFactory

    settings.AXES_FAILURE_LIMIT = 2
    UserFactory(email="an@example.vn")
    page = pages[viewport]
    page.goto("/tai-khoan/dang-ky/")
    page.click("text=Tổ chức, doanh nghiệp")
    assert page.is_visible("#id_representative")
    assert_fits_width(page)
    shot(page, "accounts", "register-organisation", viewport)
    page.goto("/tai-khoan/gui-lai-xac-nhan/")
    assert_fits_width(page)
    shot(page, "accounts", "resend", viewport)
    page.goto("/tai-khoan/dang-nhap/")
    for _ in range(2):
        page.fill("#id_username", "an@example.vn")
        page.fill("#id_password", "sai mật khẩu")
        page.click("button[type=submit] >> text=Đăng nhập")
    assert "Đăng nhập tạm thời bị khóa" in page.inner_text("h1")
    assert_fits_width(page)
    shot(page, "accounts", "lockout", viewport)
