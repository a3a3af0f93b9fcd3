"""A client reads a dossier with its files, moves it through the admin's one write path, attaches result files
with the admin's upload checks, and repeats a POST safely with its Idempotency-Key."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dossiers.constants import DossierStatus, FileKind
from dossiers.models import Dossier, DossierEvent, DossierFile
from procedures.constants import StaffRole
from tests.factories.dossiers import pdf_upload

from .conftest import bearer, client_make

pytestmark = pytest.mark.django_db


def test_a_dossier_is_read_with_its_files_and_their_download_links(client, build, procedure, writer):
    dossier = build.dossier(DossierStatus.RECEIVED, procedure=procedure)
    upload = pdf_upload()
    stored = DossierFile.objects.create(dossier=dossier, kind=FileKind.APPLICATION, original_name="đơn đề nghị.pdf",
                                        file=upload, size=upload.size, file_type="pdf")
    _client, key = writer
    body = client.get(f"/api/v1/dossiers/{dossier.code}", **bearer(key)).json()
    assert body["code"] == dossier.code and body["status"] == 2 and body["status_label"] == "Được tiếp nhận"
    assert body["applicant"]["name"] == dossier.applicant_name
    assert set(body["allowed_actions"]) >= {"start", "request_supplement", "stop"}
    [listed] = body["files"]
    assert listed["name"] == "đơn đề nghị.pdf" and listed["size"] == stored.size
    link = listed["download_url"]
    assert link.startswith("http://testserver/api/v1/dossiers/")
    response = client.get(link.removeprefix("http://testserver"), **bearer(key))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(link.removeprefix("http://testserver")).status_code == 401  # the link needs the key


def test_a_move_goes_through_the_workflow_with_the_clients_account(client, build, procedure, writer):
    dossier = build.dossier(DossierStatus.SUBMITTED, procedure=procedure)
    api_client, key = writer
    response = client.post(f"/api/v1/dossiers/{dossier.code}/moves", {"action": "receive"}, **bearer(key))
    assert response.status_code == 200, response.content
    assert response.json()["status"] == DossierStatus.RECEIVED
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RECEIVED and dossier.due_date is not None  # the admin's effects too
    event = DossierEvent.objects.get(dossier=dossier)
    assert (event.action, event.actor_id) == ("receive", api_client.account_id)


def test_a_move_outside_the_table_or_the_accounts_roles_is_refused(client, build, agency, procedure):
    _clerk, key = client_make(build, agency, roles=(StaffRole.PROCESS,))
    dossier = build.dossier(DossierStatus.SUBMITTED, procedure=procedure)
    response = client.post(f"/api/v1/dossiers/{dossier.code}/moves", {"action": "receive"}, **bearer(key))
    assert response.status_code == 409 and response["Content-Type"] == "application/problem+json"
    assert "không có quyền" in response.json()["detail"]
    response = client.post(f"/api/v1/dossiers/{dossier.code}/moves", {"action": "finish"}, **bearer(key))
    assert response.status_code == 409 and "Không thể" in response.json()["detail"]
    assert client.post(f"/api/v1/dossiers/{dossier.code}/moves", {"action": "fly"}, **bearer(key)).status_code == 422
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.SUBMITTED


def test_a_refusal_needs_its_reason_as_in_the_admin(client, build, procedure, writer):
    dossier = build.dossier(DossierStatus.SUBMITTED, procedure=procedure)
    _client, key = writer
    response = client.post(f"/api/v1/dossiers/{dossier.code}/moves", {"action": "refuse"}, **bearer(key))
    assert response.status_code == 422 and response.json()["errors"] == ["Vui lòng nhập lý do hoặc nội dung."]
    response = client.post(f"/api/v1/dossiers/{dossier.code}/moves", {"action": "refuse", "note": "Sai thủ tục"},
                           **bearer(key))
    assert response.status_code == 200 and response.json()["events"][-1]["note"] == "Sai thủ tục"


def test_finishing_needs_result_files_checked_as_the_admins(client, build, procedure, writer):
    dossier = build.dossier(DossierStatus.PROCESSING, procedure=procedure)
    _client, key = writer
    path = f"/api/v1/dossiers/{dossier.code}/moves"
    assert client.post(path, {"action": "finish"}, **bearer(key)).status_code == 422
    fake = SimpleUploadedFile("ket-qua.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(path, {"action": "finish", "files": [fake]}, **bearer(key))
    assert response.status_code == 422 and Dossier.objects.get(pk=dossier.pk).status == DossierStatus.PROCESSING
    response = client.post(path, {"action": "finish", "files": [pdf_upload("ket-qua.pdf")]}, **bearer(key))
    assert response.status_code == 200, response.content
    assert [f["kind"] for f in response.json()["files"]] == ["result"]
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.DONE


def test_result_files_are_attached_with_the_upload_checks(client, build, procedure, writer):
    dossier = build.dossier(DossierStatus.PROCESSING, procedure=procedure)
    _client, key = writer
    path = f"/api/v1/dossiers/{dossier.code}/results"
    fake = SimpleUploadedFile("ket-qua.pdf", b"not a pdf at all", content_type="application/pdf")
    response = client.post(path, {"files": [fake]}, **bearer(key))
    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
    response = client.post(path, {"files": [pdf_upload("giay-phep.pdf")]}, **bearer(key))
    assert response.status_code == 201, response.content
    assert [(f["name"], f["kind"]) for f in response.json()["files"]] == [("giay-phep.pdf", "result")]
    submitted = build.dossier(DossierStatus.SUBMITTED, procedure=procedure)
    response = client.post(f"/api/v1/dossiers/{submitted.code}/results", {"files": [pdf_upload()]}, **bearer(key))
    assert response.status_code == 422 and not DossierFile.objects.filter(dossier=submitted).exists()


def test_a_repeated_post_with_its_idempotency_key_moves_once(client, build, procedure, writer):
    dossier = build.dossier(DossierStatus.SUBMITTED, procedure=procedure)
    _client, key = writer
    path = f"/api/v1/dossiers/{dossier.code}/moves"
    headers = {**bearer(key), "HTTP_IDEMPOTENCY_KEY": "move-0001-receive"}
    first = client.post(path, {"action": "receive"}, **headers)
    again = client.post(path, {"action": "receive"}, **headers)
    assert first.status_code == again.status_code == 200
    assert again.json()["status"] == DossierStatus.RECEIVED
    assert DossierEvent.objects.filter(dossier=dossier).count() == 1
    # Without the key the same move is a second request, refused by the table (already received).
    assert client.post(path, {"action": "receive"}, **bearer(key)).status_code == 409
    bad = client.post(path, {"action": "start"}, **{**bearer(key), "HTTP_IDEMPOTENCY_KEY": "no"})
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"
    other = build.dossier(DossierStatus.SUBMITTED, procedure=procedure)
    reused = client.post(f"/api/v1/dossiers/{other.code}/moves", {"action": "receive"}, **headers)
    assert reused.status_code == 422 and Dossier.objects.get(pk=other.pk).status == DossierStatus.SUBMITTED


def test_a_refused_post_frees_its_key_for_a_retry(client, build, procedure, writer):
    dossier = build.dossier(DossierStatus.SUBMITTED, procedure=procedure)
    _client, key = writer
    path = f"/api/v1/dossiers/{dossier.code}/moves"
    headers = {**bearer(key), "HTTP_IDEMPOTENCY_KEY": "refuse-0001"}
    assert client.post(path, {"action": "refuse"}, **headers).status_code == 422  # no reason given
    response = client.post(path, {"action": "refuse", "note": "Thiếu giấy tờ"}, **headers)
    assert response.status_code == 200 and response.json()["status"] == DossierStatus.REFUSED
