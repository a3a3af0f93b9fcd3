"""A 200 MB file is received part by part and assembled with bounded memory (tracemalloc's peak of the process)."""

import hashlib
import io
import json
import random
import tracemalloc
from pathlib import Path

from django.conf import settings

from dossiers import services as dossier_services
from dossiers.models import DossierFile
from uploads_tus import services

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a .doc: the checks read its head only, as for any 200 MB scan


def test_a_200_mb_file_is_assembled_with_bounded_memory(build, settings):
    settings.DOSSIER_MAX_FILE_MB, settings.DOSSIER_MAX_TOTAL_MB = 210, 250
    citizen = build.citizen(full_name="Giàng Thị Mai")
    procedure = build.procedure(components=("Bản vẽ thiết kế",))
    component = procedure.components.get()
    component.accepted_types, component.max_size_mb = "doc,pdf", 210
    component.save()
    draft = dossier_services.dossier_draft_get_or_create(user=citizen, procedure=procedure)
    part, length = settings.TUS_CHUNK_MAX_BYTES, 200 * 2**20
    upload = services.tus_upload_create(user=citizen, dossier_uuid=draft.uuid, component_id=component.pk,
                                        filename="ban-ve.doc", length=length)
    hasher, rng = hashlib.sha256(), random.Random(7)
    tracemalloc.start()
    offset = 0
    while offset < length:
        body = (OLE2 if offset == 0 else b"") + rng.randbytes(min(part, length - offset) - (8 if offset == 0 else 0))
        hasher.update(body)
        offset = services.tus_chunk_append(upload=upload, offset=offset, stream=io.BytesIO(body), length=len(body),
                                           checksum=None)
        del body
    _, receive_peak = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    stored = services.tus_upload_finish(upload=upload)
    _, assemble_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert stored.size == length and stored.sha256 == hasher.hexdigest()
    assert DossierFile.objects.get(pk=stored.pk).file.size == length
    figures = {"bytes": length, "part_bytes": part, "receive_peak_bytes (incl. the test's own 8 MB part)": receive_peak,
               "assemble_check_store_peak_bytes": assemble_peak}
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "tus_memory_200mb.json").write_text(json.dumps(figures, indent=1))
    assert assemble_peak < 4 * 2**20  # assembling, checking, hashing and storing 200 MB holds a few pieces of 64 KB
