"""Writes on appointments: book, move, cancel, check in, mark a no-show, remind. Every status change goes
through _apply and the table constants.MOVES; every seat is taken or given back here."""

from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dossiers.selectors import dossier_access
from notifications.services import email_queue

from . import selectors
from .calendar_files import booking_ics
from .constants import MOVES, BookingAction, BookingPurpose, BookingStatus
from .links import booking_manage_link
from .models import Booking, BookingEvent, Counter, SlotSeats

class BookingRefused(Exception):
    """A booking or change the rules refuse; `field` names the form field the message goes next to."""

    def __init__(self, message, field: str = "starts_at"):
        super().__init__(str(message))
        self.message, self.field = message, field

FULL = _("Khung giờ này vừa hết chỗ. Vui lòng chọn giờ khác.")
GONE = _("Khung giờ này không còn nhận lịch hẹn. Vui lòng chọn giờ khác.")
SAME_TIME = _("Bạn đã có một lịch hẹn vào giờ này.")

def _seat_take(slot: selectors.Slot) -> Counter:
    """Take a seat of the slot at the first counter with one left; BookingRefused when none is.

    The guarded UPDATE is the whole race: concurrent bookings queue on the row, each sees the count the one
    before it left, and `taken < capacity` lets exactly the free seats through (SlotSeats' CHECK backs it).
    """
    for counter in slot.counters:
        SlotSeats.objects.get_or_create(counter=counter, starts_at=slot.starts_at,
                                        defaults={"capacity": counter.capacity})
        taken = SlotSeats.objects.filter(counter=counter, starts_at=slot.starts_at, taken__lt=counter.capacity) \
            .update(taken=F("taken") + 1, capacity=counter.capacity)
        if taken:
            return counter
    raise BookingRefused(FULL)

def _seats_lock(*, counters, starts_at: datetime, also: tuple[int, datetime] | None = None) -> None:
    """Lock the seat rows of a slot's counters (and `also`, a (counter id, start) pair) in one fixed order.

    A move takes a seat in one slot and gives one back in another: two citizens swapping slots at the same moment
    would each hold one row and wait for the other's (a deadlock PostgreSQL ends with an error). Locking every
    row the move will touch first, in (start, counter) order, makes the second move wait for the first instead.
    A missing row is created in the same order (the insert holds its lock until commit as well).
    """
    keys = {(starts_at, counter.pk): counter.capacity for counter in counters}
    if also is not None:
        counter_id, start = also
        keys.setdefault((start, counter_id), None)
    for (start, counter_id), capacity in sorted(keys.items()):
        if capacity is not None:
            SlotSeats.objects.get_or_create(counter_id=counter_id, starts_at=start, defaults={"capacity": capacity})
        SlotSeats.objects.select_for_update().filter(counter_id=counter_id, starts_at=start).values_list("pk").first()

def _seat_release(*, counter_id: int, starts_at: datetime) -> None:
    SlotSeats.objects.filter(counter_id=counter_id, starts_at=starts_at, taken__gt=0).update(taken=F("taken") - 1)

def _citizen_checks(*, citizen, starts_at: datetime, moving: Booking | None = None) -> None:
    """Per-citizen rules, checked with the citizen's row locked so that two tabs cannot both pass them."""
    get_user_model().objects.select_for_update().filter(pk=citizen.pk).values_list("pk", flat=True).get()
    holding = Booking.objects.filter(citizen=citizen, status=BookingStatus.BOOKED)
    if moving is not None:
        holding = holding.exclude(pk=moving.pk)
    if holding.filter(starts_at=starts_at).exists():
        raise BookingRefused(SAME_TIME)
    if moving is None and selectors.booking_active_count(user=citizen) >= settings.APPOINTMENT_MAX_ACTIVE:
        raise BookingRefused(_("Mỗi người chỉ giữ được tối đa %(n)d lịch hẹn sắp tới. Vui lòng hủy bớt một lịch "
                               "trước khi đặt thêm.") % {"n": settings.APPOINTMENT_MAX_ACTIVE})

