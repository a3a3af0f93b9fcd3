"""Importing the national procedures database: the real 2 642 detail records and the Excel list export."""

import csv
import gzip
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook

from procedures.imports import ImportOutcome, procedures_import, records_from_file
from procedures.models import Procedure, ProcedureChannel, RequiredComponent

from .conftest import make_catalogue
from .national_data import data_dir

pytestmark = pytest.mark.django_db


def real_records() -> list[tuple[int, dict]]:
    content = (data_dir() / "tthc_all.jsonl.gz").read_bytes()
    return list(records_from_file("tthc_all.jsonl.gz", content))


def list_export_workbook(rows: list[dict]) -> bytes:
    """The portal's list export as it comes: a title block in row 1, the header in row 2, data from row 3."""
    book = Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH THỦ TỤC HÀNH CHÍNH"])
    sheet.merge_cells("A1:F1")
    sheet.append(["STT", "Mã số", "Tên", "Cơ quan ban hành", "Cơ quan thực hiện", "Lĩnh vực"])
    for number, row in enumerate(rows, start=1):
        sheet.append([number, row["ma_thu_tuc"], row["ten_thu_tuc"], row["co_quan_ban_hanh"],
                      row["co_quan_thuc_hien_list"].replace(" | ", "\n"), row["linh_vuc"]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def sample_rows() -> list[dict]:
    with open(data_dir() / "tthc_sample_180.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_the_real_catalogue_imports_and_a_second_import_changes_nothing():
    records = real_records()
    assert len(records) == 2642

    report = procedures_import(records=records)
    assert (report.count(ImportOutcome.CREATED), report.count(ImportOutcome.REFUSED)) == (2642, 0)
    assert Procedure.objects.count() == 2642
    birth = Procedure.objects.get(national_code="1.001193")
    assert birth.code == "1.001193.000.00.00.H34" and birth.name == "Thủ tục đăng ký khai sinh"
    assert birth.levels == ",xa," and birth.field.name == "Hộ tịch"
    assert birth.channels.exists() and birth.components.exists()
    assert ProcedureChannel.objects.count() > 6000 and RequiredComponent.objects.count() > 10000

    again = procedures_import(records=records)
    assert again.count(ImportOutcome.UNCHANGED) == 2642, again.summary
    assert Procedure.objects.count() == 2642


def test_a_newer_record_updates_in_place_and_keeps_the_components_files_point_at():
    records = real_records()[:50]
    procedures_import(records=records)
    number, first = records[0]
    procedure = Procedure.objects.get(national_code=first["ma_thu_tuc"])
    kept = list(procedure.components.values_list("pk", flat=True))

    changed = {**first, "ten_thu_tuc": first["ten_thu_tuc"] + " (sửa đổi)",
               "cach_thuc_thuc_hien": "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến7 Ngày làm việc50,000 VNĐ"}
    report = procedures_import(records=[(number, changed)])

    assert [(r.code, r.outcome) for r in report.rows] == [(first["ma_thu_tuc"], ImportOutcome.UPDATED)]
    procedure.refresh_from_db()
    assert procedure.name.endswith("(sửa đổi)") and "sua doi" in procedure.name_folded
    assert [(c.channel, c.time_display, c.fee_amount) for c in procedure.channels.all()] == [
        ("online", "7 Ngày làm việc", 50_000)
    ]
    assert procedure.processing_days == 7
    assert list(procedure.components.values_list("pk", flat=True)) == kept


def test_refused_rows_are_reported_with_their_reason_and_the_rest_imports():
    good = {"ma_thu_tuc": "1.001193", "ten_thu_tuc": "Thủ tục đăng ký khai sinh", "linh_vuc": "Hộ tịch",
            "cap_thuc_hien": "Cấp xã"}
    content = "\n".join([
        json.dumps(good, ensure_ascii=False),
        json.dumps({**good, "ma_thu_tuc": "1.0011"}, ensure_ascii=False),
        "{not json",
        json.dumps({**good, "ten_thu_tuc": ""}, ensure_ascii=False),
        json.dumps(good, ensure_ascii=False),
    ]).encode()

    report = procedures_import(records=records_from_file("list.jsonl.gz", gzip.compress(content)))

    assert [(r.row, r.outcome) for r in report.rows] == [
        (1, ImportOutcome.CREATED), (2, ImportOutcome.REFUSED), (3, ImportOutcome.REFUSED),
        (4, ImportOutcome.REFUSED), (5, ImportOutcome.REFUSED),
    ]
    messages = [r.message for r in report.rows]
    assert "không đúng dạng mã quốc gia" in messages[1]
    assert "JSON" in messages[2]
    assert "Thiếu tên" in messages[3]
    assert "đã có ở dòng 1" in messages[4]
    assert Procedure.objects.filter(national_code="1.001193").count() == 1


def test_the_list_export_imports_from_its_third_row():
    rows = sample_rows()
    assert len(rows) == 180
    report = procedures_import(records=records_from_file("danh-sach-tthc.xlsx", list_export_workbook(rows)))

    assert report.count(ImportOutcome.CREATED) == 180, report.summary
    assert min(r.row for r in report.rows) == 3  # the spreadsheet row a person sees
    first = Procedure.objects.get(national_code=rows[0]["ma_thu_tuc"])
    assert first.name == rows[0]["ten_thu_tuc"] and first.field.name == rows[0]["linh_vuc"]
    assert first.implementing_text == rows[0]["co_quan_thuc_hien_list"].replace(" | ", "\n")


def test_the_csv_sample_brings_its_channels_and_levels():
    with open(data_dir() / "tthc_sample_180.csv", "rb") as f:
        report = procedures_import(records=records_from_file("tthc_sample_180.csv", f.read()))
    assert report.count(ImportOutcome.CREATED) == 180
    customs = Procedure.objects.get(national_code="1.000115")
    assert customs.levels == ",xa," and customs.result_documents == [{"name": "", "code": "KQ.G12.000334"}]
    assert [(c.channel, c.time_display, c.time_unit, c.fee_amount) for c in customs.channels.all()] == [
        ("counter", "1", "", 0)  # "1" with no unit, as the source gives it
    ]


def test_the_demo_procedures_keep_their_code_and_page_after_the_real_import(client):
    make_catalogue()
    procedures_import(records=real_records())
    water = Procedure.objects.get(code="1.004232.000.00.00.H34")
    assert Procedure.objects.filter(national_code="1.004232").count() == 1
    assert water.channels.exists()  # the national record completed it

    response = client.get("/thu-tuc/1.004232.000.00.00.H34/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Cách thức thực hiện" in text and "Trực tuyến" in text

    response = client.get("/thu-tuc/1.004232/")
    assert (response.status_code, response["Location"]) == (301, "/thu-tuc/1.004232.000.00.00.H34/")


def test_the_management_command_reports_every_row(tmp_path):
    path = tmp_path / "list.xlsx"
    path.write_bytes(list_export_workbook(sample_rows()[:5]))
    out = io.StringIO()
    call_command("import_national_procedures", str(path), stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 6 and all("Tạo mới" in line for line in lines[:5])
    assert lines[-1].startswith("5 tạo mới, 0 cập nhật, 0 không đổi, 0 bị từ chối")


def test_the_admin_imports_an_upload_and_shows_the_report(admin_session):
    rows = sample_rows()[:3]
    upload = io.BytesIO(list_export_workbook(rows))
    upload.name = "danh-sach.xlsx"
    url = reverse("admin:procedures_procedure_national_import")

    response = admin_session.post(url, {"file": upload})

    assert response.status_code == 200
    text = response.content.decode()
    assert "3 tạo mới, 0 cập nhật, 0 không đổi, 0 bị từ chối" in text
    assert all(row["ma_thu_tuc"] in text for row in rows)
    assert Procedure.objects.count() == 3


def test_the_admin_refuses_a_file_it_cannot_read(admin_session):
    upload = io.BytesIO(b"PK not really a workbook")
    upload.name = "danh-sach.xlsx"
    response = admin_session.post(reverse("admin:procedures_procedure_national_import"), {"file": upload})
    assert response.status_code == 200
    assert "Không đọc được tệp" in response.content.decode()
    assert Procedure.objects.count() == 0


def test_a_clerk_without_the_right_to_add_cannot_import(client, db):
    from accounts.models import User
    from tests.support.otp import login_verified

    clerk = User.objects.create_user("canbo@example.com", "mat-khau-dai-123", is_staff=True, is_active=True)
    login_verified(client, clerk)
    response = client.get(reverse("admin:procedures_procedure_national_import"))
    assert response.status_code == 403


BIRTH = "1.001193"


def _birth_record() -> tuple[int, dict]:
    return next((n, r) for n, r in real_records() if r["ma_thu_tuc"] == BIRTH)


def test_birth_registration_asks_a_handful_of_uploads_and_the_identity_paper_is_shown_not_uploaded():
    from procedures.components import cases_of, lightest_mandatory_uploads

    procedures_import(records=[_birth_record()])
    birth = Procedure.objects.get(national_code=BIRTH)
    components = list(birth.components.all())
    assert 2 <= lightest_mandatory_uploads(components) <= 4 and cases_of(components) == []
    identity = next(c for c in components if c.name.startswith("Hộ chiếu/Thẻ căn cước"))
    assert (identity.role, identity.asks_number) == ("show", True)
    abandoned = next(c for c in components if "bị bỏ rơi" in c.name)
    assert (abandoned.role, abandoned.condition) == ("upload", "Trường hợp trẻ em bị bỏ rơi")
    assert not birth.components_need_review


def test_a_reimport_keeps_the_operators_corrections_and_review_until_the_national_text_changes():
    from procedures.services import procedure_components_mark_reviewed

    number, record = _birth_record()
    procedures_import(records=[(number, record)])
    birth = Procedure.objects.get(national_code=BIRTH)
    certificate = birth.components.get(name__startswith="Giấy chứng sinh")
    certificate.name = "Giấy chứng sinh (bản chụp rõ nét)"
    certificate.save()
    Procedure.objects.filter(pk=birth.pk).update(components_need_review=True, components_review_reasons="thử")
    procedure_components_mark_reviewed(procedure_ids=[birth.pk])

    again = procedures_import(records=[(number, record)])
    assert again.rows[0].outcome == ImportOutcome.UNCHANGED
    birth.refresh_from_db()
    certificate.refresh_from_db()
    assert certificate.name == "Giấy chứng sinh (bản chụp rõ nét)" and not birth.components_need_review

    changed = {**record, "thanh_phan_ho_so": record["thanh_phan_ho_so"] + "- Ảnh của trẻ1 bản chính"}
    report = procedures_import(records=[(number, changed)])
    assert report.rows[0].outcome == ImportOutcome.UPDATED
    birth.refresh_from_db()
    assert birth.components_need_review and "đã đổi sau lần rà soát" in birth.components_review_reasons
    assert birth.components.filter(name="Ảnh của trẻ").exists()
    assert not RequiredComponent.objects.filter(pk=certificate.pk).exists()  # the text's own line is back


def test_a_doubtful_text_flags_the_procedure_with_its_reasons():
    record = {"ma_thu_tuc": "1.999001", "ten_thu_tuc": "Thủ tục thử", "linh_vuc": "Hộ tịch",
              "thanh_phan_ho_so": "Đơn đề nghị và các giấy tờ liên quan."}
    procedures_import(records=[(1, record)])
    procedure = Procedure.objects.get(national_code="1.999001")
    assert procedure.components_need_review and "không thấy bảng" in procedure.components_review_reasons
    assert [c.role for c in procedure.components.all()] == ["note"]
