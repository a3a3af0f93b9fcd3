"""The dossier lifecycle: THE table of allowed moves and the one function that applies a move.

A status is assigned nowhere else. Roles: the applicant's account ("citizen"), the agency staff
roles of procedures.constants.StaffRole, and "system" (payments, automatic follow-ups).
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from notifications.services import email_queue
from procedures.constants import StaffRole

from .calendar import add_working_days, working_days_between
from .constants import (
    LOOKUP_KEY_ALPHABET,
    LOOKUP_KEY_LENGTH,
    DossierAction,
    DossierStatus,
    FeeStatus,
    FileKind,
)
from .models import Dossier, DossierCodeSequence, DossierEvent

CITIZEN = "citizen"
SYSTEM = "system"
RECEIVE, PROCESS, APPROVE = StaffRole.RECEIVE.value, StaffRole.PROCESS.value, StaffRole.APPROVE.value
STAFF_ROLES = frozenset({RECEIVE, PROCESS, APPROVE})

S, A = DossierStatus, DossierAction


@dataclass(frozen=True)
class Move:
    to: DossierStatus
    roles: frozenset


def _m(to, *roles) -> Move:
    return Move(to, frozenset(roles))


# (from state, action) -> (to state, roles allowed). DESIGN.md §5.
TRANSITIONS: dict[tuple[int, str], Move] = {
    (S.DRAFT, A.SUBMIT): _m(S.SUBMITTED, CITIZEN),
    (S.SUBMITTED, A.RECEIVE): _m(S.RECEIVED, RECEIVE),
    (S.SUBMITTED, A.REFUSE): _m(S.REFUSED, RECEIVE),
    (S.SUBMITTED, A.WITHDRAW): _m(S.WITHDRAWAL, CITIZEN),
    (S.RECEIVED, A.START): _m(S.PROCESSING, PROCESS),
    (S.RECEIVED, A.REQUEST_SUPPLEMENT): _m(S.SUPPLEMENT, RECEIVE, PROCESS),
    (S.RECEIVED, A.REQUEST_PAYMENT): _m(S.PAYMENT, RECEIVE, PROCESS, SYSTEM),
    (S.RECEIVED, A.EXTEND): _m(S.RECEIVED, PROCESS, APPROVE),
    (S.RECEIVED, A.WITHDRAW): _m(S.WITHDRAWAL, CITIZEN),
    (S.RECEIVED, A.STOP): _m(S.STOPPED, PROCESS, APPROVE),
    (S.PROCESSING, A.REQUEST_SUPPLEMENT): _m(S.SUPPLEMENT, PROCESS),
    (S.PROCESSING, A.REQUEST_PAYMENT): _m(S.PAYMENT, PROCESS),
    (S.PROCESSING, A.FINISH): _m(S.DONE, APPROVE),
    (S.PROCESSING, A.EXTEND): _m(S.PROCESSING, PROCESS, APPROVE),
    (S.PROCESSING, A.WITHDRAW): _m(S.WITHDRAWAL, CITIZEN),
    (S.PROCESSING, A.STOP): _m(S.STOPPED, PROCESS, APPROVE),
    (S.SUPPLEMENT, A.ANSWER_SUPPLEMENT): _m(S.PROCESSING, CITIZEN),
    (S.SUPPLEMENT, A.WITHDRAW): _m(S.WITHDRAWAL, CITIZEN),
    (S.SUPPLEMENT, A.STOP): _m(S.STOPPED, PROCESS, APPROVE),
    (S.PAYMENT, A.MARK_PAID): _m(S.PROCESSING, SYSTEM, RECEIVE),
    (S.PAYMENT, A.WITHDRAW): _m(S.WITHDRAWAL, CITIZEN),
    (S.PAYMENT, A.STOP): _m(S.STOPPED, PROCESS, APPROVE),
    (S.WITHDRAWAL, A.STOP): _m(S.STOPPED, RECEIVE, PROCESS, APPROVE),
    (S.DONE, A.RETURN_RESULT): _m(S.RETURNED, RECEIVE),
}

# Moves that need a note (a reason, what is missing, why late) or files.
NOTE_REQUIRED = frozenset({A.REFUSE, A.REQUEST_SUPPLEMENT, A.STOP, A.EXTEND})
FILES_REQUIRED = frozenset({A.FINISH, A.ANSWER_SUPPLEMENT})


class MoveNotAllowed(Exception):
    """The move is not in the table for this state, or the actor has no role for it."""


def actor_roles(*, dossier: Dossier, actor) -> frozenset:
    """Return the roles `actor` (None = the system) holds for this dossier."""
    if actor is None:
        return frozenset({SYSTEM})
    roles = set()
    if actor.pk == dossier.owner_id:
        roles.add(CITIZEN)
    if actor.is_active and actor.is_staff:
        if actor.is_superuser:
            roles |= STAFF_ROLES
        else:
            roles |= set(actor.agency_roles.filter(agency_id=dossier.agency_id).values_list("role", flat=True))
    return frozenset(roles)


def allowed_actions(*, dossier: Dossier, actor) -> list[str]:
    """Return the actions `actor` may take on the dossier now, in table order."""
    roles = actor_roles(dossier=dossier, actor=actor)
    return [action for (state, action), move in TRANSITIONS.items() if state == dossier.status and move.roles & roles]


def dossier_move(
    *, dossier: Dossier, action: str, actor, note: str = "", files=(), due_date: date | None = None,
    guard: Callable[[Dossier], None] | None = None,
) -> Dossier:
    """Apply one move: lock the row, check the table and the actor's role, record the event, queue the e-mail.

    `files` are uploads.CheckedFile (result files, supplement files); `due_date` is the new date of an extension;
    `guard(locked)` is the caller's own check, run under the lock once the move is allowed (it raises to refuse).
    """
    action = DossierAction(action)
    note = (note or "").strip()
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().select_related("procedure", "agency", "owner").get(pk=dossier.pk)
        move = TRANSITIONS.get((locked.status, action))
        if move is None:
            raise MoveNotAllowed(
                f"Không thể “{action.label}” hồ sơ đang ở trạng thái “{locked.get_status_display()}”."
            )
        if not move.roles & actor_roles(dossier=locked, actor=actor):
            raise MoveNotAllowed(f"Bạn không có quyền “{action.label}” hồ sơ này.")
        if guard is not None:
            guard(locked)
        if action in NOTE_REQUIRED and not note:
            raise ValidationError("Vui lòng nhập lý do hoặc nội dung.", code="note")
        if action in FILES_REQUIRED and not files:
            raise ValidationError("Vui lòng đính kèm ít nhất một tệp.", code="files")
        from_status = locked.status
        changed = _EFFECTS.get(action, _no_effect)(locked, actor=actor, due_date=due_date)
        locked.status = move.to
        locked.save(update_fields={"status", "updated_at", *changed})
        event = DossierEvent.objects.create(
            dossier=locked, action=action, from_status=from_status, to_status=move.to, actor=actor, note=note
        )
        if files:
            from .services import dossier_files_store

            kind = FileKind.RESULT if action == A.FINISH else FileKind.SUPPLEMENT
            dossier_files_store(dossier=locked, checked=files, kind=kind, user=actor, event=event)
        _notify(locked, event)
        if action == A.RECEIVE and locked.payment_status == FeeStatus.UNPAID and locked.procedure.pay_before_processing:
            locked = dossier_move(dossier=locked, action=A.REQUEST_PAYMENT, actor=None)
    return locked


def _no_effect(dossier, **kwargs) -> set:
    return set()


def _submit(dossier: Dossier, **kwargs) -> set:
    now = timezone.now()
    dossier.code = dossier_code_next(agency=dossier.agency, day=timezone.localdate(now))
    dossier.lookup_key = "".join(secrets.choice(LOOKUP_KEY_ALPHABET) for _ in range(LOOKUP_KEY_LENGTH))
    dossier.submitted_at = now
    # Read the fee items once: the total here, and the snapshot of the lines (payments' post_save
    # receiver) takes them from the same prefetched list.
    prefetch_related_objects([dossier.procedure], "fees")
    dossier.fee_total = sum(fee.amount for fee in dossier.procedure.fees.all())
    dossier.payment_status = (
        FeeStatus.UNPAID if dossier.fee_total and not dossier.fee_exempt else FeeStatus.NOT_REQUIRED
    )
    return {"code", "lookup_key", "submitted_at", "fee_total", "payment_status"}


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
        raise ValidationError("Ngày hẹn mới phải sau ngày hẹn hiện tại.", code="due_date")
    dossier.due_date = due_date
    return {"due_date"}


def _mark_paid(dossier: Dossier, **kwargs) -> set:
    """Paid (gateway webhook through services.dossier_mark_paid, or at the counter): processing resumes."""
    dossier.payment_status = FeeStatus.PAID
    return {"payment_status"}


def _finish(dossier: Dossier, **kwargs) -> set:
    dossier.finished_at = timezone.now()
    return {"finished_at"}


def _return_result(dossier: Dossier, **kwargs) -> set:
    dossier.returned_at = timezone.now()
    return {"returned_at"}


_EFFECTS = {
    A.SUBMIT: _submit,
    A.RECEIVE: _receive,
    A.REQUEST_SUPPLEMENT: _request_supplement,
    A.ANSWER_SUPPLEMENT: _answer_supplement,
    A.EXTEND: _extend,
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
    attachment = ("dossiers.pdf.receipt_attachment", {"dossier_id": dossier.pk}) if event.action == A.RECEIVE else None
    email_queue(
        to=dossier.recipient_email,
        template=_EMAIL_TEMPLATES.get(event.action, "emails/dossier_status"),
        context={"dossier": dossier, "event": event, "path": dossier.get_absolute_url()},
        kind=f"dossier_{event.action}",
        attachment=attachment,
    )


def dossier_code_next(*, agency, day: date) -> str:
    """Return the next dossier code of the agency for the day (Circular 01/2018/TT-VPCP art. 19).

    Must run inside the submitting transaction: the UPDATE locks the agency's row for the day
    until commit, so concurrent submissions queue behind it and a rollback gives the number back
    (no gaps). The first submission of a day creates the row; a concurrent creator loses on the
    unique constraint and takes the UPDATE path again.
    """
    from django.db import IntegrityError

    for _ in range(3):
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
