"""The dossier lifecycle: THE table of allowed moves and the pure checks made against it.

Nothing here writes: services.dossier_move applies a move, and a status is assigned nowhere else.
Roles: the applicant's account ("citizen"), the agency staff roles of procedures.constants.StaffRole,
and "system" (payments, automatic follow-ups).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from procedures.constants import StaffRole

from .constants import DossierAction, DossierStatus
from .models import Dossier

CITIZEN = "citizen"
SYSTEM = "system"
RECEIVE, PROCESS, APPROVE = StaffRole.RECEIVE.value, StaffRole.PROCESS.value, StaffRole.APPROVE.value
STAFF_ROLES = frozenset({RECEIVE, PROCESS, APPROVE})

S, A = DossierStatus, DossierAction


@dataclass(frozen=True)
class Move:
    to: DossierStatus
    roles: frozenset
    notify: bool = True  # e-mail the applicant about the move


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
# A fee paid online while the dossier is not waiting for it (paid early, or confirmed by the gateway after the
# dossier was stopped): the payment is recorded, the state stays, and the payment's own e-mail tells the applicant.
TRANSITIONS |= {
    (state, A.MARK_PAID): Move(state, frozenset({SYSTEM}), notify=False)
    for state in S if state not in (S.DRAFT, S.PAYMENT)
}

# Moves that need a note (a reason, what is missing, why late) or files.
NOTE_REQUIRED = frozenset({A.REFUSE, A.REQUEST_SUPPLEMENT, A.STOP, A.EXTEND})
FILES_REQUIRED = frozenset({A.FINISH, A.ANSWER_SUPPLEMENT})


class MoveNotAllowed(Exception):
    """The move is not in the table for this state, or the actor has no role for it."""


class AlreadyPaid(MoveNotAllowed):
    """The fee of this dossier is already recorded as paid (a repeated callback, or a second click)."""


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


def move_check(*, dossier: Dossier, action: DossierAction, actor) -> Move:
    """Return the move `actor` asks for on `dossier` as it is now, or raise why it is refused."""
    move = TRANSITIONS.get((dossier.status, action))
    if move is None:
        raise MoveNotAllowed(f"Không thể “{action.label}” hồ sơ đang ở trạng thái “{dossier.get_status_display()}”.")
    if not move.roles & actor_roles(dossier=dossier, actor=actor):
        raise MoveNotAllowed(f"Bạn không có quyền “{action.label}” hồ sơ này.")
    return move


def move_details_check(*, action: DossierAction, note: str, files) -> None:
    """Refuse a move that lacks the note or the files it needs."""
    if action in NOTE_REQUIRED and not note:
        raise ValidationError("Vui lòng nhập lý do hoặc nội dung.", code="note")
    if action in FILES_REQUIRED and not files:
        raise ValidationError("Vui lòng đính kèm ít nhất một tệp.", code="files")
