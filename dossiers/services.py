"""Writes on dossiers. Every change of status goes through dossier_move, every change of the fee's state through
_fee_apply (called by dossier_fee_move, and by dossier_move's submission and "mark paid" under the same lock).

workflow.py holds the tables of allowed moves and the checks against them; this module applies them.
Views, the admin, the payments app and tasks call the functions here, never the models' status.
"""

import dataclasses
import logging
import os
import re
import secrets
from collections.abc import Callable
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef, Sum, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notifications.services import email_queue
from procedures.components import cases_of
from procedures.models import Agency, Procedure, RequiredComponent
from procedures.receiving import receiving_agencies, receiving_agency_default
from procedures.services import procedure_popularity_record

from . import uploads
from .calendar import add_working_days, working_days_between
from .citizen_pages import citizen_pages_changed
from .constants import (
    FEE_PAID,
    LOOKUP_KEY_ALPHABET,
    LOOKUP_KEY_LENGTH,
    DossierAction,
    DossierStatus,
    FeeStatus,
    FileKind,
    ResultMethod,
    SubmitMethod,
)
from .models import Dossier, DossierCodeSequence, DossierEvent, DossierFeeEvent, DossierFile
from .pdf import receipt_attachment
from .selectors import dossier_asked
from .workflow import (
    AlreadyPaid,
    FeeMoveNotAllowed,
    MoveNotAllowed,
    dossier_payable,
    fee_move_check,
    move_check,
    move_details_check,
)

logger = logging.getLogger(__name__)


# --- Moves -------------------------------------------------------------------------------------

# What else a submission fixes, in its own transaction, by apps above dossiers (which dossiers may not import):
# payments snapshots the fee lines (payments/apps.py). Each handler gets the submitted dossier.
SUBMISSION_HANDLERS: list[Callable[..., object]] = []


def dossier_on_submission(handler: Callable[..., object]) -> Callable[..., object]:
    """Have `handler(dossier=...)` called in every submission's transaction, after the dossier is numbered."""
    if handler not in SUBMISSION_HANDLERS:
        SUBMISSION_HANDLERS.append(handler)
    return handler


# Who keeps something derived from a received dossier's figures (a move, a payment, a rating), in the writing
# transaction: reports recounts its statistics rows (reports/apps.py). Each handler gets the dossier.
CHANGE_HANDLERS: list[Callable[..., object]] = []


def dossier_on_change(handler: Callable[..., object]) -> Callable[..., object]:
    """Have `handler(dossier=...)` called in the transaction of every move and rating of a dossier."""
    if handler not in CHANGE_HANDLERS:
        CHANGE_HANDLERS.append(handler)
    return handler


def _changed(dossier: Dossier) -> None:
    for handler in CHANGE_HANDLERS:
        handler(dossier=dossier)


