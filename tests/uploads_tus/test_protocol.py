"""/tai-len/ speaks tus 1.0 (core, creation, checksum, expiration, termination) to a client written from the
spec (tuspy) and to requests made by hand from the protocol's text; the assembled file passes every check of the
plain upload and lands in the draft through the same service."""

import base64
import hashlib
import json
import os
import random
import threading
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from django.utils import timezone
from tusclient import client as tus_client

from dossiers.models import DossierFile
from uploads_tus import tasks
from uploads_tus.constants import TusState
from uploads_tus.models import TusChunk, TusUpload

from tests.factories.dossiers import padded_pdf
from tests.uploads_tus.conftest import CuttingProxy, create, patch, signed_in_headers

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


def _pdf(size: int, seed: int = 1) -> bytes:
    return padded_pdf(random.Random(seed).randbytes(size).replace(b"\n", b" ").replace(b"\r", b" "))


def _tus(world, url=None, **options):
    client = tus_client.TusClient(url or world.url, headers={**world.headers})
    return client


def _uploader(world, data: bytes, filename: str, url=None, **options):
    import io

    return _tus(world, url).uploader(
        file_stream=io.BytesIO(data), chunk_size=options.pop("chunk_size", 256 * 1024),
        metadata={"dossier": str(world.draft.uuid), "component": str(world.component.pk), "filename": filename},
        **options,
    )


def test_options_advertise_the_version_the_extensions_and_the_limits(world, settings):
    answer = requests.options(world.url, timeout=10)
    assert answer.status_code == 204
    assert answer.headers["Tus-Resumable"] == "1.0.0"
    assert answer.headers["Tus-Version"] == "1.0.0"
    assert set(answer.headers["Tus-Extension"].split(",")) == {"creation", "checksum", "expiration", "termination"}
    assert int(answer.headers["Tus-Max-Size"]) == settings.DOSSIER_MAX_FILE_MB * 2**20
    assert "sha1" in answer.headers["Tus-Checksum-Algorithm"].split(",")


def test_tuspy_uploads_a_file_into_the_draft_with_checksums(world):
    data = _pdf(700_000)
    uploader = _uploader(world, data, "đơn đề nghị.pdf", upload_checksum=True)
    uploader.upload()
    stored = DossierFile.objects.get(dossier=world.draft, component=world.component)
    assert stored.original_name == "đơn đề nghị.pdf"
    assert stored.sha256 == hashlib.sha256(data).hexdigest() and stored.size == len(data)
    with stored.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == hashlib.sha256(data).hexdigest()
    upload = TusUpload.objects.get()
    assert upload.state == TusState.STORED and upload.stored_file == stored
    assert not TusChunk.objects.exists()  # the parts are gone once the file is stored


def test_head_patch_offsets_conflict_checksum_and_content_type(world):
    data = _pdf(50_000, seed=2)
    created = create(world, length=len(data))
    assert created.status_code == 201 and created.headers["Tus-Resumable"] == "1.0.0"
    assert "Upload-Expires" in created.headers
    location = created.headers["Location"]
    head = requests.head(location, headers={**world.headers, "Tus-Resumable": "1.0.0"}, timeout=10)
    assert head.status_code == 200 and head.headers["Upload-Offset"] == "0"
    assert head.headers["Upload-Length"] == str(len(data)) and head.headers["Cache-Control"] == "no-store"
    assert patch(world, location, data[:1000], offset=0).headers["Upload-Offset"] == "1000"
    assert patch(world, location, data[1000:2000], offset=0).status_code == 409  # not where the upload stands
    assert patch(world, location, data[1000:2000], offset=1000, **{"Content-Type": "text/plain"}).status_code == 415
    wrong = base64.b64encode(hashlib.sha1(b"other bytes").digest()).decode()
    assert patch(world, location, data[1000:], offset=1000, **{"Upload-Checksum": f"sha1 {wrong}"}).status_code == 460
    assert patch(world, location, data[1000:], offset=1000, **{"Upload-Checksum": "crc99 AAAA"}).status_code == 400
    right = base64.b64encode(hashlib.sha1(data[1000:]).digest()).decode()
    done = patch(world, location, data[1000:], offset=1000, **{"Upload-Checksum": f"sha1 {right}"})
    assert done.status_code == 204 and done.headers["Upload-Offset"] == str(len(data))
    assert DossierFile.objects.get(dossier=world.draft).sha256 == hashlib.sha256(data).hexdigest()


