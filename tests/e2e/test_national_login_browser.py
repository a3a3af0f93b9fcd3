"""The login page with national login first, and the sandbox provider's login page, in Chromium (phone, desktop)."""

import pytest

from accounts.models import User
from tests.e2e.axe import axe_run, axe_source, describe
from tests.e2e.conftest import assert_fits_width, open_page, shot
from tests.sandbox_idp.conftest import AN, PASSWORD, idp  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_national_login_first_then_the_providers_page(browser, idp, viewport):  # noqa: F811
    source = axe_source()
    page = open_page(browser, idp, viewport)  # on 127.0.0.1: the sandbox registered the portal's loopback callback
    page.goto("/tai-khoan/dang-nhap/")
    national = page.get_by_role("link", name="Đăng nhập bằng tài khoản định danh điện tử (VNeID)")
    password = page.get_by_role("button", name="Đăng nhập", exact=True)
    assert national.is_visible() and password.is_visible()
    assert national.bounding_box()["y"] < page.locator("#id_username").bounding_box()["y"]  # first, above the form
    assert (violations := axe_run(page, source)) == [], describe(violations)
    assert_fits_width(page)
    shot(page, "accounts", "login-national-first", viewport)

    national.click()
    page.wait_for_url("**/sandbox/idp/authorize/**")
    assert page.get_by_role("note").inner_text().startswith("MÔI TRƯỜNG THỬ NGHIỆM")
    assert (violations := axe_run(page, source)) == [], describe(violations)
    assert_fits_width(page)
    shot(page, "sandbox_idp", "login", viewport)

    page.get_by_label("Số định danh cá nhân").fill(AN)
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    assert "Số định danh hoặc mật khẩu không đúng." in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Số định danh cá nhân").input_value() == AN  # nothing typed is lost
    assert (violations := axe_run(page, source)) == [], describe(violations)
    shot(page, "sandbox_idp", "login-error", viewport)

    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/tai-khoan/")
    assert "Đã đăng nhập bằng tài khoản định danh quốc gia." in page.content()
    assert User.objects.get(identity_number=AN).full_name == "Nguyễn Văn An"
    # The one error: the refused credentials' page, answered 400 on purpose.
    assert [e for e in page.console_errors if "status of 400" not in e] == [] and len(page.console_errors) == 1
    page.context.close()