def dossier_move(
    *, dossier: Dossier, action: str, actor, note: str = "", files=(), due_date: date | None = None,
    paid_online: bool = False, guard: Callable[[Dossier], None] | None = None, postal_tracking: str = "",
    components=(),
) -> Dossier:
    """Apply one move: lock the row, check the table and the actor's role, record the event, queue the e-mail.

    The one write path of a dossier's status and of its fee's state, whoever asks (citizen, clerk, webhook, task).
    `files` are uploads.CheckedFile (result files, supplement files); `due_date` is the new date of an extension;
    `paid_online` says a "mark paid" came from a gateway; `guard(locked)` is the caller's own check, run under the
    lock once the move is allowed (it raises to refuse). `postal_tracking` is the post's parcel number of a result
    returned by post; `components` are the procedure's components a supplement request asks for.
    """
    action = DossierAction(action)
    note = (note or "").strip()
    postal_tracking = " ".join((postal_tracking or "").split()).upper()
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().select_related("procedure", "agency", "owner").get(pk=dossier.pk)
        move = move_check(dossier=locked, action=action, actor=actor)
        if guard is not None:
            guard(locked)
        move_details_check(action=action, note=note, files=files)
        from_status = locked.status
        changed = _EFFECTS.get(action, _no_effect)(
            locked, due_date=due_date, paid_online=paid_online, postal_tracking=postal_tracking, actor=actor, note=note
        )
        locked.status = move.to
        locked.save(update_fields={"status", "updated_at", *changed})
        event = DossierEvent.objects.create(
            dossier=locked, action=action, from_status=from_status, to_status=move.to, actor=actor, note=note
        )
        if components and action == DossierAction.REQUEST_SUPPLEMENT:
            _supplement_components_set(locked, event, components)
        if action == DossierAction.SUBMIT:
            for handler in SUBMISSION_HANDLERS:
                handler(dossier=locked)
        if files:
            kind = FileKind.RESULT if action == DossierAction.FINISH else FileKind.SUPPLEMENT
            _files_store_by_component(locked, files, kind=kind, user=actor, event=event)
        _changed(locked)  # CHANGE_HANDLERS: the statistics (reports) recount its row
        if move.notify:
            _notify(locked, event)
        if (action == DossierAction.RECEIVE and dossier_payable(locked)
                and locked.procedure.pay_before_processing):
            locked = dossier_move(dossier=locked, action=DossierAction.REQUEST_PAYMENT, actor=None)
    return locked


def _no_effect(dossier, **kwargs) -> set:
    return set()


def dossier_fee_move(*, dossier: Dossier, to: str, actor=None, note: str = "") -> Dossier:
    """Move the dossier's fee to `to` (workflow.FEE_TRANSITIONS): lock the row, check, record, save.

    The payments app calls it when a payment opens, ends without success or is refunded; a payment made
    (online or at the counter) is dossier_move's "mark paid", which makes the same fee move under its own lock.
    """
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        changed = _fee_apply(locked, to=to, actor=actor, note=note)
        locked.save(update_fields={"updated_at", *changed})
        _changed(locked)  # CHANGE_HANDLERS: the statistics count paid fees
    return locked


def _fee_apply(locked: Dossier, *, to: str, actor=None, note: str = "") -> set:
    """Check the fee's move against the table, record it and set it on `locked` (its row locked by the caller);
    return the fields to save. The only assignment of Dossier.payment_status."""
    fee_move_check(dossier=locked, to=to)
    DossierFeeEvent.objects.create(dossier=locked, from_status=locked.payment_status, to_status=to, actor=actor,
                                   note=(note or "")[:255])
    locked.payment_status = to
    return {"payment_status"}


def _submit(dossier: Dossier, *, actor=None, **kwargs) -> set:
    now = timezone.now()
    dossier.code = dossier_code_next(agency=dossier.agency, day=timezone.localdate(now))
    dossier.lookup_key = "".join(secrets.choice(LOOKUP_KEY_ALPHABET) for _ in range(LOOKUP_KEY_LENGTH))
    dossier.submitted_at = now
    # Read the fee items once: the total here, and the fee lines' snapshot (a SUBMISSION_HANDLERS entry)
    # takes them from the same prefetched list.
    prefetch_related_objects([dossier.procedure], "fees")
    dossier.fee_total = sum(fee.amount for fee in dossier.procedure.fees.all())
    changed = {"code", "lookup_key", "submitted_at", "fee_total"}
    if dossier.fee_total:
        to = FeeStatus.EXEMPT if dossier.fee_exempt else FeeStatus.UNPAID
        changed |= _fee_apply(dossier, to=to, actor=actor)
    return changed


def _receive(dossier: Dossier, **kwargs) -> set:
    dossier.received_at = timezone.now()
    dossier.due_date = add_working_days(timezone.localdate(dossier.received_at), dossier.procedure.processing_days)
    return {"received_at", "due_date"}


