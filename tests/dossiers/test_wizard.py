"""The submission wizard as a citizen uses it: four steps, resume, double submit, bad uploads."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dossiers.constants import DossierStatus
from dossiers.models import Dossier, DossierFile
from notifications.models import Email
from procedures.constants import OnlineLevel

from tests.factories.dossiers import PDF, PNG, jpeg_bytes, padded_pdf, pdf_upload


@pytest.fixture
def procedure(build):
    return build.procedure(fees=[50000], optional=("Giấy tờ khác",))


def _start(client, procedure):
    response = client.get(f"/ho-so/nop/{procedure.code}/")
    assert response.status_code == 302
    return Dossier.objects.get(procedure=procedure, status=DossierStatus.DRAFT), response["Location"]


def _step_url(dossier, step):
    return f"/ho-so/soan/{dossier.uuid}/buoc-{step}/"


QUANG_NGAI, PHUONG_KON_TUM = 51, 23293  # vietnam-provinces codes of the 2025 units


def _applicant(**extra):
    return {
        "applicant_name": "Trần Văn An",
        "applicant_identity": "062301009999",
        "applicant_phone": "0905 123 456",
        "applicant_email": "an@example.vn",
        "applicant_address": "45 Phan Đình Phùng",
        "applicant_province_code": QUANG_NGAI,
        "applicant_commune_code": PHUONG_KON_TUM,
        **extra,
    }


def _files_for(procedure, name="don.pdf"):
    return {f"files_{c.pk}": pdf_upload(name) for c in procedure.components.filter(is_required=True)}


def test_whole_wizard_on_behalf_of_someone_with_resume_and_double_submit(client, citizen, procedure):
    page = client.get(procedure.get_absolute_url()).content.decode()
    assert f'href="/ho-so/nop/{procedure.code}/"' in page

    dossier, location = _start(client, procedure)
    assert location == _step_url(dossier, 1)
    step1 = client.get(location).content.decode()
    assert "Trần Thị Bình" in step1 and "062301000123" in step1  # prefilled from the profile

    response = client.post(_step_url(dossier, 1), _applicant())
    assert response.status_code == 302 and response["Location"] == _step_url(dossier, 2)
    step2 = client.get(_step_url(dossier, 2)).content.decode()
    assert "Đơn đề nghị" in step2 and "Bản sao CCCD" in step2 and 'data-tus-url="/tai-len/"' in step2

    response = client.post(_step_url(dossier, 2), {**_files_for(procedure), "action": "next"})
    assert response.status_code == 302 and response["Location"] == _step_url(dossier, 3)

    # Leave and come back from "Hồ sơ của tôi": nothing is lost, the wizard resumes at step 3.
    mine = client.get("/ho-so/").content.decode()
    assert "Tiếp tục soạn" in mine and procedure.name in mine
    assert client.get(f"/ho-so/nop/{procedure.code}/")["Location"] == _step_url(dossier, 3)
    again = client.get(_step_url(dossier, 1)).content.decode()
    assert "Trần Văn An" in again and "062301009999" in again
    assert "don.pdf" in client.get(_step_url(dossier, 2)).content.decode()

    response = client.post(
        _step_url(dossier, 3),
        {"submit_method": "online", "result_method": "post", "result_address": "45 Phan Đình Phùng, Kon Tum"},
    )
    assert response["Location"] == _step_url(dossier, 4)
    review = client.get(_step_url(dossier, 4)).content.decode()
    assert "Trần Văn An" in review and "nộp thay" in review and "50.000 đ" in review

    final = {"confirm": "on", "captcha_0": "x", "captcha_1": "PASSED"}
    first = client.post(_step_url(dossier, 4), final)
    second = client.post(_step_url(dossier, 4), final)  # double click, or the second tab

    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED and dossier.code
    assert first["Location"] == second["Location"] == f"/ho-so/{dossier.code}/"
    assert Dossier.objects.filter(owner=citizen).count() == 1
    assert dossier.on_behalf and dossier.applicant_name == "Trần Văn An" and dossier.applicant_phone == "0905123456"
    assert dossier.fee_total == 50000 and dossier.payment_status == "unpaid"
    assert Email.objects.filter(to="an@example.vn", kind="dossier_submit").count() == 1
    detail = client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert "Đã nộp hồ sơ thành công" in detail and "Mới đăng ký" in detail and dossier.lookup_key in detail


def test_cannot_skip_steps(client, citizen, procedure):
    dossier, _ = _start(client, procedure)
    assert client.get(_step_url(dossier, 4))["Location"] == _step_url(dossier, 1)
    assert client.get(_step_url(dossier, 9))["Location"] == _step_url(dossier, 1)


def test_required_components_are_enforced(client, citizen, procedure):
    dossier, _ = _start(client, procedure)
    client.post(_step_url(dossier, 1), _applicant())
    first = procedure.components.first()
    response = client.post(_step_url(dossier, 2), {f"files_{first.pk}": pdf_upload(), "action": "next"})
    assert response.status_code == 400
    page = response.content.decode()
    # A short count at the top, and the request beside the one slot still empty (not a list of names).
    assert "Còn thiếu 1 giấy tờ bắt buộc." in page
    missing = procedure.components.get(name="Bản sao CCCD")
    slot = page[page.index(f'id="component-{missing.pk}"'):]
    slot = slot[:slot.index("</div>\n      </div>")]
    assert "Vui lòng tải lên giấy tờ này." in slot
    assert page.count("Vui lòng tải lên giấy tờ này.") == 1
    assert dossier.files.count() == 1  # what was uploaded is kept


def test_step_one_errors_are_shown_in_vietnamese_and_keep_input(client, citizen, procedure):
    dossier, _ = _start(client, procedure)
    response = client.post(_step_url(dossier, 1), _applicant(applicant_identity="12ab", applicant_phone="123"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Số CCCD gồm 12 chữ số" in text and "Số điện thoại gồm 10 chữ số" in text
    assert "45 Phan Đình Phùng" in text


def test_delivery_by_post_needs_an_address_and_level_3_has_no_electronic_result(client, build, citizen):
    procedure = build.procedure(level=OnlineLevel.PARTIAL)
    dossier, _ = _start(client, procedure)
    client.post(_step_url(dossier, 1), _applicant())
    client.post(_step_url(dossier, 2), {**_files_for(procedure), "action": "next"})
    response = client.post(
        _step_url(dossier, 3), {"submit_method": "post", "submit_address": "", "result_method": "electronic"}
    )
    text = response.content.decode()
    assert "Vui lòng nhập địa chỉ nhận hồ sơ giấy" in text
    assert "Nhận kết quả điện tử" not in text


def test_wrong_captcha_does_not_submit(client, citizen, procedure, settings):
    dossier, _ = _start(client, procedure)
    client.post(_step_url(dossier, 1), _applicant())
    client.post(_step_url(dossier, 2), {**_files_for(procedure), "action": "next"})
    client.post(_step_url(dossier, 3), {"submit_method": "online", "result_method": "counter"})
    response = client.post(_step_url(dossier, 4), {"confirm": "on", "captcha_0": "x", "captcha_1": "WRONG"})
    assert "Mã xác thực không đúng" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.DRAFT


def test_several_agencies_offer_a_choice(client, build, citizen):
    a, b = build.agency(name="UBND xã Đăk Hà"), build.agency(name="UBND xã Đăk Tô")
    procedure = build.procedure(agencies=[a, b])
    dossier, _ = _start(client, procedure)
    assert "UBND xã Đăk Tô" in client.get(_step_url(dossier, 1)).content.decode()
    client.post(_step_url(dossier, 1), _applicant(agency=b.pk))
    dossier.refresh_from_db()
    assert dossier.agency == b


def _docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<Types><Override ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


BAD_UPLOADS = {
    "empty": (lambda: [SimpleUploadedFile("don.pdf", b"", "application/pdf")], "rỗng"),
    "over the limit": (lambda: [SimpleUploadedFile("lon.pdf", PDF + b"0" * (1024 * 1024), "application/pdf")], "vượt quá dung lượng"),
    "executable renamed .pdf": (lambda: [SimpleUploadedFile("hoa-don.pdf", b"MZ\x90\x00\x03" + b"\x00" * 100, "application/pdf")], "không phải là tệp PDF"),
    "png declared as pdf": (lambda: [SimpleUploadedFile("anh.pdf", PNG, "application/pdf")], "không phải là tệp PDF"),
    "no extension path": (lambda: [SimpleUploadedFile("../../etc/passwd", PDF, "application/pdf")], "không đúng định dạng"),
    "wrong type for the slot": (lambda: [SimpleUploadedFile("don.docx", _docx(), "application/msword")], "không đúng định dạng"),
    "too many files": (lambda: [pdf_upload(f"trang-{n}.pdf") for n in range(6)], "tối đa 5 tệp"),
}


@pytest.mark.parametrize("case", BAD_UPLOADS, ids=str)
def test_bad_uploads_are_refused_with_a_message_and_nothing_stored(client, citizen, procedure, settings, case):
    settings.DOSSIER_MAX_FILE_MB = 1
    dossier, _ = _start(client, procedure)
    client.post(_step_url(dossier, 1), _applicant())
    make, message = BAD_UPLOADS[case]
    slot = procedure.components.first()
    response = client.post(_step_url(dossier, 2), {f"files_{slot.pk}": make(), "action": "upload"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not DossierFile.objects.exists()


def test_path_and_control_characters_in_names_are_data_not_paths(client, citizen, procedure, settings, tmp_path):
    dossier, _ = _start(client, procedure)
    client.post(_step_url(dossier, 1), _applicant())
    slot = procedure.components.first()
    names = ["../../etc/passwd.pdf", "đơn\x00\x1b[31m\tđề nghị\x7f.pdf", "..\\..\\win.ini.pdf"]
    response = client.post(
        _step_url(dossier, 2), {f"files_{slot.pk}": [pdf_upload(n, padded_pdf(n.encode())) for n in names], "action": "upload"}
    )
    assert response.status_code == 302
    stored = list(DossierFile.objects.order_by("id"))
    assert [f.original_name for f in stored] == ["passwd.pdf", "đơn[31mđề nghị.pdf", "win.ini.pdf"]
    for f, name in zip(stored, names):
        assert f.file.name.startswith(f"dossiers/{dossier.uuid}/") and ".." not in f.file.name
        assert (tmp_path / "media" / f.file.name).read_bytes() == padded_pdf(name.encode())
    assert not (tmp_path / "etc").exists()


def test_real_docx_and_jpeg_are_accepted_where_allowed(client, build, citizen):
    procedure = build.procedure(components=("Tờ khai",))
    component = procedure.components.get()
    component.accepted_types = "docx,jpg"
    component.save()
    dossier, _ = _start(client, procedure)
    client.post(_step_url(dossier, 1), _applicant())
    jpeg = SimpleUploadedFile("anh.JPEG", jpeg_bytes(), "image/jpeg")
    docx = SimpleUploadedFile("to-khai.docx", _docx(), "application/octet-stream")
    response = client.post(_step_url(dossier, 2), {f"files_{component.pk}": [jpeg, docx], "action": "next"})
    assert response.status_code == 302
    assert sorted(dossier.files.values_list("file_type", flat=True)) == ["docx", "jpg"]


def test_dossier_total_size_is_limited(client, citizen, procedure, settings):
    settings.DOSSIER_MAX_TOTAL_MB = 1
    dossier, _ = _start(client, procedure)
    client.post(_step_url(dossier, 1), _applicant())
    big = padded_pdf(b"0" * (700 * 1024))
    first, second = procedure.components.all()[:2]
    assert client.post(_step_url(dossier, 2), {f"files_{first.pk}": pdf_upload("a.pdf", big)}).status_code == 302
    response = client.post(_step_url(dossier, 2), {f"files_{second.pk}": pdf_upload("b.pdf", big + b"\n")})
    assert "Tổng dung lượng hồ sơ vượt quá 1 MB" in response.content.decode()
    assert dossier.files.count() == 1


def test_a_file_can_be_removed_from_the_draft(client, citizen, procedure):
    dossier, _ = _start(client, procedure)
    client.post(_step_url(dossier, 1), _applicant())
    slot = procedure.components.first()
    client.post(_step_url(dossier, 2), {f"files_{slot.pk}": pdf_upload("nham.pdf")})
    f = dossier.files.get()
    assert client.post(f"/ho-so/soan/{dossier.uuid}/tep/{f.uuid}/xoa/").status_code == 302
    assert "nham.pdf" not in client.get(_step_url(dossier, 2)).content.decode()


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\an\\đơn.pdf", "đơn.pdf"),
        ("a\r\nb\x00c.pdf", "abc.pdf"),
        ("..", "tep"),
        ("x" * 300 + ".pdf", "x" * 196 + ".pdf"),
    ],
)
def test_clean_filename(raw, clean):
    from dossiers.uploads import clean_filename

    assert clean_filename(raw) == clean


def test_a_request_bigger_than_a_dossier_is_refused_before_reading_it(client, citizen, procedure, settings):
    settings.DOSSIER_MAX_TOTAL_MB = 1
    dossier, _ = _start(client, procedure)
    client.post(_step_url(dossier, 1), _applicant())
    slot = procedure.components.first()
    response = client.post(_step_url(dossier, 2), {f"files_{slot.pk}": pdf_upload("lon.pdf", PDF + b"0" * (2 * 1024 * 1024 + 10))})
    assert response.status_code == 400 and "Tổng dung lượng tải lên vượt quá 1 MB" in response.content.decode()
    assert not dossier.files.exists()


def test_uploads_above_a_small_size_are_spooled_to_disk_not_memory(settings):
    """Django's handlers stream anything above FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file."""
    from django.core.files.uploadhandler import MemoryFileUploadHandler

    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 1024 * 1024
    handler = MemoryFileUploadHandler()
    handler.handle_raw_input(None, {}, content_length=2 * 1024 * 1024, boundary=b"x")
    assert handler.activated is False  # the temporary-file handler takes over


