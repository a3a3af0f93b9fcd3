"""In Chromium, at phone and desktop width: citizen A authorises B by CCCD with a document; B switches to acting
for A and submits a dossier for A; A sees it and gets the e-mail; A revokes, and B's next request is refused.
An organisation adds and removes a member. Every page axe-clean, screenshots in artifacts/screenshots/representation/.
"""

import pytest

from dossiers.constants import DossierStatus
from dossiers.models import Dossier
from notifications.models import Email
from representation.models import Authorisation, Membership
from tests.e2e.axe import axe_run, axe_source, describe
from tests.e2e.conftest import assert_fits_width, shot, sign_in
from tests.factories.dossiers import PDF, Builder
from tests.representation.conftest import draft_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("captcha_passes")]
FOLDER = "representation"


def _look(page, name, viewport, *, refused=False):
    """Fits, photographed, axe-clean, no console error (a refused form is answered 400, which Chromium logs)."""
    if refused:
        page.console_errors[:] = [e for e in page.console_errors if "status of 400" not in e]
    assert_fits_width(page)
    shot(page, FOLDER, name, viewport)
    serious = [v for v in axe_run(page, axe_source()) if v["impact"] in ("serious", "critical")]
    assert not serious, describe(serious)
    assert not page.console_errors


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_authorise_act_for_submit_then_revoke(pages, browser, live_server, viewport, tmp_path):
    from tests.e2e.conftest import open_page

    build = Builder()
    procedure = build.procedure()
    a = build.citizen(full_name="Trần Thị An", identity_number="062301000111")
    b = build.citizen(full_name="Lê Văn Bình", identity_number="062301000222")
    document = tmp_path / "giay-uy-quyen.pdf"
    document.write_bytes(PDF)
    page_a = pages[viewport]
    sign_in(page_a, live_server.url, a)

    page_a.goto("/tai-khoan/uy-quyen/")
    page_a.get_by_label("Số CCCD của người được ủy quyền").fill("0623")
    page_a.get_by_label("Mọi thủ tục").check()
    page_a.get_by_label("Hiệu lực đến ngày").fill("2099-12-31")
    page_a.set_input_files("#id_document", str(document))
    page_a.get_by_role("button", name="Lập ủy quyền").click()
    assert "Số CCCD gồm đúng 12 chữ số." in page_a.inner_text("main")
    _look(page_a, "grant-error", viewport, refused=True)
    page_a.get_by_label("Số CCCD của người được ủy quyền").fill("062301000222")
    page_a.set_input_files("#id_document", str(document))  # a browser never keeps a file across a refusal
    page_a.get_by_role("button", name="Lập ủy quyền").click()
    assert "Đã lập ủy quyền." in page_a.inner_text("main") and "Lê Văn Bình" in page_a.inner_text("#da-uy-quyen")
    _look(page_a, "granted", viewport)

    page_b = open_page(browser, live_server.url, viewport)
    sign_in(page_b, live_server.url, b)
    page_b.goto("/tai-khoan/uy-quyen/")
    _look(page_b, "act-for-choice", viewport)
    page_b.get_by_role("button", name="Thao tác thay cho Trần Thị An").click()
    page_b.wait_for_url("**/ho-so/")
    assert "Bạn đang thao tác thay cho: Trần Thị An" in page_b.inner_text("#thao-tac-thay")
    _look(page_b, "acting-mine", viewport)

    page_b.goto(f"/thu-tuc/{procedure.code}/")
    page_b.click("text=Nộp hồ sơ trực tuyến")
    page_b.wait_for_url("**/buoc-1/")
    assert page_b.input_value("#id_applicant_name") == "Trần Thị An"
    assert "Trần Thị An" in page_b.inner_text("#thao-tac-thay")
    draft = draft_for(a, b, procedure)  # the files and delivery steps, as tests/e2e/test_dossiers_browser.py does them
    page_b.goto(f"/ho-so/soan/{draft.uuid}/buoc-4/")
    page_b.check("#id_confirm")
    page_b.fill("#id_captcha_1", "PASSED")
    _look(page_b, "acting-review", viewport)
    page_b.click("#submit-button")
    page_b.wait_for_url("**/ho-so/*-*/")
    dossier = Dossier.objects.get(pk=draft.pk)
    assert dossier.status == DossierStatus.SUBMITTED and (dossier.owner, dossier.acted_by) == (a, b)
    assert "Đã nộp hồ sơ thành công" in page_b.inner_text("main")
    _look(page_b, "acting-submitted", viewport)

    page_a.goto("/ho-so/")
    assert dossier.code in page_a.inner_text("main")
    assert Email.objects.filter(to=a.email, kind="dossier_submit", reference=dossier.code).exists()
    page_a.goto("/tai-khoan/uy-quyen/")
    page_a.get_by_role("button", name="Thu hồi ủy quyền").click()
    assert "Đã thu hồi ủy quyền." in page_a.inner_text("main") and "Đã thu hồi" in page_a.inner_text("#da-uy-quyen")
    _look(page_a, "revoked", viewport)
    assert Authorisation.objects.get().revoked_at is not None

    response = page_b.goto(f"/ho-so/{dossier.code}/")
    assert response.status == 404
    page_b.console_errors.clear()  # the refusal itself, logged by Chromium
    page_b.goto("/ho-so/")
    assert page_b.locator("#thao-tac-thay").count() == 0 and dossier.code not in page_b.inner_text("main")
    _look(page_b, "after-revocation", viewport)
    page_b.context.close()


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_an_organisation_adds_and_removes_a_member(pages, live_server, viewport):
    build = Builder()
    organisation = build.citizen(full_name="Công ty TNHH Sông Đà", identity_number="6100123456",
                                 account_type="organisation")
    build.citizen(full_name="Lê Văn Bình", identity_number="062301000222")
    page = pages[viewport]
    sign_in(page, live_server.url, organisation)
    page.goto("/tai-khoan/uy-quyen/")
    page.get_by_label("Số CCCD của thành viên").fill("062301000999")
    page.get_by_role("button", name="Thêm thành viên").click()
    assert "Không có tài khoản công dân nào với số CCCD này." in page.inner_text("main")
    _look(page, "members-error", viewport, refused=True)
    page.get_by_label("Số CCCD của thành viên").fill("062301000222")
    page.get_by_label("Vai trò").select_option("viewer")
    page.get_by_role("button", name="Thêm thành viên").click()
    assert "Lê Văn Bình" in page.inner_text("#thanh-vien") and "Người xem" in page.inner_text("#thanh-vien")
    _look(page, "members", viewport)
    page.get_by_role("button", name="Xóa Lê Văn Bình").click()
    assert "Đã kết thúc tư cách thành viên." in page.inner_text("main")
    assert not Membership.objects.exists()