def _request_supplement(dossier: Dossier, **kwargs) -> set:
    dossier.paused_on = timezone.localdate()
    return {"paused_on"}


def _answer_supplement(dossier: Dossier, **kwargs) -> set:
    """The clock stopped while the request was open: push the due date by the working days lost."""
    if dossier.paused_on and dossier.due_date:
        lost = working_days_between(dossier.paused_on, timezone.localdate())
        dossier.due_date = add_working_days(dossier.due_date, lost)
    dossier.paused_on = None
    return {"paused_on", "due_date"}


def _extend(dossier: Dossier, *, due_date=None, **kwargs) -> set:
    if due_date is None or (dossier.due_date and due_date <= dossier.due_date):
        raise ValidationError(_("Ngày hẹn mới phải sau ngày hẹn hiện tại."), code="due_date")
    dossier.due_date = due_date
    return {"due_date"}


def _not_payable() -> ValidationError:
    return ValidationError(_("Hồ sơ không còn phí, lệ phí phải nộp (đã nộp hoặc không thu phí)."), code="not_owed")


def _request_payment(dossier: Dossier, **kwargs) -> set:
    """Only a fee still owed can be asked for: a paid or fee-free dossier is not sent back to the citizen."""
    if not dossier_payable(dossier):
        raise _not_payable()
    return set()


def _mark_paid(dossier: Dossier, *, paid_online=False, actor=None, note="", **kwargs) -> set:
    """The fee is paid, online (a gateway's confirmation) or at the counter (a clerk): once, with its time.

    A clerk records only a payable fee; the system (a gateway's confirmation) whenever the fee table allows it
    (the money moved, even if the dossier was stopped meanwhile)."""
    if dossier.payment_status in FEE_PAID:
        raise AlreadyPaid(_("Hồ sơ đã được ghi nhận nộp phí, lệ phí."))
    if actor is not None and not dossier_payable(dossier):
        raise _not_payable()
    changed = _fee_apply(dossier, to=FeeStatus.PAID, actor=actor, note=note)
    dossier.paid_at = timezone.now()
    dossier.paid_online = paid_online
    return changed | {"paid_at", "paid_online"}


def _finish(dossier: Dossier, **kwargs) -> set:
    dossier.finished_at = timezone.now()
    return {"finished_at"}


def _return_result(dossier: Dossier, *, postal_tracking="", **kwargs) -> set:
    """A result sent by post leaves with the post's parcel number, so the citizen can follow it."""
    if dossier.result_method == ResultMethod.POST:
        if not postal_tracking:
            raise ValidationError(_("Vui lòng nhập mã bưu gửi của kết quả gửi qua bưu chính."), code="postal_tracking")
        if len(postal_tracking) > Dossier._meta.get_field("postal_tracking").max_length:
            raise ValidationError(_("Mã bưu gửi quá dài."), code="postal_tracking")
        dossier.postal_tracking = postal_tracking
    dossier.returned_at = timezone.now()
    return {"returned_at", "postal_tracking"}


def _files_store_by_component(dossier: Dossier, files, *, kind: str, user, event) -> None:
    # Checked together against the dossier's total first, then stored under the component each one answers;
    # if a later group fails, the objects of the earlier ones leave storage with the rolled-back rows.
    files = list(files)
    if dossier_total_size(dossier=dossier) + sum(f.size for f in files) > uploads.max_total_bytes():
        dossier_files_store(dossier=dossier, checked=files, kind=kind, user=user, event=event)  # raises
    groups: dict = {}
    for item in files:
        groups.setdefault(item.component, []).append(item)
    stored = []
    try:
        for component, items in groups.items():
            stored += dossier_files_store(
                dossier=dossier, checked=items, kind=kind, user=user, event=event, component=component
            )
    except BaseException:
        _storage_delete_quietly([f.file.name for f in stored])
        raise