def test_submit_makes_a_bounded_number_of_queries(client, build, django_assert_max_num_queries):
    """"Nộp hồ sơ" was the slowest request of the load mix (bench/results/mix.md): its cost is its queries.

    It made 23 queries; the number must not creep back up: one row lock (the move checks the draft
    is complete under its own lock, no second lock and savepoint around it), the code in one UPDATE …
    RETURNING, the missing required components in one query, the fee items read once for the total
    and the snapshot."""
    from dossiers.services import dossier_submit

    procedure = build.procedure(fees=[50000, 20000], optional=("Giấy tờ khác",))
    owner = build.citizen()
    earlier = dossier_submit(dossier=build.ready_draft(procedure=procedure, owner=owner), user=owner)
    second = build.procedure(fees=[50000, 20000], optional=("Giấy tờ khác",), agencies=list(procedure.agencies.all()))
    draft = build.ready_draft(procedure=second, owner=owner)
    client.force_login(owner)
    # The agency already gave a number today (the usual case): 20 queries, session and captcha included
    # (the 17th is the one UPDATE that counts the submission in the catalogue's popularity, issue 14; the 18th
    # the fee's event, unpaid from now on, issue 26; the 19th the integration API's changes feed, one upsert in the
    # move's transaction, and the 20th the citizen's SMS/Zalo choices read beside the e-mail, issue 28 and 30).
    with django_assert_max_num_queries(20):
        response = client.post(_step_url(draft, 4), {"confirm": "on", "captcha_0": "x", "captcha_1": "PASSED"})
    draft.refresh_from_db()
    assert draft.status == DossierStatus.SUBMITTED and response["Location"] == f"/ho-so/{draft.code}/"
    assert draft.code.endswith("-0002") and earlier.code.endswith("-0001")
    assert draft.fee_total == 70000 and draft.payment_status == "unpaid"
    assert sorted(draft.fee_lines.values_list("amount", flat=True)) == [20000, 50000]
    assert draft.events.filter(action="submit").count() == 1
    assert Email.objects.filter(kind="dossier_submit", subject__contains=draft.code).count() == 1


