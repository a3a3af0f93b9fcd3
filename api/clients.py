"""What a system client (an agency's sector software) does with its agencies' dossiers, with its own key."""

import mimetypes
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from audit.constants import AccessKind
from audit.services import access_record
from common.downloads import stored_file_response
from dossiers.constants import DossierAction
from dossiers.models import Dossier, DossierFile
from dossiers.services import dossier_move
from dossiers.uploads import CONTENT_TYPES
from dossiers.workflow import MoveNotAllowed, allowed_actions

from . import selectors, services
from .auth import ClientKey
from .idempotent import once
from .problems import Problem
from .schemas import ChangesOut, DossierOut
from .shape import dossier_state, problem_responses

router = Router(tags=["clients"])
READ_ERRORS = problem_responses(401, 404, 422, 429)
WRITE_ERRORS = problem_responses(400, 401, 403, 404, 409, 422, 429)


class ChangesIn(Schema):
    cursor: str = Field("", pattern=r"^([0-9]{1,18}\.[0-9]{1,18})?$")  # as the last answer gave it; "" from the start
    limit: int = Field(100, ge=1, le=1000)  # at most API_CHANGES_PAGE_SIZE are given


def _dossier_or_404(request, code: str) -> Dossier:
    if "\x00" in code:
        raise Problem("not-found", _("Không tìm thấy hồ sơ"))
    try:
        return selectors.client_dossier(client=request.auth, code=code)
    except Dossier.DoesNotExist:
        raise Problem("not-found", _("Không tìm thấy hồ sơ"))  # another agency's too: nothing to learn from it


def _changed(request, dossier: Dossier) -> dict:
    url = request.build_absolute_uri(reverse("api-v1:dossier_read", args=[dossier.code]))
    return {**dossier_state(dossier), "updated_at": dossier.updated_at, "url": url}


def _dossier_out(request, dossier: Dossier) -> dict:
    files = [{"uuid": f.uuid, "name": f.original_name, "kind": f.kind, "file_type": f.file_type, "size": f.size,
              "sha256": f.sha256, "created_at": f.created_at,
              "download_url": request.build_absolute_uri(reverse("api-v1:dossier_file", args=[dossier.code, f.uuid]))}
             for f in dossier.files.order_by("created_at", "id")]
    events = [{"action": e.action, "action_label": str(e.action_label), "from_status": e.from_status,
               "to_status": e.to_status, "at": e.created_at, "note": e.note}
              for e in dossier.events.order_by("created_at", "id")]
    applicant = {"name": dossier.applicant_name, "identity": dossier.applicant_identity,
                 "phone": dossier.applicant_phone, "email": dossier.applicant_email,
                 "address": dossier.applicant_full_address}
    return {**_changed(request, dossier), "applicant": applicant, "is_online": dossier.is_online,
            "result_method": dossier.result_method, "postal_tracking": dossier.postal_tracking,
            "fee_total": dossier.fee_total, "payment_status": dossier.payment_status, "files": files, "events": events,
            "allowed_actions": allowed_actions(dossier=dossier, actor=request.user)}


@router.get("/dossiers/changes", operation_id="listDossierChanges", auth=ClientKey("dossier_changes"),
            response={200: ChangesOut, **problem_responses(400, 401, 422, 429)},
            summary="Hồ sơ thay đổi sau con trỏ (Dossiers changed since a cursor)")
def dossier_changes(request, params: Query[ChangesIn]):
    """The client's agencies' dossiers changed after `cursor`, oldest change first; give back the answer's cursor.

    No change is skipped and none given twice under concurrent writes: only changes of finished transactions are
    listed, in the order of their transactions. A dossier changed again later comes again, with its new state."""
    try:
        after = selectors.Cursor.parse(params.cursor)
    except ValueError:
        raise Problem("bad-request", _("Con trỏ không hợp lệ."))
    limit = max(1, min(params.limit, settings.API_CHANGES_PAGE_SIZE))
    page = selectors.dossier_changes(client=request.auth, after=after, limit=limit)
    access_record(request=request, kind=AccessKind.API, ref=f"changes {after} → {page.cursor}")
    return {"cursor": str(page.cursor), "dossiers": [_changed(request, d) for d in page.dossiers]}


