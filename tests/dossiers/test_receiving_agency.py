"""Who receives a citizen's dossier: none (no online submission, where to go instead), or the citizen's commune."""

import re

import pytest

from dossiers.constants import DossierStatus
from dossiers.models import Dossier
from procedures.constants import AgencyKind, AgencyLevel
from procedures.models import Agency

QUANG_NGAI, PHUONG_KON_TUM, XA_DAK_HA = 51, 23293, 23500  # vietnam-provinces codes of the 2025 units


@pytest.fixture
def unreceived(build):
    """An imported procedure no agency of the province receives: the national text says where to go."""
    procedure = build.procedure()
    procedure.agencies.clear()
    procedure.implementing_text = "Chi cục Hải quan khu vực"
    procedure.receiving_address = "Số 1 đường Hải quan, cửa khẩu Bờ Y"
    procedure.save()
    return procedure


def _commune_agency(code, name, commune, kind=AgencyKind.PEOPLE_COMMITTEE):
    return Agency.objects.create(code=code, name=name, level=AgencyLevel.COMMUNE, kind=kind, commune_code=commune)


@pytest.fixture
def commune_procedure(build):
    """A commune-level procedure received by every commune's People's Committee, and by the province's department."""
    agencies = [
        Agency.objects.create(code="000.00.10.H34", name="Sở Tư pháp", kind=AgencyKind.DEPARTMENT),
        _commune_agency("000.30.01.H34", "Ủy ban nhân dân phường Kon Tum", PHUONG_KON_TUM),
        _commune_agency("000.30.04.H34", "Ủy ban nhân dân xã Đăk Hà", XA_DAK_HA),
        _commune_agency("000.31.04.H34", "Công an xã Đăk Hà", XA_DAK_HA, kind=AgencyKind.POLICE),
    ]
    return build.procedure(agencies=agencies)


def test_a_procedure_without_a_receiving_agency_says_where_to_go_and_offers_no_online_submission(client, unreceived):
    page = client.get(unreceived.get_absolute_url()).content.decode()
    assert "Nộp hồ sơ trực tuyến" not in page and f"/ho-so/nop/{unreceived.code}/" not in page
    assert "Thủ tục này chưa nhận hồ sơ trực tuyến trên Cổng của tỉnh." in page
    assert "Chi cục Hải quan khu vực" in page and "Số 1 đường Hải quan, cửa khẩu Bờ Y" in page

    row = client.get("/thu-tuc/", {"q": unreceived.name}).content.decode()
    assert unreceived.code in row and "Xem nơi nộp" in row


def test_starting_a_dossier_for_it_is_refused_on_the_spot_not_bounced(build, client, unreceived):
    client.force_login(build.citizen())
    response = client.get(f"/ho-so/nop/{unreceived.code}/")
    assert response.status_code == 409  # answered here: no redirect back to the page the button was on
    page = response.content.decode()
    assert "Thủ tục này chưa nhận hồ sơ trực tuyến trên Cổng: chưa có cơ quan nào của tỉnh tiếp nhận." in page
    assert "Chi cục Hải quan khu vực" in page
    assert not Dossier.objects.filter(procedure=unreceived).exists()


def test_the_citizens_own_commune_receives_by_default_and_another_can_be_chosen(build, client, commune_procedure):
    client.force_login(build.citizen(province_code=QUANG_NGAI, commune_code=XA_DAK_HA))
    response = client.get(f"/ho-so/nop/{commune_procedure.code}/")
    assert response.status_code == 302
    draft = Dossier.objects.get(procedure=commune_procedure, status=DossierStatus.DRAFT)
    assert draft.agency.name == "Ủy ban nhân dân xã Đăk Hà"  # the People's Committee before the police

    page = client.get(response["Location"]).content.decode()
    select = re.search(r'<select name="agency".*?</select>', page, re.S).group(0)
    assert re.search(r'<optgroup label="Cơ quan cấp tỉnh">\s*<option value="\d+">Sở Tư pháp</option>', select)
    options = [(re.search(r'data-commune="(\d+)"', attrs), " selected" in attrs, label)
               for attrs, label in re.findall(r'<option value="\d+"([^>]*)>([^<]+)</option>', select)]
    options = [(commune.group(1) if commune else "", chosen, label) for commune, chosen, label in options]
    # By commune, alphabetically (Đ after D, the kind of unit left out), its People's Committee first.
    assert [(commune, label) for commune, _, label in options if commune] == [
        ("23500", "Xã Đăk Hà — UBND"), ("23500", "Xã Đăk Hà — Công an"), ("23293", "Phường Kon Tum — UBND")]
    assert [label for _, chosen, label in options if chosen] == ["Xã Đăk Hà — UBND"]
    assert "dossiers/receiving.js" in page  # choosing another commune selects its agency

    kon_tum = Agency.objects.get(commune_code=PHUONG_KON_TUM)
    response = client.post(response["Location"], {
        "applicant_name": "Trần Văn An", "applicant_identity": "062301009999", "applicant_phone": "0905123456",
        "applicant_email": "an@example.vn", "applicant_address": "45 Phan Đình Phùng",
        "applicant_province_code": QUANG_NGAI, "applicant_commune_code": PHUONG_KON_TUM, "agency": kon_tum.pk,
    })
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.agency == kon_tum


def test_an_agency_that_does_not_receive_the_procedure_is_refused(build, client, commune_procedure):
    client.force_login(build.citizen(province_code=QUANG_NGAI, commune_code=PHUONG_KON_TUM))
    location = client.get(f"/ho-so/nop/{commune_procedure.code}/")["Location"]
    other = build.agency()
    response = client.post(location, {
        "applicant_name": "Trần Văn An", "applicant_identity": "062301009999", "applicant_phone": "0905123456",
        "applicant_email": "an@example.vn", "applicant_address": "45 Phan Đình Phùng",
        "applicant_province_code": QUANG_NGAI, "applicant_commune_code": PHUONG_KON_TUM, "agency": other.pk,
    })
    assert response.status_code == 200
    assert "Cơ quan không tiếp nhận thủ tục này, vui lòng chọn lại." in response.content.decode()
    assert Dossier.objects.get(procedure=commune_procedure).agency.commune_code == PHUONG_KON_TUM


def test_every_communes_agencies_are_named_once_with_their_number(build, client):
    communes = [_commune_agency(f"000.30.0{n}.H34", f"Ủy ban nhân dân xã Thử {n}", 23500 + n) for n in range(1, 6)]
    justice = Agency.objects.create(code="000.00.10.H34", name="Sở Tư pháp", kind=AgencyKind.DEPARTMENT)
    procedure = build.procedure(agencies=[*communes, justice])

    page = client.get(procedure.get_absolute_url()).content.decode()
    assert "<summary>Ủy ban nhân dân 5 xã, phường</summary>" in page and "Ủy ban nhân dân xã Thử 3" in page
    assert "Sở Tư pháp" in page and "Nộp hồ sơ trực tuyến" in page
    row = client.get("/thu-tuc/", {"q": procedure.name}).content.decode()
    assert 'data-label="Cơ quan thực hiện">Sở Tư pháp; Ủy ban nhân dân 5 xã, phường</td>' in row
    # Searched as the national text names them, not by every commune's name.
    procedure.refresh_from_db()
    assert "uy ban nhan dan cap xa" in procedure.search_text and "thu 3" not in procedure.search_text
