"""The document wallet (issue 30 §1), on PostgreSQL: a returned result goes into the citizen's wallet, fills a new
dossier's component with no upload, the clerk sees where it came from and indicator 4.3 counts it; deleting
the item never breaks the dossier; the quota holds under parallel requests; nobody else sees an item."""

import pytest
from django.core import mail  # noqa: F401  (the outbox is read through notifications.Email)
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dossiers import services
from dossiers.constants import DossierAction as A
from dossiers.constants import DossierStatus, FileKind
from dossiers.models import DossierFile
from dossiers.services import dossier_move
from dossiers.uploads import CheckedFile, digest
from notifications.models import Email
from reports.service_index import service_index
from tests.factories.dossiers import pdf_upload
from tests.support.otp import login_verified
from tests.wallet.parallel import keeps_in_parallel
from wallet.models import Blob, Origin, WalletItem
from wallet.services import Paper, wallet_item_keep, wallet_share

pytestmark = [pytest.mark.postgres]


def _returned_with_result(build, citizen):
    """A birth registration of the citizen, returned with its signed-off result file."""
    issuing = build.procedure(components=("Tờ khai đăng ký khai sinh",))
    issuing.result_documents = [{"name": "Giấy khai sinh", "code": "KQ.1"}]
    issuing.save()
    dossier = build.dossier(DossierStatus.RECEIVED, procedure=issuing, owner=citizen)
    clerk = build.clerk(dossier.agency)
    upload = pdf_upload("giay-khai-sinh.pdf")
    result = CheckedFile(upload=upload, original_name="giay-khai-sinh.pdf", extension="pdf", size=upload.size,
                         sha256=digest(upload))
    for action, kwargs in [(A.START, {}), (A.FINISH, {"files": [result]}), (A.RETURN_RESULT, {})]:
        dossier_move(dossier=dossier, action=action, actor=clerk, **kwargs)
    return dossier


def _draft(build, citizen):
    procedure = build.procedure(components=("Đơn đề nghị", "Bản sao Giấy khai sinh (có chứng thực)"))
    return build.dossier(DossierStatus.DRAFT, procedure=procedure, owner=citizen, wizard_step=1)


def _submit(draft, client, build):
    """Upload the other paper, finish the steps and submit; the agency's clerk receives it."""
    form = draft.procedure.components.get(name="Đơn đề nghị")
    services.dossier_component_files_add(dossier=draft, component=form, uploads_list=[pdf_upload()],
                                         user=draft.owner, max_files=5)
    services.dossier_files_step_done(dossier=draft)
    services.dossier_delivery_update(dossier=draft, submit_method="online", submit_address="",
                                     result_method="electronic", result_address="")
    submitted = services.dossier_submit(dossier=draft, user=draft.owner)
    clerk = build.clerk(submitted.agency)
    dossier_move(dossier=submitted, action=A.RECEIVE, actor=clerk)
    return submitted, clerk


