"""The dossier lifecycle: THE table of allowed moves and the pure checks made against it.

Nothing here writes: services.dossier_move applies a move, and a status is assigned nowhere else.
Roles: the applicant's account ("citizen"), the agency staff roles of procedures.constants.StaffRole,
and "system" (payments, automatic follow-ups).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from procedures.constants import StaffRole

from .constants import DossierAction, DossierStatus, FeeStatus
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


# --- The fee ------------------------------------------------------------------------------------

F = FeeStatus

# (from, to): every change of a dossier's fee state (Dossier.payment_status); services.dossier_fee_move applies
# them. A draft is NOT_REQUIRED until its submission fixes the fee.
FEE_TRANSITIONS: frozenset[tuple[str, str]] = frozenset({
    (F.NOT_REQUIRED, F.UNPAID),  # submitted, with a fee to pay
    (F.NOT_REQUIRED, F.EXEMPT),  # submitted, with a fee the applicant is exempt from
    (F.UNPAID, F.PENDING),  # the citizen opened a payment at a gateway
    (F.PENDING, F.UNPAID),  # it failed, was cancelled or expired: the fee is owed again
    (F.UNPAID, F.PAID),  # paid at the counter, or a gateway's success confirmed after the payment expired
    (F.PENDING, F.PAID),  # the gateway confirmed the payment
    (F.PAID, F.PARTLY_REFUNDED),  # part of the fee given back through the gateway
    (F.PAID, F.REFUNDED),  # all of it
    (F.PARTLY_REFUNDED, F.REFUNDED),  # the rest
})


def fee_sources(to: str) -> frozenset[str]:
    """The fee states a dossier may be in to move to `to`."""
    return frozenset(origin for origin, target in FEE_TRANSITIONS if target == to)


# Dossier states in which nothing is paid online any more (or not yet: a draft).
PAY_CLOSED = frozenset({S.DRAFT, S.REFUSED, S.STOPPED, S.RETURNED, S.WITHDRAWAL})


def dossier_payable(dossier: Dossier) -> bool:
    """Whether the dossier's fee can be paid now: the one rule of the pay button, payments.payment_start and
    the clerk's "request payment" and "mark paid" (the fee table allows it to become paid, and the dossier is open)."""
    return (dossier.payment_status in fee_sources(F.PAID) and dossier.fee_total > 0 and not dossier.fee_exempt
            and dossier.status not in PAY_CLOSED)


class MoveNotAllowed(Exception):
    """The move is not in the table for this state, or the actor has no role for it."""


class AlreadyPaid(MoveNotAllowed):
    """The fee of this dossier is already recorded as paid (a repeated callback, or a second click)."""


class FeeMoveNotAllowed(MoveNotAllowed):
    """The fee table has no such move from the fee's present state."""


def fee_move_check(*, dossier: Dossier, to: str) -> None:
    """Refuse a change of the fee's state that FEE_TRANSITIONS does not list."""
    if (dossier.payment_status, to) not in FEE_TRANSITIONS:
        raise FeeMoveNotAllowed(_("Phí, lệ phí của hồ sơ đang “%(from)s”, không thể chuyển sang “%(to)s”.")
                                % {"from": FeeStatus(dossier.payment_status).label, "to": FeeStatus(to).label})


def actor_roles(*, dossier: Dossier, actor, lock: bool = False) -> frozenset:
    """Return the roles `actor` (None = the system) holds for this dossier.

    The citizen's role goes to the owner and to whoever the one gate lets act for the owner (a representative
    under an authorisation in force, an organisation's submitter); `lock` inside a move, see dossier_access."""
    from .selectors import dossier_access

    if actor is None:
        return frozenset({SYSTEM})
    roles = set()
    if actor.pk == dossier.owner_id or (
        getattr(actor, "is_authenticated", False) and not actor.is_staff
        and dossier_access(user=actor, dossier=dossier, write=True, lock=lock)
    ):
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
        raise MoveNotAllowed(_("Không thể “%(action)s” hồ sơ đang ở trạng thái “%(status)s”.")
                             % {"action": action.label, "status": dossier.get_status_display()})
    if not move.roles & actor_roles(dossier=dossier, actor=actor, lock=True):
        raise MoveNotAllowed(_("Bạn không có quyền “%(action)s” hồ sơ này.") % {"action": action.label})
    return move


def move_details_check(*, action: DossierAction, note: str, files) -> None:
    """Refuse a move that lacks the note or the files it needs."""
    if action in NOTE_REQUIRED and not note:
        raise ValidationError(_("Vui lòng nhập lý do hoặc nội dung."), code="note")
    if action in FILES_REQUIRED and not files:
        raise ValidationError(_("Vui lòng đính kèm ít nhất một tệp."), code="files")
