"""Staff in the admin: scoped to their agencies, moves only through the workflow, status read-only."""

from django.utils import timezone

from dossiers.constants import DossierStatus, FileKind
from dossiers.models import Dossier
from procedures.constants import StaffRole

from tests.factories.dossiers import PNG, pdf_upload
from tests.support.otp import login_verified

CHANGELIST = "/admin/dossiers/dossier/"


def test_clerk_sees_only_their_agency_online_first_and_can_search(client, build):
    mine_agency = build.agency()
    procedure = build.procedure(agencies=[mine_agency])
    online = build.dossier(DossierStatus.SUBMITTED, procedure=procedure, applicant_identity="062399000111")
    counter = build.dossier(DossierStatus.RECEIVED, procedure=procedure, is_online=False)
    build.dossier(DossierStatus.DRAFT, procedure=procedure)
    other = build.dossier(DossierStatus.SUBMITTED)
    clerk = build.clerk(mine_agency, roles=[StaffRole.RECEIVE])
    login_verified(client, clerk)

    text = client.get(CHANGELIST).content.decode()
    assert online.code in text and counter.code in text and other.code not in text
    assert text.index(online.code) < text.index(counter.code)
    assert "Bản nháp" not in text
    found = client.get(CHANGELIST, {"q": "062399000111"}).content.decode()
    assert online.code in found and counter.code not in found
    assert client.get(f"{CHANGELIST}{other.pk}/change/").status_code == 404
    assert client.get(f"{CHANGELIST}{other.pk}/move/receive/").status_code == 404


def test_superuser_sees_every_agency(client, build):
    from accounts.models import User

    a, b = build.dossier(DossierStatus.SUBMITTED), build.dossier(DossierStatus.SUBMITTED)
    login_verified(client, User.objects.create_superuser(email="root@kontum.gov.vn", password="x"))
    text = client.get(CHANGELIST).content.decode()
    assert a.code in text and b.code in text


def test_change_page_offers_the_allowed_moves_and_status_is_read_only(client, build):
    dossier = build.dossier(DossierStatus.SUBMITTED)
    clerk = build.clerk(dossier.agency, roles=[StaffRole.RECEIVE])
    login_verified(client, clerk)
    page = client.get(f"{CHANGELIST}{dossier.pk}/change/").content.decode()
    assert "dossier-move-receive" in page and "dossier-move-refuse" in page
    assert "dossier-move-finish" not in page and 'name="status"' not in page
    client.post(f"{CHANGELIST}{dossier.pk}/change/", {"status": DossierStatus.DONE})
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED


def test_receive_then_refuse_needs_reason_through_the_move_page(client, build):
    first, second = build.dossier(DossierStatus.SUBMITTED), None
    second = build.dossier(DossierStatus.SUBMITTED, procedure=first.procedure)
    login_verified(client, build.clerk(first.agency, roles=[StaffRole.RECEIVE]))

    confirm = client.get(f"{CHANGELIST}{first.pk}/move/receive/")
    assert confirm.status_code == 200 and 'value="Tiếp nhận"' in confirm.content.decode()
    first.refresh_from_db()
    assert first.status == DossierStatus.SUBMITTED  # nothing moves on a GET
    response = client.post(f"{CHANGELIST}{first.pk}/move/receive/")
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == DossierStatus.RECEIVED and first.due_date

    form = client.get(f"{CHANGELIST}{second.pk}/move/refuse/").content.decode()
    assert "Ghi chú / lý do" in form
    missing = client.post(f"{CHANGELIST}{second.pk}/move/refuse/", {"note": ""})
    assert missing.status_code == 200 and "Trường này là bắt buộc" in missing.content.decode()
    client.post(f"{CHANGELIST}{second.pk}/move/refuse/", {"note": "Không thuộc thẩm quyền"})
    second.refresh_from_db()
    assert second.status == DossierStatus.REFUSED
    assert second.events.get().note == "Không thuộc thẩm quyền"


