"""Dossier files on S3-compatible object storage (a real server: moto on loopback).

What a citizen notices: the upload is kept, the download works for them and their agency's
clerk and for nobody else, and a download link stops working after a short while.
"""

import re
import time
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from dossiers import uploads
from dossiers.constants import DossierAction, DossierStatus, FileKind, ResultMethod
from dossiers.models import Dossier, DossierFile
from dossiers.services import dossier_move
from tests.support.otp import login_verified

from tests.factories.dossiers import PDF

PUBLIC_GRANTEES = ("http://acs.amazonaws.com/groups/global/AllUsers", "http://acs.amazonaws.com/groups/global/AuthenticatedUsers")


def _fetch(url: str):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), exc.headers


def _wizard_upload(client, build, *, content=PDF, name="Đơn đề nghị cấp phép.pdf"):
    """A citizen starts a dossier and uploads one file per required slot through the wizard's step 2."""
    procedure = build.procedure(components=("Đơn đề nghị",))
    citizen = build.citizen()
    client.force_login(citizen)
    client.get(f"/ho-so/nop/{procedure.code}/")
    draft = Dossier.objects.get(owner=citizen, status=DossierStatus.DRAFT)
    Dossier.objects.filter(pk=draft.pk).update(wizard_step=1)
    component = procedure.components.get()
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client.post(f"/ho-so/soan/{draft.uuid}/buoc-2/", {f"files_{component.pk}": upload, "action": "save"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return draft, DossierFile.objects.get(dossier=draft)


def test_wizard_upload_lands_in_the_private_bucket_under_a_generated_key(client, build, s3_storage):
    draft, stored = _wizard_upload(client, build)

    keys = s3_storage.keys()
    assert keys == [stored.file.name]
    assert re.fullmatch(rf"dossiers/{draft.uuid}/[0-9a-f]{{32}}\.pdf", keys[0])  # nothing the citizen typed
    assert stored.original_name == "Đơn đề nghị cấp phép.pdf"
    body = s3_storage.client.get_object(Bucket=s3_storage.bucket, Key=keys[0])["Body"].read()
    assert body == PDF

    grants = s3_storage.client.get_object_acl(Bucket=s3_storage.bucket, Key=keys[0])["Grants"]
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]
    assert not [g for g in grants if g["Grantee"].get("URI") in PUBLIC_GRANTEES]
    # Without a signature the object is closed to anyone who guesses the address.
    status, _, _ = _fetch(f"{s3_storage.endpoint}/{s3_storage.bucket}/{keys[0]}")
    assert status == 403


def test_owner_download_redirects_to_a_signed_url_that_returns_the_bytes(client, build, s3_storage):
    _, stored = _wizard_upload(client, build)

    response = client.get(stored.get_absolute_url())

    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    url = response["Location"]
    assert url.startswith(f"{s3_storage.endpoint}/{s3_storage.bucket}/dossiers/")  # path-style, MinIO's
    query = parse_qs(urlsplit(url).query)
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"] and query["X-Amz-Expires"] == ["60"]
    status, body, headers = _fetch(url)
    assert status == 200 and body == PDF
    assert headers["Content-Type"] == "application/pdf"
    assert "attachment" in headers["Content-Disposition"] and ".pdf" in headers["Content-Disposition"]


def test_another_citizen_and_another_agencys_clerk_get_404_while_the_agency_clerk_is_redirected(
    client, build, s3_storage
):
    draft, _ = _wizard_upload(client, build)
    dossier = build.dossier(DossierStatus.RECEIVED, procedure=draft.procedure)
    stored = dossier.files.create(
        kind=FileKind.APPLICATION, file=f"dossiers/{dossier.uuid}/x.pdf", original_name="a.pdf", file_type="pdf", size=3
    )

    for intruder in (build.citizen(), build.clerk(build.agency())):
        client.logout()
        (login_verified if intruder.is_staff else type(client).force_login)(client, intruder)
        response = client.get(stored.get_absolute_url())
        assert response.status_code == 404
    client.logout()
    assert client.get(stored.get_absolute_url()).status_code == 404

    login_verified(client, build.clerk(dossier.agency))
    response = client.get(stored.get_absolute_url())
    assert response.status_code == 302 and "X-Amz-Signature=" in response["Location"]


def test_a_signed_url_stops_working_after_its_short_life(client, build, s3_storage):
    s3_storage.configure(AWS_QUERYSTRING_EXPIRE=1)
    _, stored = _wizard_upload(client, build)

    url = client.get(stored.get_absolute_url())["Location"]
    assert parse_qs(urlsplit(url).query)["X-Amz-Expires"] == ["1"]
    assert _fetch(url)[0] == 200
    time.sleep(2)
    status, body, _ = _fetch(url)
    assert status == 403 and b"expired" in body


def test_a_large_upload_is_spooled_to_a_temporary_file_and_stored(client, build, s3_storage, settings, monkeypatch):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
    seen = []
    real_check = uploads.check_upload

    def spy(upload, **kwargs):
        seen.append(type(upload))
        return real_check(upload, **kwargs)

    monkeypatch.setattr(uploads, "check_upload", spy)
    big = PDF.replace(b"\n", b"\n%" + b"0" * (8 * 1024 * 1024) + b"\n", 1)

    _, stored = _wizard_upload(client, build, content=big, name="ban-ve.pdf")

    assert seen == [TemporaryUploadedFile]  # on disk while it arrived, never whole in memory
    head = s3_storage.client.head_object(Bucket=s3_storage.bucket, Key=stored.file.name)
    assert head["ContentLength"] == len(big) == stored.size


def test_result_files_from_staff_go_to_the_bucket_too(build, s3_storage):
    dossier = build.dossier(DossierStatus.PROCESSING, result_method=ResultMethod.ELECTRONIC)
    clerk = build.clerk(dossier.agency)
    checked = uploads.check_upload(
        SimpleUploadedFile("ket-qua.pdf", PDF, content_type="application/pdf"), accepted=["pdf"], max_bytes=10**6
    )

    dossier_move(dossier=dossier, action=DossierAction.FINISH, actor=clerk, files=[checked])

    result = dossier.files.get(kind=FileKind.RESULT)
    assert s3_storage.keys() == [result.file.name]


@pytest.mark.parametrize("storage", ["local", "s3"])
def test_blank_forms_are_downloadable_from_either_storage(client, build, storage, request):
    from django.core.files.base import ContentFile

    if storage == "s3":
        request.getfixturevalue("s3_storage")
    procedure = build.procedure(components=("Tờ khai",))
    component = procedure.components.get()
    component.blank_form.save("to-khai.pdf", ContentFile(PDF))

    response = client.get(reverse("procedures:blank_form", args=[component.pk]))

    if storage == "s3":
        assert response.status_code == 302
        assert _fetch(response["Location"])[1] == PDF
    else:
        assert response.status_code == 200 and b"".join(response.streaming_content) == PDF


def test_links_are_signed_for_the_address_browsers_reach(client, build, s3_storage):
    public = s3_storage.endpoint.replace("127.0.0.1", "localhost")
    s3_storage.configure(AWS_S3_PUBLIC_ENDPOINT_URL=public)
    _, stored = _wizard_upload(client, build)

    url = client.get(stored.get_absolute_url())["Location"]

    assert url.startswith(f"{public}/{s3_storage.bucket}/dossiers/")
    assert _fetch(url)[:2] == (200, PDF)
