"""In Chromium, at phone and desktop width: the citizen's wallet page with a result the portal issued, a paper
kept through the form, then step 2 of a new dossier offering the result, chosen with no upload. axe-clean."""

import pytest

from dossiers.constants import DossierStatus
from tests.e2e.axe import assert_axe_clean
from tests.e2e.conftest import assert_fits_width, shot, sign_in
from tests.factories.dossiers import Builder, padded_pdf
from tests.wallet.test_wallet import _returned_with_result
from wallet.models import WalletItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_wallet_and_its_reuse_in_the_wizard(pages, live_server, viewport, tmp_path):
    build = Builder()
    citizen = build.citizen(full_name="Nguyễn Thị Hoa")
    returned = _returned_with_result(build, citizen)
    page = pages[viewport]
    sign_in(page, live_server.url, citizen)

    page.goto("/tai-khoan/kho-giay-to/")
    assert page.get_by_role("heading", level=1).inner_text() == "Kho giấy tờ của tôi"
    assert f"Do {returned.agency.name} cấp" in page.locator("article").first.inner_text()
    assert_fits_width(page)
    shot(page, "wallet", "index", viewport)
    assert_axe_clean(page)

    page.get_by_role("button", name="Lưu vào kho").click()  # nothing filled in
    assert page.locator(".invalid-feedback").count() >= 2
    scan = tmp_path / "bang-tot-nghiep.pdf"
    scan.write_bytes(padded_pdf(b"bang tot nghiep"))
    page.get_by_label("Tên giấy tờ").fill("Bằng tốt nghiệp THPT")
    page.get_by_label("Tệp giấy tờ (PDF, ảnh, Word, Excel)").set_input_files(str(scan))
    page.get_by_label("Số, ký hiệu").fill("B-123456")
    page.get_by_role("button", name="Lưu vào kho").click()
    page.wait_for_url("**/tai-khoan/kho-giay-to/")
    assert "Đã lưu giấy tờ vào kho." in page.content()
    assert WalletItem.objects.filter(owner=citizen).count() == 2
    shot(page, "wallet", "kept", viewport)
    assert_axe_clean(page)

    procedure = build.procedure(components=("Đơn đề nghị", "Bản sao Giấy khai sinh (có chứng thực)"))
    draft = build.dossier(DossierStatus.DRAFT, procedure=procedure, owner=citizen, wizard_step=1)
    page.goto(f"/ho-so/soan/{draft.uuid}/buoc-2/")
    offers = page.locator(".wallet-offers")
    assert offers.count() == 1 and "Giấy khai sinh" in offers.inner_text()
    assert_fits_width(page)
    shot(page, "wallet", "wizard-offer", viewport)
    assert_axe_clean(page)

    offers.get_by_role("button", name="Dùng giấy tờ này").click()
    page.wait_for_load_state()
    badge = page.locator(".wallet-origin", has_text="Từ kho giấy tờ")
    assert badge.count() == 1 and returned.agency.name in badge.inner_text()
    assert page.locator(".wallet-offers").count() == 0
    assert_fits_width(page)
    shot(page, "wallet", "wizard-reused", viewport)
    assert_axe_clean(page)
    assert not page.console_errors