def test_without_the_tus_header_the_session_or_the_csrf_token_nothing_is_created(world):
    no_tus = requests.post(world.url, headers={**world.headers, "Upload-Length": "10"}, timeout=10)
    assert no_tus.status_code == 412 and no_tus.headers["Tus-Version"] == "1.0.0"
    assert create(world, length=10, headers={}).status_code in (401, 403)
    no_csrf = {"Cookie": world.headers["Cookie"]}  # a cross-site form carries the cookie but cannot set the header
    assert create(world, length=10, headers=no_csrf).status_code == 403
    assert not TusUpload.objects.exists()


def test_only_the_owner_reaches_an_upload(world):
    location = create(world, length=5000).headers["Location"]
    stranger = world.build.citizen(full_name="Người khác")
    other = {**signed_in_headers(stranger), "Tus-Resumable": "1.0.0"}
    assert requests.head(location, headers=other, timeout=10).status_code == 404
    assert requests.delete(location, headers=other, timeout=10).status_code == 404
    assert create(world, length=5000, headers=signed_in_headers(stranger)).status_code == 404  # not their dossier


def test_type_size_and_open_uploads_are_bounded_before_the_first_byte(world, settings):
    assert create(world, length=1000, filename="virus.exe").status_code == 415
    assert create(world, length=settings.DOSSIER_MAX_FILE_MB * 2**20 + 1).status_code == 413
    settings.TUS_MAX_OPEN_PER_USER = 2
    assert create(world, length=10).status_code == 201
    assert create(world, length=10).status_code == 201
    third = create(world, length=10)
    assert third.status_code == 429 and "quá nhiều tệp tải dở" in third.text
    settings.TUS_CHUNK_MAX_BYTES = 1000
    location = create(world, length=5000, component=world.procedure.components.last())
    assert location.status_code == 429  # still two open


def test_a_patch_body_is_bounded(world, settings):
    settings.TUS_CHUNK_MAX_BYTES = 1000
    location = create(world, length=5000).headers["Location"]
    assert patch(world, location, b"x" * 1001, offset=0).status_code == 413
    assert patch(world, location, b"x" * 1000, offset=0).status_code == 204


def test_termination_removes_the_upload_and_its_parts(world, settings):
    location = create(world, length=5000).headers["Location"]
    patch(world, location, b"%PDF-1.4\n" + b"x" * 991, offset=0)
    names = list(TusChunk.objects.values_list("name", flat=True))
    assert names and all((Path(settings.MEDIA_ROOT) / n).exists() for n in names)
    assert requests.delete(location, headers={**world.headers, "Tus-Resumable": "1.0.0"}, timeout=10).status_code == 204
    assert requests.head(location, headers={**world.headers, "Tus-Resumable": "1.0.0"}, timeout=10).status_code == 404
    assert not any((Path(settings.MEDIA_ROOT) / n).exists() for n in names)


def test_an_expired_upload_is_gone_and_the_beat_task_deletes_its_parts(world, settings):
    location = create(world, length=5000).headers["Location"]
    patch(world, location, b"%PDF-1.4\n" + b"x" * 991, offset=0)
    names = list(TusChunk.objects.values_list("name", flat=True))
    TusUpload.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert requests.head(location, headers={**world.headers, "Tus-Resumable": "1.0.0"}, timeout=10).status_code == 410
    assert tasks.tus_uploads_expire() == 1
    assert not TusUpload.objects.exists() and not any((Path(settings.MEDIA_ROOT) / n).exists() for n in names)


def test_the_assembled_file_meets_every_check_of_the_plain_upload(world):
    fake = b"MZ" + b"\x00" * 5000  # a program named .pdf: the content decides
    location = create(world, length=len(fake), filename="don.pdf").headers["Location"]
    refused = patch(world, location, fake, offset=0)
    assert refused.status_code == 422 and "không phải là tệp PDF thật" in refused.text
    assert TusUpload.objects.get().state == TusState.REFUSED and not DossierFile.objects.exists()
    data = _pdf(20_000, seed=3)
    _uploader(world, data, "lan-1.pdf").upload()
    twice = create(world, length=len(data), filename="lan-2.pdf").headers["Location"]
    again = patch(world, twice, data, offset=0)
    assert again.status_code == 422 and "trùng nội dung" in again.text
    assert DossierFile.objects.count() == 1


