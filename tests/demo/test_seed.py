import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.core.management import call_command

from accounts.models import User
from accounts.roles import ROLE_GROUPS
from procedures.constants import OnlineLevel, StaffRole
from procedures.models import Agency, AgencyStaff, FeeItem, Field, Procedure, RequiredComponent
from procedures.selectors import procedure_search

pytestmark = pytest.mark.django_db

SEED_PROCEDURES = {
    "1.004232.000.00.00.H34": "Cấp giấy phép thăm dò nước dưới đất đối với công trình có lưu lượng dưới 3.000m³/ngày đêm",
    "1.004228.000.00.00.H34": "Gia hạn, điều chỉnh nội dung giấy phép thăm dò nước dưới đất đối với công trình có "
                              "lưu lượng dưới 3.000m³/ngày đêm",
    "1.004223.000.00.00.H34": "Cấp giấy phép khai thác, sử dụng nước dưới đất đối với công trình có lưu lượng dưới "
                              "3.000m³/ngày đêm",
}
LIVESTOCK = "Cấp lại Giấy chứng nhận đủ điều kiện chăn nuôi đối với chăn nuôi trang trại quy mô lớn"


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    return settings.VAR_DIR


def _seed(capsys) -> str:
    call_command("seed_demo")
    return capsys.readouterr().out


def _dump() -> dict:
    models = [Agency, Field, Procedure, Procedure.agencies.through, RequiredComponent, FeeItem, AgencyStaff, User,
              User.groups.through, Group, Group.permissions.through]
    return {m._meta.label: [tuple(sorted(row.items())) for row in m.objects.order_by("pk").values()] for m in models}


def test_seed_demo_twice_changes_nothing_and_shows_the_same_passwords(var_dir, capsys):
    first_out = _seed(capsys)
    before = _dump()
    second_out = _seed(capsys)
    assert _dump() == before
    assert "không có gì mới" in second_out

    passwords = dict(line.split("\t") for line in (var_dir / "demo-accounts.txt").read_text().splitlines())
    assert set(passwords) == {u.email for u in User.objects.all()}
    for email, password in passwords.items():
        assert User.objects.get(email=email).check_password(password)
        assert f"{email}" in second_out and password in second_out and password in first_out
    assert len(set(passwords.values())) == len(passwords)  # random, not one shared constant
    assert (var_dir / "demo-accounts.txt").stat().st_mode & 0o077 == 0


def test_seed_demo_holds_the_procedures_the_guidance_letters_name(var_dir, capsys):
    _seed(capsys)
    assert Procedure.objects.count() >= 80
    for code, name in SEED_PROCEDURES.items():
        procedure = Procedure.objects.get(code=code)
        assert procedure.name == name
        assert procedure.field.name == "Lĩnh vực Tài nguyên nước"
        assert list(procedure.agencies.values_list("name", flat=True)) == ["Sở Tài nguyên và Môi trường"]
        assert procedure.online_level == OnlineLevel.FULL
        assert sum(procedure.fees.values_list("amount", flat=True)) > 0
    livestock = Procedure.objects.get(name=LIVESTOCK)
    assert re.fullmatch(r"\d\.\d{6}\.000\.00\.00\.H34", livestock.code)
    assert livestock.field.name == "Chăn nuôi"
    assert list(livestock.agencies.values_list("name", flat=True)) == ["Sở Nông nghiệp và Phát triển nông thôn"]

    found = procedure_search(q="cap phep tham do nuoc duoi dat")
    assert found[0].code == "1.004232.000.00.00.H34"
    assert procedure_search(q="chăn nuôi trang trại quy mô lớn").filter(pk=livestock.pk).exists()


