"""Citizen pages after submission: my dossiers, the dossier page, files, receipt, public lookup; and who sees what."""

import re

import pytest
from django.test import Client
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from dossiers.constants import DossierAction, DossierStatus, FileKind, ResultMethod
from dossiers.models import DossierFile
from dossiers.pdf import lookup_url, receipt_attachment
from dossiers.services import dossier_move
from procedures.constants import OnlineLevel

from tests.factories.dossiers import PDF, pdf_upload
from tests.support.otp import login_verified


def _file(dossier, kind=FileKind.APPLICATION, name="don.pdf"):
    stored = default_storage.save(f"dossiers/{dossier.uuid}/f.pdf", ContentFile(PDF))
    return DossierFile.objects.create(
        dossier=dossier, kind=kind, file=stored, original_name=name, file_type="pdf", size=len(PDF)
    )


def test_my_dossiers_lists_and_filters(client, build):
    owner = build.citizen()
    received = build.dossier(DossierStatus.RECEIVED, owner=owner)
    refused = build.dossier(DossierStatus.REFUSED, owner=owner)
    someone_else = build.dossier(DossierStatus.RECEIVED)
    client.force_login(owner)
    text = client.get("/ho-so/").content.decode()
    assert received.code in text and refused.code in text and someone_else.code not in text
    text = client.get("/ho-so/", {"status": DossierStatus.REFUSED}).content.decode()
    assert refused.code in text and received.code not in text
    text = client.get("/ho-so/", {"q": received.code}).content.decode()
    assert received.code in text and refused.code not in text
    assert client.get("/ho-so/", {"status": "abc"}).status_code == 200


def test_my_dossiers_flags_overdue(client, build):
    from datetime import timedelta

    from django.utils import timezone

    owner = build.citizen()
    late = build.dossier(DossierStatus.PROCESSING, owner=owner, due_date=timezone.localdate() - timedelta(days=1))
    client.force_login(owner)
    text = client.get("/ho-so/", {"overdue": "on"}).content.decode()
    assert late.code in text and "Quá hạn" in text


