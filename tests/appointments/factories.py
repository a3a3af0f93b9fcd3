"""Counters and bookings for the tests: an agency's counter open Monday to Friday, the next working day's slots."""

from datetime import date, datetime, time

from django.utils import timezone

from appointments.models import Counter, CounterHours
from dossiers.calendar import add_working_days


def counter_for(agency, *, name="Quầy số 1", capacity=2, slot_minutes=30, opens=time(7, 30), closes=time(17, 0),
                weekdays=range(5)) -> Counter:
    counter = Counter.objects.create(agency=agency, name=name, capacity=capacity, slot_minutes=slot_minutes,
                                     lunch_start=time(11, 30), lunch_end=time(13, 30), location="Tầng 1")
    CounterHours.objects.bulk_create([CounterHours(counter=counter, weekday=d, opens=opens, closes=closes)
                                      for d in weekdays])
    return counter


def working_day(n: int = 1) -> date:
    """The n-th working day after today (the official calendar)."""
    return add_working_days(timezone.localdate(), n)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), timezone.get_current_timezone())


def booking_at(agency, *, dossier=None, citizen=None, hour=9):
    """A booking made through the service, the next working day at `hour` (a counter is opened if none is)."""
    from appointments.constants import BookingPurpose
    from appointments.services import booking_create
    from tests.factories.dossiers import Builder

    if not Counter.objects.filter(agency=agency).exists():
        counter_for(agency)
    citizen = citizen or (dossier.owner if dossier is not None else Builder().citizen())
    return booking_create(citizen=citizen, agency=agency, starts_at=at(working_day(), hour),
                          purpose=BookingPurpose.SUBMIT, dossier=dossier)
