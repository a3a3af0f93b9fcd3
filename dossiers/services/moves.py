"""The moves of a dossier: dossier_move applies the workflow table (every change of status), _fee_apply the
fee's (every change of the fee's state), each move's effects and the applicant's e-mail; the supplement, the fee
paid and the rating, which are moves too."""

import dataclasses
import logging
import secrets
from collections.abc import Callable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from common.events import DOSSIER_MOVED, DOSSIER_SUBMITTED
from notifications.notices import notice_queue
from notifications.services import email_queue
from procedures.models import RequiredComponent

from .. import uploads
from ..calendar import add_working_days, working_days_between
from ..constants import (
    FEE_PAID,
    LOOKUP_KEY_ALPHABET,
    LOOKUP_KEY_LENGTH,
    DossierAction,
    DossierStatus,
    FeeStatus,
    FileKind,
    ResultMethod,
)
from ..models import Dossier, DossierEvent, DossierFeeEvent
from ..pdf import receipt_attachment
from ..selectors import dossiers_accessible
from ..workflow import (
    AlreadyPaid,
    FeeMoveNotAllowed,
    dossier_payable,
    fee_move_check,
    move_check,
    move_details_check,
)
from .codes import dossier_code_next
from .files import (
    dossier_files_store,
    dossier_total_size,
    storage_delete_quietly,
    supplement_max_files,
)

logger = logging.getLogger(__name__)


# --- Moves -------------------------------------------------------------------------------------

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
        # The dossier's row alone (of=self): locking the joined procedure, agency and citizen too, in the plan's order,
        # deadlocked two citizens submitting to the same agency at once (tests/dossiers/test_move_locks.py).
        locked = (Dossier.objects.select_for_update(of=("self",)).select_related("procedure", "agency", "owner")
                  .get(pk=dossier.pk))
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
            DOSSIER_SUBMITTED.emit(dossier=locked)  # payments fixes the fee lines
        if files:
            kind = FileKind.RESULT if action == DossierAction.FINISH else FileKind.SUPPLEMENT
            _files_store_by_component(locked, files, kind=kind, user=actor, event=event)
        DOSSIER_MOVED.emit(dossier=locked)  # the statistics recount its row; the citizen's kept pages go
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
        DOSSIER_MOVED.emit(dossier=locked)  # the statistics count paid fees
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
    # Read the fee items once: the total here, and the fee lines' snapshot (a subscriber of DOSSIER_SUBMITTED)
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
        storage_delete_quietly([f.file.name for f in stored], fresh=True)
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
    # And by SMS and Zalo, on the channels the citizen chose: the code, the new status, the page's link.
    notice_queue(user=dossier.owner, reference=dossier.code or "", status=DossierStatus(event.to_status).label,
                 path=dossier.get_absolute_url())


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
        if len(uploaded) > supplement_max_files():
            raise ValidationError(_("Chỉ được gửi tối đa %(n)s tệp."), params={"n": supplement_max_files()}, code="too_many")
        checked += [dataclasses.replace(check(f, by_pk[pk]), component=by_pk[pk]) for f in uploaded]
    if len(files) > supplement_max_files():
        raise ValidationError(_("Chỉ được gửi tối đa %(n)s tệp."), params={"n": supplement_max_files()}, code="too_many")
    return dossier_move(dossier=dossier, action=DossierAction.ANSWER_SUPPLEMENT, actor=user, note=note, files=checked)


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
    # The one gate: the owner, or whoever may act for them now.
    updated = dossiers_accessible(user=user, write=True).filter(
        pk=dossier.pk, status=DossierStatus.RETURNED, rating__isnull=True
    ).update(rating=rating, rating_comment=comment.strip(), rated_at=timezone.now())
    if not updated:
        raise ValidationError(_("Không thể đánh giá hồ sơ này."), code="rating")
    dossier.refresh_from_db()
    DOSSIER_MOVED.emit(dossier=dossier)
    return dossier