def test_a_clerk_without_the_role_gets_a_message_not_a_move(client, build):
    dossier = build.dossier(DossierStatus.PROCESSING)
    login_verified(client, build.clerk(dossier.agency, roles=[StaffRole.RECEIVE]))
    response = client.post(f"{CHANGELIST}{dossier.pk}/move/finish/", {"files": [pdf_upload("kq.pdf")]}, follow=True)
    assert "Bạn không có quyền" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.PROCESSING


def test_finish_with_result_files_checked_by_content(client, build):
    dossier = build.dossier(DossierStatus.PROCESSING)
    login_verified(client, build.clerk(dossier.agency))
    bad = client.post(f"{CHANGELIST}{dossier.pk}/move/finish/", {"files": [pdf_upload("kq.pdf", PNG)]})
    assert bad.status_code == 200 and "không phải là tệp PDF" in bad.content.decode()
    client.post(f"{CHANGELIST}{dossier.pk}/move/finish/", {"files": [pdf_upload("giay-phep.pdf")], "note": ""})
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.DONE
    result = dossier.files.get(kind=FileKind.RESULT)
    page = client.get(f"{CHANGELIST}{dossier.pk}/change/").content.decode()
    assert result.get_absolute_url() in page and "giay-phep.pdf" in page
    assert client.get(result.get_absolute_url()).status_code == 200


def test_bulk_actions_simple_and_with_a_form(client, build):
    procedure = build.procedure()
    a = build.dossier(DossierStatus.SUBMITTED, procedure=procedure)
    b = build.dossier(DossierStatus.SUBMITTED, procedure=procedure)
    done = build.dossier(DossierStatus.REFUSED, procedure=procedure)
    login_verified(client, build.clerk(procedure.agencies.get()))
    response = client.post(
        CHANGELIST, {"action": "move_receive", "_selected_action": [a.pk, b.pk, done.pk]}, follow=True
    )
    text = response.content.decode()
    assert "2 hồ sơ: Tiếp nhận." in text and f"{done.code}: Không thể" in text
    intermediate = client.post(CHANGELIST, {"action": "move_request_supplement", "_selected_action": [a.pk, b.pk]})
    assert intermediate.status_code == 200 and "Ghi chú / lý do" in intermediate.content.decode()
    client.post(
        CHANGELIST,
        {"action": "move_request_supplement", "_selected_action": [a.pk, b.pk], "apply": "1", "note": "Thiếu sơ đồ"},
    )
    assert set(Dossier.objects.filter(pk__in=[a.pk, b.pk]).values_list("status", flat=True)) == {DossierStatus.SUPPLEMENT}


def test_extension_from_the_admin_sends_the_apology(client, build):
    from notifications.models import Email

    dossier = build.dossier(DossierStatus.PROCESSING, due_date=timezone.localdate() - timezone.timedelta(days=1))
    login_verified(client, build.clerk(dossier.agency))
    overdue = client.get(CHANGELIST, {"overdue": "yes"}).content.decode()
    assert dossier.code in overdue
    new_date = timezone.localdate() + timezone.timedelta(days=5)
    client.post(f"{CHANGELIST}{dossier.pk}/move/extend/", {"note": "Chờ ý kiến liên ngành", "due_date": new_date.isoformat()})
    dossier.refresh_from_db()
    assert dossier.due_date == new_date
    assert Email.objects.filter(kind="dossier_extend", to=dossier.owner.email).exists()


def test_change_page_has_no_save_button_and_no_public_link(client, build):
    dossier = build.dossier(DossierStatus.SUBMITTED)
    login_verified(client, build.clerk(dossier.agency))
    page = client.get(f"{CHANGELIST}{dossier.pk}/change/").content.decode()
    assert 'name="_save"' not in page and 'name="_continue"' not in page
    assert f"/ho-so/{dossier.code}/\"" not in page
