"""In Chromium: a citizen submits a dossier with files, a clerk receives it and asks for a supplement,
the citizen answers, the clerk finishes it; the citizen sees each step. Screenshots at 360 and 1280 px."""

from pathlib import Path

import pytest

from dossiers.constants import DossierStatus
from dossiers.models import Dossier
from procedures.models import Agency

from tests.e2e.conftest import new_context, settle, sign_in
from tests.factories.dossiers import PDF, Builder
from tests.support.otp import current_code, totp_device

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("captcha_passes")]

CODE = "1.004232.000.00.00.H34"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots" / "dossiers"
WIDTHS = {"phone": 360, "desktop": 1280}


def look(page, name):
    """Screenshot the page at phone and desktop width; nothing may force sideways scrolling."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 800})
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} is {overflow}px too wide at {width}px"
        settle(page)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 800})


@pytest.fixture
def world(settings):  # noqa: F811 - the pytest-django fixture
    build = Builder()
    agency = Agency.objects.create(code="000.00.21.H34", name="Sở Tài nguyên và Môi trường")
    procedure = build.procedure(
        CODE,
        agencies=[agency],
        components=("Đơn đề nghị cấp giấy phép thăm dò nước dưới đất", "Đề án thăm dò nước dưới đất"),
        fees=[1250000],
        days=15,
    )
    procedure.name = "Cấp giấy phép thăm dò nước dưới đất đối với công trình có lưu lượng dưới 3.000m³/ngày đêm"
    procedure.save()
    citizen = build.citizen(full_name="Nguyễn Thị Hồng Nhung", identity_number="062199001234")
    clerk = build.clerk(agency)
    clerk.set_password("Mat-khau-can-bo-2026")
    clerk.save()
    return {"procedure": procedure, "citizen": citizen, "clerk": clerk}


def _citizen_page(browser, live_server, user):
    context = new_context(browser, base_url=live_server.url, viewport={"width": 1280, "height": 800})
    sign_in(context, live_server.url, user)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    return page


def _clerk_page(browser, live_server, clerk):
    page = new_context(browser, base_url=live_server.url).new_page()
    page.goto("/admin/login/?next=/admin/dossiers/dossier/")
    page.fill("#id_username", clerk.email)
    page.fill("#id_password", "Mat-khau-can-bo-2026")
    page.fill("#id_otp_token", current_code(totp_device(clerk)))  # the code in the clerk's authenticator app
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/dossiers/dossier/")
    assert "/login/" not in page.url, page.inner_text("#content")
    assert page.locator("#result_list").count() == 1, page.inner_text("body")[:3000]
    return page


def _clerk_move(page, dossier, action, *, note="", files=None, shot_name=None):
    page.goto(f"/admin/dossiers/dossier/{dossier.pk}/change/")
    page.click(f"a.dossier-move-{action}")
    if note:
        page.fill("#id_note", note)
    if files:
        page.set_input_files("#id_files", files)
    if shot_name:
        page.screenshot(path=str(SCREENSHOTS / f"{shot_name}.png"), full_page=True)
    page.click("#move-submit")
    page.wait_for_url(f"**/admin/dossiers/dossier/{dossier.pk}/change/")
    assert page.locator(".messagelist .success").count() == 1, page.locator(".messagelist").inner_text()


def test_submit_receive_supplement_answer_finish(browser, live_server, world, tmp_path):
    files = []
    for name in ("don-de-nghi.pdf", "de-an-tham-do.pdf", "ban-ve-bo-sung.pdf", "giay-phep.pdf"):
        path = tmp_path / name
        path.write_bytes(PDF.replace(b"\n", b"\n%" + name.encode() * 2000 + b"\n", 1))
        files.append(str(path))
    page = _citizen_page(browser, live_server, world["citizen"])
    procedure = world["procedure"]

    page.goto(f"/thu-tuc/{CODE}/")
    look(page, "01-procedure")
    page.click("text=Nộp hồ sơ trực tuyến")
    page.wait_for_url("**/buoc-1/")
    assert page.input_value("#id_applicant_name") == "Nguyễn Thị Hồng Nhung"
    page.fill("#id_applicant_phone", "0905 111 222")
    page.select_option("#id_applicant_province_code", "51")  # Quảng Ngãi: the communes follow (communes.js)
    page.locator("#id_applicant_commune_code option[value='23293']").wait_for(state="attached")
    page.select_option("#id_applicant_commune_code", "23293")
    page.fill("#id_applicant_address", "12 Trần Hưng Đạo")
    look(page, "02-wizard-applicant")
    page.click("text=Lưu và tiếp tục")

    page.wait_for_url("**/buoc-2/")
    components = list(procedure.components.all())
    page.set_input_files(f"#files_{components[0].pk}", files[0])
    page.set_input_files(f"#files_{components[1].pk}", files[1])
    look(page, "03-wizard-files")
    page.click("button[value=next]")
    page.get_by_role("heading", name="Hình thức nộp và nhận kết quả").wait_for()
    page.check("input[name=result_method][value=electronic]")
    look(page, "04-wizard-delivery")
    page.click("text=Lưu và tiếp tục")

    page.wait_for_url("**/buoc-4/")
    assert "don-de-nghi.pdf" in page.inner_text("main") and "1.250.000 đ" in page.inner_text("main")
    page.check("#id_confirm")
    page.fill("#id_captcha_1", "PASSED")
    look(page, "05-wizard-review")
    page.click("#submit-button")
    page.wait_for_url("**/ho-so/000.00.21.H34-*/")
    dossier = Dossier.objects.get(procedure=procedure)
    assert dossier.status == DossierStatus.SUBMITTED
    assert "Đã nộp hồ sơ thành công" in page.inner_text("main")
    look(page, "06-dossier-submitted")

    clerk = _clerk_page(browser, live_server, world["clerk"])
    assert dossier.code in clerk.inner_text("#result_list")
    clerk.screenshot(path=str(SCREENSHOTS / "admin-01-changelist.png"), full_page=True)
    _clerk_move(clerk, dossier, "receive")
    _clerk_move(clerk, dossier, "request_supplement", note="Bổ sung bản vẽ vị trí khu vực thăm dò.", shot_name="admin-02-supplement")
    clerk.screenshot(path=str(SCREENSHOTS / "admin-03-change.png"), full_page=True)

    page.goto(f"/ho-so/{dossier.code}/")
    assert "Bổ sung bản vẽ vị trí khu vực thăm dò." in page.inner_text("main")
    look(page, "07-dossier-supplement-requested")
    page.set_input_files("#id_files", files[2])
    page.fill("#id_note", "Gửi bản vẽ vị trí")
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi bổ sung").click()
    assert "Đã gửi hồ sơ bổ sung" in page.inner_text("main")

    _clerk_move(clerk, dossier, "finish", files=[files[3]], shot_name="admin-04-finish")

    page.goto(f"/ho-so/{dossier.code}/")
    timeline = page.inner_text(".timeline")
    for step in ("Nộp hồ sơ", "Tiếp nhận", "Yêu cầu bổ sung", "Nộp bổ sung", "Hoàn thành xử lý"):
        assert step in timeline
    assert page.get_by_role("link", name="giay-phep.pdf").first.is_visible()
    look(page, "08-dossier-done")
    with page.expect_download() as download:
        page.get_by_role("link", name="giay-phep.pdf").first.click()
    assert Path(download.value.path()).read_bytes() == Path(files[3]).read_bytes()

    page.goto("/ho-so/")
    assert dossier.code in page.inner_text("main")
    look(page, "09-my-dossiers")
    dossier.refresh_from_db()
    page.goto(f"/tra-cuu-ho-so/?code={dossier.code}")  # the receipt's QR code: the code only
    page.fill("#id_key", dossier.lookup_key)
    with page.expect_navigation():
        page.get_by_role("button", name="Tra cứu").click()
    assert "Đã xử lý xong" in page.inner_text("main") and "Nguyễn Thị Hồng Nhung" not in page.inner_text("main")
    look(page, "10-lookup")
    assert page.errors == []
    assert dossier.status == DossierStatus.DONE
