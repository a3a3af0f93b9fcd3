import pytest

from procedures.constants import AgencyLevel, DocumentForm, FeeKind
from django import forms
from django.db.models import Model
from django.urls import reverse

from procedures.models import Agency, FeeItem, Field, Procedure, RequiredComponent
from procedures.services import catalogue_rows_saved
from tests.support.otp import login_verified


def make_catalogue() -> Procedure:
    """A small catalogue: two agencies, two fields, two procedures with components and fees."""
    dnre = Agency.objects.create(
        code="000.00.21.H34", name="Sở Tài nguyên và Môi trường", address="Số 15 Lê Hồng Phong", phone="0260.3864125",
        bank_account_name="Sở Tài nguyên và Môi trường", bank_account_number="3511.0.1053211", bank_name="KBNN",
    )
    ward = Agency.objects.create(
        code="000.30.01.H34", name="Ủy ban nhân dân phường Kon Tum", level=AgencyLevel.COMMUNE, parent=dnre
    )
    water = Field.objects.create(code="TNN", name="Lĩnh vực Tài nguyên nước")
    civil = Field.objects.create(code="HT", name="Hộ tịch")
    procedure = Procedure.objects.create(
        code="1.004232.000.00.00.H34",
        name="Cấp giấy phép thăm dò nước dưới đất đối với công trình có lưu lượng dưới 3.000m³/ngày đêm",
        field=water, processing_days=23, result="Giấy phép", legal_basis="Luật Tài nguyên nước 2023",
        conditions="Có đề án", steps="Bước 1: nộp hồ sơ\nBước 2: thẩm định", pay_before_processing=True,
        is_frequent=True,
    )
    procedure.agencies.set([dnre])
    RequiredComponent.objects.create(procedure=procedure, position=1, name="Đơn đề nghị (Mẫu 01)",
                                     description="Có chữ ký", accepted_types="pdf,docx", max_size_mb=10)
    RequiredComponent.objects.create(procedure=procedure, position=2, name="Đề án thăm dò",
                                     document_form=DocumentForm.COPY)
    FeeItem.objects.create(procedure=procedure, kind=FeeKind.FEE, name="Phí thẩm định đề án", amount=1_100_000,
                           note="Nghị quyết 58/2016")
    birth = Procedure.objects.create(code="1.001193.000.00.00.H34", name="Đăng ký khai sinh", field=civil,
                                     online_level=3, processing_days=1)
    birth.agencies.set([ward, dnre])
    RequiredComponent.objects.create(procedure=birth, name="Tờ khai đăng ký khai sinh")
    catalogue_rows_saved(model=Procedure, pks=[procedure.pk, birth.pk])  # as the admin does: agencies searchable
    return procedure


@pytest.fixture
def catalogue(db) -> Procedure:
    return make_catalogue()


@pytest.fixture
def superuser(db):
    from accounts.models import User

    return User.objects.create_superuser("quantri@example.com", "mat-khau-dai-123")


@pytest.fixture
def admin_session(client, superuser):
    login_verified(client, superuser)
    return client


def procedure_change_data(page, procedure: Procedure) -> dict:
    """The admin's change form of `procedure` as `page` shows it, with its inlines, ready to be posted back."""
    data = {name: value for name, value in page.context["adminform"].form.initial.items()
            if value is not None and name != "agencies"}
    data.update(agencies=list(procedure.agencies.values_list("pk", flat=True)), field=procedure.field_id)
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        data.update({f"{management.prefix}-{k}": v for k, v in management.initial.items()})
        for sub in formset.formset.forms:
            data.update({f"{sub.prefix}-{k}": v for k, v in sub.initial.items() if v is not None and k != "blank_form"})
            data[f"{sub.prefix}-id"] = sub.instance.pk
            data[f"{sub.prefix}-procedure"] = procedure.pk
    return data


def _posted(value):
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, (list, tuple)) or hasattr(value, "all"):
        return [_posted(item) for item in (value.all() if hasattr(value, "all") else value)]
    return value


def admin_form_data(page) -> dict:
    """An admin add or change form as `page` shows it, with its inlines, ready to be posted back."""
    form = page.context["adminform"].form
    data = {name: _posted(form.initial.get(name, field.initial)) for name, field in form.fields.items()
            if not isinstance(field, forms.FileField)}
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        data.update({f"{management.prefix}-{k}": v for k, v in management.initial.items()})
        for sub in formset.formset.forms:
            data.update({f"{sub.prefix}-{k}": _posted(v) for k, v in sub.initial.items()
                         if not isinstance(sub.fields.get(k), forms.FileField)})
            data[f"{sub.prefix}-id"] = sub.instance.pk
    return {name: value for name, value in data.items() if value is not None}


def admin_url(model, view, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def admin_save(session, obj, **values):
    """Change `obj` through its admin change form, as an operator does; return the response."""
    page = session.get(admin_url(type(obj), "change", obj.pk))
    response = session.post(admin_url(type(obj), "change", obj.pk), {**admin_form_data(page), **values})
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    return response


def admin_add(session, model, **values):
    page = session.get(admin_url(model, "add"))
    response = session.post(admin_url(model, "add"), {**admin_form_data(page), **values})
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    return model.objects.order_by("-pk").first()


def admin_delete(session, obj):
    response = session.post(admin_url(type(obj), "delete", obj.pk), {"post": "yes"})
    assert response.status_code == 302