def booking_create(*, citizen, agency, starts_at: datetime, purpose: str, procedure=None, dossier=None) -> Booking:
    """Book a seat in one of the agency's slots for the citizen, and e-mail the confirmation with its .ics."""
    if purpose not in BookingPurpose.values:
        raise BookingRefused(_("Vui lòng chọn mục đích của lịch hẹn."), field="purpose")
    if dossier is not None and not dossier_access(user=citizen, dossier=dossier, write=True):
        raise BookingRefused(_("Hồ sơ này không phải của bạn."), field="dossier")
    slot = selectors.slot_find(agency=agency, starts_at=starts_at)
    if slot is None:
        raise BookingRefused(GONE)
    try:
        with transaction.atomic():
            _citizen_checks(citizen=citizen, starts_at=starts_at)
            counter = _seat_take(slot)
            booking = Booking.objects.create(
                citizen=citizen, agency=agency, counter=counter, starts_at=slot.starts_at, ends_at=slot.ends_at,
                purpose=purpose, procedure=procedure or (dossier.procedure if dossier else None), dossier=dossier,
            )
            _event(booking, BookingAction.BOOK, "", actor=citizen)
            _email(booking, "emails/appointment_booked", method="REQUEST")
    except IntegrityError:  # the partial unique constraint: a second tab booked the same hour first
        raise BookingRefused(SAME_TIME) from None
    return booking

def _locked(booking: Booking) -> Booking:
    return Booking.objects.select_for_update(of=("self",)).select_related("agency", "counter", "citizen").get(pk=booking.pk)

def _apply(booking: Booking, action: BookingAction, *, actor=None, **fields) -> Booking:
    """Check the move against constants.MOVES, write it with its event row. `booking` is locked by the caller."""
    sources, target = MOVES[action]
    if booking.status not in sources:
        raise BookingRefused(_("Lịch hẹn đang ở trạng thái “%(status)s”, không thể %(action)s.") % {
            "status": booking.get_status_display(), "action": str(action.label).lower()}, field="__all__")
    before = booking.status
    booking.status = target
    for name, value in fields.items():
        setattr(booking, name, value)
    booking.save(update_fields=["status", *fields])
    _event(booking, action, before, actor=actor)
    return booking

def _event(booking: Booking, action: str, before: str, *, actor=None) -> None:
    BookingEvent.objects.create(booking=booking, action=action, from_status=before, to_status=booking.status,
                                starts_at=booking.starts_at, actor=actor if getattr(actor, "pk", None) else None)

def booking_cancel(*, booking: Booking, actor=None) -> Booking:
    """Cancel a future appointment and give its seat back; the citizen's calendar gets METHOD:CANCEL."""
    with transaction.atomic():
        booking = _locked(booking)
        if booking.status == BookingStatus.BOOKED and booking.starts_at <= timezone.now():
            raise BookingRefused(_("Giờ hẹn đã qua, không thể hủy."), field="__all__")
        _apply(booking, BookingAction.CANCEL, actor=actor, sequence=booking.sequence + 1)
        _seat_release(counter_id=booking.counter_id, starts_at=booking.starts_at)
        _email(booking, "emails/appointment_cancelled", method="CANCEL")
    return booking

def booking_move(*, booking: Booking, starts_at: datetime, actor=None) -> Booking:
    """Move a future appointment to another slot of the same agency: the new seat first, then the old one freed."""
    slot = selectors.slot_find(agency=booking.agency, starts_at=starts_at)
    if slot is None:
        raise BookingRefused(GONE)
    with transaction.atomic():
        booking = _locked(booking)
        if booking.starts_at == slot.starts_at:
            raise BookingRefused(_("Đây là giờ hẹn hiện tại. Vui lòng chọn giờ khác."))
        if booking.status == BookingStatus.BOOKED and booking.starts_at <= timezone.now():
            raise BookingRefused(_("Giờ hẹn đã qua, không thể đổi."), field="__all__")
        _citizen_checks(citizen=booking.citizen, starts_at=slot.starts_at, moving=booking)
        old_counter, old_start = booking.counter_id, booking.starts_at
        _seats_lock(counters=slot.counters, starts_at=slot.starts_at, also=(old_counter, old_start))
        counter = _seat_take(slot)
        _apply(booking, BookingAction.MOVE, actor=actor, counter=counter, starts_at=slot.starts_at,
               ends_at=slot.ends_at, sequence=booking.sequence + 1, reminded_at=None)
        _seat_release(counter_id=old_counter, starts_at=old_start)
        _email(booking, "emails/appointment_moved", method="REQUEST")
    return booking

