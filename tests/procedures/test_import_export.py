import pytest
from django.urls import reverse
from import_export.formats.base_formats import CSV, XLSX

from procedures.models import Agency, FeeItem, Field, Procedure, RequiredComponent
from procedures.resources import CATALOGUE_RESOURCES, ProcedureResource

pytestmark = pytest.mark.django_db

HEADER = ("code,name,field_code,agency_codes,online_level,processing_days,result,legal_basis,conditions,steps,"
          "pay_before_processing,is_active,is_frequent\n")


def _export_all(fmt) -> list:
    """Export every catalogue resource in the given format, as the files a province would hand over."""
    return [fmt.export_data(resource().export()) for resource in CATALOGUE_RESOURCES]


def _import_all(fmt, files) -> None:
    for resource, content in zip(CATALOGUE_RESOURCES, files):
        result = resource().import_data(fmt.create_dataset(content), raise_errors=True)
        assert not result.has_validation_errors(), [r.validation_error for r in result.invalid_rows]


@pytest.mark.parametrize("fmt", [CSV(), XLSX()], ids=["csv", "xlsx"])
def test_export_wipe_import_export_again_gives_the_same_catalogue(catalogue, fmt):
    first = _export_all(fmt)
    Procedure.objects.all().delete()
    Agency.objects.update(parent=None)
    Agency.objects.all().delete()
    Field.objects.all().delete()

    _import_all(fmt, first)

    assert (Procedure.objects.count(), RequiredComponent.objects.count(), FeeItem.objects.count()) == (2, 3, 1)
    again = [CSV().export_data(resource().export()) for resource in CATALOGUE_RESOURCES]
    original = [CSV().export_data(fmt.create_dataset(content)) for content in first]
    assert again == original
    restored = Procedure.objects.get(code="1.001193.000.00.00.H34")
    assert sorted(restored.agencies.values_list("code", flat=True)) == ["000.30.01.H34", "000.00.21.H34"][::-1]
    assert "phuong kon tum" in restored.search_text  # folded from the imported agencies


def test_reimporting_an_edited_file_updates_rows_instead_of_duplicating(catalogue):
    dataset = ProcedureResource().export()
    dataset[0] = tuple("Cấp giấy phép thăm dò nước ngầm" if h == "name" else v
                       for h, v in zip(dataset.headers, dataset[0]))
    result = ProcedureResource().import_data(dataset, raise_errors=True)
    assert Procedure.objects.count() == 2
    assert [row.import_type for row in result.rows].count("update") == 1
    edited = Procedure.objects.get(code=dataset[0][0])
    assert edited.name == "Cấp giấy phép thăm dò nước ngầm" and "nuoc ngam" in edited.search_text


@pytest.mark.parametrize(
    "row, message",
    [
        ("1.000001.000.00.00.H34,Thủ tục mới,KHONGCO,000.00.21.H34,4,5,,,,,0,1,0",
         "Không tìm thấy lĩnh vực có mã “KHONGCO”."),
        ("1.000001.000.00.00.H34,Thủ tục mới,TNN,000.00.21.H34;999.99.99.H99,4,5,,,,,0,1,0",
         "Không tìm thấy cơ quan có mã: 999.99.99.H99."),
        ("ABC,Thủ tục mới,TNN,000.00.21.H34,4,5,,,,,0,1,0", "Mã thủ tục phải theo định dạng quốc gia"),
    ],
    ids=["unknown-field", "unknown-agency", "bad-code"],
)
def test_a_bad_row_is_reported_in_vietnamese_and_nothing_is_written(catalogue, row, message):
    good = "1.000002.000.00.00.H34,Thủ tục hợp lệ,TNN,000.00.21.H34,4,5,,,,,0,1,0"
    dataset = CSV().create_dataset(HEADER + good + "\n" + row + "\n")
    result = ProcedureResource().import_data(dataset)
    assert result.has_validation_errors()
    errors = " ".join(str(m) for r in result.invalid_rows for m in r.error_dict.values())
    assert message in errors
    assert Procedure.objects.count() == 2


def _upload(content: str, name: str = "thu-tuc.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content.encode(), content_type="text/csv")


def test_admin_import_previews_then_writes(admin_session, catalogue):
    url = reverse("admin:procedures_procedure_import")
    row = "1.000003.000.00.00.H34,Cấp giấy phép khai thác cát,TNN,000.00.21.H34;000.30.01.H34,4,7,,,,,1,1,0\n"
    preview = admin_session.post(url, {"format": "0", "import_file": _upload(HEADER + row)})
    assert preview.status_code == 200
    assert not Procedure.objects.filter(code="1.000003.000.00.00.H34").exists()  # a dry run first
    confirm = preview.context["confirm_form"]
    done = admin_session.post(reverse("admin:procedures_procedure_process_import"), confirm.initial)
    assert done.status_code == 302
    created = Procedure.objects.get(code="1.000003.000.00.00.H34")
    assert created.pay_before_processing and created.agencies.count() == 2


def test_admin_import_with_an_unknown_field_shows_the_error_and_writes_nothing(admin_session, catalogue):
    url = reverse("admin:procedures_procedure_import")
    row = "1.000003.000.00.00.H34,Cấp giấy phép khai thác cát,KHONGCO,000.00.21.H34,4,7,,,,,1,1,0\n"
    response = admin_session.post(url, {"format": "0", "import_file": _upload(HEADER + row)})
    assert response.status_code == 200
    assert "Không tìm thấy lĩnh vực có mã “KHONGCO”." in response.content.decode()
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert Procedure.objects.count() == 2


def test_admin_import_of_a_component_for_an_unknown_procedure_is_a_row_error(admin_session, catalogue):
    url = reverse("admin:procedures_requiredcomponent_import")
    content = ("procedure_code,position,name,description,is_required,document_form,accepted_types,max_size_mb\n"
               "9.999999.000.00.00.H34,1,Đơn,,1,original,pdf,10\n")
    response = admin_session.post(url, {"format": "0", "import_file": _upload(content)})
    assert response.status_code == 200
    assert "Không tìm thấy thủ tục có mã “9.999999.000.00.00.H34”." in response.content.decode()
    assert RequiredComponent.objects.count() == 3


def test_admin_export_downloads_an_xlsx_file(admin_session, catalogue):
    response = admin_session.post(
        reverse("admin:procedures_procedure_export"),
        {"format": "1", "resource": "0", **{f"procedureresource_{f}": "on" for f in ProcedureResource._meta.fields}},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    dataset = XLSX().create_dataset(response.content)
    assert "1.004232.000.00.00.H34" in dataset["code"]
