"""The province's receiving map: level × field → its agencies, applied on import and again after an edit."""

import gzip
import json

import pytest
from django.urls import reverse

from procedures.constants import AgencyKind, AgencyLevel
from procedures.imports import ImportOutcome, procedures_import
from procedures.models import Agency, Field, Procedure, ReceivingRule
from procedures.receiving import receiving_map_apply

from .national_data import data_dir

pytestmark = pytest.mark.django_db

BIRTH = "1.001193"  # Cấp xã, Hộ tịch; "Cơ quan thực hiện": "Không có thông tin"
TEMPORARY_RESIDENCE = "1.004194"  # Cấp xã, Đăng ký, quản lý cư trú; "Công an cấp Xã"
CUSTOMS = "1.000005"  # Cấp xã, Hải quan; "Chi cục Hải quan khu vực": the State's, not the province's
NOTARY = "1.013803"  # Cấp tỉnh, Công chứng; "Không có thông tin"
NOTARY_DISMISSAL = "1.013805"  # Cấp tỉnh, Công chứng; "Sở Tư pháp": matched by name as well
MINISTRY = "1.000178"  # Cấp bộ only
CODES = (BIRTH, TEMPORARY_RESIDENCE, CUSTOMS, NOTARY, NOTARY_DISMISSAL, MINISTRY)


def real_records(codes=CODES) -> list[tuple[int, dict]]:
    with gzip.open(data_dir() / "tthc_all.jsonl.gz", "rt", encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines]
    return [(n, r) for n, r in enumerate(records, start=1) if r["ma_thu_tuc"] in codes]


def _agency(code, name, *, level=AgencyLevel.PROVINCIAL, kind=AgencyKind.DEPARTMENT, commune=None):
    return Agency.objects.create(code=code, name=name, level=level, kind=kind, commune_code=commune)


def _rule(level, field_name=None, *, kinds=(), agencies=()):
    field = Field.objects.get_or_create(name=field_name, defaults={"code": field_name[:40]})[0] if field_name else None
    rule = ReceivingRule(level=level, field=field)
    rule.set_commune_kinds(kinds)
    rule.save()
    rule.agencies.set(agencies)
    return rule


@pytest.fixture
def province(db):
    """Two communes of 2025 with their People's Committee and police, the Justice department, and the map."""
    agencies = {
        "kon_tum": _agency("000.30.01.H34", "Ủy ban nhân dân phường Kon Tum", level=AgencyLevel.COMMUNE,
                           kind=AgencyKind.PEOPLE_COMMITTEE, commune=23293),
        "dak_ha": _agency("000.30.04.H34", "Ủy ban nhân dân xã Đăk Hà", level=AgencyLevel.COMMUNE,
                          kind=AgencyKind.PEOPLE_COMMITTEE, commune=23500),
        "police_kon_tum": _agency("000.31.01.H34", "Công an phường Kon Tum", level=AgencyLevel.COMMUNE,
                                  kind=AgencyKind.POLICE, commune=23293),
        "police_dak_ha": _agency("000.31.04.H34", "Công an xã Đăk Hà", level=AgencyLevel.COMMUNE,
                                 kind=AgencyKind.POLICE, commune=23500),
        "justice": _agency("000.00.10.H34", "Sở Tư pháp"),
        "home": _agency("000.00.18.H34", "Sở Nội vụ"),
    }
    _rule("xa", kinds=["ubnd"])
    _rule("xa", "Đăng ký, quản lý cư trú", kinds=["cong_an"])
    _rule("xa", "Hải quan")  # names nobody: the province receives none of them
    _rule("tinh", "Công chứng", agencies=[agencies["justice"]])
    return agencies


def _received(national_code) -> set[str]:
    return set(Procedure.objects.get(national_code=national_code).agencies.values_list("name", flat=True))


def test_an_import_gives_real_procedures_the_agencies_of_the_map(province):
    report = procedures_import(records=real_records())
    assert report.count(ImportOutcome.CREATED) == len(CODES)

    # Cấp xã: every commune's People's Committee; residence: every commune's police instead.
    assert _received(BIRTH) == {"Ủy ban nhân dân phường Kon Tum", "Ủy ban nhân dân xã Đăk Hà"}
    assert _received(TEMPORARY_RESIDENCE) == {"Công an phường Kon Tum", "Công an xã Đăk Hà"}
    # Cấp tỉnh: the department of the field; Cấp bộ and the State's customs: no agency of the province.
    assert _received(NOTARY) == {"Sở Tư pháp"}
    assert _received(NOTARY_DISMISSAL) == {"Sở Tư pháp"}
    assert _received(CUSTOMS) == set() and _received(MINISTRY) == set()
    notes = {row.code: row.message for row in report.rows}
    assert "chưa có cơ quan tiếp nhận của tỉnh: Chi cục Hải quan khu vực" in notes[CUSTOMS]
    assert "chưa có cơ quan tiếp nhận" not in notes[BIRTH]
    # The agencies found are searchable, as a name match's are.
    birth = Procedure.objects.get(national_code=BIRTH)
    assert "dak ha" in birth.search_text


