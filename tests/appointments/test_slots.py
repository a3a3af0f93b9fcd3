"""The slots an agency offers: its counters' hours less the lunch break, on the official working days only."""

from datetime import date, time, timedelta

import pytest

from appointments.selectors import slots_for_agency
from dossiers.constants import CalendarDayKind
from dossiers.models import CalendarDay

from .factories import at, counter_for

pytestmark = pytest.mark.django_db
# Monday 5 October 2026 to Sunday 11 October: no public holiday in that week.
MONDAY = date(2026, 10, 5)
BEFORE = at(MONDAY - timedelta(days=7), 8)


def _times(day) -> list[str]:
    return [f"{slot.starts_at:%H:%M}" for slot in day.slots]


def test_slots_follow_the_hours_and_skip_the_lunch_break(build):
    agency = build.agency()
    counter_for(agency, capacity=3, slot_minutes=60, opens=time(7, 30), closes=time(17, 0))
    days = slots_for_agency(agency=agency, start=MONDAY, end=MONDAY, now=BEFORE)
    assert _times(days[0]) == ["07:30", "08:30", "09:30", "10:30", "13:30", "14:30", "15:30"]
    assert days[0].slots[0].capacity == 3 and days[0].free == 21


def test_two_counters_add_their_seats_in_one_slot(build):
    agency = build.agency()
    counter_for(agency, capacity=2)
    counter_for(agency, name="Quầy số 2", capacity=1)
    slot = slots_for_agency(agency=agency, start=MONDAY, end=MONDAY, now=BEFORE)[0].slots[0]
    assert (slot.capacity, len(slot.counters)) == (3, 2)


def test_weekends_and_holidays_have_no_slots_and_a_make_up_saturday_has_mondays_hours(build):
    agency = build.agency()
    counter_for(agency, slot_minutes=60)
    CalendarDay.objects.create(date=MONDAY + timedelta(days=2), kind=CalendarDayKind.HOLIDAY, note="Nghỉ bù")
    CalendarDay.objects.create(date=MONDAY + timedelta(days=5), kind=CalendarDayKind.WORKDAY, note="Làm bù")
    days = slots_for_agency(agency=agency, start=MONDAY, end=MONDAY + timedelta(days=6), now=BEFORE)
    assert [d.day.weekday() for d in days] == [0, 1, 3, 4, 5]  # Wednesday off, Saturday worked, Sunday off
    assert _times(days[-1]) == _times(days[0])


def test_the_official_calendar_closes_national_day(build):
    agency = build.agency()
    counter_for(agency)
    national_day = date(2026, 9, 2)  # Wednesday, Quốc khánh
    assert slots_for_agency(agency=agency, start=national_day, end=national_day, now=BEFORE - timedelta(days=60)) == []


def test_slots_too_close_to_now_are_not_offered(build):
    agency = build.agency()
    counter_for(agency, slot_minutes=60)
    days = slots_for_agency(agency=agency, start=MONDAY, end=MONDAY, now=at(MONDAY, 9, 0))
    assert _times(days[0])[0] == "10:30"  # 09:30 is closer than APPOINTMENT_MIN_LEAD_MINUTES (60)
