"""Resumable uploads (tus 1.0): create, append a part at its offset, assemble, terminate, expire.

The parts live in shared storage (object storage in production, or the folder TUS_CHUNK_DIR), so any web node
answers any request of an upload. The assembled file goes through the dossier's one write path
(dossiers.services.dossier_component_files_add): every check of the plain form's upload applies to it.
"""

import base64
import hashlib
import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers import selectors as dossier_selectors
from dossiers import services as dossier_services
from dossiers import uploads
from dossiers.constants import DossierStatus, FileKind
from dossiers.models import Dossier

from .constants import CHECKSUM_ALGORITHMS, READ_CHUNK, TusState
from .models import TusChunk, TusUpload

logger = logging.getLogger(__name__)


class TusError(Exception):
    """A request the protocol answers with `status`; the message is for the citizen."""

    def __init__(self, status: int, message: str = ""):
        super().__init__(message)
        self.status, self.message = status, message


def chunk_storage():
    """Where parts live: a shared folder when TUS_CHUNK_DIR is set, else the default storage (S3 in production)."""
    if settings.TUS_CHUNK_DIR:
        return FileSystemStorage(location=settings.TUS_CHUNK_DIR)
    return default_storage


def max_upload_bytes() -> int:
    return uploads.max_file_bytes()


@dataclass(frozen=True)
class Checksum:
    algorithm: str
    digest: bytes


def checksum_parse(header: str) -> Checksum | None:
    """`Upload-Checksum: sha1 <base64>`; an unknown algorithm or bad encoding is the client's error (400)."""
    if not header:
        return None
    algorithm, _sep, encoded = header.strip().partition(" ")
    if algorithm not in CHECKSUM_ALGORITHMS:
        raise TusError(400, "unsupported checksum algorithm")
    try:
        return Checksum(algorithm, base64.b64decode(encoded.strip(), validate=True))
    except (ValueError, TypeError):
        raise TusError(400, "bad checksum encoding") from None


def _active(user):
    return TusUpload.objects.filter(owner=user, state=TusState.RECEIVING, expires_at__gt=timezone.now())


