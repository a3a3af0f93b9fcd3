"""/xac-thuc-van-ban/: who signed, when, the chain, intact or not, trusted or not — in plain words."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dossiers.constants import DossierAction, DossierStatus
from dossiers.services import dossier_move

from .tools import pdfsig

URL = "/xac-thuc-van-ban/"


def signed_receipt(build, agency_signer, label="agency", arch="portal-test") -> bytes:
    from dossiers.pdf import dossier_receipt_pdf

    row = agency_signer(label, arch)
    dossier = build.dossier(DossierStatus.SUBMITTED, procedure=build.procedure(agencies=[row.agency]))
    dossier = dossier_move(dossier=dossier, action=DossierAction.RECEIVE, actor=build.clerk(row.agency))
    return dossier_receipt_pdf(dossier=dossier)


def check(client, data: bytes, name="giay-tiep-nhan.pdf"):
    return client.post(URL, {"document": SimpleUploadedFile(name, data, "application/pdf")})


def text(response) -> str:
    return response.content.decode()


def test_the_page_offers_the_upload(client):
    page = client.get(URL)
    assert page.status_code == 200
    assert "Xác thực văn bản điện tử" in text(page) and 'type="file"' in text(page)


def test_an_intact_receipt_is_valid_and_says_who_when_and_the_chain(client, build, agency_signer):
    page = check(client, signed_receipt(build, agency_signer))
    body = text(page)
    assert page.status_code == 200
    assert "Hợp lệ" in body and "Sở Tư pháp tỉnh Kon Tum — UBND tỉnh Kon Tum" in body
    assert "còn nguyên vẹn, và chứng thư số được một tổ chức tin cậy cấp" in body
    assert "Nội dung không bị thay đổi sau khi ký." in body
    assert "do tổ chức cấp dấu thời gian tin cậy xác nhận" in body  # B-T
    assert "Có (đã nhúng thông tin thu hồi chứng thư)" in body  # B-LT
    for name in ("Sở Tư pháp tỉnh Kon Tum", "CA trung gian thử nghiệm", "Root CA thử nghiệm"):
        assert name in body


def test_one_altered_byte_is_not_intact(client, build, agency_signer, tmp_path):
    data = bytearray(signed_receipt(build, agency_signer))
    data[data.index(b"/Title") + 8] ^= 0x01  # one letter of the document's title, inside the signed bytes
    assert "Digest Mismatch" in pdfsig(bytes(data), tmp_path)  # poppler agrees
    body = text(check(client, bytes(data)))
    assert "Văn bản đã bị thay đổi sau khi ký" in body and "Không dùng văn bản này" in body
    assert "Hợp lệ" not in body


def test_content_appended_after_signing_is_said(client, build, agency_signer):
    from io import BytesIO

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.generic import NameObject, TextStringObject

    writer = IncrementalPdfFileWriter(BytesIO(signed_receipt(build, agency_signer)))
    info = writer.root  # any change to the document's catalogue after the signature
    info[NameObject("/Lang")] = TextStringObject("en")
    writer.update_root()
    out = BytesIO()
    writer.write(out)
    body = text(check(client, out.getvalue()))
    assert "Sau khi ký, tệp đã được thêm hoặc sửa nội dung." in body and "Hợp lệ" not in body


@pytest.mark.parametrize(("label", "arch", "words"), [
    ("revoked", "portal-test", "Chứng thư số của người ký đã bị thu hồi: chữ ký này không còn giá trị."),
    ("expired", "portal-test", "Chứng thư số của người ký đã hết hạn"),
    ("agency", "stranger", "không xác định được người ký thật"),
])
def test_a_bad_chain_is_said_in_plain_words(client, build, agency_signer, label, arch, words):
    body = text(check(client, signed_receipt(build, agency_signer, label, arch)))
    assert words in body and "Nội dung không bị thay đổi sau khi ký." in body and "Hợp lệ" not in body


def test_revocation_unknown_without_fetching_is_not_called_valid(client, build, agency_signer, settings):
    data = signed_receipt(build, agency_signer, "revoked")  # B-T: no revocation data in the file
    settings.SIGNATURES_FETCH = False
    body = text(check(client, data))
    assert "Chưa xác định được tình trạng chứng thư số" in body and "Hợp lệ" not in body


def test_embedded_validation_data_serves_without_fetching(client, build, agency_signer, settings):
    data = signed_receipt(build, agency_signer)  # B-LT
    settings.SIGNATURES_FETCH = False
    assert "còn nguyên vẹn, và chứng thư số được một tổ chức tin cậy cấp" in text(check(client, data))


def test_an_unsigned_pdf_and_a_damaged_one(client, build):
    from dossiers.pdf import dossier_receipt_pdf

    dossier = build.dossier(DossierStatus.RECEIVED)
    assert "Tệp này không có chữ ký số." in text(check(client, dossier_receipt_pdf(dossier=dossier)))
    assert "Không đọc được tệp" in text(check(client, b"%PDF-1.7\n garbage"))


def test_not_a_pdf_or_too_big_is_refused_next_to_the_field(client, settings):
    page = check(client, b"GIF89a....", name="anh.gif")
    assert page.status_code == 400 and "Tệp “anh.gif” không phải tệp PDF." in text(page)
    settings.SIGNATURES_VERIFY_MAX_BYTES = 2**20
    page = check(client, b"%PDF-" + bytes(2**20))
    assert page.status_code == 400 and "Tệp lớn hơn 1 MB" in text(page)


def test_checks_are_rate_limited_per_address(client, settings):
    settings.SIGNATURES_VERIFY_RATE_LIMIT = 2
    for _ in range(2):
        assert check(client, b"%PDF-1.7\n garbage").status_code == 200
    page = check(client, b"%PDF-1.7\n garbage")
    assert page.status_code == 429 and "Bạn đã kiểm tra quá nhiều văn bản" in text(page)
