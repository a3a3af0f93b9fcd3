import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import User
from procedures.constants import StaffRole
from procedures.models import Agency, AgencyStaff, FeeItem, Field, Procedure, RequiredComponent
from tests.support.otp import login_verified

from .conftest import procedure_change_data

pytestmark = pytest.mark.django_db

CATALOGUE_MODELS = [Agency, Field, Procedure, RequiredComponent, FeeItem, User]


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", CATALOGUE_MODELS, ids=lambda m: m.__name__)
def test_changelist_change_and_add_pages_load(admin_session, catalogue, model):
    obj = model.objects.order_by("pk").first()
    for url in (_url(model, "changelist"), _url(model, "change", obj.pk), _url(model, "add")):
        assert admin_session.get(url).status_code == 200, url


@pytest.mark.parametrize("model", [Agency, Field, Procedure, RequiredComponent, FeeItem], ids=lambda m: m.__name__)
def test_import_and_export_pages_offer_csv_and_xlsx(admin_session, catalogue, model):
    for view in ("import", "export"):
        text = admin_session.get(_url(model, view)).content.decode()
        assert "csv" in text and "xlsx" in text
        assert "xls\"" not in text and "json" not in text


def test_procedure_change_page_shows_components_and_fees_but_not_the_folded_columns(admin_session, catalogue):
    text = admin_session.get(_url(Procedure, "change", catalogue.pk)).content.decode()
    assert "Đơn đề nghị (Mẫu 01)" in text and "Phí thẩm định đề án" in text
    assert 'name="search_text"' not in text and 'name="name_folded"' not in text
    assert 'id="id_agencies_from"' not in text  # the filter_horizontal widget is built by JS from this select
    assert 'name="agencies"' in text and "SelectFilter2.js" in text


@pytest.mark.parametrize(
    "query, expected",
    [
        ("q=1.004232", ["1.004232.000.00.00.H34"]),
        ("q=khai+sinh", ["1.001193.000.00.00.H34"]),
        ("online_level__exact=3", ["1.001193.000.00.00.H34"]),
        ("is_frequent__exact=1", ["1.004232.000.00.00.H34"]),
    ],
)
def test_procedure_changelist_searches_and_filters(admin_session, catalogue, query, expected):
    text = admin_session.get(f"{_url(Procedure, 'changelist')}?{query}").content.decode()
    for code in ["1.004232.000.00.00.H34", "1.001193.000.00.00.H34"]:
        assert (code in text) == (code in expected), (query, code)


def test_procedure_changelist_filters_by_field_and_agency(admin_session, catalogue):
    ward = Agency.objects.get(code="000.30.01.H34")
    civil = Field.objects.get(code="HT")
    for query in (f"agencies__id__exact={ward.pk}", f"field__id__exact={civil.pk}"):
        text = admin_session.get(f"{_url(Procedure, 'changelist')}?{query}").content.decode()
        assert "1.001193.000.00.00.H34" in text and "1.004232.000.00.00.H34" not in text