def _supplement_components_set(dossier: Dossier, event: DossierEvent, components) -> None:
    """Record which of the procedure's components the request asks for; another procedure's are refused."""
    ids = {getattr(c, "pk", c) for c in components}
    found = set(RequiredComponent.objects.filter(procedure_id=dossier.procedure_id, pk__in=ids).values_list("pk", flat=True))
    if found != ids:
        raise ValidationError(_("Thành phần yêu cầu bổ sung không thuộc thủ tục của hồ sơ."), code="components")
    event.components.set(found)


A = DossierAction
_EFFECTS = {
    A.SUBMIT: _submit,
    A.RECEIVE: _receive,
    A.REQUEST_SUPPLEMENT: _request_supplement,
    A.ANSWER_SUPPLEMENT: _answer_supplement,
    A.EXTEND: _extend,
    A.REQUEST_PAYMENT: _request_payment,
    A.MARK_PAID: _mark_paid,
    A.FINISH: _finish,
    A.RETURN_RESULT: _return_result,
}

_EMAIL_TEMPLATES = {
    A.SUBMIT: "emails/dossier_submitted",
    A.RECEIVE: "emails/dossier_received",
    A.EXTEND: "emails/dossier_apology",
}


def _notify(dossier: Dossier, event: DossierEvent) -> None:
    """Queue the applicant's e-mail; it leaves after commit (notifications outbox)."""
    attachment = (receipt_attachment, {"dossier_id": dossier.pk}) if event.action == A.RECEIVE else None
    email_queue(
        to=dossier.recipient_email,
        template=_EMAIL_TEMPLATES.get(event.action, "emails/dossier_status"),
        context={"dossier": dossier, "event": event, "path": dossier.get_absolute_url()},
        kind=f"dossier_{event.action}",
        attachment=attachment,
        reference=dossier.code or "",
        language=dossier.owner.language,
    )


def dossier_code_next(*, agency, day: date) -> str:
    """Return the next dossier code of the agency for the day (Circular 01/2018/TT-VPCP art. 19).

    Must run inside the submitting transaction: the UPDATE locks the agency's row for the day
    until commit, so concurrent submissions queue behind it and a rollback gives the number back
    (no gaps). The first submission of a day creates the row; a concurrent creator loses on the
    unique constraint and takes the UPDATE path again.
    """
    for _attempt in range(3):
        number = _code_sequence_increment(agency=agency, day=day)
        if number is not None:
            break
        try:
            with transaction.atomic():
                DossierCodeSequence.objects.create(agency=agency, day=day, last=1)
            number = 1
            break
        except IntegrityError:
            continue
    else:  # pragma: no cover - three lost races in a row
        raise RuntimeError("could not allocate a dossier code")
    return f"{agency.code}-{day:%y%m%d}-{number:04d}"


def _code_sequence_increment(*, agency, day: date) -> int | None:
    """Add one to the agency's number for the day and return it, in one statement (UPDATE … RETURNING,
    PostgreSQL and SQLite alike); None when the day has no row yet."""
    meta = DossierCodeSequence._meta
    table, last, agency_id, day_column = (
        connection.ops.quote_name(name)
        for name in (meta.db_table, meta.get_field("last").column, meta.get_field("agency").column,
                     meta.get_field("day").column)
    )
    day_value = meta.get_field("day").get_db_prep_value(day, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {last} = {last} + 1 WHERE {agency_id} = %s AND {day_column} = %s RETURNING {last}",
            [agency.pk, day_value],
        )
        row = cursor.fetchone()
    return row[0] if row else None


# --- The draft and its files -------------------------------------------------------------------


def _profile_address(user) -> dict:
    """The address fields of a draft, from the account's profile (street and its 2025 units)."""
    return {
        "applicant_address": getattr(user, "street_address", "") or "",
        "applicant_province_code": getattr(user, "province_code", None),
        "applicant_commune_code": getattr(user, "commune_code", None),
    }


