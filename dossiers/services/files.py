"""A dossier's files: stored once checked (uploads.py), never twice the same bytes, within the counts and sizes."""

import logging
import os
from functools import partial

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from common.events import DOSSIER_EDITED
from signatures.verify import pdf_has_signatures, pdf_verify

from .. import uploads
from ..constants import (
    DossierStatus,
    FileKind,
)
from ..models import Dossier, DossierFile

logger = logging.getLogger(__name__)



def dossier_total_size(*, dossier: Dossier) -> int:
    return dossier.files.aggregate(total=Sum("size"))["total"] or 0


def dossier_files_store(*, dossier: Dossier, checked, kind: str, user, component=None, event=None) -> list[DossierFile]:
    """Store checked uploads under generated names. The caller holds the dossier's row lock, so the total
    checked here cannot be passed by a parallel upload; an object stored before a failure is removed again."""
    checked = list(checked)
    if dossier_total_size(dossier=dossier) + sum(c.size for c in checked) > uploads.max_total_bytes():
        raise ValidationError(
            _("Tổng dung lượng hồ sơ vượt quá %(mb)s MB."), params={"mb": uploads.max_total_bytes() // 2**20}, code="total"
        )
    stored, names = [], []
    try:
        for item in checked:
            names.append(
                default_storage.save(uploads.storage_name(dossier_uuid=dossier.uuid, extension=item.extension), item.upload)
            )
            stored.append(
                DossierFile.objects.create(
                    dossier=dossier,
                    component=component,
                    event=event,
                    kind=kind,
                    file=names[-1],
                    original_name=item.original_name,
                    file_type=item.extension,
                    size=item.size,
                    sha256=item.sha256,
                    uploaded_by=user,
                )
            )
    except BaseException:
        storage_delete_quietly(names, fresh=True)
        raise
    _signatures_check_later(stored, checked)
    return stored


def _signatures_check_later(stored: list[DossierFile], checked) -> None:
    """Queue the verification of each signed PDF once stored: out of the request and of the dossier's lock, as
    reading a PDF's objects (which the upload checks never do) is left to a worker with a time limit."""
    from celery import current_app

    task = current_app.tasks["dossiers.tasks.dossier_file_signatures_check"]  # by name: tasks imports services
    for dossier_file, item in zip(stored, checked):
        if item.extension != "pdf":
            continue
        item.upload.seek(0)
        signed = pdf_has_signatures(item.upload.read())
        item.upload.seek(0)
        if signed:
            transaction.on_commit(partial(task.delay, file_id=dossier_file.pk))


def dossier_file_signatures_check(*, file_id: int) -> dict | None:
    """Verify the signatures of a stored PDF and keep the result on the file (the clerk sees it in the admin)."""
    from django.conf import settings
    from django.utils import timezone

    dossier_file = DossierFile.objects.filter(pk=file_id).first()
    if dossier_file is None:  # deleted since (the citizen changed their mind)
        return None
    with dossier_file.file.open("rb") as handle:
        data = handle.read(settings.SIGNATURES_VERIFY_MAX_BYTES + 1)
    if len(data) > settings.SIGNATURES_VERIFY_MAX_BYTES:
        result = {"error": _("Tệp quá lớn để kiểm tra chữ ký số."), "signatures": []}
    else:
        found = pdf_verify(data=data, timeout=settings.SIGNATURES_UPLOAD_VERIFY_TIMEOUT)
        result = {"error": str(found.error), "signatures": [s.as_json() for s in found.signatures]}
    result["checked_at"] = timezone.now().isoformat()
    DossierFile.objects.filter(pk=file_id).update(signature_check=result)
    return result


def _refuse_duplicates(*, dossier: Dossier, checked) -> None:
    """The same bytes twice in one dossier are pointed out, naming the file already there."""
    seen = {}
    for item in checked:
        if item.sha256 in seen:
            raise ValidationError(
                _("Tệp “%(name)s” trùng nội dung với tệp “%(other)s” vừa chọn; mỗi giấy tờ chỉ cần tải lên một lần."),
                params={"name": item.original_name, "other": seen[item.sha256]}, code="duplicate",
            )
        seen[item.sha256] = item.original_name
    existing = (
        DossierFile.objects.filter(dossier=dossier, kind=FileKind.APPLICATION, sha256__in=list(seen))
        .select_related("component").order_by("id").first()
    )
    if existing is not None:
        duplicate = next(item for item in checked if item.sha256 == existing.sha256)
        raise ValidationError(
            _("Tệp “%(name)s” trùng nội dung với tệp “%(other)s” đã có trong hồ sơ (%(component)s); "
            "mỗi giấy tờ chỉ cần tải lên một lần."),
            params={"name": duplicate.original_name, "other": existing.original_name,
                    "component": existing.component.name if existing.component else _("tệp đính kèm")},
            code="duplicate",
        )


def _refuse_too_many(count: int, max_files: int) -> None:
    if count > max_files:
        raise ValidationError(_("Mỗi thành phần chỉ được tối đa %(n)s tệp."), params={"n": max_files}, code="too_many")


def dossier_component_files_add(*, dossier: Dossier, component, uploads_list, user, max_files: int) -> list[DossierFile]:
    """Step 2: add files to one component slot of a draft.

    The content checks run first, without the lock (they read whole files); the slot's count, the dossier's
    total and the duplicates are then checked again under the dossier's row lock, right before writing."""
    if dossier.status != DossierStatus.DRAFT:
        raise ValidationError(_("Hồ sơ đã được nộp, không thể sửa."), code="not_draft")
    _refuse_too_many(dossier.files.filter(component=component, kind=FileKind.APPLICATION).count() + len(uploads_list), max_files)
    checked = [
        uploads.check_upload(u, accepted=component.accepted_type_list, max_bytes=uploads.max_file_bytes(component))
        for u in uploads_list
    ]
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if locked.status != DossierStatus.DRAFT:
            raise ValidationError(_("Hồ sơ đã được nộp, không thể sửa."), code="not_draft")
        _refuse_too_many(locked.files.filter(component=component, kind=FileKind.APPLICATION).count() + len(checked), max_files)
        _refuse_duplicates(dossier=locked, checked=checked)
        stored = dossier_files_store(
            dossier=locked, checked=checked, kind=FileKind.APPLICATION, user=user, component=component
        )
        DOSSIER_EDITED.emit(dossier=locked)
    return stored


def dossier_file_delete(*, dossier_file: DossierFile) -> None:
    """Remove a file from a draft (the citizen changed their mind)."""
    if dossier_file.dossier.status != DossierStatus.DRAFT:
        raise ValidationError(_("Hồ sơ đã được nộp, không thể xóa tệp."), code="not_draft")
    name = dossier_file.file.name
    with transaction.atomic():
        dossier_file.delete()
        DOSSIER_EDITED.emit(dossier=dossier_file.dossier)
    transaction.on_commit(lambda: storage_delete_quietly([name]))


def dossier_component_file_reference(
    *, dossier: Dossier, component, user, stored, max_files: int
) -> DossierFile:
    """Step 2: fill a component with a file already stored (a paper from the citizen's wallet): the same checks
    as an upload's (draft, count, total, same bytes twice) under the dossier's row lock, no bytes written.

    `stored` carries name, original_name, file_type, size and sha256 of the stored object, which the dossier file
    points at: deleting the file later leaves the object (storage_delete_quietly keeps what is still referenced)."""
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if locked.status != DossierStatus.DRAFT:
            raise ValidationError(_("Hồ sơ đã được nộp, không thể sửa."), code="not_draft")
        if stored.file_type not in component.accepted_type_list:
            raise ValidationError(
                _("Thành phần này chỉ nhận tệp %(types)s."), params={"types": component.accepted_types}, code="type"
            )
        if stored.size > uploads.max_file_bytes(component):
            raise ValidationError(_("Tệp vượt quá dung lượng cho phép của thành phần này."), code="size")
        _refuse_too_many(locked.files.filter(component=component, kind=FileKind.APPLICATION).count() + 1, max_files)
        _refuse_duplicates(dossier=locked, checked=[stored])
        if dossier_total_size(dossier=locked) + stored.size > uploads.max_total_bytes():
            raise ValidationError(
                _("Tổng dung lượng hồ sơ vượt quá %(mb)s MB."), params={"mb": uploads.max_total_bytes() // 2**20},
                code="total",
            )
        dossier_file = DossierFile.objects.create(
            dossier=locked, component=component, kind=FileKind.APPLICATION, file=stored.name,
            original_name=stored.original_name, file_type=stored.file_type, size=stored.size,
            sha256=stored.sha256, uploaded_by=user,
        )
        DOSSIER_EDITED.emit(dossier=locked)
    return dossier_file


def dossier_result_files_check(*, files) -> list:
    """Check result files uploaded by staff (same content checks as the citizen's)."""
    return [uploads.check_upload(f, accepted=list(uploads.DECLARED), max_bytes=uploads.max_file_bytes()) for f in files]


def supplement_max_files() -> int:
    from django.conf import settings

    return settings.DOSSIER_MAX_FILES_PER_COMPONENT


def storage_delete_quietly(names: list[str], *, fresh: bool = False) -> None:
    """Delete stored objects no dossier file points at any more; shared objects (uploads.SHARED_PREFIX) are left to
    their keeper (the wallet). `fresh`: objects a failed write has just stored under new names, which nothing can
    point at; asked no question of the database, whose transaction may be the one that failed."""
    for name in names:
        if name.startswith(uploads.SHARED_PREFIX) or (not fresh and DossierFile.objects.filter(file=name).exists()):
            continue
        try:
            default_storage.delete(name)
        except Exception:  # an orphan object is harmless; a failed sweep must not undo the rows
            logger.exception("could not delete stored file %s", name)
            continue
        try:  # local storage: drop the draft's folder once it is empty (object storage has none)
            os.rmdir(os.path.dirname(default_storage.path(name)))
        except (NotImplementedError, OSError):
            pass