@pytest.mark.django_db
def test_reuse_path_from_a_returned_result_to_indicator_4_3(client, build):
    citizen = build.citizen()
    returned = _returned_with_result(build, citizen)
    item = WalletItem.objects.get(owner=citizen)
    result_file = returned.files.get(kind=FileKind.RESULT)
    assert (item.origin, item.issuer, item.title) == (Origin.ISSUED, returned.agency.name, "Giấy khai sinh")
    assert item.blob.name == result_file.file.name  # the wallet points at the dossier's stored result
    client.force_login(citizen)
    page = client.get(reverse("wallet:index")).content.decode()
    assert "Giấy khai sinh" in page and f"Do {returned.agency.name} cấp" in page

    draft = _draft(build, citizen)
    slot = draft.procedure.components.get(name__startswith="Bản sao")
    step2 = client.get(reverse("dossiers:wizard", args=[draft.uuid, 2])).content.decode()
    assert f'id="wallet-offers-{slot.pk}"' in step2 and "Dùng giấy tờ này" in step2
    objects_before = Blob.objects.count()
    response = client.post(reverse("wallet:attach", args=[draft.uuid, slot.pk]), {"item": str(item.uuid)})
    assert response.status_code == 302
    attached = DossierFile.objects.get(dossier=draft, component=slot)
    assert attached.file.name == result_file.file.name and Blob.objects.count() == objects_before  # no upload
    step2 = client.get(reverse("dossiers:wizard", args=[draft.uuid, 2])).content.decode()
    assert f"Từ kho giấy tờ: kết quả do {returned.agency.name} cấp" in step2
    assert WalletItem.objects.get(pk=item.pk).uses == 1

    submitted, clerk = _submit(draft, client, build)
    staff = Client()
    login_verified(staff, clerk)
    admin_page = staff.get(reverse("admin:dossiers_dossier_change", args=[submitted.pk])).content.decode()
    assert f"Từ kho giấy tờ: kết quả do {returned.agency.name} cấp" in admin_page
    today = timezone.localdate()
    index = service_index(year=today.year, month=today.month)
    card = next(c for c in index.agencies if c.key == submitted.agency.code)
    value = next(v for g in card.groups for v in g.values if v.indicator.key == "reused")
    assert (value.numerator, value.denominator) == (1, 1)


@pytest.mark.django_db
def test_deleting_the_item_after_submission_keeps_the_dossier_file(client, build, django_capture_on_commit_callbacks):
    citizen = build.citizen()
    upload = pdf_upload("cccd.pdf")
    content = upload.read()
    upload.seek(0)
    item = wallet_item_keep(owner=citizen, upload=upload, paper=Paper(title="Giấy khai sinh"), kind_name="Giấy khai sinh")
    draft = _draft(build, citizen)
    slot = draft.procedure.components.get(name__startswith="Bản sao")
    client.force_login(citizen)
    client.post(reverse("wallet:attach", args=[draft.uuid, slot.pk]), {"item": str(item.uuid)})
    submitted, _clerk = _submit(draft, client, build)

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("wallet:delete", args=[item.uuid])).status_code == 302
    assert not WalletItem.objects.filter(pk=item.pk).exists()
    dossier_file = submitted.files.get(component=slot)
    assert default_storage.exists(dossier_file.file.name)  # the blob stays while the dossier references it
    download = client.get(dossier_file.get_absolute_url())
    assert download.status_code == 200 and b"".join(download.streaming_content) == content

    # An item nobody references goes with its bytes.
    lone = wallet_item_keep(owner=citizen, upload=pdf_upload("lone.pdf"), paper=Paper(title="Bằng lái xe"),
                            kind_name="Bằng lái xe")
    name = lone.blob.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("wallet:delete", args=[lone.uuid]))
    assert not default_storage.exists(name) and not Blob.objects.filter(name=name).exists()


@pytest.mark.django_db
def test_nobody_but_the_owner_and_those_shared_with_sees_an_item(client, build):
    owner, other, shared = build.citizen(), build.citizen(), build.citizen()
    item = wallet_item_keep(owner=owner, upload=pdf_upload(), paper=Paper(title="Giấy khai sinh"), kind_name="Giấy khai sinh")
    url = item.get_absolute_url()
    client.force_login(owner)
    assert client.get(url).status_code == 200
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert client.post(reverse("wallet:delete", args=[item.uuid])).status_code == 404
    clerk = build.clerk(build.agency())
    staff = Client()
    login_verified(staff, clerk)
    assert staff.get(url).status_code == 404

    client.force_login(owner)
    client.post(reverse("wallet:share", args=[item.uuid]), {"identity_number": shared.identity_number})
    client.force_login(shared)
    assert client.get(url).status_code == 200
    assert "Giấy khai sinh" in client.get(reverse("wallet:index")).content.decode()
    share = item.shares.get()
    client.force_login(owner)
    assert client.post(reverse("wallet:revoke", args=[share.pk])).status_code == 302
    client.force_login(shared)
    assert client.get(url).status_code == 404
    client.force_login(owner)
    page = client.post(reverse("wallet:share", args=[item.uuid]), {"identity_number": "999999999999"}, follow=True)
    assert "Không tìm thấy tài khoản có số CCCD này." in page.content.decode()