def test_the_papers_step_says_what_to_upload_in_a_citizens_words(client, citizen, procedure):
    # The national birth registration's online declaration is an interactive e-form this portal does not fill in.
    eform = procedure.components.create(
        name="Mẫu hộ tịch điện tử tương tác đăng ký khai sinh", is_required=True, document_form="original",
        description=("Người có yêu cầu đăng ký khai sinh kê khai đầy đủ thông tin theo hướng dẫn trên Cổng dịch vụ "
                     "công, ký điện tử hoặc ký số; trường hợp không có chữ ký số thì in tờ khai, ký và chụp lại "
                     "toàn bộ tờ khai để gửi kèm hồ sơ trực tuyến theo quy định của pháp luật về hộ tịch hiện hành."))
    dossier, _ = _start(client, procedure)
    client.post(_step_url(dossier, 1), _applicant())
    page = client.get(_step_url(dossier, 2)).content.decode()
    slot = page[page.index(f'id="component-{eform.pk}"'):]
    slot = slot[:slot.index("</div>\n      </div>")]
    assert "Cổng chưa có tờ khai điện tử tương tác: hãy điền tờ khai theo mẫu của thủ tục, ký" in slot
    assert "Ảnh chụp hoặc bản quét của bản chính" in slot  # not "Bản chính (1 bản chính)": a scan is no original
    # A long description folds after a whole word, never "dân t…".
    summary = slot.split("<summary>", 1)[1].split("</summary>", 1)[0]
    assert summary.endswith("…") and summary[:-1].split()[-1] in eform.description.split()
    others = page.count("Cổng chưa có tờ khai điện tử tương tác")
    assert others == 1  # only the e-form's slot says it