def test_the_count_per_component_holds_under_parallel_final_patches(world, settings):
    settings.DOSSIER_MAX_FILES_PER_COMPONENT = 2
    files = [_pdf(30_000, seed=10 + n) for n in range(4)]
    locations = []
    for n, data in enumerate(files):
        location = create(world, length=len(data), filename=f"tep-{n}.pdf").headers["Location"]
        patch(world, location, data[:-1], offset=0)
        locations.append(location)
    answers = []

    def last_byte(location, data):
        answers.append(patch(world, location, data[-1:], offset=len(data) - 1).status_code)

    threads = [threading.Thread(target=last_byte, args=pair) for pair in zip(locations, files)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(answers) == [204, 204, 422, 422]
    assert DossierFile.objects.filter(component=world.component).count() == 2
    full = create(world, length=1000, filename="tep-5.pdf")
    assert full.status_code == 422 and "tối đa 2 tệp" in full.text  # said before the first byte


@pytest.mark.postgres
def test_parts_live_in_the_object_storage_every_node_reads(world, s3_storage):
    data = _pdf(300_000, seed=4)
    location = create(world, length=len(data)).headers["Location"]
    patch(world, location, data[:100_000], offset=0)
    upload = TusUpload.objects.get()
    assert [k for k in s3_storage.keys() if k.startswith(f"tus/{upload.uuid.hex}/")]
    patch(world, location, data[100_000:], offset=100_000)
    keys = s3_storage.keys()
    assert not [k for k in keys if k.startswith("tus/")]
    assert DossierFile.objects.get().file.name in keys


def test_cut_connections_resume_and_end_with_the_exact_bytes(world):
    """The proxy drops connections after random numbers of bytes; tuspy asks HEAD for the offset and resumes."""
    seed = int(os.environ.get("TUS_CUT_SEED", random.randrange(10**6)))
    rng = random.Random(seed)
    data = _pdf(3 * 2**20, seed=seed)
    budgets = [rng.randint(200, 256 * 1024) for _ in range(12)]  # within one PATCH (a 256 KB part)
    proxy = CuttingProxy(world.live_server.thread.port, budgets)
    try:
        url = f"http://127.0.0.1:{proxy.port}/tai-len/"
        uploader = _uploader(world, data, "ban-quet.pdf", url=url, retries=40, retry_delay=0)
        for _attempt in range(40):  # the creation itself may be cut: create again, as a page would
            try:
                uploader.upload()
                break
            except Exception:  # noqa: BLE001 - tuspy raises its own errors and requests' on a cut POST
                if uploader.url is None:
                    continue
                raise
    finally:
        proxy.close()
    stored = DossierFile.objects.get(dossier=world.draft)
    with stored.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == hashlib.sha256(data).hexdigest()
    result = {"seed": seed, "bytes": len(data), "cuts": len(proxy.cuts), "cut_after_bytes": proxy.cuts,
              "resumes_by_head": proxy.methods.count("HEAD"), "patches": proxy.methods.count("PATCH"),
              "posts": proxy.methods.count("POST"), "bytes_through_proxy": proxy.bytes_forwarded,
              "sha256": stored.sha256}
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "tus_cut_connections.json").write_text(json.dumps(result, indent=1))
    assert len(proxy.cuts) == len(budgets) and proxy.methods.count("HEAD") >= len(budgets)


def test_a_draft_deleted_meanwhile_leaves_its_parts_to_the_expiry_sweep(world, settings):
    location = create(world, length=5000).headers["Location"]
    patch(world, location, b"%PDF-1.4\n" + b"x" * 991, offset=0)
    names = list(TusChunk.objects.values_list("name", flat=True))
    world.draft.delete()
    assert requests.head(location, headers={**world.headers, "Tus-Resumable": "1.0.0"}, timeout=10).status_code == 410
    TusUpload.objects.update(expires_at=timezone.now())
    assert tasks.tus_uploads_expire() == 1
    assert not any((Path(settings.MEDIA_ROOT) / n).exists() for n in names)