@pytest.mark.django_db
def test_expiring_papers_are_reminded_once(build):
    from wallet.services import wallet_expiry_remind

    citizen = build.citizen()
    soon = timezone.localdate() + timezone.timedelta(days=10)
    wallet_item_keep(owner=citizen, upload=pdf_upload(), kind_name="Hộ chiếu",
                     paper=Paper(title="Hộ chiếu", expires_on=soon))
    assert wallet_expiry_remind() == 1 and wallet_expiry_remind() == 0
    email = Email.objects.get(to=citizen.email)
    assert "Hộ chiếu" in email.subject and soon.strftime("%d/%m/%Y") in email.subject


@pytest.mark.django_db(transaction=True)
def test_the_quota_holds_under_parallel_keeps(build, settings):
    settings.WALLET_MAX_ITEMS = 3
    citizen = build.citizen()
    people = 8
    results = keeps_in_parallel(citizen, people)
    assert sorted(status for status, _ in results) == [200] * (people - 3) + [302] * 3
    assert all("Kho giấy tờ đã đủ 3 giấy tờ" in body for status, body in results if status == 200)
    assert WalletItem.objects.filter(owner=citizen).count() == 3


@pytest.mark.django_db
def test_a_deleted_result_does_not_come_back_when_the_dossier_moves_on(client, build):
    citizen = build.citizen()
    returned = _returned_with_result(build, citizen)
    item = WalletItem.objects.get(owner=citizen, origin=Origin.ISSUED)
    client.force_login(citizen)
    client.post(reverse("wallet:delete", args=[item.uuid]))
    services.dossier_rate(dossier=returned, user=citizen, rating=5)  # DOSSIER_MOVED once more
    assert not WalletItem.objects.filter(owner=citizen).exists()
    assert returned.files.get(kind=FileKind.RESULT).file.name  # the dossier's result is untouched
    draft = _draft(build, citizen)
    slot = draft.procedure.components.get(name__startswith="Bản sao")
    for bad in ("", "not-a-uuid", str(item.uuid)):
        assert client.post(reverse("wallet:attach", args=[draft.uuid, slot.pk]), {"item": bad}).status_code == 404


@pytest.mark.django_db
def test_keep_an_uploaded_paper_then_it_is_offered_for_the_same_paper_elsewhere(client, build):
    citizen = build.citizen()
    first = _draft(build, citizen)
    slot = first.procedure.components.get(name__startswith="Bản sao")
    [uploaded] = services.dossier_component_files_add(dossier=first, component=slot, uploads_list=[pdf_upload()],
                                                      user=citizen, max_files=5)
    client.force_login(citizen)
    step2 = client.get(reverse("dossiers:wizard", args=[first.uuid, 2])).content.decode()
    assert f'id="keep-{uploaded.uuid}"' in step2 and "Lưu vào kho" in step2
    response = client.post(reverse("wallet:keep_file", args=[uploaded.uuid]), follow=True)
    assert "vào kho giấy tờ" in response.content.decode()
    item = WalletItem.objects.get(owner=citizen)
    assert (item.origin, item.kind.key) == (Origin.KEPT, "giay khai sinh")
    assert item.blob.name != uploaded.file.name  # the wallet's own copy: the draft may be deleted
    other = build.citizen()
    again = client.post(reverse("wallet:keep_file", args=[uploaded.uuid]), follow=True).content.decode()
    assert "Giấy tờ này (cùng nội dung) đã có trong kho của bạn." in again
    assert WalletItem.objects.filter(owner=citizen).count() == 1
    client.force_login(other)
    assert client.post(reverse("wallet:keep_file", args=[uploaded.uuid])).status_code == 404

    second = _draft(build, citizen)
    client.force_login(citizen)
    step2 = client.get(reverse("dossiers:wizard", args=[second.uuid, 2])).content.decode()
    assert "Dùng giấy tờ này" in step2 and "bạn tự lưu" in step2
