"""/tai-khoan/uy-quyen/ as citizens use it: grant by CCCD with a document, switch, submit for someone, revoke."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from dossiers.constants import DossierStatus
from dossiers.models import Dossier
from notifications.models import Email
from representation.constants import SESSION_KEY, Scope
from representation.models import Authorisation, Membership
from tests.factories.dossiers import pdf_upload

from .conftest import authorisation, draft_for

pytestmark = pytest.mark.django_db
HOME = "/tai-khoan/uy-quyen/"
BANNER = 'id="thao-tac-thay"'


@pytest.fixture
def people(build):
    a = build.citizen(full_name="Trần Thị An", identity_number="062301000111")
    b = build.citizen(full_name="Lê Văn Bình", identity_number="062301000222")
    return a, b


def _grant(client, procedure, **extra):
    today = timezone.localdate()
    data = {"agent_identity": "062301000222", "scope": Scope.PROCEDURE, "procedure": procedure.pk,
            "valid_from": today.isoformat(), "valid_until": (today + timedelta(days=30)).isoformat(),
            "document": pdf_upload("giay-uy-quyen.pdf"), **extra}
    return client.post(HOME, data)


def test_a_citizen_authorises_someone_by_cccd_with_a_document(client, build, people):
    a, b = people
    procedure = build.procedure()
    client.force_login(a)
    response = _grant(client, procedure)
    assert response.status_code == 302
    granted = Authorisation.objects.get()
    assert (granted.principal, granted.agent, granted.procedure) == (a, b, procedure)
    page = client.get(HOME).content.decode()
    assert "Lê Văn Bình" in page and "Đang hiệu lực" in page and "Thu hồi ủy quyền" in page
    document = client.get(f"{HOME}{granted.uuid}/van-ban/")
    assert document.status_code == 200 and b"".join(document.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize(("extra", "field", "message"), [
    ({"agent_identity": "062301000999"}, None, "Không có tài khoản công dân nào với số CCCD này."),
    ({"agent_identity": "062301000111"}, None, "Không thể tự ủy quyền cho chính mình."),
    ({"agent_identity": "12ab"}, "agent_identity", "Số CCCD gồm đúng 12 chữ số."),
    ({"document": SimpleUploadedFile("uy-quyen.pdf", b"MZ\x90\x00 not a pdf at all", "application/pdf")},
     "document", "uy-quyen.pdf"),
    ({"valid_until": "2020-01-01"}, None, "Ngày hết hiệu lực"),
])
def test_a_bad_grant_says_why_and_keeps_what_was_typed(client, build, people, extra, field, message):
    a, _b = people
    procedure = build.procedure()
    client.force_login(a)
    response = _grant(client, procedure, **extra)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert Authorisation.objects.count() == 0
    if "agent_identity" not in extra:
        assert 'value="062301000222"' in page  # nothing typed is lost


def test_b_acts_for_a_submits_a_sees_it_and_gets_the_email_then_a_revokes(client, build, people):
    a, b = people
    procedure = build.procedure(fees=[50000])
    granted = authorisation(a, b, scope=Scope.PROCEDURE, procedure=procedure)
    client.force_login(b)
    assert BANNER not in client.get("/ho-so/").content.decode()
    response = client.post(f"{HOME}chon/", {"principal": a.pk})
    assert response.status_code == 302 and client.session[SESSION_KEY] == a.pk
    mine = client.get("/ho-so/").content.decode()
    assert BANNER in mine and "Bạn đang thao tác thay cho:" in mine and "Trần Thị An" in mine

    start = client.get(f"/ho-so/nop/{procedure.code}/")
    draft = Dossier.objects.get(status=DossierStatus.DRAFT)
    assert start["Location"] == f"/ho-so/soan/{draft.uuid}/buoc-1/"
    assert (draft.owner, draft.acted_by, draft.authorisation) == (a, b, granted)
    assert "Trần Thị An" in client.get(start["Location"]).content.decode()  # prefilled from A's profile
    draft = draft_for(a, b, procedure)
    review = client.get(f"/ho-so/soan/{draft.uuid}/buoc-4/").content.decode()
    assert BANNER in review
    response = client.post(f"/ho-so/soan/{draft.uuid}/buoc-4/",
                           {"confirm": "on", "captcha_0": "x", "captcha_1": "PASSED"})
    dossier = Dossier.objects.get(pk=draft.pk)
    assert dossier.status == DossierStatus.SUBMITTED and response["Location"] == f"/ho-so/{dossier.code}/"
    assert dossier.events.get(action="submit").actor == b
    assert Email.objects.filter(to=a.email, kind="dossier_submit").count() == 1
    assert not Email.objects.filter(to=b.email, kind="dossier_submit").exists()
    assert dossier.code in client.get("/ho-so/").content.decode()  # B, acting for A, sees it
    assert client.get(f"/ho-so/{dossier.code}/").status_code == 200
    assert client.get(f"/thanh-toan/ho-so/{dossier.code}/").status_code == 200  # and may pay it

    a_client = Client()
    a_client.force_login(a)
    assert dossier.code in a_client.get("/ho-so/").content.decode()  # "Hồ sơ của tôi" of A
    a_client.post(f"{HOME}{granted.uuid}/thu-hoi/")
    assert Authorisation.objects.get().revoked_at is not None

    # B's next request: nothing of A's opens, and the switch is gone.
    refused = client.get(f"/ho-so/{dossier.code}/")
    assert refused.status_code == 404
    assert SESSION_KEY not in client.session
    assert BANNER not in client.get("/ho-so/").content.decode()
    assert client.get(f"/thanh-toan/ho-so/{dossier.code}/").status_code == 404
    assert client.post(f"{HOME}chon/", {"principal": a.pk}).status_code == 302
    assert SESSION_KEY not in client.session


def test_a_revocation_between_the_page_and_the_post_refuses_the_submission(client, build, people):
    a, b = people
    procedure = build.procedure()
    granted = authorisation(a, b)
    client.force_login(b)
    client.post(f"{HOME}chon/", {"principal": a.pk})
    draft = draft_for(a, b, procedure)
    assert client.get(f"/ho-so/soan/{draft.uuid}/buoc-4/").status_code == 200  # the page is loaded
    Authorisation.objects.filter(pk=granted.pk).update(revoked_at=timezone.now())  # A revokes meanwhile
    response = client.post(f"/ho-so/soan/{draft.uuid}/buoc-4/", {"confirm": "on", "captcha_0": "x",
                                                                "captcha_1": "PASSED"})
    assert response.status_code == 404
    assert Dossier.objects.get(pk=draft.pk).status == DossierStatus.DRAFT
    assert not Email.objects.filter(kind="dossier_submit").exists()


def test_an_authorisation_for_one_procedure_does_not_open_another(client, build, people):
    a, b = people
    covered, other = build.procedure(), build.procedure()
    authorisation(a, b, scope=Scope.PROCEDURE, procedure=covered)
    client.force_login(b)
    client.post(f"{HOME}chon/", {"principal": a.pk})
    response = client.get(f"/ho-so/nop/{other.code}/")
    assert response.status_code == 409
    assert "Bạn không được ủy quyền nộp hồ sơ thủ tục này cho Trần Thị An." in response.content.decode()
    assert not Dossier.objects.filter(owner=a).exists()


@pytest.mark.parametrize("state", ["revoked", "expired", "future"])
def test_an_authorisation_not_in_force_cannot_be_chosen(client, build, people, state):
    a, b = people
    authorisation(a, b, state=state)
    client.force_login(b)
    response = client.post(f"{HOME}chon/", {"principal": a.pk}, follow=True)
    assert "Bạn không còn được thao tác thay cho tài khoản này." in response.content.decode()
    assert SESSION_KEY not in client.session


@pytest.fixture
def organisation(build):
    return build.citizen(full_name="Công ty TNHH Sông Đà", identity_number="6100123456", account_type="organisation")


def test_an_organisation_adds_members_who_act_for_it_and_removal_takes_effect_at_once(client, build, people,
                                                                                        organisation):
    a, b = people
    procedure = build.procedure()
    client.force_login(organisation)
    added = client.post(f"{HOME}thanh-vien/", {"member_identity": "062301000222", "role": "submitter"})
    assert added.status_code == 302
    assert client.post(f"{HOME}thanh-vien/", {"member_identity": "062301000111", "role": "viewer"}).status_code == 302
    again = client.post(f"{HOME}thanh-vien/", {"member_identity": "062301000111", "role": "viewer"})
    assert "Người này đã là thành viên của tổ chức." in again.content.decode()
    page = client.get(HOME).content.decode()
    assert "Lê Văn Bình" in page and "Người nộp hồ sơ" in page and "Người xem" in page

    member = Client()
    member.force_login(b)
    member.post(f"{HOME}chon/", {"principal": organisation.pk})
    member.get(f"/ho-so/nop/{procedure.code}/")
    draft = Dossier.objects.get(owner=organisation)
    assert draft.acted_by == b and draft.authorisation is None
    viewer = Client()
    viewer.force_login(a)
    viewer.post(f"{HOME}chon/", {"principal": organisation.pk})
    assert viewer.get(f"/ho-so/nop/{procedure.code}/").status_code == 409  # a viewer submits nothing

    membership = Membership.objects.get(member=b)
    assert client.post(f"{HOME}thanh-vien/{membership.pk}/ket-thuc/").status_code == 302
    assert member.get(f"/ho-so/soan/{draft.uuid}/buoc-1/").status_code == 404
    assert BANNER not in member.get("/ho-so/").content.decode()
    # The viewer leaves on their own.
    viewer.post(f"{HOME}thanh-vien/{Membership.objects.get(member=a).pk}/ket-thuc/")
    assert not Membership.objects.exists()


def test_someone_else_cannot_end_a_membership_or_revoke_an_authorisation(client, build, people, organisation):
    a, b = people
    stranger = build.citizen()
    membership = Membership.objects.create(organisation=organisation, member=b, role="submitter")
    granted = authorisation(a, b)
    client.force_login(stranger)
    assert client.post(f"{HOME}thanh-vien/{membership.pk}/ket-thuc/").status_code == 404
    assert client.post(f"{HOME}{granted.uuid}/thu-hoi/").status_code == 404
    assert client.get(f"{HOME}{granted.uuid}/van-ban/").status_code == 404
    assert Membership.objects.exists() and Authorisation.objects.get().revoked_at is None
