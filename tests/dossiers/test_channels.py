"""How a dossier comes in and how its result goes out, as the citizen and the clerk see it: the applicant's
address in 2025 units, the postal tracking number, the electronic copy, named supplement components."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from fpdf import FPDF

from dossiers.constants import DossierAction, DossierStatus, FeeStatus, FileKind, ResultMethod
from dossiers.models import Dossier, DossierFile
from dossiers.services import dossier_move
from notifications.models import Email
from procedures.constants import OnlineLevel, StaffRole
from tests.factories.dossiers import PDF, pdf_upload
from tests.support.otp import login_verified

CHANGELIST = "/admin/dossiers/dossier/"
QUANG_NGAI, PHUONG_KON_TUM, HA_NOI = 51, 23293, 1


@pytest.fixture
def printed(monkeypatch):
    """The text lines a PDF writes on its pages (fpdf2 subsets and compresses the fonts, so read them here)."""
    lines = []
    original = FPDF.multi_cell

    def record(self, w, h=None, text="", *args, **kwargs):
        lines.append(str(text))
        return original(self, w, h, text, *args, **kwargs)

    monkeypatch.setattr(FPDF, "multi_cell", record)
    return lines


def _result_file(dossier, name="giay-phep.pdf"):
    stored = default_storage.save(f"test/{dossier.uuid}/{name}", ContentFile(PDF))
    return DossierFile.objects.create(dossier=dossier, kind=FileKind.RESULT, file=stored, original_name=name,
                                      file_type="pdf", size=len(PDF))


# --- Address ---------------------------------------------------------------------------------------------------


def test_the_draft_takes_the_profile_address_and_the_wizard_keeps_commune_and_province(client, build):
    citizen = build.citizen(province_code=QUANG_NGAI, commune_code=PHUONG_KON_TUM, street_address="12 Trần Hưng Đạo")
    procedure = build.procedure()
    client.force_login(citizen)
    step1 = client.get(client.get(f"/ho-so/nop/{procedure.code}/")["Location"])
    page = step1.content.decode()
    assert '<option value="23293" selected>Phường Kon Tum</option>' in page
    assert '<option value="51" selected>Quảng Ngãi</option>' in page and 'value="12 Trần Hưng Đạo"' in page

    draft = Dossier.objects.get(owner=citizen)
    form = {"applicant_name": citizen.full_name, "applicant_identity": citizen.identity_number,
            "applicant_phone": "0905123456", "applicant_email": citizen.email, "applicant_address": "45 Lê Lợi",
            "applicant_province_code": HA_NOI, "applicant_commune_code": PHUONG_KON_TUM}
    wrong = client.post(f"/ho-so/soan/{draft.uuid}/buoc-1/", form)
    assert wrong.status_code == 200 and "Xã, phường không thuộc tỉnh, thành phố đã chọn." in wrong.content.decode()
    assert 'value="45 Lê Lợi"' in wrong.content.decode()  # what was typed is kept

    client.post(f"/ho-so/soan/{draft.uuid}/buoc-1/", {**form, "applicant_commune_code": 4})
    draft.refresh_from_db()
    assert draft.applicant_full_address == "45 Lê Lợi, Phường Ba Đình, Thành phố Hà Nội"
    Dossier.objects.filter(pk=draft.pk).update(wizard_step=2)  # files step done (tested in test_wizard)
    step3 = client.get(f"/ho-so/soan/{draft.uuid}/buoc-3/").content.decode()
    assert "45 Lê Lợi, Phường Ba Đình, Thành phố Hà Nội" in step3  # the post address starts from it


def test_without_javascript_choosing_a_province_reloads_its_communes(client, build):
    citizen = build.citizen()
    draft = build.dossier(DossierStatus.DRAFT, owner=citizen)
    client.force_login(citizen)
    page = client.post(f"/ho-so/soan/{draft.uuid}/buoc-1/", {"applicant_province_code": QUANG_NGAI,
                                                              "applicant_address": "Thôn 3", "refresh": "1"})
    text = page.content.decode()
    assert page.status_code == 200 and "Phường Kon Tum" in text and 'value="Thôn 3"' in text
    assert "Vui lòng" not in text  # no errors yet


def test_both_receipts_print_the_commune_and_the_province(build, printed):
    from dossiers.pdf import dossier_receipt_pdf

    dossier = build.dossier(DossierStatus.RECEIVED, applicant_address="12 Trần Hưng Đạo",
                            applicant_province_code=QUANG_NGAI, applicant_commune_code=PHUONG_KON_TUM)
    dossier_receipt_pdf(dossier=dossier)
    assert "Địa chỉ: 12 Trần Hưng Đạo, Phường Kon Tum, Quảng Ngãi" in printed


# --- Delivery by post, the result by channel -------------------------------------------------------------------


def test_a_result_by_post_leaves_with_its_tracking_number(client, build, django_capture_on_commit_callbacks):
    dossier = build.dossier(DossierStatus.DONE, result_method=ResultMethod.POST, result_address="Thôn 3, Xã Ba Tô")
    clerk = build.clerk(dossier.agency, roles=[StaffRole.RECEIVE])
    login_verified(client, clerk)
    url = f"{CHANGELIST}{dossier.pk}/move/return_result/"
    assert "Mã bưu gửi" in client.get(url).content.decode()

    missing = client.post(url, {"note": ""})
    assert missing.status_code == 200 and "Trường này là bắt buộc" in missing.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.DONE

    client.post(url, {"postal_tracking": " ep123456789vn "})
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RETURNED and dossier.postal_tracking == "EP123456789VN"
    mail = Email.objects.get(kind="dossier_return_result")
    assert "Mã bưu gửi: EP123456789VN" in mail.body_text and "Thôn 3, Xã Ba Tô" in mail.body_text

    client.force_login(dossier.owner)
    page = client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert "EP123456789VN" in page and "Bản giấy gửi qua bưu chính công ích đến" in page


def test_the_service_refuses_a_postal_return_without_a_number(build):
    from django.core.exceptions import ValidationError

    dossier = build.dossier(DossierStatus.DONE, result_method=ResultMethod.POST)
    with pytest.raises(ValidationError, match="mã bưu gửi"):
        dossier_move(dossier=dossier, action=DossierAction.RETURN_RESULT, actor=build.clerk(dossier.agency))
    counter = build.dossier(DossierStatus.DONE, result_method=ResultMethod.COUNTER)
    assert dossier_move(dossier=counter, action=DossierAction.RETURN_RESULT,
                        actor=build.clerk(counter.agency)).status == DossierStatus.RETURNED


def test_the_electronic_copy_shows_when_the_procedure_promises_it_even_by_post(client, build):
    dossier = build.dossier(DossierStatus.DONE, result_method=ResultMethod.POST, is_online=True)
    result = _result_file(dossier)
    client.force_login(dossier.owner)
    page = client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert "giay-phep.pdf" in page and "kèm bản điện tử trên Cổng" in page
    assert client.get(result.get_absolute_url()).status_code == 200

    paper_only = build.dossier(DossierStatus.DONE, result_method=ResultMethod.POST, owner=dossier.owner,
                               procedure=build.procedure(level=OnlineLevel.PARTIAL))
    hidden = _result_file(paper_only, "gp-giay.pdf")
    page = client.get(f"/ho-so/{paper_only.code}/").content.decode()
    assert "gp-giay.pdf" not in page and "kèm bản điện tử" not in page
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_the_dossier_page_says_how_it_was_handed_in(client, build):
    online = build.dossier(DossierStatus.RECEIVED, submit_method="post", submit_address="Thôn 3")
    counter = build.dossier(DossierStatus.RECEIVED, owner=online.owner, is_online=False)
    client.force_login(online.owner)
    assert "Trực tuyến trên Cổng; bản giấy gửi qua bưu chính công ích" in client.get(f"/ho-so/{online.code}/").content.decode()
    assert "Trực tiếp tại Bộ phận một cửa" in client.get(f"/ho-so/{counter.code}/").content.decode()


def test_the_finish_email_names_the_result_files_and_the_counter(build, django_capture_on_commit_callbacks):
    from dossiers.uploads import check_upload

    dossier = build.dossier(DossierStatus.PROCESSING, result_method=ResultMethod.COUNTER)
    checked = [check_upload(pdf_upload("giay-phep-xay-dung.pdf"), accepted=["pdf"], max_bytes=10**6)]
    dossier_move(dossier=dossier, action=DossierAction.FINISH, actor=build.clerk(dossier.agency), files=checked)
    body = Email.objects.get(kind="dossier_finish").body_text
    assert "- giay-phep-xay-dung.pdf" in body and f"Bộ phận một cửa: {dossier.agency.name}" in body


# --- Supplement requests that name components ------------------------------------------------------------------


def test_a_supplement_request_names_components_and_the_citizen_sends_exactly_those(client, build):
    procedure = build.procedure(components=("Đơn đề nghị", "Bản sao CCCD", "Bản vẽ thiết kế"))
    dossier = build.dossier(DossierStatus.PROCESSING, procedure=procedure)
    form_c, cccd, drawing = procedure.components.order_by("position")
    clerk = build.clerk(dossier.agency, roles=[StaffRole.PROCESS])
    login_verified(client, clerk)
    url = f"{CHANGELIST}{dossier.pk}/move/request_supplement/"
    form_page = client.get(url).content.decode()
    assert "Bản vẽ thiết kế" in form_page and 'type="checkbox"' in form_page
    client.post(url, {"note": "Bản vẽ thiếu chữ ký.", "components": [cccd.pk, drawing.pk]})
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUPPLEMENT
    mail = Email.objects.get(kind="dossier_request_supplement").body_text
    assert "- Bản sao CCCD" in mail and "- Bản vẽ thiết kế" in mail and "- Đơn đề nghị" not in mail

    client.force_login(dossier.owner)
    page = client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert f'name="files_{cccd.pk}"' in page and f'name="files_{drawing.pk}"' in page
    assert f'name="files_{form_c.pk}"' not in page and 'name="files"' not in page

    half = client.post(f"/ho-so/{dossier.code}/", {"what": "supplement", f"files_{cccd.pk}": pdf_upload("cccd.pdf")})
    assert half.status_code == 400 and "Vui lòng chọn tệp cho thành phần này." in half.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUPPLEMENT

    client.post(f"/ho-so/{dossier.code}/", {"what": "supplement", f"files_{cccd.pk}": pdf_upload("cccd.pdf"),
                                             f"files_{drawing.pk}": pdf_upload("ban-ve.pdf")})
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.PROCESSING
    sent = {f.original_name: f.component_id for f in dossier.files.filter(kind=FileKind.SUPPLEMENT)}
    assert sent == {"cccd.pdf": cccd.pk, "ban-ve.pdf": drawing.pk}


def test_a_request_naming_no_component_keeps_the_free_upload(client, build):
    dossier = build.dossier(DossierStatus.PROCESSING)
    dossier_move(dossier=dossier, action=DossierAction.REQUEST_SUPPLEMENT, actor=build.clerk(dossier.agency),
                 note="Thiếu bản chụp rõ nét.")
    client.force_login(dossier.owner)
    page = client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert 'name="files"' in page and "Thiếu bản chụp rõ nét." in page


def test_another_procedures_component_cannot_be_asked_for(build):
    from django.core.exceptions import ValidationError

    dossier = build.dossier(DossierStatus.PROCESSING)
    foreign = build.procedure().components.first()
    with pytest.raises(ValidationError):
        dossier_move(dossier=dossier, action=DossierAction.REQUEST_SUPPLEMENT, actor=build.clerk(dossier.agency),
                     note="x", components=[foreign])
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.PROCESSING


# --- The fee -----------------------------------------------------------------------------------------------------


def test_a_paid_dossier_is_not_offered_a_fee_request(client, build):
    from django.core.exceptions import ValidationError

    paid = build.dossier(DossierStatus.RECEIVED, fee_total=50_000, payment_status=FeeStatus.PAID)
    owed = build.dossier(DossierStatus.RECEIVED, procedure=paid.procedure, fee_total=50_000,
                         payment_status=FeeStatus.UNPAID)
    clerk = build.clerk(paid.agency)
    login_verified(client, clerk)
    assert "dossier-move-request_payment" not in client.get(f"{CHANGELIST}{paid.pk}/change/").content.decode()
    assert "dossier-move-request_payment" in client.get(f"{CHANGELIST}{owed.pk}/change/").content.decode()
    with pytest.raises(ValidationError):
        dossier_move(dossier=paid, action=DossierAction.REQUEST_PAYMENT, actor=clerk)
    paid.refresh_from_db()
    assert paid.status == DossierStatus.RECEIVED