def test_saving_a_procedure_in_the_admin_refreshes_its_search_text(admin_session, catalogue):
    ward = Agency.objects.get(code="000.30.01.H34")
    page = admin_session.get(_url(Procedure, "change", catalogue.pk))
    data = procedure_change_data(page, catalogue)
    data.update(name="Cấp giấy phép thăm dò nước ngầm", agencies=[ward.pk])
    response = admin_session.post(_url(Procedure, "change", catalogue.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    catalogue.refresh_from_db()
    assert "nuoc ngam" in catalogue.name_folded
    assert "phuong kon tum" in catalogue.search_text and "tai nguyen va moi truong" not in catalogue.search_text
    assert catalogue.components.count() == 2 and catalogue.fees.count() == 1


def test_user_admin_edits_agency_roles_inline(admin_session, catalogue):
    clerk = User.objects.create_user("canbo@example.com", "x", is_staff=True, is_active=True)
    AgencyStaff.objects.create(user=clerk, agency=Agency.objects.get(code="000.00.21.H34"), role=StaffRole.RECEIVE)
    text = admin_session.get(_url(User, "change", clerk.pk)).content.decode()
    assert "cán bộ của cơ quan" in text.lower()
    assert "Tiếp nhận (một cửa)" in text


def test_clerk_with_view_permission_reads_the_catalogue_but_cannot_change_it(client, catalogue):
    clerk = User.objects.create_user("canbo@example.com", "x", is_staff=True, is_active=True)
    clerk.user_permissions.add(*Permission.objects.filter(content_type__app_label="procedures",
                                                          codename__startswith="view_"))
    login_verified(client, clerk)
    assert client.get(_url(Procedure, "changelist")).status_code == 200
    assert client.get(_url(Procedure, "add")).status_code == 403
    assert client.get(_url(Procedure, "import")).status_code == 403
    assert client.get(_url(Procedure, "export")).status_code == 200


def test_the_procedures_to_review_are_listed_with_their_reasons_and_marked_reviewed(admin_session, catalogue):
    Procedure.objects.filter(pk=catalogue.pk).update(
        components_need_review=True, components_review_reasons="không thấy bảng thành phần hồ sơ"
    )
    url = _url(Procedure, "changelist")
    listed = admin_session.get(url, {"ra_soat_thanh_phan": "1"}).content.decode()
    assert catalogue.code in listed and "không thấy bảng thành phần hồ sơ" in listed

    response = admin_session.post(url, {"action": "mark_components_reviewed", "_selected_action": [catalogue.pk]},
                                  follow=True)
    assert "Đã đánh dấu 1 thủ tục" in response.content.decode()
    catalogue.refresh_from_db()
    assert not catalogue.components_need_review and catalogue.components_reviewed_at is not None
    assert catalogue.code not in admin_session.get(url, {"ra_soat_thanh_phan": "1"}).content.decode()


def test_the_component_inline_edits_role_condition_case_channel_and_typed_number(admin_session, catalogue):
    text = admin_session.get(_url(Procedure, "change", catalogue.pk)).content.decode()
    for name in ("role", "condition", "case", "channel", "asks_number", "is_required"):
        assert f'name="components-0-{name}"' in text, name


def test_a_component_corrected_in_the_admin_is_remembered_for_the_next_import(superuser, catalogue):
    from types import SimpleNamespace

    from django.contrib import admin
    from django.test import RequestFactory

    from procedures.admin import RequiredComponentInline

    model_admin = admin.site._registry[Procedure]
    request = RequestFactory().post("/")
    request.user = superuser
    inline = RequiredComponentInline(Procedure, admin.site)
    formset_class = inline.get_formset(request, catalogue)
    unbound = formset_class(instance=catalogue)
    data = {f"{unbound.prefix}-{key}": value for key, value in unbound.management_form.initial.items()}
    for form in unbound.forms:
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = value.pk if hasattr(value, "pk") else value
    data[unbound.forms[0].add_prefix("name")] = "Đơn đề nghị (đã sửa)"
    formset = formset_class(data, instance=catalogue)
    assert formset.is_valid(), formset.errors

    model_admin.save_formset(request, SimpleNamespace(instance=catalogue), formset, change=True)

    catalogue.refresh_from_db()
    assert catalogue.components_reviewed_at is not None
    assert catalogue.components.filter(name="Đơn đề nghị (đã sửa)").exists()


def test_unticking_the_review_flag_on_the_change_page_marks_the_components_reviewed(superuser, catalogue):
    from types import SimpleNamespace

    from django.contrib import admin
    from django.test import RequestFactory

    Procedure.objects.filter(pk=catalogue.pk).update(components_need_review=True, components_review_reasons="x")
    catalogue.refresh_from_db()
    catalogue.components_need_review = False
    request = RequestFactory().post("/")
    request.user = superuser
    admin.site._registry[Procedure].save_model(
        request, catalogue, SimpleNamespace(changed_data=["components_need_review"]), change=True
    )
    catalogue.refresh_from_db()
    assert (catalogue.components_need_review, catalogue.components_review_reasons) == (False, "")
    assert catalogue.components_reviewed_at is not None
