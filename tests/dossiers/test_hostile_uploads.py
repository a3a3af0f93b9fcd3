"""Hostile files built in code: each is refused with a message next to its slot, nothing is kept, and
checking it grows the process by a bounded amount (peak RSS measured in a fresh subprocess)."""

import io
import json
import os
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dossiers.models import Dossier, DossierFile

from tests.factories.dossiers import PDF, jpeg_bytes

MB = 1024 * 1024
CONTENT_TYPES = (
    b'<Types><Override ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    b"</Types>"
)
ROOT = Path(__file__).resolve().parents[2]


def _zeros_member(archive, name, size):
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w") as member:
        chunk = b"\0" * MB
        for _ in range(size // MB):
            member.write(chunk)


def zip_bomb(inflated=400 * MB, member="[Content_Types].xml") -> bytes:
    """About 400 KB on the wire, 400 MB once inflated, in the one member the type check reads."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        if member != "[Content_Types].xml":
            archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        _zeros_member(archive, member, inflated)
    return buffer.getvalue()


def lying_zip_bomb() -> bytes:
    """The central directory says 1 KB, the member's deflate stream inflates to 100 MB."""
    data = bytearray(zip_bomb(inflated=100 * MB))
    central = data.rfind(b"PK\x01\x02")
    assert struct.unpack("<I", data[central + 24 : central + 28]) == (100 * MB,)
    data[central + 24 : central + 28] = struct.pack("<I", 1024)
    return bytes(data)


def nested_zip() -> bytes:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("inner.zip", b"PK\x03\x04" + b"\0" * 1000)
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/embeddings/bang.xlsx", inner.getvalue())
    return outer.getvalue()


def many_members(count=5000) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        for n in range(count):
            archive.writestr(f"word/m{n}.xml", b"")
    return buffer.getvalue()


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_bomb(side=20000) -> bytes:
    """A real grayscale PNG, side x side pixels of black: 400 MB decoded from a few hundred KB."""
    row = b"\0" * (side + 1)
    compressor, parts = zlib.compressobj(9), []
    for _ in range(side):
        parts.append(compressor.compress(row))
    parts.append(compressor.flush())
    ihdr = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", b"".join(parts)) + _png_chunk(b"IEND", b"")


def jpeg_huge(width=60000, height=60000) -> bytes:
    """A small real JPEG whose frame header claims 60000 x 60000 pixels."""
    data = bytearray(jpeg_bytes())
    at = data.index(b"\xff\xc0")
    data[at + 5 : at + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def docx_ok() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", "<w:document>" + "<w:p/>" * 5000 + "</w:document>")
    return buffer.getvalue()


HOSTILE = {
    "docx 400 KB inflating to 400 MB": ("bom.docx", zip_bomb, "giãn nở quá lớn"),
    "docx whose header lies about the inflated size": ("noi-doi.docx", lying_zip_bomb, "không phải là tệp DOCX"),
    "docx with a big member elsewhere": ("phu.docx", lambda: zip_bomb(member="word/media/a.bin"), "giãn nở quá lớn"),
    "docx with a zip nested in an embedded zip": ("long.docx", nested_zip, "tệp nén lồng"),
    "docx with 5000 members": ("nhieu.docx", many_members, "quá nhiều thành phần"),
    "png 20000 x 20000": ("anh.png", png_bomb, "kích thước điểm ảnh quá lớn"),
    "jpeg claiming 60000 x 60000": ("anh.jpg", jpeg_huge, "kích thước điểm ảnh quá lớn"),
    "pdf cut before its end": ("cut.pdf", lambda: PDF[:-7] + b"\0" * 2000, "không đầy đủ"),
}


@pytest.fixture(scope="module")
def hostile_files():
    return {case: (name, make()) for case, (name, make, _) in HOSTILE.items()}


@pytest.fixture
def draft(build, client):
    procedure = build.procedure(components=("Tờ khai",))
    component = procedure.components.get()
    component.accepted_types = "pdf,docx,png,jpg"
    component.save()
    client.force_login(build.citizen())
    client.get(f"/ho-so/nop/{procedure.code}/")
    dossier = Dossier.objects.get(procedure=procedure)
    client.post(
        f"/ho-so/soan/{dossier.uuid}/buoc-1/",
        {"applicant_name": "Trần Văn An", "applicant_identity": "062301009999", "applicant_phone": "0905123456",
         "applicant_email": "an@example.vn", "applicant_address": "45 Phan Đình Phùng",
         "applicant_province_code": 51, "applicant_commune_code": 23293},
    )
    return dossier, component


@pytest.mark.parametrize("case", HOSTILE, ids=str)
def test_hostile_file_is_refused_next_to_its_slot_and_nothing_is_kept(client, draft, settings, tmp_path, hostile_files, case):
    settings.DOSSIER_MAX_FILE_MB = 20
    dossier, component = draft
    name, content = hostile_files[case]
    response = client.post(
        f"/ho-so/soan/{dossier.uuid}/buoc-2/",
        {f"files_{component.pk}": SimpleUploadedFile(name, content), "action": "upload"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert HOSTILE[case][2] in page and name in page
    assert not DossierFile.objects.exists()
    media = tmp_path / "media"
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_ordinary_office_files_and_images_still_pass(client, draft):
    dossier, component = draft
    files = [
        SimpleUploadedFile("to-khai.docx", docx_ok()),
        SimpleUploadedFile("anh.jpg", jpeg_bytes((3000, 4000))),
        SimpleUploadedFile("don.pdf", PDF),
    ]
    response = client.post(f"/ho-so/soan/{dossier.uuid}/buoc-2/", {f"files_{component.pk}": files, "action": "upload"})
    assert response.status_code == 302
    assert sorted(dossier.files.values_list("file_type", flat=True)) == ["docx", "jpg", "pdf"]


def test_a_docx_embedding_a_workbook_passes(client, draft):
    workbook = io.BytesIO()
    with zipfile.ZipFile(workbook, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types>spreadsheetml</Types>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    document = io.BytesIO()
    with zipfile.ZipFile(document, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/embeddings/Microsoft_Excel_Worksheet.xlsx", workbook.getvalue())
    dossier, component = draft
    response = client.post(
        f"/ho-so/soan/{dossier.uuid}/buoc-2/",
        {f"files_{component.pk}": SimpleUploadedFile("bieu-do.docx", document.getvalue()), "action": "upload"},
    )
    assert response.status_code == 302 and dossier.files.count() == 1


MEASURE = """
import json, resource, sys
import django
django.setup()
from django.core.exceptions import ValidationError
from django.core.files import File
from dossiers import uploads
path, name = sys.argv[1], sys.argv[2]
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
with open(path, "rb") as handle:
    upload = File(handle, name=name)
    try:
        uploads.check_upload(upload, accepted=["pdf", "docx", "png", "jpg"], max_bytes=50 * 1024 * 1024)
        outcome = "accepted"
    except ValidationError as exc:
        outcome = exc.code
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"growth_kb": after - before, "outcome": outcome}))
"""


@pytest.mark.parametrize("case", HOSTILE, ids=str)
def test_checking_a_hostile_file_grows_the_process_by_a_bounded_amount(tmp_path, hostile_files, case):
    name, content = hostile_files[case]
    path = tmp_path / name
    path.write_bytes(content)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path), name], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout.strip().splitlines()[-1])
    print(case, result)
    assert result["outcome"] != "accepted"
    assert result["growth_kb"] < 40 * 1024, result  # the 400 MB bomb used to grow the process by ~790 MB


def test_the_same_bytes_twice_in_one_dossier_are_pointed_out(client, build, citizen_draft):
    dossier, first, second = citizen_draft
    url = f"/ho-so/soan/{dossier.uuid}/buoc-2/"
    assert client.post(url, {f"files_{first.pk}": SimpleUploadedFile("cccd.pdf", PDF), "action": "upload"}).status_code == 302
    again = client.post(url, {f"files_{second.pk}": SimpleUploadedFile("ban-sao.pdf", PDF), "action": "upload"})
    assert again.status_code == 400
    assert "Tệp “ban-sao.pdf” trùng nội dung với tệp “cccd.pdf” đã có trong hồ sơ (Giấy tờ tùy thân)" in again.content.decode()
    twice = client.post(url, {f"files_{second.pk}": [SimpleUploadedFile("a.pdf", PDF + b"\n"), SimpleUploadedFile("b.pdf", PDF + b"\n")]})
    assert "Tệp “b.pdf” trùng nội dung với tệp “a.pdf” vừa chọn" in twice.content.decode()
    assert list(dossier.files.values_list("original_name", flat=True)) == ["cccd.pdf"]
    assert len(dossier.files.get().sha256) == 64


def test_a_failure_while_writing_removes_the_objects_already_stored(client, citizen_draft, monkeypatch, tmp_path):
    dossier, first, _ = citizen_draft
    real_create, calls = DossierFile.objects.create, []

    def fail_second(**kwargs):
        calls.append(kwargs["original_name"])
        if len(calls) == 2:
            raise RuntimeError("database gone")
        return real_create(**kwargs)

    monkeypatch.setattr(DossierFile.objects, "create", fail_second)
    client.raise_request_exception = False
    files = [SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.pdf", PDF + b"\n")]
    assert client.post(f"/ho-so/soan/{dossier.uuid}/buoc-2/", {f"files_{first.pk}": files}).status_code == 500
    assert calls == ["a.pdf", "b.pdf"] and not DossierFile.objects.exists()
    media = tmp_path / "media"
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


@pytest.fixture
def citizen_draft(build, client):
    procedure = build.procedure(components=("Giấy tờ tùy thân", "Đơn đề nghị"))
    first, second = procedure.components.order_by("position", "pk")
    client.force_login(build.citizen())
    client.get(f"/ho-so/nop/{procedure.code}/")
    dossier = Dossier.objects.get(procedure=procedure)
    dossier.wizard_step = 1
    dossier.save(update_fields=["wizard_step"])
    return dossier, first, second