def test_an_edit_of_the_map_applied_again_moves_what_the_map_made_and_keeps_name_matches(province, admin_session):
    procedures_import(records=real_records())
    notary = ReceivingRule.objects.get(field__name="Công chứng")
    notary.agencies.set([province["home"]])
    residence = ReceivingRule.objects.get(field__name="Đăng ký, quản lý cư trú")
    residence.set_commune_kinds(["cong_an", "ubnd"])
    residence.save()
    assert _received(NOTARY) == {"Sở Tư pháp"}  # nothing moves until the operator applies the map

    changelist = admin_session.get(reverse("admin:procedures_receivingrule_changelist")).content.decode()
    assert 'id="apply-map"' in changelist  # a button: no row need be chosen first
    response = admin_session.post(reverse("admin:procedures_receivingrule_apply"), follow=True)
    assert "Đã áp dụng bản đồ cho 6 thủ tục: 3 thủ tục thay đổi" in response.content.decode()
    response = admin_session.post(reverse("admin:procedures_receivingrule_changelist"), {
        "action": "apply_map", "_selected_action": [notary.pk]}, follow=True)  # the same as an action
    assert "Đã áp dụng bản đồ cho 6 thủ tục: 0 thủ tục thay đổi" in response.content.decode()

    assert _received(NOTARY) == {"Sở Nội vụ"}  # the map's link moved
    assert _received(NOTARY_DISMISSAL) == {"Sở Tư pháp", "Sở Nội vụ"}  # "Sở Tư pháp" by name stays
    assert _received(TEMPORARY_RESIDENCE) == {"Công an phường Kon Tum", "Công an xã Đăk Hà",
                                              "Ủy ban nhân dân phường Kon Tum", "Ủy ban nhân dân xã Đăk Hà"}
    assert "so noi vu" in Procedure.objects.get(national_code=NOTARY).search_text
    assert "so tu phap" not in Procedure.objects.get(national_code=NOTARY).search_text

    again = receiving_map_apply()
    assert (again.changed, again.added, again.removed, again.without_agency) == (0, 0, 0, 2)


def test_applying_the_map_to_a_large_catalogue_takes_a_bounded_number_of_queries(province, django_assert_max_num_queries):
    field = Field.objects.create(code="ht", name="Hộ tịch")
    procedures = [Procedure(code=f"1.{900000 + n:06d}.000.00.00.H34", name=f"Thủ tục {n}", field=field, levels=",xa,")
                  for n in range(300)]
    Procedure.objects.bulk_create(procedures)
    with django_assert_max_num_queries(20):
        report = receiving_map_apply()
    assert (report.changed, report.added) == (300, 600)


def test_the_admin_form_ticks_each_communes_kinds(admin_session, province):
    response = admin_session.post(reverse("admin:procedures_receivingrule_add"), {
        "level": "xa", "field": Field.objects.get(name="Hải quan").pk, "commune_kinds": ["cong_an"]})
    assert response.status_code == 200  # one row per level and field
    assert "Bản đồ đã có một dòng cho cấp và lĩnh vực này." in response.content.decode()
    field = Field.objects.create(code="ct", name="Chứng thực")
    response = admin_session.post(reverse("admin:procedures_receivingrule_add"), {
        "level": "xa", "field": field.pk, "commune_kinds": ["ubnd", "cong_an"]})
    assert response.status_code == 302
    assert ReceivingRule.objects.get(field=field).commune_kinds == ",ubnd,cong_an,"
    page = admin_session.get(reverse("admin:procedures_receivingrule_changelist")).content.decode()
    assert "Ủy ban nhân dân, Công an" in page and "(mọi lĩnh vực)" in page


def test_an_agency_names_the_2025_commune_it_serves_by_its_code(admin_session):
    form = {"code": "000.31.09.H34", "name": "Công an xã Đăk Hà", "level": "commune", "kind": "cong_an",
            "commune_code": "99999", "staff-TOTAL_FORMS": "0", "staff-INITIAL_FORMS": "0"}
    response = admin_session.post(reverse("admin:procedures_agency_add"), form)
    assert "Không có xã, phường nào mang mã này (danh mục năm 2025)." in response.content.decode()
    response = admin_session.post(reverse("admin:procedures_agency_add"), {**form, "commune_code": "23500"})
    assert response.status_code == 302
    agency = Agency.objects.get(code="000.31.09.H34")
    assert (agency.kind, agency.commune_name) == (AgencyKind.POLICE, "Xã Đăk Hà")
    page = admin_session.get(reverse("admin:procedures_agency_change", args=[agency.pk])).content.decode()
    assert "Xã Đăk Hà" in page


@pytest.mark.parametrize(("role", "allowed"), [("operator", True), ("receive", False), ("accountant", False)])
def test_only_an_operator_applies_the_map(client, province, role, allowed):
    from django.contrib.auth.models import Group

    from accounts.models import User
    from accounts.roles import ROLES_BY_KEY
    from tests.support.otp import login_verified

    user = User.objects.create_user(f"{role}@kontum.gov.vn", "x-Secret-123", is_active=True, is_staff=True)
    user.groups.add(Group.objects.get(name=ROLES_BY_KEY[role].group))
    login_verified(client, user)
    response = client.post(reverse("admin:procedures_receivingrule_apply"))
    assert response.status_code == (302 if allowed else 403)
    assert ReceivingRule.objects.exists()
