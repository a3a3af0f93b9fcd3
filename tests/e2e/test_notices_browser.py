"""A citizen chooses SMS and Zalo notices on /tai-khoan/thong-bao/ (phone verified by the code the SMS sandbox
shows), a clerk receives their dossier, and both sandboxes show the notice (issue 30 §3)."""

import re

import pytest

from dossiers.constants import DossierAction, DossierStatus
from dossiers.services.moves import dossier_move
from tests.e2e.axe import AxeLog, axe_source, describe
from tests.e2e.conftest import SCREENSHOTS, assert_fits_width, shot, sign_in
from tests.factories.dossiers import Builder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def notice_site(settings, live_server):
    settings.SITE_URL = live_server.url
    settings.SMS_API_URL = live_server.url + "/sandbox/sms"
    settings.ZALO_API_URL = live_server.url + "/sandbox/zalo"
    return live_server


def _check(axe, page, name):
    blocking = axe.check(page, name)
    assert not blocking, describe(blocking)
    assert_fits_width(page)
    assert not page.console_errors, page.console_errors


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_choose_sms_and_zalo_and_see_the_notices_arrive(pages, notice_site, viewport):
    build = Builder()
    citizen = build.citizen(full_name="Y Hoa Niê", phone="0987654321")
    page, axe = pages[viewport], AxeLog(SCREENSHOTS / "notices" / f"axe-{viewport}.json", source=axe_source())
    sign_in(page, notice_site.url, citizen)
    page.goto("/tai-khoan/")
    page.get_by_role("link", name="Nhận thông báo qua SMS, Zalo").click()
    assert page.input_value("#id_phone") == "0987654321"  # the profile's number, offered
    _check(axe, page, "settings")
    shot(page, "notices", "1-settings", viewport)

    page.get_by_role("button", name="Gửi mã xác minh").click()
    page.get_by_text("Đã gửi mã xác minh bằng SMS.").wait_for()
    page.fill("#id_code", "12345")
    page.get_by_role("button", name="Xác minh", exact=True).click()
    assert "Mã gồm 6 chữ số." in page.locator("#nhap-ma").inner_text()
    _check(axe, page, "code-error")
    shot(page, "notices", "2-code-error", viewport)

    sandbox = page.context.new_page()
    sandbox.goto("/sandbox/sms/")
    code = re.search(r"\b(\d{6})\b", sandbox.locator("#received tbody tr").first.inner_text()).group(1)
    page.fill("#id_code", code)
    page.get_by_role("button", name="Xác minh", exact=True).click()
    page.get_by_text("Đã xác minh số điện thoại nhận tin.").wait_for()
    page.check("#id_sms")
    page.check("#id_zalo")
    page.get_by_role("button", name="Lưu lựa chọn").click()
    page.get_by_text("Đã lưu lựa chọn nhận tin.").wait_for()
    assert page.is_checked("#id_sms") and page.is_checked("#id_zalo")
    _check(axe, page, "saved")
    shot(page, "notices", "3-saved", viewport)

    dossier = build.dossier(DossierStatus.SUBMITTED, owner=citizen)
    dossier_move(dossier=dossier, action=DossierAction.RECEIVE, actor=build.clerk(dossier.agency))
    for channel in ("sms", "zalo"):
        sandbox.set_viewport_size(page.viewport_size)
        sandbox.goto(f"/sandbox/{channel}/")
        newest = sandbox.locator("#received tbody tr").first.inner_text()
        assert dossier.code in newest and "Niê" not in newest and "Nie" not in newest
        shot(sandbox, "notices", f"4-sandbox-{channel}", viewport)
    axe.write()