def dossier_draft_get_or_create(*, user, procedure: Procedure) -> Dossier:
    """Return the citizen's open draft for the procedure, or start one prefilled from the profile."""
    draft = Dossier.objects.filter(owner=user, procedure=procedure, status=DossierStatus.DRAFT).order_by("-pk").first()
    if draft is not None:
        return draft
    # The citizen's own commune receives it when it can; step 1 lets them choose another receiving agency.
    agency = receiving_agency_default(agencies=receiving_agencies(procedure=procedure),
                                      commune_code=getattr(user, "commune_code", None))
    if agency is None:
        raise ValidationError(
            _("Thủ tục này chưa nhận hồ sơ trực tuyến trên Cổng: chưa có cơ quan nào của tỉnh tiếp nhận. Vui lòng "
              "nộp hồ sơ tại cơ quan thực hiện ghi trên trang thủ tục."),
            code="no_agency",
        )
    return Dossier.objects.create(
        owner=user,
        procedure=procedure,
        agency=agency,
        applicant_name=user.full_name,
        applicant_identity=user.identity_number or "",
        applicant_phone=user.phone,
        applicant_email=user.email,
        **_profile_address(user),
    )


def _draft_touch(dossier: Dossier, *, step: int, fields: dict) -> Dossier:
    """Save wizard data on a draft (never on a submitted dossier) and record the step reached."""
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if locked.status != DossierStatus.DRAFT:
            raise ValidationError(_("Hồ sơ đã được nộp, không thể sửa."), code="not_draft")
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.wizard_step = max(locked.wizard_step, step)
        locked.save(update_fields={"wizard_step", "updated_at", *fields})
    return locked


def dossier_applicant_update(
    *, dossier: Dossier, name: str, identity: str, phone: str, email: str, address: str, agency: Agency | None = None,
    province_code: int | None = None, commune_code: int | None = None,
) -> Dossier:
    """Step 1: who the dossier is for (the account holder or someone they submit for), and where they live."""
    from accounts.selectors import commune_choices

    if province_code is not None and commune_code not in dict(commune_choices(province_code=province_code)):
        raise ValidationError(_("Xã, phường không thuộc tỉnh, thành phố đã chọn."), code="commune")
    owner = dossier.owner
    fields = {
        "applicant_province_code": province_code,
        "applicant_commune_code": commune_code,
        "applicant_name": name,
        "applicant_identity": identity,
        "applicant_phone": phone,
        "applicant_email": email,
        "applicant_address": address,
        "on_behalf": (identity or "") != (owner.identity_number or "") or name.strip() != owner.full_name.strip(),
    }
    if agency is not None:
        if not dossier.procedure.agencies.filter(pk=agency.pk).exists():
            raise ValidationError(_("Cơ quan không thực hiện thủ tục này."), code="agency")
        fields["agency"] = agency
    return _draft_touch(dossier, step=1, fields=fields)


def dossier_delivery_update(
    *, dossier: Dossier, submit_method: str, submit_address: str, result_method: str, result_address: str
) -> Dossier:
    """Step 3: how the paper dossier is handed in and how the result comes back."""
    if result_method == ResultMethod.ELECTRONIC and not dossier.procedure.is_fully_online:
        raise ValidationError(_("Thủ tục mức độ 3 không trả kết quả điện tử."), code="result_method")
    return _draft_touch(
        dossier,
        step=3,
        fields={
            "submit_method": submit_method,
            "submit_address": submit_address if submit_method == SubmitMethod.POST else "",
            "result_method": result_method,
            "result_address": result_address if result_method == ResultMethod.POST else "",
        },
    )


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
        _storage_delete_quietly(names)
        raise
    return stored


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
        return dossier_files_store(
            dossier=locked, checked=checked, kind=FileKind.APPLICATION, user=user, component=component
        )


