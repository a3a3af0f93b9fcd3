"""A citizen checks a signed receipt at /xac-thuc-van-ban/, on a phone and on a desktop; then an altered copy."""

import pytest

from dossiers.constants import DossierAction, DossierStatus
from dossiers.services import dossier_move
from signatures.constants import SignerKind
from signatures.models import AgencySigner
from tests.e2e.axe import axe_run, axe_source, describe
from tests.e2e.conftest import assert_fits_width, shot
from tests.signatures.pki import start_pki

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    running = start_pki(tmp_path_factory.mktemp("pki-e2e"))
    yield running
    running.stop()


@pytest.fixture
def receipts(pki, settings, build, tmp_path):
    """The receipt of a received dossier, signed by its agency at B-LT; one good copy and one with a byte changed."""
    from dossiers.pdf import dossier_receipt_pdf

    settings.SIGNATURES_TSA_URL = pki.tsa_url
    settings.SIGNATURES_TRUST_ROOTS = str(pki.write_roots("portal-test"))
    agency = build.agency(name="Sở Tư pháp tỉnh Kon Tum")
    AgencySigner.objects.create(agency=agency, kind=SignerKind.FILE, key_path=str(pki.write_signer("agency")))
    dossier = build.dossier(DossierStatus.SUBMITTED, procedure=build.procedure(agencies=[agency]))
    dossier = dossier_move(dossier=dossier, action=DossierAction.RECEIVE, actor=build.clerk(agency))
    data = dossier_receipt_pdf(dossier=dossier)
    good = tmp_path / f"giay-tiep-nhan-{dossier.code}.pdf"
    good.write_bytes(data)
    altered = bytearray(data)
    altered[altered.index(b"/Title") + 8] ^= 0x01
    bad = tmp_path / "giay-tiep-nhan-da-sua.pdf"
    bad.write_bytes(bytes(altered))
    return good, bad


def upload(page, path):
    page.goto("/xac-thuc-van-ban/")
    page.get_by_label("Văn bản điện tử (PDF)").set_input_files(str(path))
    page.get_by_role("button", name="Kiểm tra chữ ký").click()
    page.wait_for_selector("#ket-qua")
    return page.locator("#ket-qua")


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_a_citizen_checks_a_signed_receipt(pages, receipts, viewport):
    page = pages[viewport]
    good, bad = receipts
    page.goto("/")
    page.get_by_role("link", name="Xác thực văn bản điện tử có chữ ký số").click()
    page.wait_for_url("**/xac-thuc-van-ban/")
    assert page.get_by_role("heading", level=1).inner_text() == "Xác thực văn bản điện tử"

    result = upload(page, good)
    text = result.inner_text()
    assert "✔ Hợp lệ" in text and "Sở Tư pháp tỉnh Kon Tum — UBND tỉnh Kon Tum" in text
    assert "Nội dung không bị thay đổi sau khi ký." in text and "CA trung gian thử nghiệm" in text
    assert "do tổ chức cấp dấu thời gian tin cậy xác nhận" in text
    assert_fits_width(page)
    shot(page, "signatures", "valid", viewport)
    blocking = axe_run(page, axe_source())
    assert not blocking, describe(blocking)

    result = upload(page, bad)
    text = result.inner_text()
    assert "✘ Văn bản đã bị thay đổi sau khi ký" in text and "Không dùng văn bản này." in text
    assert_fits_width(page)
    shot(page, "signatures", "altered", viewport)
    blocking = axe_run(page, axe_source())
    assert not blocking, describe(blocking)
    assert page.console_errors == []


def test_a_file_that_is_not_a_pdf_is_refused_next_to_the_field(pages, tmp_path):
    page = pages["phone"]
    picture = tmp_path / "anh-chup.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    page.goto("/xac-thuc-van-ban/")
    page.get_by_label("Văn bản điện tử (PDF)").set_input_files(str(picture))
    page.get_by_role("button", name="Kiểm tra chữ ký").click()
    page.wait_for_selector(".invalid-feedback")
    assert "Tệp “anh-chup.png” không phải tệp PDF." in page.locator(".invalid-feedback").inner_text()
    shot(page, "signatures", "not-a-pdf", "phone")
    blocking = axe_run(page, axe_source())
    assert not blocking, describe(blocking)
