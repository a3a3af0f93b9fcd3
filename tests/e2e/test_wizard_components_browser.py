"""In Chromium, at phone width (390×844) and on a desktop: step 2 of the birth registration asks the case, then
only its papers; the power of attorney appears when ticked; the identity paper is shown with its number typed;
errors sit beside the fields. Screenshots in artifacts/screenshots/wizard/."""

from pathlib import Path

import pytest

from dossiers import services
from dossiers.models import Dossier
from procedures.models import Agency

from tests.e2e.axe import BLOCKING, axe_run, axe_source, describe
from tests.e2e.conftest import assert_fits_width, settle
from tests.e2e.test_dossiers_browser import _citizen_page
from tests.factories import components as birth
from tests.factories.components import birth_registration, component
from tests.factories.dossiers import PDF, Builder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("captcha_passes")]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots" / "wizard"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def _shot(page, name, viewport):
    """Nothing wider than the screen, no serious or critical axe finding; then the screenshot."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert_fits_width(page)
    blocking = [v for v in axe_run(page, axe_source()) if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)
    settle(page)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{viewport}.png"), full_page=True)


@pytest.fixture
def draft():
    build = Builder()
    agency = Agency.objects.create(code="000.29.23.H34", name="UBND phường Kon Tum")
    procedure = birth_registration(build, agencies=[agency])
    citizen = build.citizen(full_name="Nguyễn Thị Hồng Nhung", identity_number="062199001234")
    draft = services.dossier_draft_get_or_create(user=citizen, procedure=procedure)
    return services.dossier_applicant_update(
        dossier=draft, name=citizen.full_name, identity=citizen.identity_number, phone="0905111222",
        email=citizen.email, address="12 Trần Hưng Đạo",
    )


def _page(browser, live_server, user, viewport):
    page = _citizen_page(browser, live_server, user)
    page.set_viewport_size(VIEWPORTS[viewport])
    return page


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_step_two_of_the_birth_registration(browser, live_server, draft, viewport, tmp_path):
    files = []
    for name in ("to-khai.pdf", "giay-chung-sinh.pdf", "uy-quyen.pdf"):
        path = tmp_path / name
        path.write_bytes(PDF.replace(b"\n", b"\n%" + name.encode() * 200 + b"\n", 1))
        files.append(str(path))
    procedure = draft.procedure
    e_form = component(procedure, birth.E_FORM)
    certificate = component(procedure, birth.BIRTH_CERTIFICATE, birth.CASE_NORMAL)
    power = component(procedure, birth.POWER_OF_ATTORNEY)
    identity = component(procedure, birth.IDENTITY_PAPER)
    page = _page(browser, live_server, draft.owner, viewport)

    page.goto(f"/ho-so/soan/{draft.uuid}/buoc-2/")
    assert "Hồ sơ của bạn thuộc trường hợp nào?" in page.inner_text("main")
    _shot(page, "01-case", viewport)
    page.get_by_label(birth.CASE_NORMAL).check()
    page.get_by_role("button", name="Tiếp tục").click()
    page.locator(f"#files_{e_form.pk}").wait_for()
    main = page.inner_text("main")
    assert birth.CASE_NORMAL in main and birth.ABANDONED_RECORD not in main and birth.PAPER_FORM not in main
    # The power of attorney's upload waits for its box; the identity number is offered from the profile.
    assert not page.locator(f"#files_{power.pk}").is_visible()
    assert page.input_value(f"#number_{identity.pk}") == "062199001234"
    _shot(page, "02-components", viewport)

    page.check(f"#applies_{power.pk}")
    assert page.locator(f"#files_{power.pk}").is_visible()
    page.fill(f"#number_{identity.pk}", "0621 99")
    page.set_input_files(f"#files_{e_form.pk}", files[0])
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    page.locator(".invalid-feedback").first.wait_for()
    error = page.locator(f"#number_{identity.pk}_error")
    assert error.inner_text() == "Nhập số định danh cá nhân (12 chữ số) hoặc số hộ chiếu (một chữ cái và 7 hoặc 8 chữ số)."
    assert page.input_value(f"#number_{identity.pk}") == "0621 99" and page.is_checked(f"#applies_{power.pk}")
    assert "to-khai.pdf" in page.inner_text("main")
    _shot(page, "03-number-refused", viewport)

    page.fill(f"#number_{identity.pk}", "062199001234")
    page.set_input_files(f"#files_{certificate.pk}", files[1])
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    page.get_by_text("Còn thiếu 1 giấy tờ bắt buộc.").wait_for()
    assert page.locator(f"#component-{power.pk} .invalid-feedback").inner_text() == "Vui lòng tải lên giấy tờ này."
    _shot(page, "04-missing", viewport)

    page.set_input_files(f"#files_{power.pk}", files[2])
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    page.get_by_role("heading", name="Hình thức nộp và nhận kết quả").wait_for()
    dossier = Dossier.objects.get(pk=draft.pk)
    assert dossier.case == birth.CASE_NORMAL and dossier.files.count() == 3
    assert dossier.component_answers[str(identity.pk)] == {"number": "062199001234"}
    page.check("input[name=result_method][value=counter]")
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    page.wait_for_url("**/buoc-4/")
    main = page.inner_text("main")
    assert birth.CASE_NORMAL in main and birth.POWER_CONDITION in main and "062199001234" in main
    _shot(page, "05-review", viewport)

    page.check("#id_confirm")
    page.fill("#id_captcha_1", "PASSED")
    page.click("#submit-button")
    page.wait_for_url("**/ho-so/000.29.23.H34-*/")
    card = page.inner_text("#dossier-components")
    assert birth.CASE_NORMAL in card and "062199001234" in card
    _shot(page, "06-dossier", viewport)
    assert page.errors == []
