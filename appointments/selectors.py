"""Reads on appointments: the slots an agency offers, a citizen's bookings, a clerk's day."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from dossiers.calendar import WorkingCalendar
from procedures.models import AgencyStaff

from .constants import BookingStatus, Weekday
from .models import Booking, Counter, SlotSeats


@dataclass
class Slot:
    starts_at: datetime
    ends_at: datetime
    capacity: int = 0
    taken: int = 0
    counters: list = field(default_factory=list)  # the counters offering it, in order of preference

    @property
    def free(self) -> int:
        return max(self.capacity - self.taken, 0)


@dataclass
class Day:
    day: date
    slots: list[Slot]

    @property
    def free(self) -> int:
        return sum(slot.free for slot in self.slots)


def _counter_slots(counter: Counter, day: date, hours: dict) -> list[tuple[datetime, datetime]]:
    """The slots of one counter on one working day: its hours of that weekday, less the lunch break."""
    opening = hours.get((counter.pk, day.weekday())) or hours.get((counter.pk, Weekday.MONDAY))
    if opening is None:
        return []
    opens, closes = opening
    tz, step = timezone.get_current_timezone(), timedelta(minutes=counter.slot_minutes)
    start, end = datetime.combine(day, opens, tz), datetime.combine(day, closes, tz)
    lunch_start, lunch_end = datetime.combine(day, counter.lunch_start, tz), datetime.combine(day, counter.lunch_end, tz)
    found = []
    while start + step <= end:
        if lunch_end > lunch_start and start < lunch_end and start + step > lunch_start:
            start = lunch_end  # the slot would run into the lunch break: the next one starts after it
            continue
        found.append((start, start + step))
        start += step
    return found


def _regular_hours(counters: list[Counter]) -> dict:
    from .models import CounterHours

    return {(h.counter_id, h.weekday): (h.opens, h.closes)
            for h in CounterHours.objects.filter(counter__in=counters)}


def agency_counters(*, agency) -> list[Counter]:
    return list(Counter.objects.filter(agency=agency, is_active=True).order_by("pk"))


def slots_for_agency(*, agency, start: date, end: date, now: datetime | None = None) -> list[Day]:
    """The working days from `start` to `end` (included) with the agency's slots, counters merged by start time.

    A day the official calendar (dossiers.calendar: holidays, make-up working days, the operator's CalendarDay)
    says is off has no slots, whatever the counters' hours; slots closer than APPOINTMENT_MIN_LEAD_MINUTES are left out.
    """
    counters = agency_counters(agency=agency)
    if not counters or end < start:
        return []
    hours, calendar = _regular_hours(counters), WorkingCalendar(start, end)
    earliest = (now or timezone.now()) + timedelta(minutes=settings.APPOINTMENT_MIN_LEAD_MINUTES)
    taken = defaultdict(int, {
        (row.counter_id, row.starts_at): row.taken
        for row in SlotSeats.objects.filter(counter__in=counters, starts_at__date__range=(start, end))
    })
    days = []
    for n in range((end - start).days + 1):
        day = start + timedelta(days=n)
        if not calendar.is_working_day(day):
            continue
        merged: dict[datetime, Slot] = {}
        for counter in counters:
            for slot_start, slot_end in _counter_slots(counter, day, hours):
                if slot_start < earliest:
                    continue
                slot = merged.setdefault(slot_start, Slot(slot_start, slot_end))
                slot.capacity += counter.capacity
                slot.taken += min(taken[(counter.pk, slot_start)], counter.capacity)
                slot.counters.append(counter)
        if merged:
            days.append(Day(day, [merged[key] for key in sorted(merged)]))
    return days


def booking_window(*, today: date | None = None) -> tuple[date, date]:
    """From today to APPOINTMENT_DAYS_AHEAD working days later."""
    from dossiers.calendar import add_working_days

    today = today or timezone.localdate()
    return today, add_working_days(today, settings.APPOINTMENT_DAYS_AHEAD)


def slot_find(*, agency, starts_at: datetime) -> Slot | None:
    """The slot of the agency starting at `starts_at`, if it is offered now (in the window, ahead of now)."""
    first, last = booking_window()
    day = timezone.localtime(starts_at).date()
    if not first <= day <= last:
        return None
    for found in slots_for_agency(agency=agency, start=day, end=day):
        for slot in found.slots:
            if slot.starts_at == starts_at:
                return slot
    return None


def booking_list_for_citizen(*, user) -> QuerySet[Booking]:
    return Booking.objects.filter(citizen=user).select_related("agency", "counter", "procedure", "dossier") \
        .order_by("-starts_at")


def booking_active_count(*, user, exclude_pk=None) -> int:
    qs = Booking.objects.filter(citizen=user, status=BookingStatus.BOOKED, starts_at__gte=timezone.now())
    return qs.exclude(pk=exclude_pk).count() if exclude_pk else qs.count()


def booking_list_for_dossier(*, dossier) -> QuerySet[Booking]:
    return Booking.objects.filter(dossier=dossier).select_related("agency", "counter").order_by("-starts_at")


def _staff_verified(user) -> bool:
    is_verified = getattr(user, "is_verified", None)
    return bool(user.is_active and user.is_staff and callable(is_verified) and is_verified())


def staff_agency_ids(*, user) -> list[int] | None:
    """The agencies whose counters the staff account works at (None: all, a superuser's); [] without 2FA."""
    if not _staff_verified(user):
        return []
    if user.is_superuser:
        return None
    return sorted(set(AgencyStaff.objects.filter(user=user).values_list("agency_id", flat=True)))


def booking_staff_queryset(*, user) -> QuerySet[Booking]:
    """Bookings at the staff account's agencies (as dossiers/admin.py scopes dossiers)."""
    agencies = staff_agency_ids(user=user)
    qs = Booking.objects.select_related("agency", "counter", "citizen", "procedure", "dossier")
    return qs if agencies is None else qs.filter(agency_id__in=agencies)


def counter_staff_queryset(*, user) -> QuerySet[Counter]:
    agencies = staff_agency_ids(user=user)
    qs = Counter.objects.select_related("agency")
    return qs if agencies is None else qs.filter(agency_id__in=agencies)