def dossier_file_delete(*, dossier_file: DossierFile) -> None:
    """Remove a file from a draft (the citizen changed their mind)."""
    if dossier_file.dossier.status != DossierStatus.DRAFT:
        raise ValidationError(_("Hồ sơ đã được nộp, không thể xóa tệp."), code="not_draft")
    name = dossier_file.file.name
    dossier_file.delete()
    transaction.on_commit(lambda: default_storage.delete(name))


PASSPORT_NUMBER = re.compile(r"[A-Z][0-9]{7,8}")


def dossier_case_set(*, dossier: Dossier, case: str) -> Dossier:
    """Step 2: the case (trường hợp) of the procedure that applies to the citizen.

    Files and answers given for another case stay on the draft (a change of mind loses nothing); they are simply
    no longer asked for."""
    cases = cases_of(dossier.procedure.components.all())
    if case not in cases:
        raise ValidationError(_("Vui lòng chọn một trường hợp trong danh sách."), code="case")
    return _draft_touch(dossier, step=1, fields={"case": case})


def identity_number_clean(value: str) -> str:
    """The number of the identity paper shown at the counter, as typed: the personal identification number (số
    định danh cá nhân, on the CCCD: 12 digits, spaces and dots allowed between them) or a passport's number (a
    letter and 7 or 8 digits: the national text lists "Hộ chiếu/Thẻ căn cước…" as one paper)."""
    typed = "".join(ch for ch in value if ch not in " .-").upper()
    if (len(typed) == 12 and typed.isdigit()) or PASSPORT_NUMBER.fullmatch(typed):
        return typed
    raise ValidationError(_("Nhập số định danh cá nhân (12 chữ số) hoặc số hộ chiếu (một chữ cái và 7 hoặc 8 chữ số)."),
                          code="number")


def dossier_component_answers_update(*, dossier: Dossier, applies: dict | None = None,
                                     numbers: dict | None = None) -> Dossier:
    """Step 2: whether each conditional component applies to the citizen, and the numbers of papers to show.

    `applies` maps a component id to True/False, `numbers` a component id to the number typed ("" clears it).
    Answers for components not named are kept (another case's stay for when the citizen comes back to it).
    Every number is checked first; a ValidationError keyed by component id refuses the whole answer unsaved.
    """
    applies, numbers = applies or {}, numbers or {}
    components = {c.pk: c for c in dossier.procedure.components.all()}
    if set(applies) - set(components) or set(numbers) - set(components):
        raise ValidationError(_("Thành phần không thuộc thủ tục của hồ sơ."), code="component")
    errors, cleaned = {}, {}
    for pk, number in numbers.items():
        number = (number or "").strip()
        if not components[pk].asks_number:
            errors[str(pk)] = [_("Giấy tờ này không cần nhập số.")]
        elif number:
            try:
                cleaned[pk] = identity_number_clean(number)
            except ValidationError as exc:
                errors[str(pk)] = exc.messages
        else:
            cleaned[pk] = ""
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        answers = {pk: dict(answer) for pk, answer in (locked.component_answers or {}).items()}
        for pk, value in applies.items():
            answers.setdefault(str(pk), {})["applies"] = bool(value)
        for pk, value in cleaned.items():
            answers.setdefault(str(pk), {})["number"] = value
        return _draft_touch(locked, step=1, fields={"component_answers": answers})


def dossier_files_complete(*, dossier: Dossier) -> list:
    """Return the components the dossier still lacks (empty when complete): mandatory uploads of its case with
    no file, conditional ones only when ticked, and required papers to show whose number is not typed.

    One query: the procedure's components, each marked with whether the dossier holds a file for it."""
    return _asked_with_files(dossier)[1]


def _asked_with_files(dossier: Dossier):
    has_file = DossierFile.objects.filter(dossier=dossier, kind=FileKind.APPLICATION, component=OuterRef("pk"))
    components = dossier.procedure.components.annotate(has_file=Exists(has_file))
    asked = dossier_asked(dossier=dossier, components=components)
    return asked, [c for c in asked.mandatory if not c.has_file] + asked.numbers_missing