def _refuse_name(*, component, filename: str, length: int) -> None:
    """What the bytes cannot change is refused before the first byte: the declared type, the size."""
    name = uploads.clean_filename(filename)
    stem, dot, ext = name.rpartition(".")
    accepted = {a.lower() for a in component.accepted_type_list}
    if "jpg" in accepted:
        accepted.add("jpeg")
    if not dot or ext.lower() not in uploads.DECLARED or ext.lower() not in accepted:
        raise TusError(415, _("Tệp “%(name)s” không đúng định dạng cho phép (%(types)s).")
                       % {"name": name, "types": ", ".join(component.accepted_type_list)})
    limit = uploads.max_file_bytes(component)
    if length > limit:
        raise TusError(413, _("Tệp “%(name)s” vượt quá dung lượng cho phép (%(mb)s MB).")
                       % {"name": name, "mb": limit // 2**20 or 1})


def tus_upload_create(*, user, dossier_uuid, component_id, filename: str, length: int) -> TusUpload:
    """Open an upload for one component of the user's own draft, within the per-user count of open uploads."""
    try:
        dossier = dossier_selectors.dossier_draft_for_owner(user=user, uuid=dossier_uuid)
    except (Dossier.DoesNotExist, ValidationError, ValueError):
        raise TusError(404) from None
    if dossier.status != DossierStatus.DRAFT:
        raise TusError(403, _("Hồ sơ đã được nộp, không thể sửa."))
    asked = dossier_selectors.dossier_asked(dossier=dossier)
    component = next((c for c in asked.upload_slots if str(c.pk) == str(component_id)), None)
    if component is None:
        raise TusError(404)
    if length <= 0:
        raise TusError(400, _("Tệp “%(name)s” rỗng.") % {"name": uploads.clean_filename(filename)})
    _refuse_name(component=component, filename=filename, length=length)
    max_files = settings.DOSSIER_MAX_FILES_PER_COMPONENT
    if dossier.files.filter(component=component, kind=FileKind.APPLICATION).count() >= max_files:
        # Said before the first byte; the count is checked again under the dossier's lock when the file is stored.
        raise TusError(422, _("Mỗi thành phần chỉ được tối đa %(n)s tệp.") % {"n": max_files})
    with transaction.atomic():
        get_user_model().objects.select_for_update().get(pk=user.pk)  # parallel creations count one after another
        if _active(user).count() >= settings.TUS_MAX_OPEN_PER_USER:
            raise TusError(429, _("Bạn đang có quá nhiều tệp tải dở; vui lòng chờ các tệp đó xong hoặc hủy bớt."))
        return TusUpload.objects.create(
            owner=user, dossier=dossier, component=component, filename=uploads.clean_filename(filename),
            length=length, expires_at=timezone.now() + timedelta(hours=settings.TUS_EXPIRE_HOURS),
        )


def tus_upload_for_owner(*, user, uuid_) -> TusUpload:
    upload = TusUpload.objects.filter(owner=user, uuid=uuid_).select_related("dossier", "component").first()
    if upload is None:
        raise TusError(404)
    if upload.expires_at <= timezone.now() or upload.dossier is None or upload.component is None:
        raise TusError(410)
    return upload


def _receive(stream, length: int, checksum: Checksum | None):
    """Copy up to `length` bytes of the body to a temporary file, READ_CHUNK at a time (memory stays bounded).
    Return the file and how many bytes came: fewer when the connection dropped."""
    spool = TemporaryUploadedFile("part", "application/octet-stream", length, None)
    hasher = hashlib.new(checksum.algorithm) if checksum else None
    received = 0
    try:
        while received < length:
            piece = stream.read(min(READ_CHUNK, length - received))
            if not piece:
                break
            spool.write(piece)
            if hasher:
                hasher.update(piece)
            received += len(piece)
    except OSError:  # the client went away mid-body: keep what arrived
        logger.info("tus body cut after %s of %s bytes", received, length)
    if checksum and (received < length or hasher.digest() != checksum.digest):
        spool.close()
        raise TusError(460 if received == length else 400, "checksum mismatch")
    spool.seek(0)
    return spool, received


def tus_chunk_append(*, upload: TusUpload, offset: int, stream, length: int, checksum: Checksum | None) -> int:
    """Store the bytes at `offset` as one part; only one of two parallel PATCHes at an offset wins (409 for the
    other). A body cut short keeps its first bytes (the client resumes from HEAD's offset). Return the new offset."""
    if upload.state != TusState.RECEIVING:
        raise TusError(403 if upload.state in (TusState.STORED, TusState.REFUSED) else 409)
    if offset != upload.offset:
        raise TusError(409)
    if length > settings.TUS_CHUNK_MAX_BYTES or offset + length > upload.length:
        raise TusError(413)
    spool, received = _receive(stream, length, checksum)
    if received == 0:
        spool.close()
        return offset
    storage = chunk_storage()
    try:
        name = storage.save(f"tus/{upload.uuid.hex}/{offset:013d}-{uuid.uuid4().hex[:8]}", File(spool))
    finally:
        spool.close()
    try:
        with transaction.atomic():
            moved = TusUpload.objects.filter(pk=upload.pk, offset=offset, state=TusState.RECEIVING).update(
                offset=offset + received
            )
            if not moved:
                raise TusError(409)
            TusChunk.objects.create(upload=upload, offset=offset, size=received, name=name)
    except BaseException:
        _delete_quietly(storage, [name])
        raise
    upload.offset = offset + received
    return upload.offset


def _assemble(upload: TusUpload) -> TemporaryUploadedFile:
    """Concatenate the parts into one temporary file, READ_CHUNK at a time (never the whole file in memory)."""
    storage = chunk_storage()
    assembled = TemporaryUploadedFile(upload.filename, "application/octet-stream", upload.length, None)
    expected = 0
    for chunk in upload.chunks.order_by("offset"):
        if chunk.offset != expected:
            raise TusError(500, "parts do not follow each other")
        with storage.open(chunk.name, "rb") as part:
            while piece := part.read(READ_CHUNK):
                assembled.write(piece)
        expected += chunk.size
    if expected != upload.length:
        raise TusError(500, "parts do not add up")
    assembled.flush()
    assembled.seek(0)
    return assembled


def tus_upload_finish(*, upload: TusUpload):
    """The last byte arrived: assemble and hand the file to the dossier's one write path, with all its checks.
    Return the stored DossierFile; a refusal raises TusError(422) with the citizen's message."""
    if not TusUpload.objects.filter(pk=upload.pk, state=TusState.RECEIVING, offset=upload.length).update(
        state=TusState.ASSEMBLING
    ):
        raise TusError(409)
    assembled = _assemble(upload)
    try:
        stored = dossier_services.dossier_component_files_add(
            dossier=upload.dossier, component=upload.component, uploads_list=[assembled], user=upload.owner,
            max_files=settings.DOSSIER_MAX_FILES_PER_COMPONENT,
        )
    except ValidationError as exc:
        refusal = " ".join(exc.messages)
        TusUpload.objects.filter(pk=upload.pk).update(state=TusState.REFUSED, refusal=refusal)
        raise TusError(422, refusal) from None
    finally:
        assembled.close()
        _chunks_delete(upload)
    TusUpload.objects.filter(pk=upload.pk).update(state=TusState.STORED, stored_file=stored[0])
    return stored[0]


def _delete_quietly(storage, names) -> None:
    for name in names:
        try:
            storage.delete(name)
        except Exception:  # an orphan part is harmless; the sweep must go on
            logger.exception("could not delete tus part %s", name)


def _chunks_delete(upload: TusUpload) -> None:
    names = list(upload.chunks.values_list("name", flat=True))
    upload.chunks.all().delete()
    _delete_quietly(chunk_storage(), names)


def tus_upload_terminate(*, upload: TusUpload) -> None:
    """DELETE: the client gives the upload up; its parts go with it."""
    _chunks_delete(upload)
    upload.delete()


def tus_uploads_expire() -> int:
    """Delete uploads past their Upload-Expires, with their parts (the beat's tus-uploads-expire)."""
    count = 0
    for upload in TusUpload.objects.filter(expires_at__lte=timezone.now()).iterator():
        _chunks_delete(upload)
        upload.delete()
        count += 1
    return count