def test_seed_demo_catalogue_is_complete_enough_to_walk_a_dossier_through(var_dir, capsys):
    _seed(capsys)
    for procedure in Procedure.objects.prefetch_related("components", "agencies"):
        assert 2 <= len(procedure.components.all()) <= 5, procedure.code
        assert procedure.agencies.all(), procedure.code
        assert procedure.steps and procedure.legal_basis and procedure.result, procedure.code
    assert Procedure.objects.filter(is_frequent=True).count() >= 5
    assert Procedure.objects.filter(fees__isnull=True).exists()  # some procedures are free
    assert set(Procedure.objects.values_list("online_level", flat=True)) == {3, 4}
    for agency in Agency.objects.all():
        assert agency.address and agency.phone and agency.bank_account_number and agency.bank_name, agency.code
    assert Agency.objects.filter(name="Ủy ban nhân dân phường Đăk Cấm", level="commune").exists()

    with_form = RequiredComponent.objects.exclude(blank_form="").first()
    with default_storage.open(with_form.blank_form.name) as handle:
        assert handle.read(5) == b"%PDF-"

    # Every demo staff account holds roles of the one scheme (accounts.roles), and only those.
    staff = {u.email: u for u in User.objects.filter(is_staff=True, is_superuser=False)}
    for member in staff.values():
        assert member.is_active and {g for g in member.groups.values_list("name", flat=True)} <= set(ROLE_GROUPS)
    clerks = [m for m in staff.values() if m.email.startswith("canbo.")]
    assert len(clerks) == 3
    for clerk in clerks:
        assert clerk.has_perm("dossiers.view_dossier") and not clerk.has_perm("accounts.view_user")
        assert set(clerk.agency_roles.values_list("role", flat=True)) == {"receive", "process", "approve"}
    accountant, operator = staff["ketoan@kontum.example"], staff["vanhanh@kontum.example"]
    assert accountant.has_perm("payments.add_refund") and not accountant.has_perm("dossiers.view_dossier")
    assert set(accountant.agency_roles.values_list("role", flat=True)) == {StaffRole.ACCOUNTANT}
    assert operator.has_perm("accounts.change_user") and not operator.agency_roles.exists()
    assert sorted(Group.objects.values_list("name", flat=True)) == sorted(ROLE_GROUPS)
    clerk_agencies = set(AgencyStaff.objects.values_list("agency__name", flat=True))
    assert {"Sở Tài nguyên và Môi trường", "Sở Nông nghiệp và Phát triển nông thôn"} <= clerk_agencies
    citizen = User.objects.get(is_staff=False)
    assert citizen.is_active and citizen.account_type == "individual"
    assert re.fullmatch(r"\d{12}", citizen.identity_number) and citizen.full_name and citizen.street_address
    assert re.fullmatch(r"0\d{9}", citizen.phone) and citizen.commune_code and citizen.province_code
    assert User.objects.filter(is_superuser=True, is_active=True).count() == 1


def test_seed_demo_holds_the_receiving_map_and_the_citizens_commune_receives_the_birth_registration(var_dir, capsys,
                                                                                                      client):
    from dossiers.services import dossier_draft_get_or_create
    from procedures.models import ReceivingRule
    from procedures.receiving import receiving_map_load

    _seed(capsys)
    communes = Agency.objects.filter(level="commune")
    assert communes.count() == 14 and not communes.filter(commune_code__isnull=True).exists()
    assert set(communes.values_list("kind", flat=True)) == {"ubnd", "cong_an"}
    rules = receiving_map_load()
    ubnd = set(communes.filter(kind="ubnd").values_list("pk", flat=True))
    assert rules.agencies_for(levels=",xa,", field_id=Field.objects.get(code="HT").pk) == ubnd
    residence = ReceivingRule.objects.get(level="xa", field__name="Đăng ký, quản lý cư trú")
    assert rules.agencies_for(levels=",xa,", field_id=residence.field_id) == set(
        communes.filter(kind="cong_an").values_list("pk", flat=True))

    citizen = User.objects.get(is_staff=False)
    birth = Procedure.objects.get(code="1.001193.000.00.00.H34")
    draft = dossier_draft_get_or_create(user=citizen, procedure=birth)
    assert draft.agency.name == "Ủy ban nhân dân phường Kon Tum" and draft.agency.commune_code == citizen.commune_code
    client.force_login(citizen)
    page = client.get(f"/ho-so/soan/{draft.uuid}/buoc-1/").content.decode()
    assert "Phường Kon Tum — UBND" in page and "Xã Măng Đen — " in page


def test_seeding_again_after_the_national_import_leaves_the_imported_papers_alone(var_dir, capsys):
    # The README's path: `make run` seeds, the operator imports the real catalogue, `make run` seeds again at every
    # start. The birth registration must keep the law's papers: not gain the demo's three, all mandatory.
    from procedures.components import lightest_mandatory_uploads
    from procedures.imports import procedures_import, records_from_file
    from tests.procedures.national_data import data_dir

    _seed(capsys)
    content = (data_dir() / "tthc_all.jsonl.gz").read_bytes()
    birth = [(n, raw) for n, raw in records_from_file("tthc_all.jsonl.gz", content) if raw["ma_thu_tuc"] == "1.001193"]
    procedures_import(records=birth)
    procedure = Procedure.objects.get(national_code="1.001193")
    imported = sorted(procedure.components.values_list("name", flat=True))
    uploads = lightest_mandatory_uploads(procedure.components.all())

    _seed(capsys)
    assert sorted(procedure.components.values_list("name", flat=True)) == imported
    assert lightest_mandatory_uploads(procedure.components.all()) == uploads == 2