def dossier_files_step_done(*, dossier: Dossier) -> Dossier:
    """Leave step 2: a case chosen (when there are several) and nothing mandatory missing."""
    asked, missing = _asked_with_files(dossier)
    if asked.case_missing:
        raise ValidationError(_("Vui lòng chọn trường hợp của bạn."), code="case")
    if missing:
        raise ValidationError(
            ngettext("Còn thiếu %(n)s giấy tờ bắt buộc.", "Còn thiếu %(n)s giấy tờ bắt buộc.", len(missing)),
            params={"n": len(missing)}, code="missing",
        )
    return _draft_touch(dossier, step=2, fields={})


def dossier_submit(*, dossier: Dossier, user) -> Dossier:
    """Submit a draft. A second press (or a second tab) returns the dossier already submitted."""
    try:
        # One transaction, one row lock: the move checks the draft is complete while it holds the lock.
        submitted = dossier_move(dossier=dossier, action=DossierAction.SUBMIT, actor=user, guard=_ready_to_submit)
    except MoveNotAllowed:  # not a draft any more, or not the owner's
        submitted = Dossier.objects.filter(pk=dossier.pk, owner=user).exclude(status=DossierStatus.DRAFT).first()
        if submitted is None:
            raise ValidationError(_("Không tìm thấy hồ sơ."), code="owner") from None
        return submitted
    # The catalogue ranks what citizens submit most first; a second press above is not counted.
    procedure_popularity_record(procedure_id=submitted.procedure_id)
    return submitted


def _ready_to_submit(locked: Dossier) -> None:
    asked, missing = _asked_with_files(locked)
    if locked.wizard_step < 3 or asked.case_missing or missing:
        raise ValidationError(_("Hồ sơ chưa đủ thông tin, vui lòng hoàn thành các bước trước."), code="incomplete")


def dossier_supplement_request(*, dossier: Dossier) -> DossierEvent | None:
    """The open supplement request of a dossier waiting for the citizen (with the components it names)."""
    if dossier.status != DossierStatus.SUPPLEMENT:
        return None
    return (dossier.events.filter(action=DossierAction.REQUEST_SUPPLEMENT).prefetch_related("components")
            .order_by("created_at", "id").last())


def dossier_supplement_answer(*, dossier: Dossier, user, note: str, files=(), component_files=None) -> Dossier:
    """The citizen sends what the supplement request asked for; processing resumes.

    `component_files` maps each component the request named to its files: every named component needs one.
    `files` are extra files not tied to a component (a request that named none).
    """
    component_files = component_files or {}
    request = dossier_supplement_request(dossier=dossier)
    asked = list(request.components.all()) if request is not None else []
    missing = [c.name for c in asked if not component_files.get(c.pk)]
    if missing:
        raise ValidationError(_("Vui lòng gửi tệp cho: %(names)s."), params={"names": "; ".join(missing)}, code="missing")
    by_pk = {c.pk: c for c in asked}

    def check(upload, component=None):
        accepted = component.accepted_type_list if component else list(uploads.DECLARED)
        return uploads.check_upload(upload, accepted=accepted, max_bytes=uploads.max_file_bytes(component))

    checked = [check(f) for f in files]
    for pk, uploaded in component_files.items():
        if pk not in by_pk:
            raise ValidationError(_("Thành phần này không được yêu cầu bổ sung."), code="component")
        if len(uploaded) > _max_files():
            raise ValidationError(_("Chỉ được gửi tối đa %(n)s tệp."), params={"n": _max_files()}, code="too_many")
        checked += [dataclasses.replace(check(f, by_pk[pk]), component=by_pk[pk]) for f in uploaded]
    if len(files) > _max_files():
        raise ValidationError(_("Chỉ được gửi tối đa %(n)s tệp."), params={"n": _max_files()}, code="too_many")
    return dossier_move(dossier=dossier, action=DossierAction.ANSWER_SUPPLEMENT, actor=user, note=note, files=checked)