def test_citizen_answers_a_supplement_request_with_files(client, build):
    dossier = build.dossier(DossierStatus.RECEIVED)
    clerk = build.clerk(dossier.agency)
    dossier_move(dossier=dossier, action=DossierAction.REQUEST_SUPPLEMENT, actor=clerk, note="Thiếu bản vẽ mặt bằng")
    client.force_login(dossier.owner)
    page = client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert "Thiếu bản vẽ mặt bằng" in page and "Gửi bổ sung" in page

    bad = client.post(f"/ho-so/{dossier.code}/", {"what": "supplement", "files": []})
    assert bad.status_code == 400 and "Vui lòng đính kèm ít nhất một tệp" in bad.content.decode()
    response = client.post(
        f"/ho-so/{dossier.code}/", {"what": "supplement", "note": "Gửi bản vẽ", "files": [pdf_upload("ban-ve.pdf")]}
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.PROCESSING
    page = client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert "ban-ve.pdf" in page and "Nộp bổ sung" in page and "Gửi bổ sung" not in page
    assert dossier.files.get(kind=FileKind.SUPPLEMENT).event.action == DossierAction.ANSWER_SUPPLEMENT


def test_citizen_requests_withdrawal(client, build):
    dossier = build.dossier(DossierStatus.PROCESSING)
    client.force_login(dossier.owner)
    assert client.post(f"/ho-so/{dossier.code}/", {"what": "withdraw", "note": ""}).status_code == 400
    client.post(f"/ho-so/{dossier.code}/", {"what": "withdraw", "note": "Không còn nhu cầu"})
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.WITHDRAWAL
    # A second, stale form gets a message, not an error page.
    response = client.post(f"/ho-so/{dossier.code}/", {"what": "withdraw", "note": "lần nữa"}, follow=True)
    assert "Không thể “Yêu cầu rút hồ sơ”" in response.content.decode()


def test_rating_once_after_the_result_is_returned(client, build):
    dossier = build.dossier(DossierStatus.RETURNED)
    client.force_login(dossier.owner)
    assert "Đánh giá mức độ hài lòng" in client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert client.post(f"/ho-so/{dossier.code}/", {"what": "rate", "rating": "9"}).status_code == 400
    client.post(f"/ho-so/{dossier.code}/", {"what": "rate", "rating": "4", "comment": "Nhanh, đúng hẹn"})
    dossier.refresh_from_db()
    assert (dossier.rating, dossier.rating_comment) == (4, "Nhanh, đúng hẹn")
    text = client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert "Bạn đã đánh giá" in text and 'name="rating"' not in text


def test_result_files_reach_the_citizen_only_when_delivered_electronically(client, build):
    electronic = build.dossier(DossierStatus.DONE, result_method=ResultMethod.ELECTRONIC)
    # A level-3 procedure gives its result on paper only: nothing electronic for the citizen.
    counter = build.dossier(DossierStatus.DONE, owner=electronic.owner, result_method=ResultMethod.COUNTER,
                            procedure=build.procedure(level=OnlineLevel.PARTIAL))
    e_file, c_file = _file(electronic, FileKind.RESULT, "giay-phep.pdf"), _file(counter, FileKind.RESULT, "gp.pdf")
    client.force_login(electronic.owner)
    assert "giay-phep.pdf" in client.get(f"/ho-so/{electronic.code}/").content.decode()
    download = client.get(e_file.get_absolute_url())
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert 'filename="giay-phep.pdf"' in download["Content-Disposition"]
    assert client.get(c_file.get_absolute_url()).status_code == 404


def test_other_citizens_and_other_agencies_get_404_on_every_dossier_url(client, build):
    dossier = build.dossier(DossierStatus.RECEIVED)
    draft = build.dossier(DossierStatus.DRAFT, owner=dossier.owner, procedure=dossier.procedure)
    own_file, draft_file = _file(dossier), _file(draft)
    urls = [
        f"/ho-so/{dossier.code}/",
        f"/ho-so/{dossier.code}/giay-tiep-nhan.pdf",
        own_file.get_absolute_url(),
        draft_file.get_absolute_url(),
        *[f"/ho-so/soan/{draft.uuid}/buoc-{n}/" for n in range(1, 5)],
    ]
    for intruder in (build.citizen(), build.clerk(build.agency())):
        (login_verified if intruder.is_staff else Client.force_login)(client, intruder)
        for url in urls:
            assert client.get(url).status_code == 404, (intruder, url)
        assert client.post(f"/ho-so/soan/{draft.uuid}/tep/{draft_file.uuid}/xoa/").status_code == 404
        assert client.post(f"/ho-so/{dossier.code}/", {"what": "withdraw", "note": "x"}).status_code == 404
    client.logout()
    assert client.get(own_file.get_absolute_url()).status_code == 404
    client.force_login(build.clerk(dossier.agency))  # the right agency, but no second factor
    assert client.get(own_file.get_absolute_url()).status_code == 404
    assert DossierFile.objects.count() == 2


def test_owner_and_the_agency_clerk_can_download(client, build):
    dossier = build.dossier(DossierStatus.RECEIVED)
    own_file = _file(dossier)
    for user in (dossier.owner, build.clerk(dossier.agency)):
        (login_verified if user.is_staff else Client.force_login)(client, user)
        response = client.get(own_file.get_absolute_url())
        assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
        assert response["Content-Type"] == "application/pdf"


def test_receipt_pdf_for_the_owner(client, build):
    dossier = build.dossier(DossierStatus.SUBMITTED)
    dossier = dossier_move(dossier=dossier, action=DossierAction.RECEIVE, actor=build.clerk(dossier.agency))
    client.force_login(dossier.owner)
    response = client.get(f"/ho-so/{dossier.code}/giay-tiep-nhan.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    name, content, mimetype = receipt_attachment(dossier_id=dossier.pk)
    assert name == f"giay-tiep-nhan-{dossier.code}.pdf" and mimetype == "application/pdf" and content[:4] == b"%PDF"
    assert lookup_url(dossier).endswith(f"/tra-cuu-ho-so/?code={dossier.code}")  # never the key (logs, history)


def test_receipt_text_has_every_diacritic(build):
    """The PDF embeds DejaVu and maps its glyphs back to the Vietnamese letters (ToUnicode CMap)."""
    from dossiers.pdf import dossier_receipt_pdf

    dossier = build.dossier(DossierStatus.RECEIVED, applicant_name="Nguyễn Thị Ngọc Ánh")
    content = dossier_receipt_pdf(dossier=dossier)
    assert b"DejaVuSans" in content
    for char in "ễịọÁếđạ":
        assert f"<{ord(char):04X}>".encode() in content, char


def test_public_lookup_needs_the_key_and_shows_no_personal_data(client, build):
    dossier = build.dossier(DossierStatus.RECEIVED, applicant_name="Lê Văn Bí Mật", applicant_identity="062301777777")
    dossier_move(dossier=dossier, action=DossierAction.START, actor=build.clerk(dossier.agency), note="ghi chú nội bộ")
    ok = client.post("/tra-cuu-ho-so/", {"code": dossier.code, "key": dossier.lookup_key.lower()})
    text = ok.content.decode()
    assert ok.status_code == 200 and "Đang xử lý" in text and dossier.procedure.name in text
    for secret in ("Lê Văn Bí Mật", "062301777777", dossier.owner.email, "ghi chú nội bộ"):
        assert secret not in text
    wrong = client.post("/tra-cuu-ho-so/", {"code": dossier.code, "key": "ZZZZZZ"})
    assert wrong.status_code == 404
    assert dossier.procedure.name not in wrong.content.decode() and "Không tìm thấy hồ sơ" in wrong.content.decode()
    assert client.get("/tra-cuu-ho-so/").status_code == 200


def test_lookup_sends_the_key_by_post_and_a_link_carries_only_the_code(build):
    """The key never travels in an address: not in the form's, not in the receipt's QR code or e-mail link."""
    dossier = build.dossier(DossierStatus.RECEIVED)
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(lookup_url(dossier)).content.decode()
    form = re.search(r'<form method="post"[^>]*>.*?</form>', page, re.S).group(0)
    assert f'value="{dossier.code}"' in form  # the QR code's link fills in the code
    assert 'name="key"' in form and dossier.lookup_key not in page and "Quá trình xử lý" not in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    found = browser.post("/tra-cuu-ho-so/", {"code": dossier.code, "key": dossier.lookup_key,
                                             "csrfmiddlewaretoken": token})
    assert found.status_code == 200 and "Quá trình xử lý" in found.content.decode()
    forged = Client(enforce_csrf_checks=True).post("/tra-cuu-ho-so/", {"code": dossier.code, "key": dossier.lookup_key})
    assert forged.status_code == 403  # another site cannot post lookups through the visitor's browser
    # An old printed QR code with the key in it still works, one press away: it looks nothing up by itself.
    old = browser.get("/tra-cuu-ho-so/", {"code": dossier.code, "key": dossier.lookup_key}).content.decode()
    assert "Quá trình xử lý" not in old and f'value="{dossier.lookup_key}"' in old


def test_lookup_is_rate_limited_per_code_and_per_client(client, build, settings):
    settings.DOSSIER_LOOKUP_CODE_LIMIT = 3
    settings.DOSSIER_LOOKUP_LIMIT = 6
    dossier = build.dossier(DossierStatus.RECEIVED)
    for key in ("AAAAAA", "BBBBBB", "CCCCCC"):
        assert client.post("/tra-cuu-ho-so/", {"code": dossier.code, "key": key}).status_code == 404
    blocked = client.post("/tra-cuu-ho-so/", {"code": dossier.code, "key": dossier.lookup_key})
    assert blocked.status_code == 429 and "quá nhiều lần" in blocked.content.decode()
    assert dossier.procedure.name not in blocked.content.decode()
    other = build.dossier(DossierStatus.RECEIVED)
    statuses = [client.post("/tra-cuu-ho-so/", {"code": other.code, "key": "X"}).status_code for _ in range(3)]
    assert statuses[-1] == 429  # the seventh attempt from this address


@pytest.mark.parametrize("url", ["/ho-so/", "/ho-so/nop/1.000001.000.00.00.H34/"])
def test_anonymous_is_sent_to_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]


def test_reception_email_carries_the_receipt_pdf(build, django_capture_on_commit_callbacks, mailoutbox):
    dossier = build.dossier(DossierStatus.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_move(dossier=dossier, action=DossierAction.RECEIVE, actor=build.clerk(dossier.agency))
    (message,) = [m for m in mailoutbox if "đã được tiếp nhận" in m.subject]
    assert message.to == [dossier.owner.email]
    (name, content, mimetype), = message.attachments
    assert name == f"giay-tiep-nhan-{dossier.code}.pdf" and content[:4] == b"%PDF" and mimetype == "application/pdf"
    assert f"/ho-so/{dossier.code}/giay-tiep-nhan.pdf" in message.body
    # The lookup link fills in the code; the key is printed beside it, never in an address.
    assert f"/tra-cuu-ho-so/?code={dossier.code} (mã tra cứu: {dossier.lookup_key})" in message.body
    assert "key=" not in message.body


def test_lookup_limit_counts_the_client_behind_the_proxy(client, build, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]  # the test client's REMOTE_ADDR stands for the proxy
    settings.DOSSIER_LOOKUP_LIMIT = 2
    dossier = build.dossier(DossierStatus.RECEIVED)
    ok = {"code": dossier.code, "key": dossier.lookup_key}
    for _ in range(2):
        assert client.post("/tra-cuu-ho-so/", ok, HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 200
    assert client.post("/tra-cuu-ho-so/", ok, HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429
    assert client.post("/tra-cuu-ho-so/", ok, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 200


def test_my_dossiers_page_queries_do_not_grow_with_the_list(client, build, django_assert_max_num_queries):
    owner = build.citizen()
    procedure = build.procedure()
    for _ in range(15):
        build.dossier(DossierStatus.PROCESSING, owner=owner, procedure=procedure)
    client.force_login(owner)
    with django_assert_max_num_queries(8):
        assert client.get("/ho-so/").status_code == 200


def test_admin_changelist_queries_do_not_grow_with_the_list(client, build, django_assert_max_num_queries):
    procedure = build.procedure()
    for _ in range(15):
        build.dossier(DossierStatus.RECEIVED, procedure=procedure)
    login_verified(client, build.clerk(procedure.agencies.get()))
    with django_assert_max_num_queries(14):
        assert client.get("/admin/dossiers/dossier/").status_code == 200