def booking_check_in(*, booking: Booking, actor) -> Booking:
    """The citizen came: give the next queue number of the counter's day (the counter's row serialises them)."""
    with transaction.atomic():
        Counter.objects.select_for_update().filter(pk=booking.counter_id).values_list("pk", flat=True).get()
        booking = _locked(booking)
        if timezone.localtime(booking.starts_at).date() != timezone.localdate():
            raise BookingRefused(_("Chỉ tiếp đón được lịch hẹn của hôm nay."), field="__all__")
        day = timezone.localtime(booking.starts_at).date()
        last = Booking.objects.filter(counter_id=booking.counter_id, starts_at__date=day) \
            .aggregate(n=Max("queue_number"))["n"] or 0
        return _apply(booking, BookingAction.CHECK_IN, actor=actor, queue_number=last + 1,
                      checked_in_at=timezone.now())

def booking_mark_no_show(*, booking: Booking, actor) -> Booking:
    """The citizen did not come: only once the appointment's hour has passed."""
    with transaction.atomic():
        booking = _locked(booking)
        if booking.ends_at > timezone.now():
            raise BookingRefused(_("Chưa hết giờ hẹn, chưa thể ghi không đến."), field="__all__")
        return _apply(booking, BookingAction.NO_SHOW, actor=actor)

def bookings_remind(*, now: datetime | None = None) -> int:
    """E-mail a reminder, once, to every citizen whose appointment is on the next working day. Return how many.

    Runs from the beat all day; only from APPOINTMENT_REMIND_HOUR on, so nobody is woken at midnight.
    """
    from dossiers.calendar import add_working_days

    now = timezone.localtime(now or timezone.now())
    if now.hour < settings.APPOINTMENT_REMIND_HOUR:
        return 0
    tomorrow = add_working_days(now.date(), 1)
    due = Booking.objects.filter(status=BookingStatus.BOOKED, reminded_at__isnull=True, starts_at__date__gt=now.date(),
                                 starts_at__date__lte=tomorrow).values_list("pk", flat=True)
    sent = 0
    for pk in due:
        with transaction.atomic():
            # The guarded update makes a second beat (or an overlapping run) harmless.
            if Booking.objects.filter(pk=pk, reminded_at__isnull=True).update(reminded_at=now):
                booking = Booking.objects.select_related("agency", "counter", "citizen", "dossier").get(pk=pk)
                _email(booking, "emails/appointment_reminder", method="REQUEST")
                sent += 1
    return sent

def _email(booking: Booking, template: str, *, method: str) -> None:
    local = timezone.localtime(booking.starts_at)
    email_queue(
        to=booking.citizen.email,
        template=template,
        context={
            "name": booking.citizen.full_name or booking.citizen.email, "agency": booking.agency.name,
            "address": booking.agency.address, "counter": booking.counter.name, "location": booking.counter.location,
            "day": f"{local:%d/%m/%Y}", "time": f"{local:%H:%M}", "purpose": str(booking.get_purpose_display()),
            "dossier": booking.dossier.code if booking.dossier_id else "",
        },
        kind="appointment",
        attachment=(booking_ics, {"booking_id": booking.pk, "sequence": booking.sequence, "method": method,
                                  "starts_at": booking.starts_at.isoformat(), "ends_at": booking.ends_at.isoformat()}),
        reference=booking.dossier.code if booking.dossier_id else "",
        secret_link=None if method == "CANCEL" else (booking_manage_link, {"booking_id": booking.pk}),
        language=booking.citizen.language,
    )