def dossier_result_files_check(*, files) -> list:
    """Check result files uploaded by staff (same content checks as the citizen's)."""
    return [uploads.check_upload(f, accepted=list(uploads.DECLARED), max_bytes=uploads.max_file_bytes()) for f in files]


def _max_files() -> int:
    from django.conf import settings

    return settings.DOSSIER_MAX_FILES_PER_COMPONENT


def dossier_mark_paid(*, dossier: Dossier, actor=None, note: str = "", online: bool = False) -> bool:
    """Record the fee as paid (online by the payments app, or at the counter by a clerk); False if it already was,
    or if there was no fee to pay (the payment itself stays recorded, for the accountant to give back).

    A dossier waiting for payment (state 6) goes back to processing; in any other state the payment is recorded
    and the state stays (workflow.TRANSITIONS).
    """
    try:
        dossier_move(dossier=dossier, action=DossierAction.MARK_PAID, actor=actor, note=note, paid_online=online)
    except (AlreadyPaid, FeeMoveNotAllowed):
        return False
    return True


def dossier_rate(*, dossier: Dossier, user, rating: int, comment: str = "") -> Dossier:
    """Record the citizen's satisfaction (1–5) once the result is returned; only once."""
    if not 1 <= int(rating) <= 5:
        raise ValidationError(_("Mức độ hài lòng từ 1 đến 5."), code="rating")
    updated = Dossier.objects.filter(
        pk=dossier.pk, owner=user, status=DossierStatus.RETURNED, rating__isnull=True
    ).update(rating=rating, rating_comment=comment.strip(), rated_at=timezone.now())
    if not updated:
        raise ValidationError(_("Không thể đánh giá hồ sơ này."), code="rating")
    citizen_pages_changed(dossier.owner_id)  # an UPDATE sends no post_save
    dossier.refresh_from_db()
    _changed(dossier)
    return dossier


def _storage_delete_quietly(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except Exception:  # an orphan object is harmless; a failed sweep must not undo the rows
            logger.exception("could not delete stored file %s", name)
            continue
        try:  # local storage: drop the draft's folder once it is empty (object storage has none)
            os.rmdir(os.path.dirname(default_storage.path(name)))
        except (NotImplementedError, OSError):
            pass


def dossier_drafts_purge(*, older_than: timedelta, batch_size: int = 200) -> tuple[int, int]:
    """Delete drafts untouched for longer than `older_than`, with their stored files, in batches.

    Return (drafts, files) deleted. "Untouched" means neither the draft nor any of its files
    changed since the cutoff (adding a file does not touch the draft row). Each batch locks its
    rows and skips those a citizen is saving right now; the files leave storage after commit.
    """
    cutoff = timezone.now() - older_than
    stale = Dossier.objects.filter(status=DossierStatus.DRAFT, updated_at__lt=cutoff).exclude(
        files__created_at__gte=cutoff
    )
    drafts = files = 0
    while True:
        with transaction.atomic():
            pks = list(stale.select_for_update(skip_locked=True).order_by("pk").values_list("pk", flat=True)[:batch_size])
            if not pks:
                break
            names = list(DossierFile.objects.filter(dossier__in=pks).values_list("file", flat=True))
            deleted = Dossier.objects.filter(pk__in=pks, status=DossierStatus.DRAFT).delete()[1].get(Dossier._meta.label, 0)
            transaction.on_commit(lambda names=names: _storage_delete_quietly(names))
        drafts += deleted
        files += len(names)
        logger.info("deleted %d abandoned drafts and %d files (batch)", deleted, len(names))
    logger.info("draft clean-up done: %d drafts and %d files older than %s deleted", drafts, files, cutoff.date())
    return drafts, files