@router.get("/dossiers/{code}", operation_id="getDossier", auth=ClientKey("dossier_read"),
            response={200: DossierOut, **READ_ERRORS}, url_name="dossier_read",
            summary="Đọc một hồ sơ (Read a dossier)")
def dossier_read(request, code: str):
    """The dossier with its applicant, its steps, its files' metadata and download links, and the moves allowed."""
    dossier = _dossier_or_404(request, code)
    access_record(request=request, kind=AccessKind.DOSSIER, ref=dossier.code)
    return _dossier_out(request, dossier)


@router.get("/dossiers/{code}/files/{uuid}", operation_id="downloadDossierFile", auth=ClientKey("dossier_file"),
            response={200: None, **READ_ERRORS}, url_name="dossier_file",
            summary="Tải một tệp của hồ sơ (Download a file)")
def dossier_file(request, code: str, uuid: UUID):
    """The file's bytes (or, on object storage, a redirect to a short-lived signed address)."""
    dossier = _dossier_or_404(request, code)
    dossier_file = DossierFile.objects.filter(dossier=dossier, uuid=uuid).first()
    if dossier_file is None:
        raise Problem("not-found", _("Không tìm thấy tệp"))
    access_record(request=request, kind=AccessKind.FILE, ref=str(dossier_file.uuid))
    content_type = CONTENT_TYPES.get(dossier_file.file_type) or mimetypes.guess_type(dossier_file.original_name)[0]
    return stored_file_response(name=dossier_file.file.name, filename=dossier_file.original_name,
                                content_type=content_type or "application/octet-stream")


def _refused(exc: Exception) -> Problem:
    if isinstance(exc, MoveNotAllowed):
        return Problem("move-refused", str(exc))
    return Problem("invalid", " ".join(exc.messages), errors=exc.messages)


@router.post("/dossiers/{code}/moves", operation_id="moveDossier", auth=ClientKey("dossier_move_post"),
             response={200: DossierOut, **WRITE_ERRORS},
             summary="Chuyển bước hồ sơ (Move a dossier)")
def dossier_move_post(request, code: str, action: Form[DossierAction], note: Form[str] = "",
                      due_date: Form[str] = "", postal_tracking: Form[str] = "",
                      files: File[list[UploadedFile]] = None) -> HttpResponse | dict:
    """One move of the workflow table, as the admin makes it (dossiers.services.dossier_move), with the roles of
    the client's staff account at the dossier's agency; result files for "finish", a new due date for "extend"."""
    dossier = _dossier_or_404(request, code)

    def run():
        kwargs = {"note": note, "postal_tracking": postal_tracking}
        try:
            if action == DossierAction.EXTEND:
                kwargs["due_date"] = _date(due_date)
            if files:
                kwargs["files"] = services.dossier_result_files_check(files=files)
            moved = dossier_move(dossier=dossier, action=action, actor=request.user, **kwargs)
        except (MoveNotAllowed, ValidationError) as exc:
            raise _refused(exc)
        access_record(request=request, kind=AccessKind.DOSSIER, ref=moved.code)
        return moved

    return once(request, run, answer=lambda moved: _dossier_out(request, moved),
                replay=lambda: _dossier_out(request, _dossier_or_404(request, code)))


@router.post("/dossiers/{code}/results", operation_id="attachResultFiles", auth=ClientKey("dossier_results_post"),
             response={201: DossierOut, **WRITE_ERRORS},
             summary="Đính kèm tệp kết quả (Attach result files)")
def dossier_results_post(request, code: str, files: list[UploadedFile] = File(..., min_length=1)):
    """Result files for a dossier being processed or done, with the same checks as the admin's uploads."""
    dossier = _dossier_or_404(request, code)

    def run():
        try:
            attached = services.dossier_result_attach(dossier=dossier, account=request.user, files=files)
        except ValidationError as exc:
            raise _refused(exc)
        access_record(request=request, kind=AccessKind.DOSSIER, ref=dossier.code)
        return attached.dossier

    return once(request, run, answer=lambda d: Status(201, _dossier_out(request, d)),
                replay=lambda: Status(201, _dossier_out(request, _dossier_or_404(request, code))))


def _date(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(_("Ngày hẹn mới không hợp lệ (YYYY-MM-DD)."), code="due_date")
